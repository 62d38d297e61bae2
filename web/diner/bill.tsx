/** The bill: totals, paid and due, split options (equal n / by phone), UPI link and QR. */
import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '../shared/api.ts';
import { Banner, Button, Spinner, Stepper } from '../shared/components.tsx';
import { config } from '../shared/config.ts';
import { formatMoney } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import type { BillSplit, UpiOffer } from '../shared/types.ts';
import { api, bill, currency, guest, loadBill } from './store.ts';
import { safeUpiLink, shareRows, svgDataUrl } from './split.ts';

type SplitMode = 'none' | 'equal' | 'device';

export function BillView() {
  const [mode, setMode] = useState<SplitMode>('none');
  const [people, setPeople] = useState(2);
  const [split, setSplit] = useState<BillSplit | null>(null);
  const [splitError, setSplitError] = useState<string>();
  const money = (minor: number) => formatMoney(minor, currency.value, config.value.locale);
  const b = bill.value;

  useEffect(() => {
    void loadBill();
  }, []);

  useEffect(() => {
    if (mode === 'none') return setSplit(null);
    const query = mode === 'equal' ? `by=equal&n=${people}` : 'by=device';
    let live = true;
    setSplitError(undefined);
    api.get<BillSplit>('/bill/split?' + query).then(
      (result) => live && setSplit(result),
      (error) => live && setSplitError(isApiError(error) && !error.isNetwork ? error.message : t('common.networkError')),
    );
    return () => {
      live = false;
    };
  }, [mode, people, b?.total, b?.paid]);

  if (!b) return <div class="page"><Spinner /></div>;
  if (b.total === 0) {
    return (
      <section class="page" aria-labelledby="bill-title">
        <h1 id="bill-title">{t('bill.title')}</h1>
        <p class="muted">{t('bill.empty')}</p>
      </section>
    );
  }
  const rows = split ? shareRows(split, guest.value?.deviceId, { share: (n) => t('bill.share', { n }), you: t('bill.you'), guest: (n) => t('bill.guestN', { n }) }) : [];

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
          <dd class="num">{money(b.subtotal)}</dd>
        </div>
        <div class="spread">
          <dt>{t('cart.tax')}</dt>
          <dd class="num">{money(b.tax)}</dd>
        </div>
        <div class="spread total">
          <dt>{t('cart.total')}</dt>
          <dd class="num">{money(b.total)}</dd>
        </div>
        {b.paid > 0 && (
          <div class="spread">
            <dt>{t('bill.paid')}</dt>
            <dd class="num">{money(b.paid)}</dd>
          </div>
        )}
        <div class="spread total">
          <dt>{t('bill.due')}</dt>
          <dd class="num">{money(b.due)}</dd>
        </div>
      </dl>

      {b.due <= 0 ? (
        <Banner tone="success">{t('bill.allPaid')}</Banner>
      ) : (
        <>
          <fieldset class="segmented">
            <legend>{t('bill.split')}</legend>
            {(['none', 'equal', 'device'] as const).map((m) => (
              <label key={m} class={'segment' + (mode === m ? ' segment-on' : '')}>
                <input type="radio" name="split" class="visually-hidden" checked={mode === m} onChange={() => setMode(m)} />
                {t(m === 'none' ? 'bill.splitNone' : m === 'equal' ? 'bill.splitEqual' : 'bill.splitDevice')}
              </label>
            ))}
          </fieldset>
          {mode === 'equal' && (
            <div class="spread">
              <span>{t('bill.people')}</span>
              <Stepper value={people} min={2} max={20} onChange={setPeople} label={t('bill.people')} decreaseLabel={t('bill.fewer')} increaseLabel={t('bill.moreP')} />
            </div>
          )}
          {splitError && <Banner tone="error">{splitError}</Banner>}
          {mode === 'none' && b.upi && <UpiPay upi={b.upi} amount={money(b.due)} />}
          {mode !== 'none' && split && (
            <>
              <ul class="shares" aria-live="polite">
                {rows.map((row) => (
                  <li key={row.key} class={'card share' + (row.mine ? ' share-mine' : '')}>
                    <div class="spread">
                      <strong>{row.label}</strong>
                      <strong class="num">{money(row.amount)}</strong>
                    </div>
                    {row.share.upi && <UpiPay upi={row.share.upi} amount={money(row.amount)} compact={!row.mine && split.by === 'device'} />}
                  </li>
                ))}
              </ul>
              <p class="muted small">{t('bill.sharesNote')}</p>
            </>
          )}
          <p class="muted small">{t('bill.payHint')}</p>
        </>
      )}
    </section>
  );
}

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
