// What an empty workspace says: with no channel connected, how to connect one (one click to
// Settings → Channels); with channels, that the inbox waits for the first client.
import { useI18n } from '../../lib/i18n';
import { channelsStore } from '../workspace/channels';
import { openSettings } from '../workspace/store';
import './list.css';

export function InboxEmpty() {
  const { t } = useI18n();
  const channels = channelsStore.use((s) => s.channels);
  const connected = channels.filter((c) => c.enabled);
  if (connected.length === 0) {
    return (
      <div className="empty inbox-empty" data-testid="inbox-empty" data-state="no-channels">
        <strong>{t('inbox.noChannelsTitle')}</strong>
        <p>{t('inbox.noChannels')}</p>
        <button type="button" className="btn btn-primary" data-testid="inbox-connect" onClick={() => openSettings('channels')}>
          {t('inbox.connect')}
        </button>
      </div>
    );
  }
  return (
    <div className="empty inbox-empty" data-testid="inbox-empty" data-state="waiting">
      <strong>{t('inbox.waitingTitle')}</strong>
      <p>{t('inbox.waiting', { channels: connected.map((c) => c.name).join(', ') })}</p>
    </div>
  );
}
