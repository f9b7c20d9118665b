// The one error table. Every code Go can return (backend/inbox/errors.go, listed in
// errorCodes.ts, which a Go test keeps equal to Go's list) and every code the UI raises itself
// has words here in Russian and English; the compiler rejects a code without them. Go's message
// never reaches the person: it is for the developer console.
import { ApiError, BackendMissingError } from './api';
import type { GoErrorCode } from './errorCodes';
import type { Locale } from './types';

/** Codes the UI raises itself: a binding this build lacks, no backend at all. */
type UIErrorCode = 'not_available' | 'backend';

export type ErrorCode = GoErrorCode | UIErrorCode;

type Words = Record<Locale, string>;

export const errorWords: Record<ErrorCode, Words> = {
  internal: {
    en: 'Something went wrong. Try again; if it keeps happening, restart Switchboard.',
    ru: 'Что-то пошло не так. Попробуйте ещё раз; если повторится, перезапустите Switchboard.',
  },
  backend: { en: 'The app backend is not available.', ru: 'Ядро приложения недоступно.' },
  not_available: {
    en: 'This version of Switchboard cannot do that yet.',
    ru: 'Эта версия Switchboard пока так не умеет.',
  },
  not_found: { en: 'Not found: it may have been deleted.', ru: 'Не найдено: возможно, уже удалено.' },
  delete_window: { en: 'The message can no longer be deleted.', ru: 'Это сообщение уже нельзя удалить.' },
  not_editable: { en: 'This message cannot be changed.', ru: 'Это сообщение нельзя изменить.' },
  text_too_long: { en: 'The text is too long for this messenger.', ru: 'Текст слишком длинный для этого мессенджера.' },
  empty_message: { en: 'The message is empty.', ru: 'Сообщение пустое.' },
  not_failed: { en: 'This message has not failed: there is nothing to retry.', ru: 'Это сообщение не сорвалось: повторять нечего.' },
  invalid: { en: 'Check what you entered and try again.', ru: 'Проверьте введённое и попробуйте снова.' },
  team_unsupported: {
    en: 'Connected to a team hub, this cannot be done from the desktop yet.',
    ru: 'При подключении к серверу команды это пока нельзя сделать с компьютера.',
  },
  token_rejected: {
    en: 'The messenger rejected the token: check it and paste it again.',
    ru: 'Мессенджер отклонил токен: проверьте его и вставьте снова.',
  },
  no_token: { en: 'Enter the token.', ru: 'Введите токен.' },
  bad_api_url: {
    en: 'The Bot API server must be an http:// or https:// address.',
    ru: 'Адрес сервера Bot API должен начинаться с http:// или https://.',
  },
  bad_group_id: {
    en: 'The community id is a number (club123 and -123 work too).',
    ru: 'ID сообщества — это число (подойдут и club123, и -123).',
  },
  other_community: {
    en: 'This token belongs to another community: check the community id.',
    ru: 'Этот токен принадлежит другому сообществу: проверьте ID сообщества.',
  },
  webhook: {
    en: 'A webhook is set for this bot and blocks polling: remove it to let Switchboard receive messages.',
    ru: 'У бота установлен вебхук, он мешает получать сообщения: удалите его, чтобы Switchboard мог их получать.',
  },
  conflict: {
    en: 'Another program is polling this bot: stop it and try again.',
    ru: 'Этого бота опрашивает другая программа: остановите её и попробуйте снова.',
  },
  rate_limited: {
    en: 'The messenger asks to slow down: try again in a minute.',
    ru: 'Мессенджер просит притормозить: попробуйте через минуту.',
  },
  offline: {
    en: 'Cannot reach the server: check the network or the Bot API server address.',
    ru: 'Не удаётся связаться с сервером: проверьте сеть или адрес сервера Bot API.',
  },
  unreachable: {
    en: 'Cannot reach the server: check the network or the Bot API server address.',
    ru: 'Не удаётся связаться с сервером: проверьте сеть или адрес сервера Bot API.',
  },
  tls: {
    en: 'The server was reached, but its secure connection (TLS certificate) failed: check the address (https://) and the server’s certificate.',
    ru: 'Сервер доступен, но защищённое соединение (сертификат TLS) не удалось установить: проверьте адрес (https://) и сертификат сервера.',
  },
  server_error: {
    en: 'The server answered with an error{detail}: it is reachable but not working; try again later or check the server.',
    ru: 'Сервер ответил ошибкой{detail}: он доступен, но не работает; попробуйте позже или проверьте сервер.',
  },
  not_bot_api: {
    en: 'The server answered, but it is not a Bot API server{detail}: check the address.',
    ru: 'Сервер ответил, но это не сервер Bot API{detail}: проверьте адрес.',
  },
  insecure_api_url: {
    en: 'A Bot API server on another machine must use https://: plain http:// would send the bot’s token unencrypted.',
    ru: 'Сервер Bot API на другом компьютере должен работать по https://: по http:// токен бота ушёл бы незашифрованным.',
  },
  rejected: { en: 'The messenger refused this action.', ru: 'Мессенджер отказал в этом действии.' },
  not_running: {
    en: 'The channel is not connected: check Settings → Channels.',
    ru: 'Канал не подключён: проверьте Настройки → Каналы.',
  },
  no_keyring: {
    en: 'No system keyring: tokens cannot be stored. Install and unlock GNOME Keyring or KeePassXC (Secret Service).',
    ru: 'Нет системного хранилища ключей: токены негде хранить. Установите и разблокируйте GNOME Keyring или KeePassXC (Secret Service).',
  },
  no_engine: {
    en: 'Channels are not running in this window: restart Switchboard and try again.',
    ru: 'Каналы в этом окне не запущены: перезапустите Switchboard и попробуйте снова.',
  },
  duplicate: { en: 'This is already used: choose another.', ru: 'Это значение уже занято: выберите другое.' },
  lead_link_empty: {
    en: 'Name a sales plan, a traffic source or a tool for the link.',
    ru: 'Укажите для ссылки план продаж, источник трафика или инструмент.',
  },
  lead_link_code: {
    en: 'The link code may hold only Latin letters, digits, _ and - (up to 64).',
    ru: 'Код ссылки может содержать только латинские буквы, цифры, _ и - (до 64).',
  },
  template_exists: { en: 'A template with this name already exists.', ru: 'Шаблон с таким названием уже есть.' },
  template_name: { en: 'A template needs a name.', ru: 'Шаблону нужно название.' },
  dialogue_closed: { en: 'This dialogue is already closed. Reopen it first.', ru: 'Диалог уже закрыт. Сначала откройте его снова.' },
  dialogue_open: { en: 'This dialogue is not closed.', ru: 'Диалог не закрыт.' },
  dialogue_option_exists: { en: 'The list already has an entry with this name.', ru: 'В списке уже есть пункт с таким названием.' },
  dialogue_option_name: { en: 'An entry needs a name (up to 100 characters).', ru: 'Пункту нужно название (до 100 символов).' },
  dialogue_option_unknown: {
    en: 'This type, reason or component is not on the lists. Ask an admin to add it in Settings.',
    ru: 'Такого типа, причины или компонента нет в списках. Попросите администратора добавить его в настройках.',
  },
  no_microphone: {
    en: 'No microphone found. Connect a microphone (or allow Switchboard to use it in the system settings) and try again.',
    ru: 'Микрофон не найден. Подключите микрофон (или разрешите Switchboard использовать его в настройках системы) и попробуйте снова.',
  },
  microphone_lost: {
    en: 'The microphone stopped while recording. Check that it is connected.',
    ru: 'Микрофон отключился во время записи. Проверьте подключение.',
  },
  voice_empty: { en: 'Nothing was recorded.', ru: 'Ничего не записалось.' },
  voice_busy: { en: 'A voice message is already being recorded.', ru: 'Голосовое сообщение уже записывается.' },
  not_recording: { en: 'No voice message is being recorded.', ru: 'Голосовое сообщение не записывается.' },
  file_too_large: {
    en: 'The file is too large for this messenger (Telegram: 50 MB; VK: 50 MB for pictures, 200 MB for files).',
    ru: 'Файл слишком большой для этого мессенджера (Telegram: 50 МБ; ВКонтакте: 50 МБ для картинок, 200 МБ для файлов).',
  },
  bad_attachment: {
    en: 'This attachment is no longer available. Attach the file again.',
    ru: 'Это вложение больше недоступно. Прикрепите файл заново.',
  },
  bad_part: {
    en: 'A part of the message is not valid (links must start with http:// or https://).',
    ru: 'Часть сообщения заполнена неверно (ссылки должны начинаться с http:// или https://).',
  },
  draft_too_large: { en: 'The draft is too large to keep.', ru: 'Черновик слишком большой, чтобы его сохранить.' },
  bad_constructor: { en: 'The constructor draft is damaged.', ru: 'Черновик конструктора повреждён.' },
  task_title: {
    en: 'A task needs a title (up to 500 characters).',
    ru: 'Задаче нужно название (до 500 символов).',
  },
  task_due: { en: 'Choose a valid due date and time.', ru: 'Укажите правильные дату и время срока.' },
  unknown_assignee: {
    en: 'This manager no longer exists: choose another assignee.',
    ru: 'Такого менеджера больше нет: выберите другого исполнителя.',
  },
  assignee_disabled: {
    en: 'This manager’s account is disabled: choose another assignee.',
    ru: 'Учётная запись этого менеджера отключена: выберите другого исполнителя.',
  },
  mention_disabled: {
    en: 'A manager you tagged has a disabled account and would never see it: remove them from the note.',
    ru: 'Учётная запись отмеченного менеджера отключена, и он не увидит отметку: уберите его из заметки.',
  },
  claimed: {
    en: '{owner} has already taken this chat.',
    ru: 'Этот чат уже взял(а) {owner}.',
  },
  admin_only: {
    en: 'Only an administrator can take over or release another manager’s chat.',
    ru: 'Забрать или освободить чужой чат может только администратор.',
  },
  // Failure reasons carried as data: of a message the messenger did not take, of a channel's polling.
  blocked: {
    en: 'The client has blocked the bot or does not accept its messages.',
    ru: 'Клиент заблокировал бота или не принимает от него сообщения.',
  },
  not_connected: {
    en: 'The channel is not connected; the message waits for it.',
    ru: 'Канал не подключён; сообщение ждёт подключения.',
  },
  not_confirmed: {
    en: 'Not confirmed: the app stopped while sending this message, so it may or may not have arrived. Retry to send it again.',
    ru: 'Не подтверждено: приложение закрылось во время отправки, сообщение могло и не дойти. Нажмите «Повторить», чтобы отправить его снова.',
  },
  no_channel_token: {
    en: 'No token is stored for this channel: connect it again in Settings → Channels.',
    ru: 'Для этого канала не сохранён токен: подключите его заново в Настройках → Каналы.',
  },
  disk_full: {
    en: 'This computer’s disk is full: nothing was changed. Free some space and try again.',
    ru: 'Диск этого компьютера заполнен: ничего не изменено. Освободите место и повторите.',
  },
  hub_disk_full: {
    en: 'The team hub’s disk is full: your changes wait on this computer and go as soon as the hub has room.',
    ru: 'Диск сервера команды заполнен: ваши изменения ждут на этом компьютере и уйдут, как только на сервере появится место.',
  },
  store_failed: {
    en: 'Incoming messages could not be saved on this computer; they will come again. Check the free disk space.',
    ru: 'Входящие сообщения не удалось сохранить на этом компьютере; они придут снова. Проверьте свободное место на диске.',
  },
  no_session_bus: {
    en: 'there is no D-Bus session bus, so no system tray',
    ru: 'нет сессионной шины D-Bus, а значит и системного трея',
  },
  no_tray_host: {
    en: 'this desktop has no system tray; for GNOME, install the AppIndicator extension',
    ru: 'на этом рабочем столе нет системного трея; для GNOME установите расширение AppIndicator',
  },
  // Team mode: the desktop talking to a team hub (backend/hubclient).
  hub_bad_url: {
    en: 'Enter the hub’s address, like https://hub.example.com.',
    ru: 'Введите адрес хаба, например https://hub.example.com.',
  },
  hub_insecure_url: {
    en: 'The hub’s address must start with https://: over plain http:// the password would cross the network unprotected.',
    ru: 'Адрес хаба должен начинаться с https://: по обычному http:// пароль шёл бы по сети незащищённым.',
  },
  hub_unreachable: {
    en: 'Cannot reach the hub: check the address and the network.',
    ru: 'Не удаётся связаться с хабом: проверьте адрес и сеть.',
  },
  hub_tls: {
    en: 'The hub’s secure connection (TLS certificate) failed: check the address (https:// or http://) and the hub’s certificate.',
    ru: 'Не удалось установить защищённое соединение с хабом (сертификат TLS): проверьте адрес (https:// или http://) и сертификат хаба.',
  },
  hub_not_a_hub: {
    en: 'Something answered at this address, but it is not a Switchboard hub: check the address.',
    ru: 'По этому адресу что-то отвечает, но это не хаб Switchboard: проверьте адрес.',
  },
  hub_other_version: {
    en: 'The hub runs another version of Switchboard{detail}: update the hub or this app so they match.',
    ru: 'На хабе другая версия Switchboard{detail}: обновите хаб или это приложение, чтобы версии совпали.',
  },
  hub_server_error: {
    en: 'The hub answered with an error{detail}: try again later or ask your administrator.',
    ru: 'Хаб ответил ошибкой{detail}: попробуйте позже или обратитесь к администратору.',
  },
  hub_login_failed: {
    en: 'Wrong e-mail or password, or the account is disabled.',
    ru: 'Неверный e-mail или пароль, либо учётная запись отключена.',
  },
  hub_rate_limited: {
    en: 'Too many sign-in attempts: try again in {n} s.',
    ru: 'Слишком много попыток входа: попробуйте через {n} с.',
  },
  hub_session_ended: {
    en: 'Your session at the hub has ended (signed out, expired, the password changed or the account was disabled): sign in again.',
    ru: 'Сеанс на хабе завершён (выход, истёк срок, сменён пароль или учётная запись отключена): войдите снова.',
  },
  hub_forbidden: { en: 'Only an administrator can do this.', ru: 'Это может сделать только администратор.' },
  hub_not_found: {
    en: 'Not found at the hub: it may have been removed. Refresh the list.',
    ru: 'На хабе не найдено: возможно, уже удалено. Обновите список.',
  },
  hub_not_connected: {
    en: 'This desktop is not connected to a team hub.',
    ru: 'Этот компьютер не подключён к хабу команды.',
  },
  hub_invalid_email: { en: 'Enter a valid e-mail address.', ru: 'Введите правильный адрес e-mail.' },
  hub_invalid_name: {
    en: 'Enter a name of at most {n} characters, without special characters.',
    ru: 'Введите имя не длиннее {n} символов, без служебных символов.',
  },
  hub_invalid_role: { en: 'Choose a role: administrator or manager.', ru: 'Выберите роль: администратор или менеджер.' },
  hub_password_too_short: {
    en: 'The password is too short: at least {n} characters.',
    ru: 'Пароль слишком короткий: нужно не меньше {n} символов.',
  },
  hub_password_too_long: { en: 'The password is too long.', ru: 'Пароль слишком длинный.' },
  hub_email_taken: {
    en: 'An account with this e-mail already exists.',
    ru: 'Учётная запись с таким e-mail уже есть.',
  },
  hub_last_admin: {
    en: 'The company must keep at least one active administrator.',
    ru: 'В компании должен остаться хотя бы один активный администратор.',
  },
  hub_bad_request: {
    en: 'The hub did not accept the request: update Switchboard, or ask your administrator.',
    ru: 'Хаб не принял запрос: обновите Switchboard или обратитесь к администратору.',
  },
};

/** How a refused edit or delete reads before its reason (core.MessageFailure). */
const failedAction: Record<'edit' | 'delete', Words> = {
  edit: { en: 'Edit not delivered: {reason}', ru: 'Изменение не доставлено: {reason}' },
  delete: { en: 'Not deleted: {reason}', ru: 'Не удалено: {reason}' },
};

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorWords, code);
}

/** The code of a failed call: Go's, the UI's own, or "internal" for anything else. */
export function errorCode(e: unknown): ErrorCode {
  if (e instanceof BackendMissingError) return 'backend';
  if (e instanceof ApiError && isErrorCode(e.code)) return e.code;
  return 'internal';
}

// Codes whose Go message is the server's own status and words (shortened, one line: Go's
// channel.ServerWords), shown in brackets where the words have a {detail} slot. Any other Go
// message is for the developer console only.
const serverDetail: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['server_error', 'not_bot_api', 'hub_server_error', 'hub_other_version']);

// Codes whose Go message is a number for the words' {n} slot (seconds to wait, a length limit).
const numberDetail: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['hub_rate_limited', 'hub_password_too_short', 'hub_invalid_name']);

function withDetail(words: string, detail: string, n = ''): string {
  return words.replace('{detail}', detail ? ` (${detail})` : '').replace('{n}', n || '…');
}

/** Who a "claimed" error names when the owner's name did not come with it. */
const someoneElse: Words = { en: 'Another manager', ru: 'Другой менеджер' };

/** Words for an error in the person's language. The error's own text is logged, never shown. */
export function errorText(e: unknown, locale: Locale): string {
  const code = errorCode(e);
  if (code === 'internal') console.warn('call failed:', e);
  const detail = serverDetail.has(code) && e instanceof ApiError ? e.message : '';
  const n = numberDetail.has(code) && e instanceof ApiError && /^\d+$/.test(e.message) ? e.message : '';
  const words = withDetail(errorWords[code][locale], detail, n);
  if (code !== 'claimed') return words;
  // The owner's name is data (a manager's name), put into our words as it is.
  const owner = (e instanceof ApiError && e.params.owner) || someoneElse[locale];
  return words.replace('{owner}', owner);
}

/** Words for a code carried as data (a voice note's auto-send error, a channel's last error). */
export function errorCodeText(code: string, locale: Locale): string {
  return withDetail(errorWords[isErrorCode(code) ? code : 'internal'][locale], '');
}

/**
 * Words for a message's error column: a failure code, or "edit:<code>" / "delete:<code>" for an
 * edit or a delete the messenger refused (core.MessageFailure).
 */
export function failureText(stored: string, locale: Locale): string {
  const i = stored.indexOf(':');
  const action = i > 0 ? stored.slice(0, i) : '';
  if (action === 'edit' || action === 'delete') {
    const reason = errorCodeText(stored.slice(i + 1), locale);
    return failedAction[action][locale].replace('{reason}', reason.charAt(0).toLowerCase() + reason.slice(1));
  }
  return errorCodeText(stored, locale);
}
