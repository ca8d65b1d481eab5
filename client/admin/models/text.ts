/**
 * A text in both languages. Page models return these so they stay free of the console's
 * language signal; the page shows one with `say` (i18n.ts).
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export const bi = (zh: string, en: string): Bilingual => ({ zh, en });
