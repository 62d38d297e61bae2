/** The bill: totals, paid and due, split options (equal n / by phone / by dish), UPI link and QR. */
import { useEffect, useState } from 'preact/hooks';
import { Banner, Button, Spinner, Stepper } from '../shared/components.tsx';
import { errorText } from '../shared/error-text.ts';
import { guestLabel } from '../shared/guest-name.ts';
import { t } from '../shared/i18n.ts';
import type { Bill, BillSplit, PaymentMethod, UpiOffer } from '../shared/types.ts';
import { askForBill, loadBill } from './actions.ts';
import { api, bill, clock, dishName, guest, price } from './store.ts';
import { PayButton, PaymentStatus } from './online-pay.tsx';
import { billDeviceIds, dueDishes, itemSplitQuery, safeUpiLink, shareRows, svgDataUrl, tablePhones, type Phone, type ShareLabels } from './split.ts';

type SplitMode = 'none' | 'equal' | 'device' | 'item';

const labels = (): ShareLabels => ({ share: (n) => t('bill.share', { n }), you: t('bill.you'), guest: (deviceId) => guestLabel(undefined, deviceId) });
const splitErrorText = (error: unknown) => errorText(error);

export function BillView() {
  const [mode, setMode] = useState<SplitMode>('none');
  const [people, setPeople] = useState(2);
  const [split, setSplit] = useState<BillSplit | null>(null);
  const [splitError, setSplitError] = useState<string>();
  // By dish: the table's phones (from the by-phone split), the dish being edited, and who shares each dish.
  const [phones, setPhones] = useState<Phone[]>([]);
  const [dishRef, setDishRef] = useState('');
  const [shared, setShared] = useState<ReadonlyMap<string, readonly string[]>>(new Map());
  const b = bill.value;
  const dishes = b ? dueDishes(b.orders) : [];
  // A dish paid or cancelled since it was shared is not sent (the server would refuse it).
  const itemQuery = itemSplitQuery(new Map([...shared].filter(([ref]) => dishes.some((dish) => dish.ref === ref))));

  useEffect(() => {
    void loadBill();
  }, []);

  useEffect(() => {
    if (mode === 'none') return setSplit(null);
    const query = mode === 'equal' ? `by=equal&n=${people}` : mode === 'item' && itemQuery ? itemQuery : 'by=device';
    let live = true;
    setSplitError(undefined);
    api.get<BillSplit>('/bill/split?' + query).then(
      (result) => live && setSplit(result),
      (error) => live && setSplitError(splitErrorText(error)),
    );
    return () => {
      live = false;
    };
  }, [mode, people, itemQuery, b?.total, b?.paid]);

  useEffect(() => {
    if (mode !== 'item' || !b) return;
    let live = true;
    api.get<BillSplit>('/bill/split?by=device').then(
      (result) => live && setPhones(tablePhones(result, b.phones, guest.value?.deviceId, labels())),
      (error) => live && setSplitError(splitErrorText(error)),
    );
    return () => {
      live = false;
    };
  }, [mode, b?.total, b?.paid]);

  if (!b) return <div class="page"><Spinner /></div>;
  if (b.total === 0) {
    return (
      <section class="page" aria-labelledby="bill-title">
        <h1 id="bill-title">{t('bill.title')}</h1>
        <p class="muted">{t('bill.empty')}</p>
      </section>
    );
  }
  const known = new Map(phones.map((phone) => [phone.deviceId, phone.label]));
  const rows = split ? shareRows(split, guest.value?.deviceId, labels(), known) : [];
  // Sharing a dish needs two phones: never so in INDIVIDUAL mode, where the bill is this phone's own.
  const modes: SplitMode[] = new Set([...b.phones.map((phone) => phone.deviceId), ...billDeviceIds(b.orders)]).size > 1 ? ['none', 'equal', 'device', 'item'] : ['none', 'equal', 'device'];
  const sharers = shared.get(dishRef) ?? [];
  const pickDish = (ref: string) => {
    setDishRef(ref);
    // A dish picked for the first time is shared by every phone at the table; untick who does not share.
    if (ref && !shared.has(ref)) setShared(new Map(shared).set(ref, phones.map((phone) => phone.deviceId)));
  };
  const toggleSharer = (deviceId: string) => {
    const next = sharers.includes(deviceId) ? sharers.filter((id) => id !== deviceId) : [...sharers, deviceId];
    setShared(new Map(shared).set(dishRef, next));
  };

  return (
    <section class="page" aria-labelledby="bill-title">
      <div class="spread">
        <h1 id="bill-title">{t('bill.title')}</h1>
        <Button variant="ghost" onClick={() => void loadBill()}>
          {t('bill.refresh')}
        </Button>
      </div>
      <dl class="totals card">
        <div class="spread">
          <dt>{t('cart.subtotal')}</dt>
          <dd class="num">{price(b.subtotal)}</dd>
        </div>
        <div class="spread">
          <dt>{t('cart.tax')}</dt>
          <dd class="num">{price(b.tax)}</dd>
        </div>
        <div class="spread total">
          <dt>{t('cart.total')}</dt>
          <dd class="num">{price(b.total)}</dd>
        </div>
        {b.paid > 0 && (
          <div class="spread">
            <dt>{t('bill.paid')}</dt>
            <dd class="num" data-testid="bill-paid">{price(b.paid)}</dd>
          </div>
        )}
        {b.refunded > 0 && (
          <>
            <div class="spread" data-testid="bill-refunded">
              <dt>{t('bill.refunded')}</dt>
              <dd class="num">−{price(b.refunded)}</dd>
            </div>
            <div class="spread" data-testid="bill-net-paid">
              <dt>{t('bill.netPaid')}</dt>
              <dd class="num">{price(b.netPaid)}</dd>
            </div>
          </>
        )}
        <div class="spread total">
          <dt>{t('bill.due')}</dt>
          <dd class="num">{price(b.due)}</dd>
        </div>
      </dl>

      {b.due <= 0 ? (
        <>
          <PaymentStatus />
          <Banner tone="success">{t('bill.allPaid')}</Banner>
        </>
      ) : (
        <>
          <fieldset class="segmented">
            <legend>{t('bill.split')}</legend>
            {modes.map((m) => (
              <label key={m} class={'segment' + (mode === m ? ' segment-on' : '')}>
                <input type="radio" name="split" class="visually-hidden" checked={mode === m} onChange={() => setMode(m)} />
                {t(SPLIT_LABEL[m])}
              </label>
            ))}
          </fieldset>
          {mode === 'equal' && (
            <div class="spread">
              <span>{t('bill.people')}</span>
              <Stepper value={people} min={2} max={20} onChange={setPeople} label={t('bill.people')} decreaseLabel={t('bill.fewer')} increaseLabel={t('bill.moreP')} />
            </div>
          )}
          {mode === 'item' && (
            <div class="card dish-split" data-testid="dish-split">
              <div class="field">
                <label for="dish-pick">{t('bill.dish')}</label>
                <select id="dish-pick" class="input" value={dishRef} disabled={phones.length === 0} onChange={(event) => pickDish(event.currentTarget.value)}>
                  <option value="">{t('bill.chooseDish')}</option>
                  {dishes.map((dish) => (
                    <option key={dish.ref} value={dish.ref}>
                      {`${dish.quantity}× ${dishName(dish.menuItemId, dish.name)} · ${price(dish.amount)}`}
                    </option>
                  ))}
                </select>
              </div>
              {dishRef && (
                <fieldset class="sharers">
                  <legend>{t('bill.sharedBy')}</legend>
                  {phones.map((phone) => (
                    <label key={phone.deviceId} class="check">
                      <input type="checkbox" checked={sharers.includes(phone.deviceId)} onChange={() => toggleSharer(phone.deviceId)} />
                      {phone.label}
                    </label>
                  ))}
                  {sharers.length === 0 && <p class="field-hint">{t('bill.noSharers')}</p>}
                </fieldset>
              )}
              <p class="muted small">{t('bill.dishHint')}</p>
            </div>
          )}
          {splitError && <Banner tone="error">{splitError}</Banner>}
          <PaymentStatus />
          {mode === 'none' && b.payOnline && <PayButton scope={{ kind: 'bill' }} amount={price(b.due)} />}
          {mode === 'none' && b.upi && <UpiPay upi={b.upi} amount={price(b.due)} />}
          {mode !== 'none' && split && (
            <>
              <ul class="shares" aria-live="polite">
                {rows.map((row) => (
                  <li key={row.key} class={'card share' + (row.mine ? ' share-mine' : '')}>
                    <div class="spread">
                      <strong>{row.label}</strong>
                      <strong class="num">{price(row.amount)}</strong>
                    </div>
                    {b.payOnline && row.amount > 0 && (split.by === 'equal' || row.mine) && (
                      <PayButton
                        amount={price(row.amount)}
                        scope={
                          split.by === 'equal'
                            ? { kind: 'equal', n: people, index: Number(row.key) }
                            : split.by === 'item' && shared.size > 0
                              ? { kind: 'item', shared: [...shared].filter(([ref]) => dishes.some((dish) => dish.ref === ref)).map(([ref, deviceIds]) => ({ orderId: ref.split(':')[0], itemIndex: Number(ref.split(':')[1]), deviceIds: [...deviceIds] })) }
                              : { kind: 'device' }
                        }
                      />
                    )}
                    {row.share.upi && <UpiPay upi={row.share.upi} amount={price(row.amount)} compact={!row.mine && split.by !== 'equal'} />}
                  </li>
                ))}
              </ul>
              <p class="muted small">{t('bill.sharesNote')}</p>
            </>
          )}
          <p class="muted small">{t('bill.payHint')}</p>
          <AskForBill b={b} />
        </>
      )}
    </section>
  );
}

const METHODS: readonly PaymentMethod[] = ['CASH', 'CARD', 'UPI'];

/** "Ask for the bill": tells the staff this table wants to pay; once asked, says when. */
function AskForBill({ b }: { b: Bill }) {
  const [method, setMethod] = useState<PaymentMethod>();
  const [busy, setBusy] = useState(false);
  if (b.requestedAt) {
    const time = clock(b.requestedAt);
    return (
      <Banner tone="info">
        <span data-testid="bill-requested">
          {b.requestedMethod ? t('bill.askedVia', { time, method: t('bill.method.' + b.requestedMethod) }) : t('bill.asked', { time })}
        </span>
      </Banner>
    );
  }
  return (
    <div class="card ask-bill">
      <fieldset class="segmented">
        <legend>{t('bill.askHow')}</legend>
        {METHODS.map((m) => (
          <label key={m} class={'segment' + (method === m ? ' segment-on' : '')}>
            <input type="radio" name="pay-method" class="visually-hidden" checked={method === m} onChange={() => setMethod(m)} />
            {t('bill.method.' + m)}
          </label>
        ))}
      </fieldset>
      <Button
        variant="primary"
        block
        busy={busy}
        onClick={async () => {
          setBusy(true);
          await askForBill(method);
          setBusy(false);
        }}
      >
        {t('bill.ask')}
      </Button>
    </div>
  );
}

const SPLIT_LABEL: Record<SplitMode, string> = { none: 'bill.splitNone', equal: 'bill.splitEqual', device: 'bill.splitDevice', item: 'bill.splitItem' };

function UpiPay({ upi, amount, compact }: { upi: UpiOffer; amount: string; compact?: boolean }) {
  const link = safeUpiLink(upi.link);
  return (
    <div class="upi">
      {link && (
        <a class="btn btn-primary btn-block" href={link}>
          {t('bill.payUpi', { amount })}
        </a>
      )}
      {!compact && upi.qrSvg && <img class="upi-qr" src={svgDataUrl(upi.qrSvg)} alt={t('bill.qrAlt', { amount })} width={200} height={200} />}
    </div>
  );
}
