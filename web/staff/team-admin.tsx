/**
 * The Team section (ADMIN only): the restaurant's staff accounts with their role and state; add a
 * user, change a role, disable or enable, reset a password, sign out everywhere. Disabling, a role
 * change and a password reset end the user's sessions on the server at once (their devices go back
 * to sign-in), so those go through a confirmation that says so. Refusals show the server's words.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { Banner, Button, Field, Sheet, Spinner } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import type { StaffRole } from '../shared/types.ts';
import { useConsole } from './console.ts';
import { ConfirmDialog, type ConfirmRequest } from './dialogs.tsx';
import { describeError } from './store.ts';
import { useBusyAction } from './busy-action.ts';
import { newUserBody, newUserProblems, passwordProblem, PASSWORD_MIN_LENGTH, rowActions, sortUsers, type FormProblems, type NewUserForm } from './team.ts';
import type { StaffUser } from './types.ts';

const ROLES: StaffRole[] = ['WAITER', 'KITCHEN', 'MANAGER', 'ADMIN'];
const nameOf = (user: StaffUser): string => user.displayName || user.username;

export function TeamAdmin() {
  const c = useConsole();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<StaffUser | undefined>();
  const [confirm, setConfirm] = useState<ConfirmRequest | undefined>();
  const [busy, setBusy] = useState<string | undefined>();

  useEffect(() => {
    void c.loadUsers();
  }, []);

  const users = c.users.value;
  if (!users) {
    return (
      <div class="s-center">
        {c.usersFailed.value ? (
          <Banner tone="error" action={<Button onClick={() => void c.loadUsers()}>{t('common.retry')}</Button>}>
            {t('staff.team.loadFailed')}
          </Banner>
        ) : (
          <Spinner label={t('common.loading')} />
        )}
      </div>
    );
  }
  const myUserId = c.me.value?.userId;

  function askRole(user: StaffUser, role: StaffRole) {
    if (role === user.role) return;
    setConfirm({
      title: t('staff.team.roleTitle', { name: nameOf(user) }),
      body: <p>{t('staff.team.roleBody', { name: nameOf(user), role: t('staff.role.' + role) })}</p>,
      confirmLabel: t('staff.team.roleConfirm'),
      tone: 'danger',
      run: async () => {
        await c.updateUser(user.userId, { role });
        c.flash('success', () => t('staff.team.roleChanged', { name: nameOf(user), role: t('staff.role.' + role) }));
      },
    });
  }

  function askDisable(user: StaffUser) {
    setConfirm({
      title: t('staff.team.disableTitle', { name: nameOf(user) }),
      body: <p>{t('staff.team.disableBody', { name: nameOf(user) })}</p>,
      confirmLabel: t('staff.team.disable'),
      tone: 'danger',
      run: async () => {
        await c.updateUser(user.userId, { disabled: true });
        c.flash('success', () => t('staff.team.disabled', { name: nameOf(user) }));
      },
    });
  }

  function askSignOut(user: StaffUser) {
    setConfirm({
      title: t('staff.team.signOutTitle', { name: nameOf(user) }),
      body: <p>{t('staff.team.signOutBody', { name: nameOf(user) })}</p>,
      confirmLabel: t('staff.team.signOut'),
      tone: 'danger',
      run: async () => {
        await c.signOutUser(user.userId);
        c.flash('success', () => t('staff.team.signedOut', { name: nameOf(user) }));
      },
    });
  }

  async function enable(user: StaffUser) {
    setBusy(user.userId);
    try {
      await c.updateUser(user.userId, { disabled: false });
      c.flash('success', () => t('staff.team.enabled', { name: nameOf(user) }));
    } catch (caught) {
      c.flash('error', describeError(caught));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section class="s-page s-team" aria-labelledby="team-title">
      <div class="spread s-menu-head">
        <div>
          <h1 id="team-title">{t('staff.team.title')}</h1>
          <p class="muted">{t('staff.team.intro')}</p>
        </div>
        <Button onClick={() => setAdding(true)} data-testid="add-user">
          {t('staff.team.add')}
        </Button>
      </div>
      <ul class="s-menu-list s-team-list">
        {sortUsers(users).map((user) => {
          const actions = rowActions(user, users, myUserId);
          return (
            <li key={user.userId} class={'s-team-item' + (user.disabled ? ' is-disabled' : '')} data-testid="team-user" data-username={user.username}>
              <span class="s-menu-name">
                <strong>
                  {nameOf(user)}
                  {user.userId === myUserId && <span class="muted"> · {t('staff.team.you')}</span>}
                </strong>
                <span class="muted s-menu-sub">
                  {user.username}
                  {actions.lockedBecause && ` · ${t(actions.lockedBecause)}`}
                </span>
              </span>
              <span class={'badge ' + (user.disabled ? 'badge-danger' : 'badge-success')} data-testid="user-state">
                {user.disabled ? t('staff.team.stateDisabled') : t('staff.team.stateEnabled')}
              </span>
              <RoleSelect user={user} disabled={!actions.changeRole || busy === user.userId} onPick={(role) => askRole(user, role)} />
              <span class="row s-wrap s-team-actions">
                {actions.disable && (
                  <Button variant="secondary" onClick={() => askDisable(user)} data-testid="disable-user">
                    {t('staff.team.disable')}
                  </Button>
                )}
                {actions.enable && (
                  <Button variant="secondary" busy={busy === user.userId} onClick={() => void enable(user)} data-testid="enable-user">
                    {t('staff.team.enable')}
                  </Button>
                )}
                <Button variant="secondary" onClick={() => setResetting(user)} data-testid="reset-password">
                  {t('staff.team.resetPassword')}
                </Button>
                {actions.signOutEverywhere && (
                  <Button variant="ghost" onClick={() => askSignOut(user)} data-testid="sign-out-user">
                    {t('staff.team.signOut')}
                  </Button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <AddUserSheet open={adding} onClose={() => setAdding(false)} />
      <ResetPasswordSheet user={resetting} self={resetting?.userId === myUserId} onClose={() => setResetting(undefined)} />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(undefined)} />
    </section>
  );
}

function RoleSelect({ user, disabled, onPick }: { user: StaffUser; disabled: boolean; onPick: (role: StaffRole) => void }) {
  const id = useId();
  return (
    <span class="field s-team-role">
      <label for={id} class="visually-hidden">
        {t('staff.team.roleOf', { name: nameOf(user) })}
      </label>
      <select
        id={id}
        class="input"
        value={user.role}
        disabled={disabled}
        data-testid="user-role"
        // The select shows the stored role until the change is confirmed and answered.
        onChange={(e) => {
          const role = e.currentTarget.value as StaffRole;
          e.currentTarget.value = user.role;
          onPick(role);
        }}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {t('staff.role.' + role)}
          </option>
        ))}
      </select>
    </span>
  );
}

const EMPTY_FORM: NewUserForm = { username: '', displayName: '', role: '', password: '' };

function AddUserSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const c = useConsole();
  const [form, setForm] = useState<NewUserForm>(EMPTY_FORM);
  const [problems, setProblems] = useState<FormProblems>({});
  const { busy, error, setError, run } = useBusyAction();
  const roleId = useId();

  const set = <K extends keyof NewUserForm>(key: K, value: NewUserForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const close = () => {
    if (busy) return;
    setForm(EMPTY_FORM);
    setProblems({});
    setError(undefined);
    onClose();
  };

  async function submit(event: Event) {
    event.preventDefault();
    const found = newUserProblems(form);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    await run(async () => {
      const user = await c.createUser(newUserBody(form));
      c.flash('success', () => t('staff.team.created', { name: nameOf(user) }));
      setForm(EMPTY_FORM);
      onClose();
    });
  }

  const problem = (key: keyof FormProblems) => (problems[key] ? t(problems[key]!, { n: PASSWORD_MIN_LENGTH }) : undefined);
  return (
    <Sheet open={open} title={t('staff.team.addTitle')} onClose={close}>
      {open && (
        <form onSubmit={submit} noValidate data-testid="add-user-form">
          <Field
            label={t('staff.team.username')}
            hint={t('staff.team.usernameHint')}
            value={form.username}
            autoComplete="off"
            autoCapitalize="off"
            spellcheck={false}
            maxLength={64}
            error={problem('username')}
            onInput={(e) => set('username', e.currentTarget.value)}
            data-testid="new-username"
          />
          <Field
            label={t('staff.team.displayName')}
            value={form.displayName}
            maxLength={80}
            onInput={(e) => set('displayName', e.currentTarget.value)}
            data-testid="new-display-name"
          />
          <div class="field">
            <label for={roleId}>{t('staff.team.role')}</label>
            <select
              id={roleId}
              class="input"
              value={form.role}
              aria-invalid={problems.role ? 'true' : undefined}
              onChange={(e) => set('role', e.currentTarget.value as StaffRole)}
              data-testid="new-role"
            >
              <option value="">{t('staff.team.pickRole')}</option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t('staff.role.' + role)}
                </option>
              ))}
            </select>
            {problems.role && <span class="field-error">{problem('role')}</span>}
          </div>
          <Field
            label={t('staff.team.password')}
            hint={t('staff.team.passwordHint', { n: PASSWORD_MIN_LENGTH })}
            type="password"
            autoComplete="new-password"
            value={form.password}
            error={problem('password')}
            onInput={(e) => set('password', e.currentTarget.value)}
            data-testid="new-password"
          />
          {error && (
            <Banner tone="error">
              <span data-testid="add-user-error">{error}</span>
            </Banner>
          )}
          <div class="s-dialog-actions">
            <Button variant="secondary" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" busy={busy} data-testid="save-user">
              {t('staff.team.create')}
            </Button>
          </div>
        </form>
      )}
    </Sheet>
  );
}

function ResetPasswordSheet({ user, self, onClose }: { user: StaffUser | undefined; self: boolean; onClose: () => void }) {
  const c = useConsole();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string>();
  const { busy, error, setError, run } = useBusyAction();

  const close = () => {
    if (busy) return;
    setPassword('');
    setProblem(undefined);
    setError(undefined);
    onClose();
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (!user) return;
    const found = passwordProblem(password);
    setProblem(found ? t(found, { n: PASSWORD_MIN_LENGTH }) : undefined);
    if (found) return;
    await run(async () => {
      await c.updateUser(user.userId, { password });
      c.flash('success', () => t('staff.team.passwordReset', { name: nameOf(user) }));
      setPassword('');
      onClose();
    });
  }

  return (
    <Sheet open={Boolean(user)} title={user ? t('staff.team.resetTitle', { name: nameOf(user) }) : ''} onClose={close}>
      {user && (
        <form onSubmit={submit} noValidate data-testid="reset-password-form">
          <p>{self ? t('staff.team.resetBodySelf') : t('staff.team.resetBody', { name: nameOf(user) })}</p>
          <Field
            label={t('staff.team.newPassword')}
            hint={t('staff.team.passwordHint', { n: PASSWORD_MIN_LENGTH })}
            type="password"
            autoComplete="new-password"
            value={password}
            error={problem}
            onInput={(e) => setPassword(e.currentTarget.value)}
            data-testid="reset-password-input"
          />
          {error && (
            <Banner tone="error">
              <span data-testid="reset-password-error">{error}</span>
            </Banner>
          )}
          <div class="s-dialog-actions">
            <Button variant="secondary" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="danger" busy={busy} data-testid="confirm-reset-password">
              {t('staff.team.resetConfirm')}
            </Button>
          </div>
        </form>
      )}
    </Sheet>
  );
}
