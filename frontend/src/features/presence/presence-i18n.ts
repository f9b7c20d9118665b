// Words of the presence line above the composer: who is typing, recording a voice note or has the
// chat open. Russian after the seed ("Вы печатаете...", "Вы, (имя) печатают...").
import { defineWords } from '../../lib/i18n';

const en = {
  'presence.label': 'Who is in this chat',
  'presence.youTyping': 'You are typing…',
  'presence.youAndTyping': 'You, {names} are typing…',
  'presence.oneTyping': '{names} is typing…',
  'presence.manyTyping': '{names} are typing…',
  'presence.youRecording': 'You are recording a voice note…',
  'presence.youAndRecording': 'You, {names} are recording voice notes…',
  'presence.oneRecording': '{names} is recording a voice note…',
  'presence.manyRecording': '{names} are recording voice notes…',
  'presence.alsoViewing': 'Also viewing:',
  'presence.someone': 'A colleague',
} as const;

export type PresenceKey = keyof typeof en;

const ru: Record<PresenceKey, string> = {
  'presence.label': 'Кто в этом чате',
  'presence.youTyping': 'Вы печатаете…',
  'presence.youAndTyping': 'Вы, {names} печатают…',
  'presence.oneTyping': '{names} печатает…',
  'presence.manyTyping': '{names} печатают…',
  'presence.youRecording': 'Вы записываете голосовое сообщение…',
  'presence.youAndRecording': 'Вы, {names} записывают голосовые сообщения…',
  'presence.oneRecording': '{names} записывает голосовое сообщение…',
  'presence.manyRecording': '{names} записывают голосовые сообщения…',
  'presence.alsoViewing': 'Также в чате:',
  'presence.someone': 'Коллега',
};

export const presenceWords = defineWords('presence', en, ru);
