// The notification bell's words. Registered with the one i18n mechanism
// (src/lib/i18n.ts); `ru` is typed by `en`'s keys, so a missing or an extra key does not compile.
import { defineWords } from '../../lib/i18n';

const en = {
  'notify.button': 'Notifications',
  'notify.title': 'Notifications',
  'notify.empty': 'Nothing new',
  'notify.open': 'Open chat',
  'notify.dismiss': 'Dismiss',
  'notify.mention': 'tagged you',
  'notify.message': 'New message',
  'notify.task': 'Task due',
} as const;

export type NotificationsKey = keyof typeof en;

const ru: Record<NotificationsKey, string> = {
  'notify.button': 'Уведомления',
  'notify.title': 'Уведомления',
  'notify.empty': 'Ничего нового',
  'notify.open': 'Ссылка на чат',
  'notify.dismiss': 'Скрыть',
  'notify.mention': 'отметил(а) вас',
  'notify.message': 'Новое сообщение',
  'notify.task': 'Срок задачи',
};

export const notificationsWords = defineWords('notifications', en, ru);
