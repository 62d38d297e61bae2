/**
 * Two parts of the kitchen board kept apart from app.tsx: the question Bump asks when dishes are
 * still to cook, and the average ticket time per station over the last hour.
 */
import { unfinishedQuantity } from '../../functions/core/kitchen-timings.ts';
import { Button, Sheet } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import type { KitchenController } from './store.ts';
import { dishLabel, stationLabel } from './names.ts';
import type { KitchenTicket } from './types.ts';
import { formatAge } from './urgency.ts';

const statusLabel = (status: string) => t('kitchen.status.' + status);

/** Average ticket time per station over the last hour: how the kitchen is keeping up. */
export function TicketTimes({ kitchen }: { kitchen: KitchenController }) {
  const times = kitchen.ticketTimes.value;
  return (
    <div class="k-times" data-testid="ticket-times">
      <h2 id="k-times-title">{t('kitchen.ticketTimesTitle')}</h2>
      {times.length === 0 ? (
        <p class="muted">{t('kitchen.ticketTimesEmpty')}</p>
      ) : (
        <ul class="k-allday" aria-labelledby="k-times-title">
          {times.map((entry) => (
            <li data-testid={`ticket-time-${entry.station}`}>
              <span class="k-allday-qty num">{formatAge(entry.averageSeconds * 1000)}</span>
              <span class="k-allday-name">
                {stationLabel(entry.station)}
                <small>{t('kitchen.ticketTimesCount', { n: entry.tickets })}</small>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Bump asks first when dishes are still to cook: a bump must never silently lose a dish. */
export function BumpConfirm({ kitchen, ticket, onClose }: { kitchen: KitchenController; ticket: KitchenTicket | undefined; onClose: () => void }) {
  const n = ticket ? unfinishedQuantity(ticket.items) : 0;
  return (
    <Sheet
      open={Boolean(ticket)}
      title={ticket ? t('kitchen.bumpConfirmTitle', { number: ticket.orderNumber, table: ticket.table.number }) : ''}
      onClose={onClose}
      footer={
        ticket && (
          <div class="k-confirm-actions">
            <Button variant="secondary" size="lg" onClick={onClose} data-testid="bump-keep">
              {t('kitchen.bumpKeep')}
            </Button>
            <Button
              variant="danger"
              size="lg"
              data-testid="bump-anyway"
              onClick={() => {
                onClose();
                void kitchen.bump(ticket);
              }}
            >
              {t('kitchen.bumpAnyway')}
            </Button>
          </div>
        )
      }
    >
      {ticket && (
        <div class="k-confirm" data-testid="bump-confirm">
          <p class="k-confirm-count">{t('kitchen.bumpConfirmBody', { n })}</p>
          <ul>
            {ticket.items
              .filter((item) => item.itemStatus === 'NEW' || item.itemStatus === 'COOKING')
              .map((item) => (
                <li>
                  {item.quantity}× {dishLabel(item)} — {statusLabel(item.itemStatus)}
                </li>
              ))}
          </ul>
          <p class="muted">{t('kitchen.bumpConfirmHint')}</p>
        </div>
      )}
    </Sheet>
  );
}
