/**
 * A returning guest's favourites (services/favorites.ts): GET lists the starred and most-ordered
 * dishes; PUT stars a dish, DELETE unstars it. Needs a device identified as a customer (else 422).
 */
import * as z from 'zod';
import { dinerRoute } from '../http/diner-route.ts';
import { guestFavorites, setStar } from '../services/favorites.ts';

// A menu item's id as the menu gives it (a lowercase ObjectId hex string).
const ItemParams = z.strictObject({ itemId: z.string().regex(/^[0-9a-f]{24}$/, 'must be a menu item id') });

export const listFavorites = dinerRoute({}, async ({ guest }) => guestFavorites(guest));

export const starDish = dinerRoute({ params: ItemParams }, async ({ guest, params }) => setStar(guest, params.itemId, true));

export const unstarDish = dinerRoute({ params: ItemParams }, async ({ guest, params }) => setStar(guest, params.itemId, false));
