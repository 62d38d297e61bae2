/** The staff console's team section (ADMIN): the restaurant's staff accounts and the changes to them. */
import { signal } from '@preact/signals';
import { isApiError, type ApiClient } from '../shared/api.ts';
import { upsertUser } from './team.ts';
import type { NewStaffUser, StaffUser, StaffUserChange } from './types.ts';

export function createTeamStore(api: ApiClient) {
  const users = signal<StaffUser[] | undefined>(undefined);
  const usersFailed = signal(false);

  async function loadUsers(): Promise<void> {
    try {
      users.value = (await api.get<{ users: StaffUser[] }>('/staff/users')).users;
      usersFailed.value = false;
    } catch (error) {
      if (isApiError(error) && error.isAuth) return;
      usersFailed.value = true;
    }
  }

  function applyUser(user: StaffUser): StaffUser {
    users.value = upsertUser(users.value ?? [], user);
    return user;
  }

  async function createUser(input: NewStaffUser): Promise<StaffUser> {
    return applyUser(await api.post<StaffUser>('/staff/users', input));
  }

  /** Disabling, a role change and a password reset end the user's sessions on the server at once. */
  async function updateUser(userId: string, change: StaffUserChange): Promise<StaffUser> {
    return applyUser(await api.patch<StaffUser>(`/staff/users/${encodeURIComponent(userId)}`, change));
  }

  async function signOutUser(userId: string): Promise<void> {
    await api.post(`/staff/users/${encodeURIComponent(userId)}/sign-out`, {});
  }

  return { users, usersFailed, loadUsers, createUser, updateUser, signOutUser };
}
