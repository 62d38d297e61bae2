/**
 * QR codes for the tables (GET /api/staff/qr-codes: SVG from the `qrcode` package, one per table,
 * grouped by floor). On paper: one labelled card per table, a page per floor. "Print this floor"
 * prints just that floor's page. A manager can give one table a new link ("New link"): its printed
 * card stops working at once, and the new card replaces it on the sheet, to reprint. A manager also
 * adds tables here (each with its card), renames or moves them, and removes one not being served.
 */
import { useEffect, useState } from 'preact/hooks';
import { Banner, Button, Spinner } from '../shared/components.tsx';
import { config } from '../shared/config.ts';
import { t } from '../shared/i18n.ts';
import { useConsole } from './console.ts';
import { ConfirmDialog, type ConfirmRequest } from './dialogs.tsx';
import { nameIn } from './names.ts';
import { describeError } from './store.ts';
import { TableEditor, type TableEditorRequest } from './table-editor.tsx';
import { roleAtLeast } from '../../functions/core/roles.ts';

import type { QrCard, QrSheet } from './types.ts';

export function QrSheetView() {
  const c = useConsole();
  const [sheet, setSheet] = useState<QrSheet>();
  const [error, setError] = useState<string>();
  const [onlyFloor, setOnlyFloor] = useState<string>();
  const [printing, setPrinting] = useState(false);
  const [request, setRequest] = useState<ConfirmRequest>();
  const canRotate = roleAtLeast(c.role.value, 'MANAGER');
  const canEditTables = canRotate;
  const [editing, setEditing] = useState<TableEditorRequest>();
  const floorsInUse = () => sheet?.floors.map((floor) => floor.floor) ?? [];
  const askRemove = (table: QrCard) =>
    setRequest({
      title: t('staff.tables.removeTitle', { table: table.number }),
      body: <p>{t('staff.tables.removeBody')}</p>,
      confirmLabel: t('staff.tables.removeConfirm'),
      tone: 'danger',
      run: async () => {
        await c.removeTable(table.tableId);
        c.flash('success', () => t('staff.tables.removed', { table: table.number }));
      },
    });

  const replaceCard = (card: QrCard) =>
    setSheet((current) => current && { ...current, floors: current.floors.map((floor) => ({ ...floor, tables: floor.tables.map((each) => (each.tableId === card.tableId ? card : each)) })) });
  const askNewLink = (table: QrCard) =>
    setRequest({
      title: t('staff.qr.newLinkTitle', { table: table.number }),
      body: <p>{t('staff.qr.newLinkBody', { table: table.number })}</p>,
      confirmLabel: t('staff.qr.newLinkConfirm'),
      tone: 'danger',
      run: async () => {
        replaceCard(await c.rotateTableCode(table.tableId));
        c.flash('success', () => t('staff.qr.newLinkDone', { table: table.number }));
      },
    });

  // The sheet follows the floor's tables: this console's own adding, changing and removing puts the
  // answer on the floor at once (floor-actions.ts), another console's arrives by its push; either way
  // the layout changes and the sheet is drawn again (a session opening or closing changes nothing here).
  const layout = c.tables.value.map((table) => `${table.tableId}\u0000${table.number}\u0000${table.floor}`).join('\n');
  useEffect(() => {
    let cancelled = false;
    c.fetchQrSheet()
      .then((next) => {
        if (!cancelled) setSheet(next);
      })
      .catch((caught) => {
        if (!cancelled) setError(describeError(caught));
      });
    return () => {
      cancelled = true;
    };
  }, [layout]);

  // Print after the page has re-rendered with only the chosen floor; reset once the dialog closes.
  useEffect(() => {
    if (!printing) return;
    const done = () => {
      setPrinting(false);
      setOnlyFloor(undefined);
    };
    globalThis.addEventListener('afterprint', done, { once: true });
    const frame = requestAnimationFrame(() => globalThis.print());
    return () => {
      cancelAnimationFrame(frame);
      globalThis.removeEventListener('afterprint', done);
    };
  }, [printing]);

  const print = (floor?: string) => {
    setOnlyFloor(floor);
    setPrinting(true);
  };

  if (error) {
    return (
      <section class="s-page">
        <h1>{t('staff.qr.title')}</h1>
        <Banner tone="error">{error}</Banner>
      </section>
    );
  }
  if (!sheet) {
    return (
      <div class="s-center">
        <Spinner label={t('common.loading')} />
      </div>
    );
  }

  return (
    <section class="s-page s-qr-page" aria-labelledby="qr-title">
      <div class="spread no-print">
        <div>
          <h1 id="qr-title">{t('staff.qr.title')}</h1>
          <p class="muted">{t('staff.qr.intro')}</p>
        </div>
        <div class="row">
          {canEditTables && (
            <Button variant={sheet.floors.length > 0 ? 'secondary' : 'primary'} onClick={() => setEditing({ floors: floorsInUse() })} data-testid="add-table">
              {t('staff.tables.add')}
            </Button>
          )}
          {sheet.floors.length > 0 && (
            <Button onClick={() => print()} data-testid="print-all">
              {t('staff.qr.printAll')}
            </Button>
          )}
        </div>
      </div>
      {sheet.floors.length === 0 && (
        <p class="muted" data-testid="qr-none">
          {t('staff.floor.empty')} {canEditTables && t('staff.tables.emptyHere')}
        </p>
      )}
      {sheet.floors.map(({ floor, tables }) => (
        <section key={floor} class={'qr-floor' + (onlyFloor !== undefined && onlyFloor !== floor ? ' skip-print' : '')} aria-label={nameIn('floor', floor)} data-testid="qr-floor">
          <div class="spread no-print qr-floor-head">
            <h2>{nameIn('floor', floor)}</h2>
            <Button variant="secondary" onClick={() => print(floor)} data-testid="print-floor">
              {t('staff.qr.printFloor', { floor: nameIn('floor', floor) })}
            </Button>
          </div>
          <h2 class="print-only qr-floor-title">
            {config.value.name} · {nameIn('floor', floor)}
          </h2>
          <ul class="qr-grid">
            {tables.map((table) => (
              <li key={table.tableId} class="qr-card" data-testid={`qr-${table.number}`}>
                <p class="qr-restaurant">{config.value.name}</p>
                <p class="qr-table">{t('staff.tableTitle', { table: table.number })}</p>
                <p class="qr-floor-name">{nameIn('floor', floor)}</p>
                {/* SVG markup generated by our server (qrcode package) from the table's own diner link. */}
                <div class="qr-code" role="img" aria-label={t('staff.qr.alt', { table: table.number })} dangerouslySetInnerHTML={{ __html: table.svg }} />
                <p class="qr-scan">{t('staff.qr.scan')}</p>
                <p class="qr-url">{table.url}</p>
                {canRotate && (
                  <div class="qr-card-actions no-print">
                    <Button variant="ghost" onClick={() => setEditing({ table: { tableId: table.tableId, number: table.number, floor }, floors: floorsInUse() })} data-testid={`edit-table-${table.number}`}>
                      {t('staff.tables.edit')}
                    </Button>
                    <Button variant="ghost" onClick={() => askNewLink(table)} data-testid={`new-link-${table.number}`}>
                      {t('staff.qr.newLink')}
                    </Button>
                    <Button variant="ghost" class="qr-remove" onClick={() => askRemove(table)} data-testid={`remove-table-${table.number}`}>
                      {t('staff.tables.remove')}
                    </Button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <ConfirmDialog request={request} onClose={() => setRequest(undefined)} />
      {canEditTables && <TableEditor request={editing} onClose={() => setEditing(undefined)} />}
    </section>
  );
}
