/**
 * A manager's table form (on the QR codes page): a new table, or a table renamed or moved. The floor
 * is one of the floors in use, or a new one typed in. Numbers are unique in any case: the server's
 * refusal (TABLE_EXISTS) shows in the form.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { Banner, Button, Field, Sheet } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import { TABLE_FLOOR_MAX_LENGTH, TABLE_NUMBER_MAX_LENGTH } from '../../functions/core/table-names.ts';
import { useBusyAction } from './busy-action.ts';
import { useConsole } from './console.ts';
import { nameIn } from './names.ts';

/** The select's value for "a new floor". */
const NEW_FLOOR = '\u0000new';

export interface TableEditorRequest {
  /** Absent: a new table. */
  table?: { tableId: string; number: string; floor: string };
  /** The floors in use, in floor order. */
  floors: string[];
}

export function TableEditor({ request, onClose }: { request: TableEditorRequest | undefined; onClose: () => void }) {
  const c = useConsole();
  const { busy, error, setError, run } = useBusyAction();
  const [number, setNumber] = useState('');
  const [floorChoice, setFloorChoice] = useState(NEW_FLOOR);
  const [newFloor, setNewFloor] = useState('');
  const [problem, setProblem] = useState<{ number?: string; floor?: string }>({});
  const floorId = useId();

  useEffect(() => {
    if (!request) return;
    setNumber(request.table?.number ?? '');
    setFloorChoice(request.table?.floor ?? request.floors[0] ?? NEW_FLOOR);
    setNewFloor('');
    setProblem({});
    setError(undefined);
  }, [request]);

  const close = () => {
    if (!busy) onClose();
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (!request) return;
    const floor = (floorChoice === NEW_FLOOR ? newFloor : floorChoice).trim();
    const found = { ...(number.trim() ? {} : { number: t('staff.tables.numberRequired') }), ...(floor ? {} : { floor: t('staff.tables.floorRequired') }) };
    setProblem(found);
    if (Object.keys(found).length > 0) return;
    await run(async () => {
      const { table } = request;
      const saved = table ? await c.updateTable(table.tableId, { number: number.trim(), floor }) : await c.createTable({ number: number.trim(), floor });
      c.flash('success', () => t(table ? 'staff.tables.saved' : 'staff.tables.added', { table: saved.number }));
      onClose();
    });
  }

  const editing = request?.table;
  return (
    <Sheet open={Boolean(request)} title={editing ? t('staff.tables.editTitle', { table: editing.number }) : t('staff.tables.addTitle')} onClose={close}>
      {request && (
        <form onSubmit={submit} noValidate data-testid="table-form">
          <Field
            label={t('staff.tables.number')}
            hint={t('staff.tables.numberHint')}
            value={number}
            maxLength={TABLE_NUMBER_MAX_LENGTH}
            autoComplete="off"
            error={problem.number}
            onInput={(e) => {
              setNumber(e.currentTarget.value);
              setError(undefined);
            }}
            data-testid="table-number"
          />
          <div class="field">
            <label for={floorId}>{t('staff.tables.floor')}</label>
            <select id={floorId} class="input" value={floorChoice} onChange={(e) => {
                setFloorChoice(e.currentTarget.value);
                setError(undefined);
              }} data-testid="table-floor">
              {request.floors.map((floor) => (
                <option key={floor} value={floor}>
                  {nameIn('floor', floor)}
                </option>
              ))}
              <option value={NEW_FLOOR}>{t('staff.tables.newFloor')}</option>
            </select>
          </div>
          {floorChoice === NEW_FLOOR && (
            <Field
              label={t('staff.tables.newFloorName')}
              hint={t('staff.tables.newFloorHint')}
              value={newFloor}
              maxLength={TABLE_FLOOR_MAX_LENGTH}
              autoComplete="off"
              error={problem.floor}
              onInput={(e) => setNewFloor(e.currentTarget.value)}
              data-testid="table-new-floor"
            />
          )}
          {error && (
            <Banner tone="error">
              <span data-testid="table-form-error">{error}</span>
            </Banner>
          )}
          <div class="s-dialog-actions">
            <Button variant="secondary" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" busy={busy} data-testid="table-save">
              {editing ? t('staff.tables.save') : t('staff.tables.add')}
            </Button>
          </div>
        </form>
      )}
    </Sheet>
  );
}
