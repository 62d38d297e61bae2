/**
 * Routes for signed-in staff: a staff JWT (cookie or Bearer) of a user whose session has not been
 * ended (auth/staff-session.ts reads the user document), with at least the route table's `minRole`
 * (the user's current role). Every staff route therefore needs MongoDB.
 *
 *   export const bump = staffRoute(kitchenRoutes.bump, async ({ staff, params }) => kitchen.bump(staff, params.orderId));
 */
import * as z from 'zod';
import { STAFF_COOKIE } from '../auth/cookies.ts';
import type { StaffPrincipal } from '../auth/principal.ts';
import { authenticateStaffCredential } from '../auth/staff-session.ts';
import type { StaffRole } from '../core/roles.ts';
import { credential } from './request.ts';
import { build, type Authenticator, type HttpEvent, type Infer, type Reply, type RequestInfo, type Schemas } from './route.ts';

export const authenticateStaff = (event: HttpEvent, minRole: StaffRole): Promise<StaffPrincipal> =>
  authenticateStaffCredential(credential(event, STAFF_COOKIE), minRole);

const staffPrincipal: Authenticator<'staff'> = async (event, auth) => ({ staff: await authenticateStaff(event, auth.minRole) });

export const staffRoute = <B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType>(
  schemas: Schemas<B, P, Q>,
  useCase: (request: RequestInfo<Infer<B>, Infer<P>, Infer<Q>> & { staff: StaffPrincipal }) => Promise<Reply | unknown>,
) => build('staff', staffPrincipal, schemas, useCase);
