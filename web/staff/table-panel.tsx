/**
 * One table: open it (FAMILY or INDIVIDUAL), its PIN, who is at it, its bill with payment for the
 * whole bill, its orders (pending first) and closing it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError } from '../shared/api.ts';
import { Banner, Button } from '../shared/components.tsx';
import { money, time } from '../shared/format.ts';
import { guestLabel } from '../shared/guest-name.ts';
import { t } from '../shared/i18n.ts';
import type { PaymentMethod, SessionMode } from '../shared/types.ts';
import { useConsole } from './console.ts';
import { ConfirmDialog, type ConfirmRequest } from './dialogs.tsx';
import { sortOrders, type TableSummary } from './floor.ts';
import { BackButton, StateBadge, billRequestText } from './floor-parts.tsx';
import { OnlinePayments } from './online-payments.tsx';
import { METHODS, OrderCard } from './order-card.tsx';
import { PinCard } from './pin-card.tsx';
import { describeError } from './store.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';

import { useBusyAction } from './busy-action.ts';
import type { FloorTable, PaymentOutcome, StaffBill } from './types.ts';

export function TablePanel({ table, summary }: { table: FloorTable; summary: TableSummary }) {
  const c = useConsole();
  const [request, setRequest] = useState<ConfirmRequest>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const session = table.session;

  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, [table.tableId]);

  useEffect(() => {
    if (session) void c.loadSessionOrders(session.sessionId);
  }, [session?.sessionId]);

  const close = () => (c.selectedTableId.value = undefined);

  return (
    <section class="s-panel" aria-labelledby="panel-title" data-testid="table-panel" data-table={table.number}>
      <div class="s-panel-head">
        <BackButton onClick={close} label={t('staff.backToFloor')} />
        <div class="spread">
          <h2 id="panel-title" ref={headingRef} tabIndex={-1}>
            {t('staff.tableTitle', { table: table.number })} <span class="muted s-floor-name">· {table.floor}</span>
          </h2>
          <StateBadge state={summary.state} />
        </div>
      </div>
      {session ? <OpenTable table={table} summary={summary} ask={setRequest} /> : <OpenSessionForm table={table} />}
      <ConfirmDialog request={request} onClose={() => setRequest(undefined)} />
    </section>
  );
}

function OpenSessionForm({ table }: { table: FloorTable }) {
  const c = useConsole();
  const [mode, setMode] = useState<SessionMode>('FAMILY');
  const { busy, error, run } = useBusyAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      try {
        await c.openSession(table, mode);
      } catch (caught) {
        // Someone else opened it: the floor is loaded again, and the refusal shown.
        if (isApiError(caught) && caught.code === 'SESSION_ALREADY_OPEN') void c.load();
        throw caught;
      }
    });
  }

  const options: { value: SessionMode; hint: string }[] = [
    { value: 'FAMILY', hint: 'staff.mode.FAMILY.hint' },
    { value: 'INDIVIDUAL', hint: 'staff.mode.INDIVIDUAL.hint' },
  ];

  return (
    <form class="s-card s-open-form" onSubmit={submit} data-testid="open-session-form">
      <p class="muted">{t('staff.open.intro')}</p>
      <fieldset class="s-modes">
        <legend>{t('staff.open.mode')}</legend>
        {options.map((option) => (
          <label key={option.value} class={'s-mode' + (mode === option.value ? ' is-checked' : '')}>
            <input type="radio" name="mode" value={option.value} checked={mode === option.value} onChange={() => setMode(option.value)} data-testid={`mode-${option.value}`} />
            <span>
              <strong>{t('staff.mode.' + option.value)}</strong>
              <span class="muted s-mode-hint">{t(option.hint)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && <Banner tone="error">{error}</Banner>}
      <Button type="submit" size="lg" block busy={busy} data-testid="open-session">
        {t('staff.open.submit', { table: table.number })}
      </Button>
    </form>
  );
}

function OpenTable({ table, summary, ask }: { table: FloorTable; summary: TableSummary; ask: (request: ConfirmRequest) => void }) {
  const c = useConsole();
  const session = table.session!;
  const orders = sortOrders(c.bySession.value.get(session.sessionId) ?? []);
  // Orders waiting for a waiter come first, above the PIN, the table's facts and the bill: they are
  // what needs someone now, and their Confirm / Reject must be in view without scrolling.
  const pending = orders.filter((order) => order.status === 'pending');
  const others = orders.filter((order) => order.status !== 'pending');
  const isManager = roleAtLeast(c.role.value, 'MANAGER');
  const waiterBlocked = summary.unpaid > 0 && !isManager;
  // Dishes (by quantity) of confirmed orders still in the kitchen or waiting to be carried out.
  const unserved = others
    .filter((order) => order.status === 'confirmed' || order.status === 'preparing')
    .flatMap((order) => order.items)
    .filter((item) => item.itemStatus === 'NEW' || item.itemStatus === 'COOKING' || item.itemStatus === 'READY')
    .reduce((n, item) => n + item.quantity, 0);

  const closeTable = () =>
    ask({
      title: t('staff.close.title', { table: table.number }),
      body: (
        <>
          <p>{t('staff.close.body')}</p>
          {summary.unpaid > 0 && <Banner tone="warn">{t('staff.close.unpaidManager', { n: summary.unpaid, amount: money(summary.due) })}</Banner>}
          {unserved > 0 && <Banner tone="warn">{t('staff.close.notServed', { n: unserved })}</Banner>}
        </>
      ),
      confirmLabel: t('staff.close.confirm'),
      tone: 'danger',
      run: async () => {
        await c.closeSession(session.sessionId);
        c.flash('success', () => t('staff.close.done', { table: table.number }));
        c.selectedTableId.value = undefined;
      },
      explain: (error) => {
        if (isApiError(error) && error.status === 403) {
          const n = (error.details as { unpaidOrders?: number } | undefined)?.unpaidOrders ?? summary.unpaid;
          return t('staff.close.forbidden', { n });
        }
        return undefined;
      },
    });

  return (
    <>
      {pending.length > 0 && (
        <section class="s-orders s-pending" aria-labelledby="pending-title" data-testid="pending-orders">
          <h3 id="pending-title">{t('staff.orders.pendingTitle', { n: pending.length })}</h3>
          {pending.map((order) => (
            <OrderCard key={order.orderId} order={order} ask={ask} />
          ))}
        </section>
      )}
      {session.billRequest && summary.unpaid > 0 && (
        <Banner tone="warn">
          <span data-testid="panel-bill-requested">
            {billRequestText(session.billRequest)}
            {session.billRequest.customerName ? ` · ${session.billRequest.customerName}` : ''}
          </span>
        </Banner>
      )}
      <PinCard table={table} ask={ask} />
      <section class="s-card s-session-info" aria-labelledby="session-title">
        <h3 id="session-title">{t('staff.session.title')}</h3>
        <dl class="s-facts">
          <div>
            <dt>{t('staff.open.mode')}</dt>
            <dd data-testid="session-mode">{t('staff.mode.' + session.mode)}</dd>
          </div>
          <div>
            <dt>{t('staff.session.opened')}</dt>
            <dd>{time(session.openedAt)}</dd>
          </div>
          <div>
            <dt>{t('staff.session.phones')}</dt>
            <dd>
              {session.devices.length === 0
                ? t('staff.session.noPhones')
                : session.devices.map((device) => guestLabel(device.customerName, device.deviceId)).join(', ')}
            </dd>
          </div>
        </dl>
      </section>
      <BillCard sessionId={session.sessionId} tableNumber={table.number} ask={ask} />
      <section class="s-orders" aria-labelledby="orders-title">
        <h3 id="orders-title">{t('staff.orders.title')}</h3>
        {others.length === 0 ? (
          <p class="muted">{pending.length > 0 ? t('staff.orders.noneConfirmed') : t('staff.orders.none')}</p>
        ) : (
          others.map((order) => <OrderCard key={order.orderId} order={order} ask={ask} />)
        )}
      </section>
      <div class="s-close-row">
        {/* A waiter is told before trying: a table with unpaid orders needs a manager to close it. */}
        <Button
          variant="danger"
          onClick={closeTable}
          disabled={waiterBlocked}
          aria-describedby={waiterBlocked ? 'close-needs-manager' : undefined}
          data-testid="close-session"
        >
          {t('staff.close.button', { table: table.number })}
        </Button>
        {waiterBlocked && (
          <p class="field-hint" id="close-needs-manager" data-testid="close-needs-manager">
            {t('staff.close.needsManager', { n: summary.unpaid, amount: money(summary.due) })}
          </p>
        )}
      </div>
    </>
  );
}

function BillCard({ sessionId, tableNumber, ask }: { sessionId: string; tableNumber: string; ask: (request: ConfirmRequest) => void }) {
  const c = useConsole();
  const [bill, setBill] = useState<StaffBill>();
  const [error, setError] = useState<string>();
  const [showUpi, setShowUpi] = useState(false);
  const [reloads, setReloads] = useState(0);
  // Reload the bill whenever any of this session's orders changes (push, action or reload), and on the
  // session's table.updated (an online payment, refund or flag changes no order).
  const signature =
    (c.bySession.value.get(sessionId) ?? []).map((order) => order.orderId + order.updatedAt).sort().join('|') + `#${c.sessionStamps.value.get(sessionId) ?? 0}.${reloads}`;

  useEffect(() => {
    let cancelled = false;
    c.fetchBill(sessionId)
      .then((next) => {
        if (cancelled) return;
        setBill(next);
        setError(undefined);
      })
      .catch((caught) => {
        if (!cancelled) setError(describeError(caught));
      });
    return () => {
      cancelled = true;
    };
  }, [sessionId, signature]);

  const payAll = (method: PaymentMethod, status: PaymentOutcome) =>
    ask({
      title: t(status === 'paid' ? 'staff.pay.billTitle' : 'staff.pay.billFailedTitle', { table: tableNumber }),
      body: <p>{t(status === 'paid' ? 'staff.pay.billBody' : 'staff.pay.billFailedBody', { amount: money(bill?.due ?? 0), method: t('staff.method.' + method) })}</p>,
      confirmLabel: status === 'paid' ? t('staff.pay.record') : t('staff.pay.recordFailed'),
      tone: status === 'paid' ? 'primary' : 'danger',
      run: async () => {
        const amount = await c.payBill(sessionId, method, status);
        c.flash(status === 'paid' ? 'success' : 'warn', () => t(status === 'paid' ? 'staff.pay.billRecorded' : 'staff.pay.billFailedRecorded', { amount: money(amount), table: tableNumber }));
      },
    });

  return (
    <section class="s-card s-bill" aria-labelledby="bill-title" data-testid="bill">
      <h3 id="bill-title">{t('staff.bill.title')}</h3>
      {error && <Banner tone="error">{error}</Banner>}
      {!bill ? (
        !error && <p class="muted">{t('common.loading')}</p>
      ) : (
        <>
          <dl class="s-totals s-bill-totals">
            <div>
              <dt>{t('staff.bill.subtotal')}</dt>
              <dd class="num">{money(bill.subtotal)}</dd>
            </div>
            <div>
              <dt>{t('staff.bill.tax')}</dt>
              <dd class="num">{money(bill.tax)}</dd>
            </div>
            <div class="s-total">
              <dt>{t('staff.bill.total')}</dt>
              <dd class="num" data-testid="bill-total">{money(bill.total)}</dd>
            </div>
            <div>
              <dt>{t('staff.bill.paid')}</dt>
              <dd class="num" data-testid="bill-paid">{money(bill.paid)}</dd>
            </div>
            {bill.refunded > 0 && (
              <>
                <div>
                  <dt>{t('staff.bill.refunded')}</dt>
                  <dd class="num" data-testid="bill-refunded">−{money(bill.refunded)}</dd>
                </div>
                <div>
                  <dt>{t('staff.bill.netPaid')}</dt>
                  <dd class="num" data-testid="bill-net-paid">{money(bill.netPaid)}</dd>
                </div>
              </>
            )}
            <div class={'s-due' + (bill.due > 0 ? ' is-owing' : '')}>
              <dt>{t('staff.bill.due')}</dt>
              <dd class="num" data-testid="bill-due">{money(bill.due)}</dd>
            </div>
          </dl>
          {bill.total > 0 && bill.due === 0 && (
            <p class="s-paid-note" data-testid="bill-settled">
              {t('staff.bill.settled')}
            </p>
          )}
          {bill.devices.length > 1 && (
            <details class="s-shares">
              <summary>{t('staff.bill.byPhone')}</summary>
              <ul>
                {bill.devices.map((share) => (
                  <li key={share.deviceId ?? share.label} class="spread">
                    <span>{share.deviceId ? guestLabel(share.name, share.deviceId) : share.label}</span>
                    <span class="num">{money(share.amount)}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
          <OnlinePayments payments={bill.onlinePayments} tableNumber={tableNumber} onChanged={() => setReloads((n) => n + 1)} />
          {bill.due > 0 && (
            <>
              <div class="s-pay" role="group" aria-label={t('staff.pay.billGroup', { amount: money(bill.due) })}>
                <span class="s-pay-label">{t('staff.pay.wholeBill', { amount: money(bill.due) })}</span>
                {METHODS.map((method) => (
                  <Button key={method} onClick={() => payAll(method, 'paid')} data-testid={`pay-bill-${method}`}>
                    {t('staff.method.' + method)}
                  </Button>
                ))}
              </div>
              <details class="s-failed">
                <summary>{t('staff.pay.failedToggle')}</summary>
                <div class="row s-failed-buttons">
                  {METHODS.map((method) => (
                    <Button key={method} variant="ghost" onClick={() => payAll(method, 'failed')} data-testid={`fail-bill-${method}`}>
                      {t('staff.pay.failedWith', { method: t('staff.method.' + method) })}
                    </Button>
                  ))}
                </div>
              </details>
              {bill.upi && (
                <div class="s-upi">
                  <Button variant="ghost" aria-expanded={showUpi} onClick={() => setShowUpi(!showUpi)}>
                    {showUpi ? t('staff.bill.hideUpi') : t('staff.bill.showUpi')}
                  </Button>
                  {showUpi && (
                    <figure class="s-upi-qr">
                      {/* SVG markup generated by our server with the qrcode package from the bill's own UPI link. */}
                      <div class="s-qr-svg" role="img" aria-label={t('staff.bill.upiAlt', { amount: money(bill.due) })} dangerouslySetInnerHTML={{ __html: bill.upi.qrSvg }} />
                      <figcaption class="muted">
                        {t('staff.bill.upiCaption', { reference: bill.reference })}
                      </figcaption>
                    </figure>
                  )}
                </div>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
