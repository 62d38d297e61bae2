/**
 * The floor: every table grouped by floor with its state (free / open / ordering / in kitchen /
 * awaiting payment), and the selected table's panel beside it (laptop) or instead of it (tablet).
 */
import { useEffect, useRef } from 'preact/hooks';
import { Banner, Button, Spinner } from '../shared/components.tsx';
import { money, time } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import { useConsole } from './console.ts';
import { nameIn } from './names.ts';
import { billRequestText } from './floor-parts.tsx';
import { TABLE_STATES, groupByFloor, summarize, type TableState, type TableSummary } from './floor.ts';
import { TablePanel } from './table-panel.tsx';
import { LockoutNotice } from './lockout.tsx';
import type { FloorTable } from './types.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';

export function FloorView() {
  const c = useConsole();
  const selected = c.selectedTable.value;

  if (!c.loaded.value) {
    return (
      <div class="s-center">
        {c.loadFailed.value ? <Banner tone="error">{t('staff.loadFailed')}</Banner> : <Spinner label={t('common.loading')} />}
      </div>
    );
  }

  const summaries = new Map<string, TableSummary>();
  for (const table of c.tables.value) {
    summaries.set(table.tableId, summarize(table, table.session ? (c.bySession.value.get(table.session.sessionId) ?? []) : []));
  }
  const counts = Object.fromEntries(TABLE_STATES.map((state) => [state, 0])) as Record<TableState, number>;
  for (const summary of summaries.values()) counts[summary.state] += 1;

  return (
    <div class={'s-floor-layout' + (selected ? ' has-selection' : '')}>
      <section class="s-floor" aria-labelledby="floor-title">
        <div class="spread s-floor-head">
          <h1 id="floor-title">{t('staff.floor.title')}</h1>
          <ul class="s-legend" aria-label={t('staff.floor.legend')}>
            {TABLE_STATES.map((state) => (
              <li key={state} class={'s-legend-item state-' + state} data-testid={`count-${state}`}>
                <span class="s-state-dot" aria-hidden="true" />
                {t('staff.state.' + state)}: <strong class="num">{counts[state]}</strong>
              </li>
            ))}
          </ul>
        </div>
        {c.loadFailed.value && <Banner tone="error">{t('staff.loadFailed')}</Banner>}
        {c.tables.value.length === 0 && <EmptyFloor />}
        {groupByFloor(c.tables.value).map(({ floor, tables }) => (
          <section key={floor} class="s-floor-group" aria-label={nameIn('floor', floor)}>
            <h2>{nameIn('floor', floor)}</h2>
            <ul class="s-table-grid">
              {tables.map((table) => (
                <li key={table.tableId}>
                  <TableCard table={table} summary={summaries.get(table.tableId)!} selected={selected?.tableId === table.tableId} />
                  <LockoutNotice table={table} openPanel />
                </li>
              ))}
            </ul>
          </section>
        ))}
      </section>
      {selected && <TablePanel key={selected.tableId} table={selected} summary={summaries.get(selected.tableId)!} />}
    </div>
  );
}

function TableCard({ table, summary, selected }: { table: FloorTable; summary: TableSummary; selected: boolean }) {
  const c = useConsole();
  const session = table.session;
  const ref = useRef<HTMLButtonElement>(null);
  // Coming back from the panel on a tablet puts focus back on the table it was about.
  const wasSelected = useRef(selected);
  useEffect(() => {
    if (wasSelected.current && !selected && c.selectedTableId.value === undefined) ref.current?.focus({ preventScroll: false });
    wasSelected.current = selected;
  }, [selected]);

  return (
    <button
      ref={ref}
      type="button"
      class={'s-table-card state-' + summary.state + (selected ? ' is-selected' : '')}
      data-testid={`table-${table.number}`}
      data-state={summary.state}
      data-session-id={session?.sessionId}
      aria-current={selected ? 'true' : undefined}
      onClick={() => (c.selectedTableId.value = table.tableId)}
    >
      <span class="s-table-top">
        <span class="s-table-number">
          <span class="visually-hidden">{t('staff.table')} </span>
          {table.number}
        </span>
        <span class="s-state-badge">
          <span class="visually-hidden">, </span>
          {t('staff.state.' + summary.state)}
        </span>
      </span>
      {session ? (
        <span class="s-table-meta">
          <span>
            {t('staff.mode.' + session.mode)} · {t('staff.devices', { n: session.devices.length })}
          </span>
          <span class="muted">{t('staff.openedAt', { time: time(session.openedAt) })}</span>
          {summary.pending > 0 && <span class="s-table-alert">{t('staff.pendingCount', { n: summary.pending })}</span>}
          {summary.notServed > summary.inKitchen && <span class="s-table-ready">{t('staff.readyCount', { n: summary.notServed - summary.inKitchen })}</span>}
          {session.billRequest && summary.unpaid > 0 && (
            <span class="s-table-alert" data-testid="bill-requested">
              {billRequestText(session.billRequest)}
            </span>
          )}
          {summary.unpaid > 0 && <span class="s-table-due">{t('staff.dueAmount', { amount: money(summary.due) })}</span>}
        </span>
      ) : (
        <span class="s-table-meta muted">{t('staff.tapToOpen')}</span>
      )}
    </button>
  );
}

/** No tables yet: a manager is pointed to where tables are added (the QR codes page). */
function EmptyFloor() {
  const c = useConsole();
  if (!roleAtLeast(c.role.value, 'MANAGER')) return <p class="muted">{t('staff.floor.empty')}</p>;
  return (
    <div class="s-floor-empty" data-testid="floor-empty">
      <p class="muted">
        {t('staff.floor.empty')} {t('staff.tables.emptyManager')}
      </p>
      <Button onClick={() => (c.view.value = 'qr')} data-testid="go-add-tables">
        {t('staff.tables.goToTables')}
      </Button>
    </div>
  );
}
