/**
 * GET /api/health, listed among the staff routes (its id is `staff.health`, staff.ts) but kept apart
 * from them: the guest function serves it and so builds none of the staff module's schemas at init.
 */
import * as z from 'zod';
import { route, routeContracts } from './common.ts';

export const healthRoutes = routeContracts('staff', {
  health: route({
    summary: 'Liveness of the function and its two stores (503 when one does not answer)',
    response: z.object({ status: z.enum(['ok', 'degraded']), version: z.string(), stores: z.object({ mongo: z.enum(['ok', 'unavailable']), dynamodb: z.enum(['ok', 'unavailable']) }) }),
  }),
});
