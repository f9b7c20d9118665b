// Settings → Channels: connected bots and communities with their live status and last error,
// adding (token checked first) and removing (with confirmation), and the keyring warning.
import { AdminOnlyNote } from './AdminOnlyNote';
import { useCompanyReadOnly } from './useCompanyReadOnly';
import { useEffect, useState } from 'react';
import { Avatar } from '../../lib/Avatar';
import { ChannelIcon } from '../../lib/icons';
import { useToast } from '../../lib/toast';
import type { ChannelKind } from '../../lib/types';
import { settingsApi, type ChannelView } from '../../lib/settingsApi';
import { AddChannelDialog } from './AddChannelDialog';
import { ConfirmDialog } from './Dialog';
import { remainingRetry, statusView } from './model';
import { useSettingsT } from './settings-i18n';
import { useTick, type ChannelsState } from './useChannels';
import { useSettingsError } from './useSettingsError';
import { errorCodeText } from '../../lib/errors';

export function ChannelsSection({ channels }: { channels: ChannelsState }) {
  const { t, locale } = useSettingsT();
  const errText = useSettingsError();
  const { notify } = useToast();
  const [keyring, setKeyring] = useState<string | null>(null); // null = not checked yet
  const [adding, setAdding] = useState<ChannelKind | null>(null);
  const [removing, setRemoving] = useState<ChannelView | null>(null);
  const [busy, setBusy] = useState(false);
  const { views, loading, error, reload } = channels;
  const readOnly = useCompanyReadOnly();
  const editable = readOnly === false; // unknown yet: neither the forms nor the note

  useEffect(() => {
    let live = true;
    settingsApi
      .KeyringStatus()
      .then((s) => live && setKeyring(s))
      .catch((e: unknown) => live && setKeyring(errText(e)));
    return () => {
      live = false;
    };
  }, [errText]);

  const counting = views.some((v) => (v.status?.retryIn ?? 0) > 0);
  const now = useTick(counting);

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await settingsApi.RemoveChannel(removing.channel.id);
      notify(t('ch.removed'), 'info');
      setRemoving(null);
      await reload();
    } catch (e) {
      notify(errText(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  const reconnect = async (id: number) => {
    try {
      await settingsApi.ReconnectChannel(id);
      await reload();
    } catch (e) {
      notify(errText(e), 'error');
    }
  };

  const removeWebhook = async (id: number) => {
    try {
      await settingsApi.DeleteChannelWebhook(id);
      notify(t('ch.webhookRemoved'), 'info');
      await reload();
    } catch (e) {
      notify(errText(e), 'error');
    }
  };

  // Without a keyring a token can still be checked (nothing is stored then); connecting fails
  // with the same plain explanation, so the buttons stay usable.
  const noKeyring = keyring !== null && keyring !== '';

  return (
    <section className="sb-set-section" aria-labelledby="sb-set-channels-h" data-testid="settings-channels" data-read-only={readOnly || undefined}>
      <h2 id="sb-set-channels-h">{t('nav.channels')}</h2>
      <p className="sb-set-intro">{t('ch.intro')}</p>

      {noKeyring && (
        <div className="sb-set-callout error" role="alert" data-testid="keyring-warning">
          <strong>{t('keyring.missing')}</strong>
          <p>{t('keyring.fix')}</p>
        </div>
      )}

      {readOnly && <AdminOnlyNote testid="channels-read-only" />}
      {editable && (
        <div className="sb-set-toolbar">
          <button type="button" className="sb-set-btn primary" onClick={() => setAdding('telegram')} data-testid="add-telegram">
            <ChannelIcon kind="telegram" /> {t('ch.addTelegram')}
          </button>
          <button type="button" className="sb-set-btn" onClick={() => setAdding('vk')} data-testid="add-vk">
            <ChannelIcon kind="vk" /> {t('ch.addVK')}
          </button>
        </div>
      )}

      {error !== null && (
        <p className="sb-set-error" role="alert">
          {errText(error)}
        </p>
      )}
      {loading ? (
        <p className="sb-set-muted">{t('settings.loading')}</p>
      ) : views.length === 0 ? (
        <p className="sb-set-empty" data-testid="channels-empty">
          {t('ch.none')}
        </p>
      ) : (
        <ul className="sb-set-list" data-testid="channel-list">
          {views.map((v) => {
            const st = v.status ? { ...v.status, retryIn: remainingRetry(v.status, now) } : null;
            const sv = statusView(st, v.channel.enabled, t);
            return (
              <li key={v.channel.id} className={`sb-set-channel${v.channel.enabled ? '' : ' off'}`} data-testid="channel-row" data-channel-id={v.channel.id}>
                <Avatar id={v.channel.id} name={v.channel.name} size={40} />
                <div className="sb-set-channel-main">
                  <div className="sb-set-channel-name">
                    <ChannelIcon kind={v.channel.kind} />
                    <strong>{v.channel.name}</strong>
                    {v.channel.username && <span className="sb-set-muted">@{v.channel.username}</span>}
                  </div>
                  <div className="sb-set-channel-meta">
                    <span className={`sb-set-pill ${sv.tone}`} data-testid="channel-status" data-state={v.status?.state ?? ''}>
                      {sv.text}
                    </span>
                    {v.link && <span className="sb-set-mono">{v.link}</span>}
                    {v.channel.apiUrl && <span className="sb-set-muted">{t('ch.apiUrl', { url: v.channel.apiUrl })}</span>}
                  </div>
                  {v.status?.lastError && (
                    <p className="sb-set-lasterror" data-testid="channel-last-error">
                      {t('ch.lastError', { text: errorCodeText(v.status.lastError, locale) })}
                    </p>
                  )}
                  {sv.explain && <p className="sb-set-explain">{t(sv.explain)}</p>}
                  {!v.channel.enabled && <p className="sb-set-explain">{t('ch.reconnectHint')}</p>}
                  {sv.retry && editable && (
                    <button type="button" className="sb-set-btn" onClick={() => void reconnect(v.channel.id)} data-testid="channel-retry">
                      {t('ch.retry')}
                    </button>
                  )}
                  {sv.webhook && editable && (
                    <button type="button" className="sb-set-btn" onClick={() => void removeWebhook(v.channel.id)} data-testid="channel-remove-webhook">
                      {t('ch.removeWebhook')}
                    </button>
                  )}
                </div>
                {v.channel.enabled && editable && (
                  <button
                    type="button"
                    className="sb-set-btn danger"
                    onClick={() => setRemoving(v)}
                    aria-label={`${t('ch.remove')}: ${v.channel.name}`}
                    data-testid="channel-remove"
                  >
                    {t('ch.remove')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}

      {adding && (
        <AddChannelDialog
          kind={adding}
          onClose={() => setAdding(null)}
          onAdded={(ch) => {
            setAdding(null);
            notify(t('add.added', { name: ch.name }), 'info');
            void reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={t('ch.removeTitle')}
          text={t('ch.removeText', { name: removing.channel.name })}
          confirmLabel={t('ch.removeYes')}
          busy={busy}
          onConfirm={remove}
          onCancel={() => setRemoving(null)}
          testid="remove-channel-dialog"
        />
      )}
    </section>
  );
}
