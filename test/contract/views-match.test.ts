/**
 * The services' answers fit the contract's answer types (checked by `npm run typecheck`, which covers
 * test/): a service view that drifts from what the contract (and with it the apps and docs/openapi.json)
 * promises fails to compile here. `Json<T>` is T as JSON carries it (Dates become strings).
 */
import { describe, expect, it } from 'vitest';
import type * as C from '../../functions/contract/index.ts';
import type { CartView } from '../../functions/cart/cart-views.ts';
import type { GuestBillView, SplitView, BillRequestAnswer, StaffBillView } from '../../functions/bill/bill.ts';
import type { MenuView, MenuItemChange } from '../../functions/core/menu.ts';
import type { GuestOrderView, StaffOrderView } from '../../functions/orders/order-views.ts';
import type { GuestSessionView, JoinedSession, FloorTable } from '../../functions/sessions/table-sessions.ts';
import type { CustomerView } from '../../functions/sessions/customers.ts';
import type { StaffSession } from '../../functions/floor/staff-auth.ts';
import type { StaffUserView } from '../../functions/admin/staff-users.ts';
import type { DayCloseView } from '../../functions/admin/reports/day-close.ts';
import type { ReportViews } from '../../functions/admin/reports/report-views.ts';
import type { exportPhone } from '../../functions/admin/data-rights.ts';
import type { GuestIntentView, StaffIntentView } from '../../functions/bill/payment-views.ts';
import type { Json } from '../../web/shared/types.ts';

const fits = <Contract>() => <Service extends Contract>(): true => true;
/** The contract's ReportView member with `field` (the reports share no tag). */
type Report<Field extends string> = Extract<C.ReportView, Record<Field, unknown>>;

describe('service views fit the contract', () => {
  it('compiles', () => {
    expect([
      fits<C.CartView>()<CartView>(),
      fits<C.GuestBillView>()<GuestBillView>(),
      fits<C.SplitView>()<SplitView>(),
      fits<C.BillRequestAnswer>()<BillRequestAnswer>(),
      fits<Omit<C.StaffBillView, 'onlinePayments'>>()<StaffBillView>(),
      fits<C.MenuView>()<MenuView>(),
      fits<C.MenuItemChange>()<MenuItemChange>(),
      fits<C.DayCloseView>()<DayCloseView>(),
      fits<Report<'totals'>>()<ReportViews['summary']>(),
      fits<Report<'dishes'>>()<ReportViews['items']>(),
      fits<Report<'hours'>>()<ReportViews['hours']>(),
      fits<Report<'stations'>>()<ReportViews['kitchen']>(),
      fits<Report<'turns'>>()<ReportViews['tables']>(),
      fits<C.DataExport>()<Json<Awaited<ReturnType<typeof exportPhone>>>>(),
      fits<C.GuestOrderView>()<GuestOrderView>(),
      fits<C.StaffOrderView>()<StaffOrderView>(),
      fits<C.GuestSessionView>()<Json<GuestSessionView>>(),
      fits<C.JoinedSession>()<Json<JoinedSession>>(),
      fits<C.FloorTable>()<Json<FloorTable>>(),
      fits<C.CustomerView>()<Json<CustomerView>>(),
      fits<C.StaffSession>()<Json<StaffSession>>(),
      fits<C.StaffUserView>()<Json<StaffUserView>>(),
      fits<C.GuestIntentView>()<GuestIntentView>(),
      fits<C.StaffIntentView>()<StaffIntentView>(),
    ]).not.toContain(false);
  });
});
