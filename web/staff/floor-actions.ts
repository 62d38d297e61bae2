/**
 * What staff do at a table and on its orders, over HTTP: open and close a table, issue a new PIN,
 * confirm, reject, cancel and record payments, refunds, the QR cards, and a manager's adding,
 * changing and removing of tables. Each answer is applied to the
 * console's state (store.ts) at once; the push that follows is then a no-op.
 */
import type { Signal } from '@preact/signals';
import type { ApiClient } from '../shared/api.ts';
import type { PaymentMethod, SessionMode } from '../shared/types.ts';
import type { FloorTable, OnlinePayment, OpenedSession, PaymentOutcome, PaymentsCheck, QrCard, QrSheet, StaffBill, StaffOrder } from './types.ts';

/** A PIN this screen was given (only ever in memory: the server never returns a PIN again). */
export interface ShownPin {
  pin: string;
  /** When it was issued (ms): the screen says "issued at". */
  at: number;
  regenerated: boolean;
}

export interface FloorState {
  api: ApiClient;
  tables: Signal<FloorTable[]>;
  pins: Signal<ReadonlyMap<string, ShownPin>>;
  acceptOrder(order: StaffOrder): void;
  /** Reload the tables soon (once for a burst): the push and the reload confirm what was shown at once. */
  scheduleTables(): void;
}

export function createFloorActions({ api, tables, pins, acceptOrder, scheduleTables }: FloorState) {
  function rememberPin(sessionId: string, pin: string, regenerated: boolean): void {
    const next = new Map(pins.value);
    next.set(sessionId, { pin, at: Date.now(), regenerated });
    pins.value = next;
  }

  function hidePin(sessionId: string): void {
    const next = new Map(pins.value);
    next.delete(sessionId);
    pins.value = next;
  }

  async function openSession(table: FloorTable, mode: SessionMode): Promise<OpenedSession> {
    const opened = await api.post<OpenedSession>(`/staff/tables/${encodeURIComponent(table.tableId)}/sessions`, { mode });
    rememberPin(opened.sessionId, opened.pin, false);
    // Show the table as open at once; the push and the reload confirm it.
    tables.value = tables.value.map((each) =>
      each.tableId === table.tableId
        ? { ...each, session: { sessionId: opened.sessionId, mode: opened.mode, status: 'OPEN', openedAt: opened.openedAt ?? new Date().toISOString(), devices: [] } }
        : each,
    );
    scheduleTables();
    return opened;
  }

  async function regeneratePin(sessionId: string): Promise<string> {
    const { pin } = await api.post<{ pin: string }>(`/staff/sessions/${encodeURIComponent(sessionId)}/pin`, {});
    rememberPin(sessionId, pin, true);
    return pin;
  }

  async function closeSession(sessionId: string): Promise<void> {
    await api.post(`/staff/sessions/${encodeURIComponent(sessionId)}/close`, {});
    hidePin(sessionId);
    tables.value = tables.value.map((each) => (each.session?.sessionId === sessionId ? { ...each, session: null } : each));
    scheduleTables();
  }

  async function confirmOrder(orderId: string): Promise<void> {
    const { order } = await api.post<{ order: StaffOrder }>(`/staff/orders/${encodeURIComponent(orderId)}/confirm`, {});
    acceptOrder(order);
  }

  async function rejectOrder(orderId: string, reason: string): Promise<void> {
    const { order } = await api.post<{ order: StaffOrder }>(`/staff/orders/${encodeURIComponent(orderId)}/reject`, { reason });
    acceptOrder(order);
  }

  async function cancelOrder(orderId: string, reason?: string): Promise<void> {
    const { order } = await api.post<{ order: StaffOrder }>(`/staff/orders/${encodeURIComponent(orderId)}/cancel`, reason ? { reason } : {});
    acceptOrder(order);
  }

  async function payOrder(orderId: string, method: PaymentMethod, status: PaymentOutcome): Promise<void> {
    const { order } = await api.post<{ order: StaffOrder }>(`/staff/orders/${encodeURIComponent(orderId)}/payment`, { method, status });
    acceptOrder(order);
  }

  async function payBill(sessionId: string, method: PaymentMethod, status: PaymentOutcome): Promise<number> {
    const result = await api.post<{ amount: number; orders: StaffOrder[] }>(`/staff/sessions/${encodeURIComponent(sessionId)}/payment`, { method, status });
    for (const order of result.orders) acceptOrder(order);
    return result.amount;
  }

  function fetchBill(sessionId: string): Promise<StaffBill> {
    return api.get<StaffBill>(`/staff/sessions/${encodeURIComponent(sessionId)}/bill`);
  }

  /** MANAGER: a refund through the provider; no amount refunds what is left of the payment. */
  async function refundPayment(intentId: string, amount: number | undefined, reason: string): Promise<OnlinePayment> {
    const { payment } = await api.post<{ payment: OnlinePayment }>(`/staff/payments/${encodeURIComponent(intentId)}/refund`, amount === undefined ? { reason } : { amount, reason });
    return payment;
  }

  /** MANAGER: asks the provider about every payment still open (what the 5-minute schedule does). */
  function checkPayments(): Promise<PaymentsCheck> {
    return api.post<PaymentsCheck>('/staff/payments/check', { olderThanMinutes: 0 });
  }

  function fetchQrSheet(): Promise<QrSheet> {
    return api.get<QrSheet>('/staff/qr-codes');
  }

  /** A new link for a table (MANAGER): its printed QR card stops working; the answer is the card to reprint. */
  function rotateTableCode(tableId: string): Promise<QrCard> {
    return api.post<QrCard>(`/staff/tables/${encodeURIComponent(tableId)}/code`, {});
  }

  /** A manager's tables: the answer goes on the floor at once, the push that follows reloads it anyway. */
  async function createTable(body: { number: string; floor: string }): Promise<FloorTable> {
    const table = await api.post<FloorTable>('/staff/tables', body);
    tables.value = [...tables.value.filter((each) => each.tableId !== table.tableId), table];
    scheduleTables();
    return table;
  }

  async function updateTable(tableId: string, body: { number?: string; floor?: string }): Promise<FloorTable> {
    const table = await api.patch<FloorTable>(`/staff/tables/${encodeURIComponent(tableId)}`, body);
    tables.value = tables.value.map((each) => (each.tableId === tableId ? table : each));
    scheduleTables();
    return table;
  }

  async function removeTable(tableId: string): Promise<void> {
    await api.del(`/staff/tables/${encodeURIComponent(tableId)}`);
    tables.value = tables.value.filter((each) => each.tableId !== tableId);
    scheduleTables();
  }

  return {
    createTable,
    updateTable,
    removeTable,
    openSession,
    regeneratePin,
    hidePin,
    closeSession,
    confirmOrder,
    rejectOrder,
    cancelOrder,
    payOrder,
    payBill,
    fetchBill,
    refundPayment,
    checkPayments,
    fetchQrSheet,
    rotateTableCode,
  };
}
