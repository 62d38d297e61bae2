/**
 * Kitchen display views, for a 1280×800 landscape tablet used with wet or gloved hands: big touch
 * targets, notes/modifiers/spice impossible to miss, urgency shown by colour AND by word.
 * Stable test hooks: every ticket is an <article data-testid="ticket-<orderId>">, every item a
 * <button data-testid="item-<orderId>-<index>" data-status=…>, bump/recall buttons likewise.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { unfinishedQuantity } from '../../functions/core/kitchen-timings.ts';
import { Banner, Button } from '../shared/components.tsx';
import { time } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import { BumpConfirm, TicketTimes } from './board-extras.tsx';
import type { KitchenController } from './store.ts';
import { dishLabel, floorLabel, modifierLabel, stationLabel } from './names.ts';
import { audioReady, unlockAudio } from './sound.ts';
import type { KitchenItem, KitchenTicket } from './types.ts';
import { formatAge, nextStatus, previousStatus, urgencyOf } from './urgency.ts';

const LONG_PRESS_MS = 600;

const statusLabel = (status: string) => t('kitchen.status.' + status);

/** The restaurant's wall clock (its time zone, the server's time), whatever the tablet is set to. */
function Clock({ kitchen }: { kitchen: KitchenController }) {
  return (
    <span class="k-clock num" aria-hidden="true">
      {time(kitchen.serverNow.value)}
    </span>
  );
}

function StationFilter({ kitchen }: { kitchen: KitchenController }) {
  const current = kitchen.station.value;
  const options = [undefined, ...kitchen.stations.value];
  if (current && !kitchen.stations.value.includes(current)) options.push(current);
  return (
    <div class="k-stations" role="group" aria-label={t('kitchen.stationFilter')}>
      {options.map((option) => (
        <button
          type="button"
          class={'k-chip' + (option === current ? ' is-on' : '')}
          aria-pressed={option === current ? 'true' : 'false'}
          data-testid={'station-' + (option ?? 'ALL')}
          onClick={() => kitchen.setStation(option)}
        >
          {option ? stationLabel(option) : t('kitchen.allStations')}
        </button>
      ))}
    </div>
  );
}

function ConnectionBanner({ kitchen }: { kitchen: KitchenController }) {
  if (!kitchen.stale.value || kitchen.connecting.value) return null;
  return (
    <div class="k-disconnected" role="alert" data-testid="disconnected-banner">
      <strong>{t('kitchen.disconnected')}</strong>
      <span>{t('kitchen.disconnectedDetail')}</span>
      <Button variant="secondary" onClick={() => kitchen.reconnectNow()}>
        {t('kitchen.reconnectNow')}
      </Button>
    </div>
  );
}

function ItemButton({ kitchen, ticket, item }: { kitchen: KitchenController; ticket: KitchenTicket; item: KitchenItem }) {
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const longPressed = useRef(false);
  const next = nextStatus(item.itemStatus);
  const back = previousStatus(item.itemStatus);
  const busy = kitchen.busy.value.has(`${ticket.orderId}:${item.index}`);
  const cancelled = item.itemStatus === 'CANCELLED';
  // The button's name is its visible text ("2× Butter Naan Cooking", WCAG 2.5.3: voice control users
  // say what they see); what a tap does is its description.
  const hint = next ? t('kitchen.tapTo', { status: statusLabel(next) }) : back ? t('kitchen.tapBack') : '';
  const hintId = useId();

  const clear = () => {
    clearTimeout(timer.current);
    timer.current = undefined;
  };

  return (
    <li class={'k-item is-' + item.itemStatus.toLowerCase()}>
      <button
        type="button"
        class="k-item-btn"
        data-testid={`item-${ticket.orderId}-${item.index}`}
        data-status={item.itemStatus}
        aria-describedby={hint ? hintId : undefined}
        aria-busy={busy ? 'true' : undefined}
        disabled={cancelled || busy}
        onPointerDown={() => {
          longPressed.current = false;
          clear();
          timer.current = setTimeout(() => {
            longPressed.current = true;
            timer.current = undefined;
            void kitchen.stepBack(ticket, item);
          }, LONG_PRESS_MS);
        }}
        onPointerUp={clear}
        onPointerLeave={clear}
        onPointerCancel={clear}
        onContextMenu={(event) => event.preventDefault()}
        onClick={() => {
          if (longPressed.current) {
            longPressed.current = false;
            return;
          }
          void kitchen.advance(ticket, item);
        }}
      >
        <span class="k-qty num">{item.quantity}×</span>{' '}
        <span class="k-name">{dishLabel(item)}</span>{' '}
        <span class={'k-status k-status-' + item.itemStatus.toLowerCase()}>{statusLabel(item.itemStatus)}</span>
      </button>
      {/* Hidden, yet still the button's description (aria-describedby reads hidden elements). */}
      {hint && (
        <span id={hintId} hidden>
          {hint}
        </span>
      )}
      {(item.modifiers.length > 0 || item.spiceLevel || item.notes) && (
        <div class="k-details">
          {item.modifiers.length > 0 && (
            <ul class="k-mods">
              {item.modifiers.map((modifier, i) => (
                <li>+ {modifierLabel(modifier, item.modifierTranslations?.[i])}</li>
              ))}
            </ul>
          )}
          {item.spiceLevel && item.spiceLevel !== 'regular' && (
            <div class={'k-spice k-spice-' + item.spiceLevel}>
              <span class="k-spice-tag">{t('kitchen.spice')}</span> {t('kitchen.spice.' + item.spiceLevel)}
            </div>
          )}
          {item.notes && (
            <div class="k-notes">
              <strong>{t('kitchen.notes')}:</strong> {item.notes}
            </div>
          )}
        </div>
      )}
    </li>
  );
}

function TicketCard({ kitchen, ticket, askBump }: { kitchen: KitchenController; ticket: KitchenTicket; askBump: (ticket: KitchenTicket) => void }) {
  const ageMs = kitchen.serverNow.value - Date.parse(ticket.orderDate);
  const level = urgencyOf(ageMs, kitchen.urgency.value);
  const age = formatAge(ageMs);
  const bumping = kitchen.busy.value.has(`bump:${ticket.orderId}`);
  return (
    <article
      class={'k-ticket is-' + level}
      data-testid={`ticket-${ticket.orderId}`}
      data-order-number={ticket.orderNumber}
      data-urgency={level}
      aria-label={t('kitchen.ticketLabel', { number: ticket.orderNumber, table: ticket.table.number, age })}
    >
      <header class="k-ticket-head">
        <div>
          <div class="k-table">{t('kitchen.table', { table: ticket.table.number })}</div>
          <div class="k-meta">
            #{ticket.orderNumber} · {floorLabel(ticket.table.floor)}
          </div>
        </div>
        <div class="k-age">
          <span class="num" data-testid={`age-${ticket.orderId}`}>
            {age}
          </span>
          {level !== 'normal' && <span class="k-urgency-word">{t(level === 'critical' ? 'kitchen.critical' : 'kitchen.urgent')}</span>}
        </div>
      </header>
      <ul class="k-items">
        {ticket.items.map((item) => (
          <ItemButton kitchen={kitchen} ticket={ticket} item={item} key={item.index} />
        ))}
      </ul>
      <footer class="k-ticket-foot">
        <Button
          size="lg"
          block
          busy={bumping}
          data-testid={`bump-${ticket.orderId}`}
          aria-label={t('kitchen.bumpOrder', { number: ticket.orderNumber, table: ticket.table.number })}
          onClick={() => (unfinishedQuantity(ticket.items) > 0 ? askBump(ticket) : void kitchen.bump(ticket))}
        >
          {t('kitchen.bump')}
        </Button>
      </footer>
    </article>
  );
}

function AllDayPanel({ kitchen }: { kitchen: KitchenController }) {
  const entries = kitchen.allDay.value;
  return (
    <section class="k-panel" aria-labelledby="k-allday-title" data-testid="all-day">
      <TicketTimes kitchen={kitchen} />
      <h2 id="k-allday-title">{t('kitchen.allDayTitle')}</h2>
      {entries.length === 0 ? (
        <p class="muted">{t('kitchen.allDayEmpty')}</p>
      ) : (
        <ul class="k-allday">
          {entries.map((entry) => (
            <li data-testid={`all-day-${entry.station}-${entry.name}`}>
              <span class="k-allday-qty num">{entry.quantity}</span>
              <span class="k-allday-name">
                {dishLabel(entry)}
                <small>
                  {stationLabel(entry.station)}
                  {entry.cooking > 0 && ' · ' + t('kitchen.cookingCount', { n: entry.cooking })}
                </small>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecallPanel({ kitchen }: { kitchen: KitchenController }) {
  const bumped = kitchen.board.value.bumped;
  return (
    <section class="k-panel" aria-labelledby="k-recall-title" data-testid="recall-list">
      <h2 id="k-recall-title">{t('kitchen.recallTitle')}</h2>
      {bumped.length === 0 ? (
        <p class="muted">{t('kitchen.recallEmpty')}</p>
      ) : (
        <ul class="k-recall">
          {bumped.map((ticket) => (
            <li>
              <span>
                <strong>{t('kitchen.table', { table: ticket.table.number })}</strong> #{ticket.orderNumber}
                <small>{ticket.items.map((item) => `${item.quantity}× ${dishLabel(item)}`).join(', ')}</small>
                {unfinishedQuantity(ticket.items) > 0 && (
                  <span class="k-unfinished" data-testid={`unfinished-${ticket.orderId}`}>
                    {t('kitchen.notCooked', { n: unfinishedQuantity(ticket.items) })}
                  </span>
                )}
              </span>
              <Button
                variant="secondary"
                data-testid={`recall-${ticket.orderId}`}
                aria-label={t('kitchen.recallOrder', { number: ticket.orderNumber })}
                busy={kitchen.busy.value.has(`recall:${ticket.orderId}`)}
                onClick={() => void kitchen.recall(ticket)}
              >
                {t('kitchen.recall')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function KitchenBoardView({ kitchen, onSignOut }: { kitchen: KitchenController; onSignOut: () => void }) {
  const [panel, setPanel] = useState<'allDay' | 'recall' | undefined>('allDay');
  const [bumpAsk, setBumpAsk] = useState<KitchenTicket>();
  useEffect(() => {
    kitchen.start();
    return () => kitchen.stop();
  }, [kitchen]);
  const tickets = kitchen.tickets.value;
  const last = kitchen.lastChange.value;
  const notice = kitchen.notice.value;
  const live = !kitchen.stale.value;
  // Just signed in, the first connection still being made: the board was loaded a moment ago, so
  // it is neither greyed nor announced as disconnected (the pill says "Connecting…").
  const connecting = !live && kitchen.connecting.value;
  const fresh = live || connecting;
  const bumpedUnfinished = kitchen.board.value.bumped.reduce((sum, ticket) => sum + unfinishedQuantity(ticket.items), 0);
  return (
    <div class="k-app" onPointerDown={unlockAudio}>
      <header class="k-bar">
        {/* Named for screen readers only: the bar's width goes to the station chips and controls. */}
        <h1 class="visually-hidden">{t('kitchen.title')}</h1>
        <StationFilter kitchen={kitchen} />
        <div class="k-bar-right">
          {/* A short word: the banner below says the rest, so the bar never wraps when it changes. */}
          <span class={'k-live' + (live ? ' is-live' : connecting ? ' is-connecting' : '')} data-testid="connection-state" data-live={live ? 'true' : 'false'}>
            {live ? t('kitchen.live') : connecting ? t('kitchen.connecting') : t('kitchen.offline')}
          </span>
          {/* Both states take the same width: the first tap anywhere unlocks audio on pointerdown, and
              a header that reflowed then would move the button under the finger and lose the tap. */}
          {audioReady.value ? (
            <span class="k-sound is-on" data-testid="sound-on">
              {t('kitchen.soundOn')}
            </span>
          ) : (
            <Button variant="secondary" class="k-sound" onClick={unlockAudio} data-testid="enable-sound">
              {t('kitchen.enableSound')}
            </Button>
          )}
          <Button variant={panel === 'allDay' ? 'primary' : 'secondary'} aria-pressed={panel === 'allDay' ? 'true' : 'false'} onClick={() => setPanel(panel === 'allDay' ? undefined : 'allDay')}>
            {t('kitchen.allDay')}
          </Button>
          <Button variant={panel === 'recall' ? 'primary' : 'secondary'} aria-pressed={panel === 'recall' ? 'true' : 'false'} onClick={() => setPanel(panel === 'recall' ? undefined : 'recall')}>
            {t('kitchen.recall')}
          </Button>
          <Clock kitchen={kitchen} />
          <Button variant="ghost" onClick={onSignOut}>
            {t('common.signOut')}
          </Button>
        </div>
      </header>
      <ConnectionBanner kitchen={kitchen} />
      {kitchen.loadFailed.value && <Banner tone="error">{t('kitchen.loadFailed')}</Banner>}
      <div class={'k-body' + (panel ? ' has-panel' : '')}>
        {notice && (
          <div class="k-toast">
            <Banner tone={notice.tone}>{notice.text}</Banner>
          </div>
        )}
        {/* While disconnected the board may be stale: it shows the last known tickets greyed out and
            never claims that nothing is waiting. */}
        <main
          class={'k-grid' + (fresh ? '' : ' is-stale')}
          aria-label={t('kitchen.title')}
          aria-busy={kitchen.loaded.value ? 'false' : 'true'}
          data-stale={fresh ? undefined : 'true'}
        >
          {!fresh && kitchen.loaded.value && (
            <p class="k-stale-note" data-testid="stale-note">
              {tickets.length === 0 ? t('kitchen.staleEmpty') : t('kitchen.staleTickets')}
            </p>
          )}
          {fresh && kitchen.loaded.value && tickets.length === 0 && (
            <p class="k-empty">
              {t('kitchen.empty')}
              {bumpedUnfinished > 0 && <strong class="k-empty-bumped">{t('kitchen.emptyButBumped', { n: bumpedUnfinished })}</strong>}
            </p>
          )}
          {tickets.map((ticket) => (
            <TicketCard kitchen={kitchen} ticket={ticket} key={ticket.orderId} askBump={setBumpAsk} />
          ))}
        </main>
        {panel === 'allDay' && <AllDayPanel kitchen={kitchen} />}
        {panel === 'recall' && <RecallPanel kitchen={kitchen} />}
      </div>
      <BumpConfirm kitchen={kitchen} ticket={bumpAsk} onClose={() => setBumpAsk(undefined)} />
      {last && (
        <div class="k-undo">
          <Button variant="secondary" size="lg" data-testid="undo" onClick={() => void kitchen.undo()}>
            ↶ {t('kitchen.undo', { name: `#${last.orderNumber} ${last.name}`, status: statusLabel(last.from) })}
          </Button>
        </div>
      )}
    </div>
  );
}
