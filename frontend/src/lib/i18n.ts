// The UI's one i18n mechanism. Every area's words are a pair of dictionaries made with
// defineWords: each feature's in its own folder (features/<area>/<area>-i18n.ts), and below the
// app shell's plus the words several features share (statuses, channel names, error codes,
// sizes). `ru` is typed as Record<Key, string> from `en`'s keys, so the
// compiler rejects a missing or an extra key; i18n.test.ts checks every registered area (both
// languages complete, none empty, the same placeholders). Placeholders look like {name}; one
// given no value stays as written. The language itself is one module-level value (useI18n).
//
// The backend sends data, never sentences (kinds, codes and their parameters): words for them
// live here and in the feature folders, in Russian after the seed's original
// (shared/seed/chats-ru.txt) and in English.
import { useLayoutEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { Locale } from './types';

export type Vars = Record<string, string | number>;
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/** One area's words in both languages, with a ready translate function per language. */
export interface Words<K extends string> {
  readonly area: string;
  readonly dictionaries: Readonly<Record<Locale, Readonly<Record<K, string>>>>;
  readonly t: Readonly<Record<Locale, Translate<K>>>;
}

const registry = new Map<string, Words<string>>();

/** Fills {name} placeholders from vars; one without a value stays visible. */
export function fill(s: string, vars?: Vars): string {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** defineWords registers an area's words; each area is defined once. */
export function defineWords<K extends string>(area: string, en: Record<K, string>, ru: Record<K, string>): Words<K> {
  if (registry.has(area)) throw new Error(`i18n: words for "${area}" are defined twice`);
  const dictionaries = { en, ru };
  const translator =
    (locale: Locale): Translate<K> =>
    (key, vars) =>
      fill(dictionaries[locale][key] ?? en[key] ?? key, vars);
  const words: Words<K> = { area, dictionaries, t: { en: translator('en'), ru: translator('ru') } };
  registry.set(area, words as unknown as Words<string>);
  return words;
}

/** Whether key is one of the area's keys: for words chosen by a code the backend sends. */
export function isKey<K extends string>(words: Words<K>, key: string): key is K {
  return Object.hasOwn(words.dictionaries.en, key);
}

/** Every area's words defined so far (the completeness test imports every words file first). */
export function registeredWords(): Words<string>[] {
  return [...registry.values()];
}

/** An area's words in the app's current language; t is stable per language. */
export function useWords<K extends string>(words: Words<K>): { t: Translate<K>; locale: Locale } {
  const { locale } = useI18n();
  return { t: words.t[locale], locale };
}

const en = {
  'app.title': 'Chats',
  'app.loading': 'Loading…',
  'app.noBackend': 'The Switchboard backend is not available. Open the app window or run it under wails dev.',
  'app.partMissing': 'Something went wrong, and part of the app could not be loaded to say what. Restart Switchboard.',
  'app.demo': 'Demo data',
  // First run and daily use (issue 13): the empty inbox, the demo, sending and queued messages.
  'inbox.noChannelsTitle': 'Connect a channel to start',
  'inbox.noChannels': 'Connect a Telegram bot or a VK community: the people who write to it appear here.',
  'inbox.connect': 'Open Settings → Channels',
  'inbox.waitingTitle': 'Waiting for the first client',
  'inbox.waiting': 'Connected: {channels}. When a client writes, the chat appears here.',
  'app.demoHint': 'Sample people and messages. The demo channels are not connected: nothing is sent.',
  'history.newMessages': 'New messages ↓',
  'wait.title': 'Waiting to be sent',
  'wait.stopped': 'The channel {channel} is not connected (no token or stopped): the message leaves once it is connected in Settings → Channels.',
  'wait.removed': 'The channel of this chat was removed: connect it again in Settings → Channels to send.',
  'wait.revoked': 'The token of {channel} was revoked: enter a new one in Settings → Channels.',
  'wait.conflict': 'Another program is receiving messages of {channel}: the message leaves once it is stopped.',
  'wait.offline': 'No connection to {channel}: trying again in {n} s.',
  'wait.offlineNow': 'No connection to {channel}: trying again.',
  'wait.rateLimited': '{channel} asked to wait: {n} s.',
  'status.subscribed': 'Subscribed',
  'status.unsubscribed': 'Unsubscribed',
  'channel.telegram': 'Telegram',
  'channel.vk': 'VK',
  'chat.none': 'Select a person on the left to open the chat',
  'chat.channels': 'Communication channels',
  'chat.markRead': 'Mark as read',
  'chat.markReadHint': 'Mark as read (Shift+Enter)',
  'history.label': 'Message history',
  'history.empty': 'No messages yet',
  'history.emptyFiltered': 'No messages match the filter',
  'history.loadingOlder': 'Loading older messages…',
  'history.filter': 'Message filter',
  'history.filterWords': 'Words in this chat',
  'history.filterSenders': 'Sender',
  'history.filterIndicators': 'Client actions only',
  'history.filterAttachments': 'With attachments',
  'history.filterClear': 'Clear',
  'history.today': 'Today',
  'history.yesterday': 'Yesterday',
  'sender.client': 'Client',
  'sender.bot': 'Bot',
  'sender.admin': 'Group admin',
  'sender.manager': 'Manager',
  'sender.you': 'You',
  'sender.system': 'System',
  'composer.placeholder': 'Message… (Ctrl+Enter to send)',
  'composer.send': 'Send',
  'composer.replyTo': 'Reply to {name}',
  'composer.cancelReply': 'Cancel reply (Esc)',
  'composer.empty': 'Type a message first',
  'composer.tooLong': 'The message is too long: {n} of {max} characters',
  'composer.note': 'Tag a manager / comment (Ctrl+Shift+A)',
  'composer.save': 'Save',
  'composer.cancel': 'Cancel',
  'card.label': 'Client card',
  'card.close': 'Close (Esc)',
  'toast.close': 'Dismiss',
  // The header's buttons for the screens loaded when first opened (their own words come with them).
  'header.openSettings': 'Settings',
  'header.openReport': 'Dialogues report',
  'toast.queued': 'Message queued',
  'size.b': '{n} B',
  'size.kb': '{n} KB',
  'size.mb': '{n} MB',
} as const;

export type I18nKey = keyof typeof en;

const ru: Record<I18nKey, string> = {
  'app.title': 'Чаты',
  'app.loading': 'Загрузка…',
  'app.noBackend': 'Нет связи с ядром Switchboard. Откройте окно приложения или запустите его через wails dev.',
  'app.partMissing': 'Что-то пошло не так, а часть приложения, которая это объясняет, не загрузилась. Перезапустите Switchboard.',
  'app.demo': 'Демо-данные',
  // First run and daily use (issue 13): the empty inbox, the demo, sending and queued messages.
  'inbox.noChannelsTitle': 'Подключите канал связи',
  'inbox.noChannels': 'Подключите Telegram-бота или сообщество ВКонтакте: здесь появятся люди, которые им пишут.',
  'inbox.connect': 'Открыть Настройки → Каналы связи',
  'inbox.waitingTitle': 'Ждём первого клиента',
  'inbox.waiting': 'Подключено: {channels}. Когда клиент напишет, его чат появится здесь.',
  'app.demoHint': 'Примеры людей и сообщений. Демо-каналы не подключены: ничего не отправляется.',
  'history.newMessages': 'Новые сообщения ↓',
  'wait.title': 'Ожидает отправки',
  'wait.stopped': 'Канал {channel} не подключён (нет токена или остановлен): сообщение уйдёт, когда его подключат в Настройках → Каналы связи.',
  'wait.removed': 'Канал этого чата удалён: подключите его снова в Настройках → Каналы связи, чтобы отправить.',
  'wait.revoked': 'Токен канала {channel} отозван: введите новый в Настройках → Каналы связи.',
  'wait.conflict': 'Сообщения канала {channel} получает другая программа: сообщение уйдёт, когда её остановят.',
  'wait.offline': 'Нет связи с {channel}: повтор через {n} с.',
  'wait.offlineNow': 'Нет связи с {channel}: повторяем.',
  'wait.rateLimited': '{channel} просит подождать: {n} с.',
  'status.subscribed': 'Подписан',
  'status.unsubscribed': 'Отписан',
  'channel.telegram': 'Telegram',
  'channel.vk': 'ВКонтакте',
  'chat.none': 'Выберите человека слева, чтобы открыть чат',
  'chat.channels': 'Каналы связи',
  'chat.markRead': 'Прочитано',
  'chat.markReadHint': 'Отметить прочитанным (Shift+Enter)',
  'history.label': 'История переписки',
  'history.empty': 'Сообщений пока нет',
  'history.emptyFiltered': 'Нет сообщений под фильтр',
  'history.loadingOlder': 'Загрузка старых сообщений…',
  'history.filter': 'Фильтр сообщений',
  'history.filterWords': 'Слова в этом чате',
  'history.filterSenders': 'Отправитель',
  'history.filterIndicators': 'Только действия клиента',
  'history.filterAttachments': 'С вложениями',
  'history.filterClear': 'Очистить',
  'history.today': 'Сегодня',
  'history.yesterday': 'Вчера',
  'sender.client': 'Клиент',
  'sender.bot': 'Бот',
  'sender.admin': 'Администратор группы',
  'sender.manager': 'Менеджер',
  'sender.you': 'Вы',
  'sender.system': 'Система',
  'composer.placeholder': 'Сообщение… (Ctrl+Enter — отправить)',
  'composer.send': 'Отправить',
  'composer.replyTo': 'Ответ для {name}',
  'composer.cancelReply': 'Отменить ответ (Esc)',
  'composer.empty': 'Сначала введите сообщение',
  'composer.tooLong': 'Сообщение слишком длинное: {n} из {max} символов',
  'composer.note': 'Отметить менеджера / комментарий (Ctrl+Shift+A)',
  'composer.save': 'Сохранить',
  'composer.cancel': 'Отмена',
  'card.label': 'Карточка клиента',
  'card.close': 'Закрыть (Esc)',
  'toast.close': 'Закрыть',
  'header.openSettings': 'Настройки',
  'header.openReport': 'Отчёт по диалогам',
  'toast.queued': 'Сообщение в очереди',
  'size.b': '{n} Б',
  'size.kb': '{n} КБ',
  'size.mb': '{n} МБ',
};

const appWords = defineWords('app', en, ru);

export const dictionaries = appWords.dictionaries;

export type TFunc = Translate<I18nKey>;

export function translate(locale: Locale, key: I18nKey, vars?: Vars): string {
  return appWords.t[locale](key, vars);
}

export function makeT(locale: Locale): TFunc {
  return appWords.t[locale];
}

/** The first locale: the OS/browser language until Bootstrap says otherwise. */
export function detectLocale(lang: string | undefined): Locale {
  return lang && lang.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export interface I18nValue {
  locale: Locale;
  t: TFunc;
}

// The language is shared through a small store, not a React context: the UI runs on Preact
// (vite.config.ts), whose context providers kept every earlier tree of what they wrap in memory
// (preactjs/preact#4909: the web process grew ~0.5 MB per chat opened). There is one language per
// window, so a module-level value loses nothing.
let current: I18nValue = { locale: 'en', t: makeT('en') };
const listeners = new Set<() => void>();

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

/** I18nProvider sets the UI's language; everything rendered below reads it with useI18n. */
export function I18nProvider({ value, children }: { value: I18nValue; children?: ReactNode }): ReactNode {
  // Set before the children render, so they render in the new language in this same pass;
  // components that skip it (memo) are told after the commit.
  current = value;
  useLayoutEffect(() => {
    for (const l of listeners) l();
  }, [value]);
  return children;
}

// One snapshot function for every reader: with a new one each render, Preact's
// useSyncExternalStore re-ran its layout effect on every render of every reader.
const currentValue = () => current;

export function useI18n(): I18nValue {
  return useSyncExternalStore(subscribe, currentValue);
}
