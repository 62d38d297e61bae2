/**
 * Managers' reports (MANAGER and above; roles in routes.ts): one business day's summary, item mix,
 * hour by hour, kitchen times per station, table turns and orders, as JSON or CSV (`?format=csv`), and closing the day
 * (reopening needs ADMIN). Bodies go out through reply(): a day close has a `status` field.
 */
import { staffRoutes } from '../../contract/staff.ts';
import { reply, type Reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { closeDay as close, findDayClose, reopenDay as reopen } from '../reports/day-close.ts';
import { dayOrdersCsv, hourlyCsv, itemMixCsv, kitchenTimesCsv, summaryCsv, tableTurnsCsv } from '../reports/exports.ts';
import { kitchenTimes } from '../reports/kitchen-times.ts';
import { reportDayFields as dayFields, type ReportViews } from '../reports/report-views.ts';
import { dayTotals, hourly, itemMix, reportDay, tableTurns, type ReportDay } from '../reports/reports.ts';

const csv = (name: string, dayOf: ReportDay, text: string): Reply => ({
  text,
  headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="plato-${name}-${dayOf.day}.csv"` },
});

export const getReport = staffRoute(staffRoutes.getReport, async ({ staff, params, query }) => {
  const d = await reportDay(query.date);
  const asCsv = query.format === 'csv';
  switch (params.report) {
    case 'summary': {
      const totals = await dayTotals(d);
      if (asCsv) return csv('summary', d, summaryCsv(d, totals));
      return reply({ ...dayFields(d), totals, close: await findDayClose(staff.restaurantId, d.day) } satisfies ReportViews['summary']);
    }
    case 'items': {
      const mix = await itemMix(d);
      return asCsv ? csv('items', d, itemMixCsv(d, mix)) : reply({ ...dayFields(d), ...mix } satisfies ReportViews['items']);
    }
    case 'hours': {
      const hours = await hourly(d);
      return asCsv ? csv('hours', d, hourlyCsv(d, hours)) : reply({ ...dayFields(d), hours } satisfies ReportViews['hours']);
    }
    case 'kitchen': {
      const times = await kitchenTimes(d);
      return asCsv ? csv('kitchen', d, kitchenTimesCsv(times)) : reply({ ...dayFields(d), ...times } satisfies ReportViews['kitchen']);
    }
    case 'tables': {
      const turns = await tableTurns(d);
      return asCsv ? csv('tables', d, tableTurnsCsv(turns)) : reply({ ...dayFields(d), ...turns } satisfies ReportViews['tables']);
    }
    case 'orders':
      // The day's orders are an export only: the JSON lists are the console's order views.
      return csv('orders', d, await dayOrdersCsv(d));
  }
});

export const closeDay = staffRoute(staffRoutes.closeDay, async ({ staff, body, ip, userAgent }) =>
  reply(await close(staff, body.date, { ip, userAgent }), { status: 201 }),
);

export const reopenDay = staffRoute(staffRoutes.reopenDay, async ({ staff, body, ip, userAgent }) => reply(await reopen(staff, body.date, body.reason, { ip, userAgent })),
);
