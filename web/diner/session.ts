/**
 * The guest's way in and out: boot (resume a session this phone already holds, or ask for the
 * table's PIN), join with the PIN, name and number (with a one-time code where the restaurant
 * verifies numbers), and leaving the table.
 */
import { batch } from '@preact/signals';
import { isApiError, type ApiError } from '../shared/api.ts';
import { config, loadConfig } from '../shared/config.ts';
import { t } from '../shared/i18n.ts';
import { readPref, writePref } from '../shared/storage.ts';
import type { JoinResponse, SessionMe } from '../shared/types.ts';
import { loadMenu, resumePendingOrder } from './actions.ts';
import { closeSocket, onAuthLost, openSocket } from './live.ts';
import { resumeFromReturnLink } from './payment.ts';
import {
  api,
  bill,
  cart,
  codeSent,
  guest,
  linkedTable,
  needPin,
  networkWords,
  orders,
  phase,
  setApiBase,
  tab,
  tableLink,
  wordsText,
  type Phase,
} from './store.ts';

/** The link this phone joined its session with, so a QR code of another table asks for that table's PIN. */
const JOINED_LINK = 'joinedLink';
const joinedThisLink = (me: SessionMe): boolean => {
  const joined = readPref<{ sessionId: string; link: string }>(JOINED_LINK);
  return (joined?.sessionId === me.session.sessionId && joined.link === tableLink) || me.table.tableId === tableLink;
};


export async function boot(): Promise<void> {
  const cfg = await loadConfig().catch(() => config.value);
  setApiBase(cfg.apiBase).onAuthError(onAuthLost);
  const menuLoad = loadMenu();
  try {
    const me = await api.get<SessionMe>('/sessions/me');
    const otherTable = tableLink && !joinedThisLink(me);
    if (otherTable) {
      phase.value = 'pin';
    } else {
      await menuLoad;
      resume(me);
      return;
    }
  } catch (error) {
    if (!(isApiError(error) && error.status === 401)) {
      // Not signed in is the normal first visit; anything else is a network problem worth showing.
      if (!isApiError(error) || error.isNetwork || error.status >= 500) {
        phase.value = 'bootError';
        return;
      }
    }
    phase.value = tableLink ? await tablePhase() : 'noTable';
  }
  await menuLoad;
}

/**
 * Before the PIN keypad: an unknown (or retired) table code gets its own page, and the link of a
 * table whose visit just ended says so. A link printed before codes (the table's id) always gets the
 * keypad: the server tells nothing about ids (functions/sessions/table-status.ts), join does.
 * Anything unexpected falls back to the keypad.
 */
async function tablePhase(): Promise<Phase> {
  try {
    const status = await api.get<{ state: 'open' | 'ended' | 'notOpen' | 'idLink'; table?: { number: string; floor: string } }>(
      `/tables/${encodeURIComponent(tableLink)}`,
    );
    linkedTable.value = status.table ?? null;
    return status.state === 'ended' ? 'visitEnded' : 'pin';
  } catch (error) {
    return isApiError(error) && (error.status === 404 || error.status === 400) ? 'unknownTable' : 'pin';
  }
}

function resume(me: SessionMe): void {
  batch(() => {
    guest.value = {
      sessionId: me.session.sessionId,
      mode: me.session.mode,
      table: me.table,
      deviceId: me.device.deviceId,
      customerName: me.device.customerName,
    };
    writePref('deviceId', me.device.deviceId);
    cart.value = me.cart;
    orders.value = me.orders;
    bill.value = null;
    needPin.value = false;
    const skipped = readPref<string>('identified') === me.session.sessionId;
    phase.value = me.device.customerName || skipped ? 'ready' : 'identify';
  });
  openSocket();
  void resumePendingOrder();
  // Back from the payment page: show the bill and the payment's state.
  if (new URLSearchParams(location.search).has('payment')) {
    tab.value = 'bill';
    void resumeFromReturnLink();
  }
}

export type JoinResult = { ok: true } | { ok: false; error: ApiError | undefined };

export async function join(pin: string): Promise<JoinResult> {
  try {
    const deviceId = readPref<string>('deviceId');
    await api.post<JoinResponse>('/sessions/join', { table: tableLink, pin, ...(deviceId ? { deviceId } : {}) });
    const me = await api.get<SessionMe>('/sessions/me');
    writePref(JOINED_LINK, { sessionId: me.session.sessionId, link: tableLink });
    // A re-entry after expiry keeps the view; a closed-and-reopened table starts a new session.
    resume(me);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: isApiError(error) ? error : undefined };
  }
}

/** Records the name and number; where the restaurant verifies numbers, a code is sent to it. */
export async function identify(name: string, phone: string): Promise<string | null> {
  try {
    const answer = await api.post<{ verification: 'sent' | 'off' }>('/customers/identify', { name, phone });
    if (guest.value) guest.value = { ...guest.value, customerName: name };
    if (answer.verification === 'sent') codeSent.value = { phone };
    else phase.value = 'ready';
    return null;
  } catch (error) {
    if (isApiError(error) && error.status === 400) return t('identify.phoneInvalid');
    if (isApiError(error) && error.status === 429) return t('identify.tooMany');
    return wordsText(networkWords(error));
  }
}

/** The code from the text message: the restaurant recognises the guest from now on. */
export async function verifyPhone(code: string): Promise<string | null> {
  try {
    await api.post('/customers/verify', { code });
    codeSent.value = null;
    phase.value = 'ready';
    return null;
  } catch (error) {
    if (isApiError(error) && (error.code === 'CODE_INVALID' || error.status === 400)) return t('identify.codeInvalid');
    if (isApiError(error) && error.status === 429) return t('identify.tooMany');
    return wordsText(networkWords(error));
  }
}

export function skipIdentify(): void {
  codeSent.value = null;
  if (guest.value) writePref('identified', guest.value.sessionId);
  phase.value = 'ready';
}

export async function leaveTable(): Promise<void> {
  await api.post('/sessions/logout').catch(() => undefined);
  closeSocket();
  batch(() => {
    guest.value = null;
    cart.value = null;
    orders.value = [];
    phase.value = tableLink ? 'pin' : 'noTable';
  });
}
