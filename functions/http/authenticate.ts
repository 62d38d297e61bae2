/** Resolves the caller from verified credentials only, per the route table's `auth` for this route. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DomainError } from '../core/errors.ts';
import { verifyGuestToken } from '../auth/guest-token.ts';
import { GUEST_COOKIE, STAFF_COOKIE, bearerToken, readCookie } from '../auth/cookies.ts';
import type { GuestPrincipal, StaffPrincipal } from '../auth/principal.ts';
import { looksLikeJwt, verifyStaffToken } from '../auth/staff-token.ts';
import { roleAtLeast, type StaffRole } from '../routes.ts';
import { header } from './request.ts';

function credential(event: APIGatewayProxyEventV2, cookieName: string): string | undefined {
  return bearerToken(header(event, 'authorization')) ?? readCookie(event.cookies, header(event, 'cookie'), cookieName);
}

export async function authenticateGuest(event: APIGatewayProxyEventV2): Promise<GuestPrincipal> {
  const token = credential(event, GUEST_COOKIE);
  if (!token) throw new DomainError('UNAUTHENTICATED', 'Join the table with its PIN first');
  if (looksLikeJwt(token)) throw new DomainError('FORBIDDEN', 'This is for guests at the table');
  return verifyGuestToken(token);
}

export async function authenticateStaff(event: APIGatewayProxyEventV2, minRole: StaffRole): Promise<StaffPrincipal> {
  const token = credential(event, STAFF_COOKIE);
  if (!token) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
  if (!looksLikeJwt(token)) throw new DomainError('FORBIDDEN', 'Staff only');
  const staff = await verifyStaffToken(token);
  if (!roleAtLeast(staff.role, minRole)) throw new DomainError('FORBIDDEN', `This needs the ${minRole} role or above`);
  return staff;
}
