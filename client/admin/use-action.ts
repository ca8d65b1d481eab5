import { useState } from 'preact/hooks';
import { errorText } from './api';

/**
 * A button's work with its busy flag and its error: `run` clears the last error, marks the
 * action busy, and shows a failure as the console always has (errorText). An action refuses
 * a draft by throwing an Error with the text to show.
 */
export function useAction<A extends unknown[]>(work: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (...args: A): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work(...args);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clearError: () => setError(null) };
}
