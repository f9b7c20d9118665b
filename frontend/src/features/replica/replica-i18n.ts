// Words of the team-hub status line (a desktop that is a replica of a team hub). Registered with
// the one i18n mechanism (src/lib/i18n.ts).
import { defineWords } from '../../lib/i18n';

const en = {
  'replica.connecting': 'Connecting to the team hub…',
  'replica.bootstrapping': 'Downloading the team’s chats: {done} of {total}',
  'replica.offline': 'Offline — {n} changes waiting',
  'replica.offlineNothing': 'Offline — the team hub cannot be reached',
  'replica.waiting': '{n} changes waiting for the team hub',
  'replica.signedOut': 'Signed out of the team hub: sign in again',
  'replica.diskFull': 'This computer’s disk is full: the team’s new messages wait until you free some space',
  'replica.hubDiskFull': 'The team hub’s disk is full — {n} changes waiting here until it has room',
} as const;

export type ReplicaKey = keyof typeof en;

const ru: Record<ReplicaKey, string> = {
  'replica.connecting': 'Подключение к серверу команды…',
  'replica.bootstrapping': 'Загрузка чатов команды: {done} из {total}',
  'replica.offline': 'Нет связи — ждут отправки: {n}',
  'replica.offlineNothing': 'Нет связи с сервером команды',
  'replica.waiting': 'Ждут отправки на сервер команды: {n}',
  'replica.signedOut': 'Сеанс на сервере команды завершён: войдите снова',
  'replica.diskFull': 'Диск этого компьютера заполнен: новые сообщения команды ждут, пока вы не освободите место',
  'replica.hubDiskFull': 'Диск сервера команды заполнен — ждут отправки здесь: {n}',
};

export const replicaWords = defineWords('replica', en, ru);
