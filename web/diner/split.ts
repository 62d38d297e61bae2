/** Pure helpers for showing a bill split (kept apart from the view so they can be unit-tested). */
import type { BillSplit, SplitShare } from '../shared/types.ts';

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
  /** A phone whose guest gave no name: "Guest 2", numbered as the server numbers them. */
  guest: (n: number) => string;
}

/**
 * One row per share, labelled "Share n" (equal) or by the guest's name (by phone; "you" for this
 * phone, listed first; "Guest n" for the unnamed, in the server's order). The server's amounts are
 * shown untouched: they add up to the total.
 */
export function shareRows(split: BillSplit, myDeviceId: string | undefined, labels: ShareLabels): ShareRow[] {
  const perPhone = split.by !== 'equal';
  let unnamed = 0;
  const rows = split.shares.map((share, i): ShareRow => {
    const mine = perPhone && (share.isYou === true || (share.deviceId !== undefined && share.deviceId === myDeviceId));
    const guestLabel = share.name ? undefined : labels.guest(++unnamed);
    const label = !perPhone ? labels.share(i + 1) : mine ? labels.you : (share.name ?? guestLabel!);
    return { key: share.deviceId ?? String(i), label, amount: share.amount, mine, share };
  });
  return perPhone ? [...rows.filter((r) => r.mine), ...rows.filter((r) => !r.mine)] : rows;
}

/** Only a real UPI deep link is ever put in an href. */
export function safeUpiLink(link: string | undefined): string | undefined {
  return link && /^upi:\/\/pay\?/i.test(link) ? link : undefined;
}

export function svgDataUrl(svg: string): string {
  return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}
