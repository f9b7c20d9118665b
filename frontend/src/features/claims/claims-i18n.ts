// The words of chat claims: who owns the open chat, taking and releasing it, and the line above
// the composer when someone else owns it.
import { defineWords } from '../../lib/i18n';

const en = {
  'claim.unassigned': 'Unassigned',
  'claim.mine': 'Your chat',
  'claim.owner': 'Owner: {name}',
  'claim.take': 'Take chat',
  'claim.takeHint': 'Assign this chat to yourself',
  'claim.takeOver': 'Take over',
  'claim.takeOverHint': 'Reassign this chat from {name} to yourself',
  'claim.release': 'Release',
  'claim.releaseHint': 'Leave this chat unassigned',
  'claim.ownedBy': '{name} owns this chat: you are replying in someone else’s chat.',
  'claim.someone': 'Another manager',
} as const;

export type ClaimsKey = keyof typeof en;

const ru: Record<ClaimsKey, string> = {
  'claim.unassigned': 'Не назначен',
  'claim.mine': 'Ваш чат',
  'claim.owner': 'Ответственный: {name}',
  'claim.take': 'Взять чат',
  'claim.takeHint': 'Назначить этот чат себе',
  'claim.takeOver': 'Забрать себе',
  'claim.takeOverHint': 'Переназначить этот чат с {name} на себя',
  'claim.release': 'Освободить',
  'claim.releaseHint': 'Оставить чат без ответственного',
  'claim.ownedBy': 'Ответственный за этот чат — {name}: вы отвечаете в чужом чате.',
  'claim.someone': 'Другой менеджер',
};

export const claimsWords = defineWords('claims', en, ru);
