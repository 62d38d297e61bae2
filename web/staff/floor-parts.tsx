/** What a table card on the floor and the table's panel both show. */
import { Button } from '../shared/components.tsx';
import { time } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import type { TableState } from './floor.ts';
import type { FloorSession } from './types.ts';

/** "Bill asked for at 20:41 · UPI": when, and how the guest means to pay if they said. */
export function billRequestText(request: NonNullable<FloorSession['billRequest']>): string {
  return request.method
    ? t('staff.billRequestedVia', { time: time(request.at), method: t('staff.method.' + request.method) })
    : t('staff.billRequested', { time: time(request.at) });
}

export function StateBadge({ state }: { state: TableState }) {
  return <span class={'badge s-state-pill state-' + state}>{t('staff.state.' + state)}</span>;
}

export function BackButton({ onClick, label }: { onClick: () => void; label: string }) {
  return (
    <Button variant="ghost" class="s-back" onClick={onClick}>
      <span aria-hidden="true">←</span> {label}
    </Button>
  );
}
