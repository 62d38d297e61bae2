/** Small shared components: one look and one behaviour for the three apps. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { lang, setLang, t } from './i18n.ts';

type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

export interface ButtonProps extends Omit<JSX.HTMLAttributes<HTMLButtonElement>, 'size'> {
  variant?: ButtonVariant;
  size?: 'md' | 'lg';
  block?: boolean;
  /** Shows a spinner, keeps the label for screen readers and blocks double taps. */
  busy?: boolean;
  disabled?: boolean;
  type?: 'button' | 'submit';
}

export function Button({ variant = 'primary', size = 'md', block, busy, disabled, type = 'button', class: cls, children, ...rest }: ButtonProps) {
  const classes = ['btn', 'btn-' + variant, size === 'lg' && 'btn-lg', block && 'btn-block', cls].filter(Boolean).join(' ');
  return (
    <button type={type} class={classes} disabled={disabled || busy} aria-busy={busy ? 'true' : undefined} {...rest}>
      {busy && <span class="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span role="status" class="row">
      <span class="spinner" aria-hidden="true" />
      <span class={label ? '' : 'visually-hidden'}>{label ?? t('common.loading')}</span>
    </span>
  );
}

export interface BannerProps {
  tone?: 'info' | 'success' | 'warn' | 'error';
  sticky?: boolean;
  children: ComponentChildren;
  action?: ComponentChildren;
}

/** error/warn are announced assertively (role=alert), info/success politely (role=status). */
export function Banner({ tone = 'info', sticky, children, action }: BannerProps) {
  const urgent = tone === 'error' || tone === 'warn';
  return (
    <div class={`banner banner-${tone}${sticky ? ' banner-sticky' : ''}`} role={urgent ? 'alert' : 'status'}>
      <div class="banner-body">{children}</div>
      {action}
    </div>
  );
}

export interface SheetProps {
  open: boolean;
  title: string;
  /** Omitted: the sheet cannot be dismissed (no close button; Esc and the backdrop do nothing). */
  onClose?: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
}

/**
 * A modal bottom sheet on the native <dialog>: focus moves in and is trapped, Esc and a tap on the
 * backdrop close it, focus returns to the opener afterwards.
 */
export function Sheet({ open, title, onClose, children, footer }: SheetProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      class="sheet"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose?.();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose?.();
      }}
    >
      {open && (
        <div class="sheet-inner">
          <div class="sheet-head">
            <h2 id={titleId}>{title}</h2>
            {onClose && (
              <Button variant="ghost" onClick={onClose} aria-label={t('common.close')}>
                <span aria-hidden="true">✕</span>
              </Button>
            )}
          </div>
          <div class="sheet-body">{children}</div>
          {footer && <div class="sheet-foot">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}

export interface StepperProps {
  value: number;
  min?: number;
  max?: number;
  onChange: (value: number) => void;
  /** What is being counted, for the buttons' labels: "Quantity of Paneer Tikka". */
  label: string;
  decreaseLabel: string;
  increaseLabel: string;
  disabled?: boolean;
}

export function Stepper({ value, min = 1, max = 50, onChange, label, decreaseLabel, increaseLabel, disabled }: StepperProps) {
  return (
    <div class="stepper" role="group" aria-label={label}>
      <Button variant="secondary" aria-label={decreaseLabel} disabled={disabled || value <= min} onClick={() => onChange(value - 1)}>
        <span aria-hidden="true">−</span>
      </Button>
      <output aria-live="polite">{value}</output>
      <Button variant="secondary" aria-label={increaseLabel} disabled={disabled || value >= max} onClick={() => onChange(value + 1)}>
        <span aria-hidden="true">+</span>
      </Button>
    </div>
  );
}

/** A text field with its label, hint and error wired for screen readers. */
export interface FieldProps extends Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label'> {
  label: string;
  hint?: string;
  error?: string;
}

export function Field({ label, hint, error, id, ...input }: FieldProps) {
  const autoId = useId();
  const inputId = (id as string | undefined) ?? autoId;
  const describedBy = [hint && inputId + '-hint', error && inputId + '-error'].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={inputId}>{label}</label>
      <input id={inputId} class="input" aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} {...input} />
      {hint && <span id={inputId + '-hint'} class="field-hint">{hint}</span>}
      {error && <span id={inputId + '-error'} class="field-error">{error}</span>}
    </div>
  );
}

/**
 * Language switch: English ⇄ हिन्दी, remembered on this device. Its name is the language it switches
 * to, in that language (what a screen reader and voice control users see on screen, WCAG 2.5.3);
 * the title explains it in the current language.
 */
export function LangSwitch() {
  const next = lang.value === 'en' ? 'hi' : 'en';
  return (
    <Button variant="ghost" onClick={() => setLang(next)} title={t('lang.switchLabel')}>
      <span lang={next}>{t('lang.switch')}</span>
    </Button>
  );
}
