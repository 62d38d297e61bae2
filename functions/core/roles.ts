/**
 * Staff roles, lowest first: each role may do everything the roles below it may. The route table
 * (routes.ts) declares each route's minimum role; services ask `roleAtLeast` for finer rules.
 */
export const STAFF_ROLES = ['KITCHEN', 'WAITER', 'MANAGER', 'ADMIN'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const roleRank = (role: StaffRole): number => STAFF_ROLES.indexOf(role);
/** Whether `role` may do what `minRole` may; no role (a console not yet signed in) ranks below every role. */
export const roleAtLeast = (role: StaffRole | undefined, minRole: StaffRole): boolean => role !== undefined && roleRank(role) >= roleRank(minRole);
