/**
 * A manager's "Languages and names": which languages the menu carries (the default one stays) and
 * the translation of every category, station and floor name. Dish texts are translated in the dish
 * editor.
 */
import { useEffect, useState } from 'preact/hooks';
import { Banner, Button, Field, Sheet } from '../shared/components.tsx';
import { lang, t } from '../shared/i18n.ts';
import { languageName } from '../shared/menu-language.ts';
import { useConsole } from './console.ts';
import { menuNames } from './names.ts';
import { useBusyAction } from './busy-action.ts';
import type { MenuNames, NameKind } from './types.ts';

const LANGUAGE_LIST = /^\s*[a-z]{2,3}(\s*,\s*[a-z]{2,3})*\s*$/;

interface Draft {
  languages: string;
  /** `kind\0name` → language → text */
  texts: Record<string, Record<string, string>>;
}

const keyOf = (kind: NameKind, name: string) => `${kind}\u0000${name}`;

function draftOf(names: MenuNames | undefined): Draft {
  return {
    languages: (names?.languages ?? []).join(', '),
    texts: Object.fromEntries((names?.names ?? []).map((entry) => [keyOf(entry.kind, entry.name), { ...entry.translations }])),
  };
}

export function NamesEditor({ open, onClose }: { open: boolean; onClose: () => void }) {
  const c = useConsole();
  const names = menuNames.value;
  const [draft, setDraft] = useState<Draft>(() => draftOf(names));
  const { busy, error, setError, run } = useBusyAction();

  useEffect(() => {
    if (open) {
      setDraft(draftOf(menuNames.value));
      setError(undefined);
    }
  }, [open, names]);

  const defaultLanguage = names?.defaultLanguage ?? 'en';
  const languages = LANGUAGE_LIST.test(draft.languages) ? [...new Set(draft.languages.split(',').map((code) => code.trim()))] : [];
  const others = languages.filter((code) => code !== defaultLanguage);
  const setText = (key: string, language: string, text: string) =>
    setDraft((current) => ({ ...current, texts: { ...current.texts, [key]: { ...current.texts[key], [language]: text } } }));

  async function save(event: Event) {
    event.preventDefault();
    if (!LANGUAGE_LIST.test(draft.languages)) return setError(t('staff.names.badLanguages'));
    if (!languages.includes(defaultLanguage)) return setError(t('staff.names.keepDefault', { code: defaultLanguage }));
    await run(async () => {
      await c.saveNames({
        languages,
        names: (names?.names ?? []).map((entry) => ({
          kind: entry.kind,
          name: entry.name,
          translations: Object.fromEntries(Object.entries(draft.texts[keyOf(entry.kind, entry.name)] ?? {}).filter(([code, text]) => others.includes(code) && text.trim())),
        })),
      });
      c.flash('success', () => t('staff.names.saved'));
      onClose();
    });
  }

  return (
    <Sheet open={open} title={t('staff.names.title')} onClose={() => !busy && onClose()}>
      {open && (
        <form onSubmit={save} class="s-editor" data-testid="names-editor" noValidate>
          <Field
            label={t('staff.names.languages')}
            hint={t('staff.names.languagesHint', { code: defaultLanguage })}
            value={draft.languages}
            onInput={(e) => setDraft({ ...draft, languages: e.currentTarget.value.toLowerCase() })}
            data-testid="menu-languages"
          />
          {(['category', 'station', 'floor'] as const).map((kind) => (
            <fieldset key={kind} class="s-fieldset">
              <legend>{t('staff.names.kind.' + kind)}</legend>
              {(names?.names ?? [])
                .filter((entry) => entry.kind === kind)
                .map((entry) => (
                  <div key={entry.name} class="s-editor-row s-name-row">
                    <strong class="s-name-default">{entry.name}</strong>
                    {others.map((code) => (
                      <Field
                        key={code}
                        label={t('staff.names.in', { name: entry.name, language: languageName(code, lang.value) })}
                        lang={code}
                        maxLength={120}
                        value={draft.texts[keyOf(kind, entry.name)]?.[code] ?? ''}
                        onInput={(e) => setText(keyOf(kind, entry.name), code, e.currentTarget.value)}
                      />
                    ))}
                  </div>
                ))}
            </fieldset>
          ))}
          {error && <Banner tone="error">{error}</Banner>}
          <div class="s-dialog-actions">
            <Button variant="secondary" onClick={onClose} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" busy={busy} data-testid="save-names">
              {t('staff.edit.save')}
            </Button>
          </div>
        </form>
      )}
    </Sheet>
  );
}
