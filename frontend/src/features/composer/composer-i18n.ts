// The rich composer's words, registered with the one i18n mechanism (src/lib/i18n.ts): `ru` is
// typed as Record<Key, string>, so the compiler rejects a missing or an extra key.
import { defineWords, useWords, type Translate, type Vars } from '../../lib/i18n';
import type { Locale } from '../../lib/types';

const en = {
  'note.title': 'Tag a manager or leave a comment',
  'note.managers': 'Managers',
  'note.comment': 'Comment (optional)',
  'note.add': 'Add to chat',
  'note.needSomething': 'Pick a manager or write a comment',
  'tpl.button': 'Chat templates',
  'tpl.title': 'Chat templates',
  'tpl.empty': 'No chat templates yet. Add them in Settings → Chat templates.',
  'tpl.insert': 'Insert “{name}”',
  'emoji.button': 'Emoji',
  'emoji.title': 'Emoji',
  'attach.button': 'Attach files',
  'attach.pick': 'Choose files to attach',
  'attach.remove': 'Remove {name}',
  'attach.drop': 'Drop files to attach',
  'attach.staging': 'Attaching…',
  'constructor.button': 'Message constructor',
  'constructor.title': 'Message constructor',
  'constructor.hint': 'Build one message from parts. The client receives them in this order.',
  'constructor.add': 'Add',
  'constructor.empty': 'No parts yet: add text, a picture, a link, a video, a template or a file.',
  'constructor.save': 'Save message',
  'constructor.sending': 'Sending…',
  'constructor.up': 'Move up',
  'constructor.down': 'Move down',
  'constructor.remove': 'Remove part',
  'constructor.drag': 'Drag to reorder',
  'constructor.text': 'Text',
  'constructor.image': 'Image',
  'constructor.link': 'Link',
  'constructor.video': 'Video',
  'constructor.template': 'Template',
  'constructor.file': 'File',
  'constructor.textPlaceholder': 'Text of this part',
  'constructor.urlPlaceholder': 'https://…',
  'constructor.linkTitle': 'Title (optional)',
  'constructor.orUrl': 'or a link to it',
  'constructor.chooseFile': 'Choose a file…',
  'constructor.chooseTemplate': 'Choose a template…',
  'constructor.caption': 'Caption (optional)',
  'constructor.draftKept': 'Closing keeps this message as a draft.',
  'constructor.partN': 'Part {n}: {kind}',
  'voice.hold': 'Hold to record a voice message; release to send, drag away or press Esc to cancel',
  'voice.recording': 'Recording',
  'voice.release': 'Release to send · drag away or Esc to cancel',
  'voice.canceled': 'Voice message discarded',
  'voice.sent': 'Voice message sent',
  'voice.autoSent': 'The voice message reached 5 minutes and was sent.',
  'voice.level': 'Microphone level',
  'player.play': 'Play',
  'player.pause': 'Pause',
  'player.progress': 'Playback position',
  'player.unavailable': 'The file is not downloaded yet',
  'draft.saveFailed': 'The draft could not be saved: {text}',
};

export type ComposerKey = keyof typeof en;

const ru: Record<ComposerKey, string> = {
  'note.title': 'Добавить менеджера или комментарий',
  'note.managers': 'Менеджеры',
  'note.comment': 'Комментарий (необязательно)',
  'note.add': 'Добавить в чат',
  'note.needSomething': 'Выберите менеджера или напишите комментарий',
  'tpl.button': 'Шаблоны чата',
  'tpl.title': 'Шаблоны чата',
  'tpl.empty': 'Шаблонов пока нет. Добавьте их в Настройках → Шаблоны чата.',
  'tpl.insert': 'Вставить «{name}»',
  'emoji.button': 'Эмодзи',
  'emoji.title': 'Эмодзи',
  'attach.button': 'Прикрепить файлы',
  'attach.pick': 'Выберите файлы',
  'attach.remove': 'Убрать {name}',
  'attach.drop': 'Отпустите, чтобы прикрепить',
  'attach.staging': 'Прикрепляем…',
  'constructor.button': 'Конструктор сообщений',
  'constructor.title': 'Конструктор сообщений',
  'constructor.hint': 'Соберите одно сообщение из частей. Клиент получит их в этом порядке.',
  'constructor.add': 'Добавить',
  'constructor.empty': 'Частей пока нет: добавьте текст, картинку, ссылку, видео, шаблон или файл.',
  'constructor.save': 'Сохранить сообщение',
  'constructor.sending': 'Отправляем…',
  'constructor.up': 'Выше',
  'constructor.down': 'Ниже',
  'constructor.remove': 'Удалить часть',
  'constructor.drag': 'Перетащите, чтобы изменить порядок',
  'constructor.text': 'Текст',
  'constructor.image': 'Картинка',
  'constructor.link': 'Ссылка',
  'constructor.video': 'Видео',
  'constructor.template': 'Шаблон',
  'constructor.file': 'Файл',
  'constructor.textPlaceholder': 'Текст этой части',
  'constructor.urlPlaceholder': 'https://…',
  'constructor.linkTitle': 'Заголовок (необязательно)',
  'constructor.orUrl': 'или ссылка на него',
  'constructor.chooseFile': 'Выбрать файл…',
  'constructor.chooseTemplate': 'Выберите шаблон…',
  'constructor.caption': 'Подпись (необязательно)',
  'constructor.draftKept': 'Если закрыть, сообщение останется черновиком.',
  'constructor.partN': 'Часть {n}: {kind}',
  'voice.hold': 'Удерживайте, чтобы записать голосовое; отпустите — отправится, уведите курсор или нажмите Esc — отмена',
  'voice.recording': 'Запись',
  'voice.release': 'Отпустите, чтобы отправить · уведите или Esc — отмена',
  'voice.canceled': 'Голосовое сообщение отменено',
  'voice.sent': 'Голосовое сообщение отправлено',
  'voice.autoSent': 'Голосовое сообщение достигло 5 минут и отправлено.',
  'voice.level': 'Уровень микрофона',
  'player.play': 'Воспроизвести',
  'player.pause': 'Пауза',
  'player.progress': 'Позиция воспроизведения',
  'player.unavailable': 'Файл ещё не загружен',
  'draft.saveFailed': 'Не удалось сохранить черновик: {text}',
};

const composerWords = defineWords('composer', en, ru);

export const composerDictionaries = composerWords.dictionaries;

export type ComposerT = Translate<ComposerKey>;

export function translateComposer(locale: Locale, key: ComposerKey, vars?: Vars): string {
  return composerWords.t[locale](key, vars);
}

/** The composer's words in the app's current language. */
export function useComposerT(): { t: ComposerT; locale: Locale } {
  return useWords(composerWords);
}
