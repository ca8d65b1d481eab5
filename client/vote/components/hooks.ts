import { useEffect, useRef } from 'preact/hooks';
import { translate, type WordKey } from '../i18n';
import { useAppState } from '../state';

/** The current language's words; reading it subscribes the component to language changes. */
export function useT(): (key: WordKey, params?: Record<string, string | number>) => string {
  const lang = useAppState().lang.value;
  return (key, params) => translate(lang, key, params);
}

/** A view's heading takes focus when the view appears, so screen readers announce the change. */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return ref;
}
