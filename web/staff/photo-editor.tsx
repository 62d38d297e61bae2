/**
 * A dish's photo in the manager's dish editor: the current photo, upload or replace (sent straight to
 * the media bucket, then resized by the server), and remove. Acts at once, apart from the form's Save:
 * a new dish is saved first.
 */
import { Banner, Button } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import { DishPicture } from '../shared/photo.tsx';
import type { MenuItem } from '../shared/types.ts';
import { useConsole } from './console.ts';
import { useBusyAction } from './busy-action.ts';

const TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_BYTES = 5 * 1024 * 1024;

export function PhotoEditor({ itemId }: { itemId?: string }) {
  const c = useConsole();
  const { busy, error, setError, run } = useBusyAction();
  const item: MenuItem | undefined = c.menu.value?.categories.flatMap((category) => category.items).find((each) => each.id === itemId);

  async function choose(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || !item) return;
    if (!TYPES.includes(file.type)) return setError(t('error.PHOTO_TYPE_UNSUPPORTED'));
    if (file.size > MAX_BYTES) return setError(t('error.PHOTO_TOO_LARGE'));
    await run(async () => {
      await c.uploadMenuPhoto(item.id, file);
      c.flash('success', () => t('staff.photo.saved', { name: item.name }));
    });
  }

  async function remove() {
    if (!item) return;
    await run(async () => {
      await c.removeMenuPhoto(item.id);
    });
  }

  return (
    <fieldset class="s-fieldset s-photo" data-testid="dish-photo">
      <legend>{t('staff.photo.title')}</legend>
      {!item ? (
        <p class="muted">{t('staff.photo.saveFirst')}</p>
      ) : (
        <div class="row s-photo-row">
          {item.photo ? <DishPicture photo={item.photo} size={96} class="s-photo-preview" /> : <div class="s-photo-preview s-photo-empty">{t('staff.photo.none')}</div>}
          <div class="s-photo-actions">
            <label class={'btn btn-secondary' + (busy ? ' is-busy' : '')} aria-disabled={busy}>
              <input type="file" accept={TYPES.join(',')} class="visually-hidden" disabled={busy} onChange={choose} data-testid="dish-photo-file" />
              {busy ? t('staff.photo.uploading') : item.photo ? t('staff.photo.replace') : t('staff.photo.choose')}
            </label>
            {item.photo && !busy && (
              <Button variant="secondary" type="button" onClick={remove}>
                {t('staff.photo.remove')}
              </Button>
            )}
            <p class="muted small">{t('staff.photo.hint')}</p>
          </div>
        </div>
      )}
      {error && <Banner tone="error">{error}</Banner>}
    </fieldset>
  );
}
