/**
 * What guests' phones and staff sockets hear of the staff's own tools, handed to the effects pipeline
 * (effects.ts `adminEffectsWith`) by the use cases that emit these events: a dish changed reaches every
 * guest's menu, the menu's names make the phones reload it, and an account whose sessions ended loses
 * its kitchen and staff sockets (its tokens already stopped working, so a reconnect is refused).
 */
import { connectionsOfUser } from '../realtime/connections.ts';
import { pushToAllGuests } from '../realtime/push.ts';
import { closeSockets } from '../realtime/socket-credentials.ts';
import { adminEffectsWith } from '../effects.ts';

/** Closes the user's kitchen and staff sockets; returns how many. */
const closeSocketsOf = async (restaurantId: string, userId: string): Promise<number> => closeSockets(await connectionsOfUser(restaurantId, userId));

export const afterMenuCommit = adminEffectsWith({
  MenuItemChanged: (event) => pushToAllGuests(event.restaurantId, { type: 'menu.updated', items: [event.item] }),
  MenuNamesUpdated: (event) => pushToAllGuests(event.restaurantId, { type: 'menu.updated', items: [], names: true }),
});

export const afterStaffUserCommit = adminEffectsWith({
  StaffUserSignedOut: (event) => closeSocketsOf(event.restaurantId, event.userId),
  StaffUserUpdated: async (event) => (event.sessionsEnded ? closeSocketsOf(event.restaurantId, event.userId) : 0),
});
