// Why a chat's queued messages wait, in words, from its channel's live status: a clock alone does
// not tell a manager that the bot has no token or the network is down.
import type { TFunc } from '../../lib/i18n';
import type { Channel, ChannelStatus } from '../../lib/types';

/** The reason, or '' when the channel is up and the message simply has not left yet. */
export function waitReason(channelId: number, channels: Channel[], statuses: ReadonlyMap<number, ChannelStatus>, t: TFunc): string {
  const ch = channels.find((c) => c.id === channelId);
  if (!ch) return t('wait.removed');
  const channel = ch.name;
  // A disabled channel has no poller and no sender: one without a token (the demo's), or one
  // removed in Settings whose chats are kept.
  if (!ch.enabled) return t('wait.stopped', { channel });
  const st = statuses.get(channelId);
  switch (st?.state) {
    case undefined:
    case 'connected':
    case 'polling':
      return '';
    case 'stopped':
      return t('wait.stopped', { channel });
    case 'revoked':
      return t('wait.revoked', { channel });
    case 'conflict':
      return t('wait.conflict', { channel });
    case 'offline':
      return st.retryIn > 0 ? t('wait.offline', { channel, n: st.retryIn }) : t('wait.offlineNow', { channel });
    case 'rate_limited':
      return t('wait.rateLimited', { channel, n: st.retryIn });
  }
  return '';
}
