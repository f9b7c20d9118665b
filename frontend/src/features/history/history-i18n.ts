// The history's own words: indicators (client actions shown in a chat, never sent). The backend
// sends an indicator as data (core.Indicator: a type, names and a reason code); these word it.
// Russian after the seed (shared/seed/chats-ru.txt: «подписка, переподписка, заказ
// предложения, успешная оплата, проваленная оплата…, СТАРТ или СТОП, название туннеля»).
import { defineWords, isKey } from '../../lib/i18n';

const en = {
  'ind.subscription': 'Subscribed',
  'ind.resubscription': 'Subscribed again',
  'ind.unsubscription': 'Unsubscribed',
  'ind.order': 'Order',
  'ind.payment_ok': 'Payment succeeded',
  'ind.payment_failed': 'Payment failed',
  'ind.tunnel_start': 'Tunnel START',
  'ind.tunnel_stop': 'Tunnel STOP',
  'ind.trigger': 'Trigger fired',
  'ind.filter': 'Filter fired',
  'ind.tunnel': 'Tunnel',
  'ind.source': 'Traffic source',
  'ind.tool': 'Lead-generation tool',
  'ind.block': 'Block',
  'ind.offer': 'Offer',
  'ind.amount': 'Amount',
  'ind.code': 'Link code',
  'ind.reason': 'Reason',
  'ind.reason.blocked_bot': 'blocked the bot or denied messages',
  'ind.reason.card_declined': 'the card was declined',
  'ind.reason.unknown': 'code {code}',
} as const;

export type HistoryKey = keyof typeof en;

const ru: Record<HistoryKey, string> = {
  'ind.subscription': 'Подписка',
  'ind.resubscription': 'Переподписка',
  'ind.unsubscription': 'Отписка',
  'ind.order': 'Заказ предложения',
  'ind.payment_ok': 'Успешная оплата',
  'ind.payment_failed': 'Проваленная оплата',
  'ind.tunnel_start': 'Туннель: СТАРТ',
  'ind.tunnel_stop': 'Туннель: СТОП',
  'ind.trigger': 'Сработал триггер',
  'ind.filter': 'Сработал фильтр',
  'ind.tunnel': 'Туннель',
  'ind.source': 'Источник трафика',
  'ind.tool': 'Инструмент лидогенерации',
  'ind.block': 'Блок',
  'ind.offer': 'Предложение',
  'ind.amount': 'Сумма',
  'ind.code': 'Код ссылки',
  'ind.reason': 'Причина',
  'ind.reason.blocked_bot': 'заблокировал бота или запретил сообщения',
  'ind.reason.card_declined': 'карта отклонена',
  'ind.reason.unknown': 'код {code}',
};

export const historyWords = defineWords('history', en, ru);

/** The words key of an indicator's reason code; a code this version does not know shows as itself. */
export function reasonKey(code: string): HistoryKey | undefined {
  const key = `ind.reason.${code}`;
  return code !== 'unknown' && isKey(historyWords, key) ? key : undefined;
}
