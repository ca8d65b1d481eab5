import { signal } from '@preact/signals';
import type { Bilingual } from './models/text';

/** Console language: Chinese first, English on request; remembered on this computer. */
export type Lang = 'zh' | 'en';

function initialLang(): Lang {
  try {
    return localStorage.getItem('ceping.admin.lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export const lang = signal<Lang>(initialLang());

export function setLang(next: Lang): void {
  lang.value = next;
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  try {
    localStorage.setItem('ceping.admin.lang', next);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** The text in the current language: t('中文', 'English'). */
export function t(zh: string, en: string): string {
  return lang.value === 'zh' ? zh : en;
}

/** A model's or the glossary's { zh, en } text in the current language. */
export function say(text: Bilingual): string {
  return t(text.zh, text.en);
}

export const STATUS_LABEL: Record<string, [string, string]> = {
  draft: ['草稿', 'Draft'],
  rehearsal: ['演练中', 'Rehearsal'],
  open: ['进行中', 'Open'],
  closed: ['已结束', 'Closed'],
  published: ['已公布', 'Published'],
};

export function statusLabel(status: string): string {
  const pair = STATUS_LABEL[status];
  return pair ? t(pair[0], pair[1]) : status;
}

export const FIELD_LABEL: Record<string, [string, string]> = {
  key: ['编号', 'Key'],
  kind: ['类型', 'Kind'],
  name: ['姓名/名称', 'Name'],
  title: ['职务', 'Title'],
  category: ['类别', 'Category'],
  type: ['分类', 'Type'],
  teamKey: ['所属班子', 'Team'],
  role: ['正职/副职', 'Role'],
};

export function fieldLabel(field: string | undefined): string {
  const pair = field ? FIELD_LABEL[field] : undefined;
  return pair ? t(pair[0], pair[1]) : (field ?? '');
}
