/** Pure helpers for showing a bill split (kept apart from the view so they can be unit-tested). */
import type { BillSplit, Order, SplitShare, TablePhone } from '../shared/types.ts';

export interface ShareRow {
  key: string;
  label: string;
  amount: number;
  mine: boolean;
  share: SplitShare;
}

export interface ShareLabels {
  share: (n: number) => string;
  you: string;
  /** A phone whose guest gave no name: "Guest 7ESG", the one anonymous-guest rule (web/shared/guest-name.ts). */
  guest: (deviceId: string) => string;
}

/**
 * One row per share, labelled "Share n" (equal) or by the guest's name (by phone; "you" for this
 * phone, listed first; "Guest 7ESG" for the unnamed). The server's amounts are shown untouched: they
 * add up to the total. `known` labels phones as a picker already showed them.
 */
export function shareRows(split: BillSplit, myDeviceId: string | undefined, labels: ShareLabels, known?: ReadonlyMap<string, string>): ShareRow[] {
  const perPhone = split.by !== 'equal';
  const rows = split.shares.map((share, i): ShareRow => {
    const mine = perPhone && (share.isYou === true || (share.deviceId !== undefined && share.deviceId === myDeviceId));
    const guestLabel = share.name ? undefined : share.deviceId !== undefined ? labels.guest(share.deviceId) : share.label;
    const knownLabel = share.deviceId !== undefined ? known?.get(share.deviceId) : undefined;
    const label = !perPhone ? labels.share(i + 1) : mine ? labels.you : (knownLabel ?? share.name ?? guestLabel!);
    return { key: share.deviceId ?? String(i), label, amount: share.amount, mine, share };
  });
  return perPhone ? [...rows.filter((r) => r.mine), ...rows.filter((r) => !r.mine)] : rows;
}

export interface Phone {
  deviceId: string;
  label: string;
  mine: boolean;
}

/** The ids of the phones on a bill: who placed its unpaid orders and who added their dishes. */
export function billDeviceIds(orders: readonly Order[]): string[] {
  const ids = new Set<string>();
  for (const order of orders) {
    if (order.paymentStatus === 'paid' || order.status === 'cancelled') continue;
    ids.add(order.deviceId);
    for (const item of order.items) ids.add(item.addedByDeviceId);
  }
  return [...ids];
}

/**
 * The table's phones to share a dish between: those of the by-phone split, named as it names them
 * (the server knows the names guests gave), then every other phone at the table, including those
 * that ordered nothing (their name, else "Guest 7ESG"); this phone first, as "You".
 */
export function tablePhones(deviceSplit: BillSplit, others: readonly TablePhone[], myDeviceId: string | undefined, labels: ShareLabels): Phone[] {
  const phones: Phone[] = shareRows(deviceSplit, myDeviceId, labels)
    .filter((row) => row.share.deviceId !== undefined)
    .map((row) => ({ deviceId: row.share.deviceId!, label: row.label, mine: row.mine }));
  for (const { deviceId, name } of others) {
    if (phones.some((phone) => phone.deviceId === deviceId)) continue;
    const mine = deviceId === myDeviceId;
    phones.push({ deviceId, label: mine ? labels.you : (name ?? labels.guest(deviceId)), mine });
  }
  return [...phones.filter((phone) => phone.mine), ...phones.filter((phone) => !phone.mine)];
}

export interface Dish {
  /** `<orderId>:<itemIndex>`, as the server names a dish. */
  ref: string;
  menuItemId: string;
  /** In the default language, as the order keeps it. */
  name: string;
  quantity: number;
  amount: number;
}

/** The dishes still to pay for (cancelled ones are not charged), in bill order. */
export function dueDishes(orders: readonly Order[]): Dish[] {
  return orders
    .filter((order) => order.paymentStatus !== 'paid' && order.status !== 'cancelled')
    .flatMap((order) =>
      order.items
        .filter((item) => item.itemStatus !== 'CANCELLED')
        .map((item) => ({ ref: `${order.orderId}:${item.index}`, menuItemId: item.menuItemId, name: item.menuItemName, quantity: item.quantity, amount: item.total })),
    );
}

/**
 * The query of GET /api/bill/split for dishes shared between phones:
 * `by=item&shares=<orderId>:<itemIndex>:<deviceA>,<deviceB>;…`. A dish nobody is ticked for is left
 * out (it stays with the phone that added it); undefined when no dish is shared.
 */
export function itemSplitQuery(shared: ReadonlyMap<string, readonly string[]>): string | undefined {
  const entries = [...shared].filter(([, deviceIds]) => deviceIds.length > 0).map(([ref, deviceIds]) => `${ref}:${deviceIds.join(',')}`);
  return entries.length ? new URLSearchParams({ by: 'item', shares: entries.join(';') }).toString() : undefined;
}

/** Only a real UPI deep link is ever put in an href. */
export function safeUpiLink(link: string | undefined): string | undefined {
  return link && /^upi:\/\/pay\?/i.test(link) ? link : undefined;
}

export function svgDataUrl(svg: string): string {
  return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}
