import { createContext, useContext } from 'react';
import type { UserWire } from '../protocol/wire.ts';
import type { ApiClient } from './api.ts';
import type { RealtimeClient } from './realtime.ts';

/** What every signed-in page needs; provided once by `App`, never a module-level singleton. */
export interface AppContextValue {
  api: ApiClient;
  realtime: RealtimeClient;
  me: UserWire;
  /** Whether the signed-in user reads the whole audit log (auditors). */
  canReadAudit: boolean;
  /** Everyone the UI can name, by id. */
  people: ReadonlyMap<string, UserWire>;
  /** Shows an error (or a plain message) as a toast. */
  notify: (problem: unknown, kind?: 'error' | 'info') => void;
  navigate: (path: string, options?: { replace?: boolean }) => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

/** The app context; components under `AppContext.Provider` only. */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}
