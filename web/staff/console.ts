/**
 * The staff console's state for its views: main.tsx provides the one console (store.ts), every
 * section reads it with `useConsole()`. Its own module, so no view imports the shell (app.tsx).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { StaffConsole } from './store.ts';

const ConsoleContext = createContext<StaffConsole | undefined>(undefined);

export const ConsoleProvider = ConsoleContext.Provider;

export function useConsole(): StaffConsole {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside ConsoleProvider');
  return value;
}
