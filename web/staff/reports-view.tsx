/**
 * The Reports section (MANAGER and ADMIN): one business day's summary, money by the hour (a line), the
 * best-selling dishes and the kitchen's times per station as small charts (each with its table), the
 * slowest dishes, table turns, CSV downloads of every report and of the day's orders, and "Close the day"
 * (an admin reopens a closed day, with the reason the audit log keeps).
 */
import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '../shared/api.ts';
import { Banner, Button, Spinner } from '../shared/components.tsx';
import { money } from '../shared/format.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';
import { t } from '../shared/i18n.ts';
import { useConsole } from './console.ts';
import { BarChart, LineChart } from './charts.tsx';
import { ConfirmDialog, type ConfirmRequest } from './dialogs.tsx';
import { KitchenTimesView, type KitchenTimes } from './kitchen-times-view.tsx';
import { dishNameIn } from './names.ts';
import { describeError } from './store.ts';

interface Totals {
  orders: number;
  gross: number;
  tax: number;
  net: number;
  tables: number;
  guests: number;
  unpaid: number;
  unpaidOrders: number;
  cancelled: number;
  averageOrderValue: number;
  byMethod: { method: string; amount: number; refunded?: number }[];
  refunds?: number;
  refunded?: number;
  netAfterRefunds?: number;
}

interface Loaded {
  day: string;
  totals: Totals;
  close: { status: string; closedBy: string } | null;
  hours: { hour: number; orders: number; revenue: number }[];
  dishes: { menuItemId: string; name: string; quantity: number; revenue: number }[];
  kitchen: KitchenTimes;
  turns: { closed: number; p50Minutes: number | null; p90Minutes: number | null };
}

const CSV_REPORTS = ['summary', 'items', 'hours', 'kitchen', 'tables', 'orders'] as const;

export function ReportsView() {
  const c = useConsole();
  const [day, setDay] = useState<string | undefined>();
  const [data, setData] = useState<Loaded | undefined>();
  const [failed, setFailed] = useState<string | undefined>();
  const [confirm, setConfirm] = useState<ConfirmRequest | undefined>();

  async function load(date?: string) {
    try {
      const query = date ? `?date=${date}` : '';
      const [summary, hours, items, kitchen, turns] = await Promise.all([
        c.api.get<{ day: string; totals: Totals; close: Loaded['close'] }>(`/staff/reports/summary${query}`),
        c.api.get<{ hours: Loaded['hours'] }>(`/staff/reports/hours${query}`),
        c.api.get<{ dishes: Loaded['dishes'] }>(`/staff/reports/items${query}`),
        c.api.get<KitchenTimes>(`/staff/reports/kitchen${query}`),
        c.api.get<Loaded['turns']>(`/staff/reports/tables${query}`),
      ]);
      setData({ day: summary.day, totals: summary.totals, close: summary.close, hours: hours.hours, dishes: items.dishes, kitchen, turns });
      setDay(summary.day);
      setFailed(undefined);
    } catch (error) {
      setFailed(describeError(error));
    }
  }

  useEffect(() => {
    void load();
    // For the dishes' names in the console's language (the reports carry the default language's).
    if (!c.menu.value) void c.loadMenu();
  }, []);

  /** Asked first: the day's figures are recorded as they stand, and only an admin can reopen it. */
  function closeDay() {
    if (!data) return;
    const { totals } = data;
    const openTables = c.tables.value.filter((table) => table.session).length;
    setConfirm({
      title: t('staff.reports.closeDayTitle', { day: data.day }),
      body: (
        <>
          <p>{t('staff.reports.closeDayBody', { orders: totals.orders, gross: money(totals.gross) })}</p>
          {(totals.unpaidOrders > 0 || openTables > 0) && (
            <p data-testid="close-day-warning">
              <strong>{t('staff.reports.closeDayStillOpen', { unpaid: totals.unpaidOrders, amount: money(totals.unpaid), tables: openTables })}</strong>
            </p>
          )}
        </>
      ),
      confirmLabel: t('staff.reports.closeDay'),
      run: async () => {
        await c.api.post(`/staff/reports/day-close`, { date: data.day });
        c.flash('success', () => t('staff.reports.closed', { day: data.day }));
        await load(data.day);
      },
    });
  }

  /** ADMIN only (the API refuses anyone else): a reason is required, and a refusal stays in the dialog. */
  function reopenDay() {
    if (!data) return;
    const { day } = data;
    setConfirm({
      title: t('staff.reports.reopenDayTitle', { day }),
      body: <p>{t('staff.reports.reopenDayBody')}</p>,
      confirmLabel: t('staff.reports.reopenDay'),
      reason: { label: t('staff.reports.reopenReason'), required: true, maxLength: 200 },
      run: async (reason) => {
        try {
          await c.api.post(`/staff/reports/day-close/reopen`, { date: day, reason });
        } catch (error) {
          // Reopened (or never closed) elsewhere: the page catches up behind the dialog.
          if (isApiError(error) && error.code === 'STATUS_CONFLICT') void load(day);
          throw error;
        }
        c.flash('success', () => t('staff.reports.reopened', { day }));
        await load(day);
      },
      explain: (error) => (isApiError(error) && error.code === 'STATUS_CONFLICT' ? t('staff.reports.reopenNotClosed', { day }) : undefined),
    });
  }

  if (!data) {
    return <div class="s-center">{failed ? <Banner tone="error" action={<Button onClick={() => void load(day)}>{t('common.retry')}</Button>}>{failed}</Banner> : <Spinner label={t('common.loading')} />}</div>;
  }
  const { totals } = data;
  const figures: [string, string][] = [
    ['staff.reports.orders', String(totals.orders)],
    ['staff.reports.gross', money(totals.gross)],
    ['staff.reports.tax', money(totals.tax)],
    ['staff.reports.net', money(totals.net)],
    ['staff.reports.average', money(totals.averageOrderValue)],
    ['staff.reports.tables', String(totals.tables)],
    ['staff.reports.guests', String(totals.guests)],
    ['staff.reports.unpaid', `${money(totals.unpaid)} (${totals.unpaidOrders})`],
    ['staff.reports.cancelled', String(totals.cancelled)],
    ['staff.reports.turns', data.turns.closed ? t('staff.reports.turnsValue', { p50: data.turns.p50Minutes ?? 0, p90: data.turns.p90Minutes ?? 0 }) : '—'],
    ['staff.reports.refunds', `${money(totals.refunded ?? 0)} (${totals.refunds ?? 0})`],
    ['staff.reports.afterRefunds', money(totals.netAfterRefunds ?? totals.gross)],
    ...totals.byMethod.map((row): [string, string] => [
      `staff.reports.paid.${row.method}`,
      row.refunded ? t('staff.reports.paidLessRefunds', { amount: money(row.amount), refunded: money(row.refunded) }) : money(row.amount),
    ]),
  ];
  return (
    <section class="s-page s-reports" aria-labelledby="reports-title">
      <div class="s-reports-head">
        <h2 id="reports-title">{t('staff.reports.title')}</h2>
        <label>
          {t('staff.reports.day')}{' '}
          <input type="date" value={day} data-testid="report-day" onChange={(event) => void load((event.target as HTMLInputElement).value)} />
        </label>
        {data.close?.status === 'closed' ? (
          <>
            <span class="s-badge" data-testid="day-closed">{t('staff.reports.isClosed', { name: data.close.closedBy })}</span>
            {roleAtLeast(c.role.value, 'ADMIN') && (
              <Button variant="secondary" onClick={reopenDay} data-testid="reopen-day">
                {t('staff.reports.reopenDay')}
              </Button>
            )}
          </>
        ) : (
          <Button onClick={closeDay} data-testid="close-day">{t('staff.reports.closeDay')}</Button>
        )}
      </div>
      <dl class="s-figures" data-testid="report-figures">
        {figures.map(([key, value]) => (
          <div key={key} class="s-card">
            <dt>{key.startsWith('staff.reports.paid.') ? t('staff.reports.paidBy', { method: t(`staff.method.${key.slice(19)}`) }) : t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <LineChart
        testId="chart-hours"
        title={t('staff.reports.byHour')}
        points={data.hours.map((row) => ({ label: `${String(row.hour).padStart(2, '0')}:00`, value: row.revenue, shown: `${money(row.revenue)} · ${row.orders}` }))}
      />
      <BarChart
        testId="chart-dishes"
        title={t('staff.reports.topDishes')}
        bars={data.dishes.slice(0, 10).map((row) => ({ label: dishNameIn(c.menu.value, row.menuItemId, row.name), value: row.revenue, shown: `${money(row.revenue)} · ${row.quantity}` }))}
      />
      <KitchenTimesView times={data.kitchen} />
      <p class="s-downloads">
        {t('staff.reports.download')}{' '}
        {CSV_REPORTS.map((name) => (
          <a key={name} href={`/api/staff/reports/${name}?date=${data.day}&format=csv`} download data-testid={`csv-${name}`}>
            {t(`staff.reports.csv.${name}`)}
          </a>
        ))}
      </p>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(undefined)} />
    </section>
  );
}
