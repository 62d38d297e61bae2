/**
 * What the staff consoles hear of a manager's tables (sessions/table-setup.ts), handed to the effects
 * pipeline (effects.ts `adminEffectsWith`): a table added, renamed or moved, or removed reloads every
 * console's floor (`table.updated`, which already means "reload the tables").
 */
import type { ObjectId } from 'mongodb';
import { adminEffectsWith } from '../effects.ts';
import { pushToStaff } from '../realtime/push.ts';

const reloadTable = ({ restaurantId, tableId }: { restaurantId: string; tableId: ObjectId }) =>
  pushToStaff(restaurantId, { type: 'table.updated', tableId: tableId.toHexString() });

export const afterTableCommit = adminEffectsWith({ TableCreated: reloadTable, TableChanged: reloadTable, TableRemoved: reloadTable });
