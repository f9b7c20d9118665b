// The header's words: language and theme switches. Registered with the one i18n mechanism
// (src/lib/i18n.ts); `ru` is typed by `en`'s keys, so a missing or an extra key does not compile.
import { defineWords } from '../../lib/i18n';

const en = {
  'header.language': 'Language',
  'header.theme': 'Theme',
  'theme.light': 'Light',
  'theme.dark': 'Dark',
  'theme.system': 'System',
} as const;

export type HeaderKey = keyof typeof en;

const ru: Record<HeaderKey, string> = {
  'header.language': 'Язык',
  'header.theme': 'Тема',
  'theme.light': 'Светлая',
  'theme.dark': 'Тёмная',
  'theme.system': 'Системная',
};

export const headerWords = defineWords('header', en, ru);
