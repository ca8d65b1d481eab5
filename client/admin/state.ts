import { signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from './api-types';

/** The console's shared state: the logged-in user (undefined while checking, null when logged out). */
export function createAppState() {
  return {
    user: signal<User | null | undefined>(undefined),
    /** A short message shown at the top after an action (saved, opened, ...). */
    notice: signal<string | null>(null),
  };
}

export type AppState = ReturnType<typeof createAppState>;

export const AppStateContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('AppStateContext missing');
  return state;
}
