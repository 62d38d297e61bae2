/**
 * The staff console's editors and dialogs run one request at a time: busy while it runs (buttons
 * disabled, a spinner), the last error cleared when it starts and set, in words, when it fails.
 */
import { useState } from 'preact/hooks';
import { describeError } from './store.ts';

export type Explain = (caught: unknown) => string | undefined;

export interface BusyState {
  setBusy: (busy: boolean) => void;
  setError: (error: string | undefined) => void;
}

/** Runs `work` busy; a failure becomes the error (`explain`'s words, else describeError's). True when it succeeded. */
export async function runBusy(state: BusyState, work: () => Promise<void>, explain?: Explain): Promise<boolean> {
  state.setBusy(true);
  state.setError(undefined);
  try {
    await work();
    return true;
  } catch (caught) {
    state.setError(explain?.(caught) ?? describeError(caught));
    return false;
  } finally {
    state.setBusy(false);
  }
}

/** `busy`, `error` (and `setError`, for the form's own checks) and `run(work, explain?)`. */
export function useBusyAction(explain?: Explain) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (work: () => Promise<void>, explainThis?: Explain) => runBusy({ setBusy, setError }, work, explainThis ?? explain);
  return { busy, error, setError, run };
}
