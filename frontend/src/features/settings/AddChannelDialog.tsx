// "Add Telegram bot" / "Add VK community": the token is checked first and the bot shown; only
// "Connect" stores anything. The token lives in this component's state until it closes, is typed
// into a password field and is never displayed again.
import { useState, type FormEvent } from 'react';
import { Avatar } from '../../lib/Avatar';
import type { Channel, ChannelKind } from '../../lib/types';
import { settingsApi, type BotInfo } from '../../lib/settingsApi';
import { Dialog } from './Dialog';
import { isWebhookError, normaliseGroupId, validApiUrl } from './model';
import { useSettingsT } from './settings-i18n';
import { useSettingsError } from './useSettingsError';

interface Props {
  kind: ChannelKind;
  onAdded: (ch: Channel) => void;
  onClose: () => void;
}

type Busy = '' | 'check' | 'connect' | 'webhook';

export function AddChannelDialog({ kind, onAdded, onClose }: Props) {
  const { t } = useSettingsT();
  const errText = useSettingsError();
  const [token, setToken] = useState('');
  const [apiUrl, setApiUrl] = useState('');
  const [group, setGroup] = useState('');
  const [info, setInfo] = useState<BotInfo | null>(null);
  const [webhook, setWebhook] = useState(false);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState<Busy>('');
  const tg = kind === 'telegram';

  // validate returns the arguments to send, or sets the error and returns null.
  const validate = (): [string, string] | null => {
    const tok = token.trim();
    if (!tok) {
      setError(t('add.needToken'));
      return null;
    }
    if (tg) {
      if (!validApiUrl(apiUrl)) {
        setError(t('add.badUrl'));
        return null;
      }
      return [tok, apiUrl.trim()];
    }
    const g = normaliseGroupId(group);
    if (!g) {
      setError(t('add.needGroup'));
      return null;
    }
    return [tok, g];
  };

  const check = async (e?: FormEvent) => {
    e?.preventDefault();
    setError('');
    setNotice('');
    const args = validate();
    if (!args) return;
    setBusy('check');
    try {
      const bi = tg ? await settingsApi.CheckTelegramToken(...args) : await settingsApi.CheckVKToken(...args);
      setInfo(bi);
      setWebhook(bi.webhook);
    } catch (err) {
      setInfo(null);
      setError(errText(err));
    } finally {
      setBusy('');
    }
  };

  const connect = async () => {
    setError('');
    const args = validate();
    if (!args) return;
    setBusy('connect');
    try {
      const ch = tg ? await settingsApi.AddTelegramChannel(...args) : await settingsApi.AddVKChannel(...args);
      onAdded(ch);
    } catch (err) {
      if (isWebhookError(err)) setWebhook(true);
      setError(errText(err));
    } finally {
      setBusy('');
    }
  };

  const removeWebhook = async () => {
    setError('');
    setBusy('webhook');
    try {
      await settingsApi.DeleteTelegramWebhook(token.trim(), apiUrl.trim());
      setWebhook(false);
      setNotice(t('ch.webhookRemoved'));
      if (info) setInfo({ ...info, webhook: false });
    } catch (err) {
      setError(errText(err));
    } finally {
      setBusy('');
    }
  };

  // Editing the token or the server after a check invalidates what the check showed.
  const edited = (set: (v: string) => void) => (v: string) => {
    set(v);
    setInfo(null);
    setWebhook(false);
    setError('');
    setNotice('');
  };

  return (
    <Dialog title={tg ? t('add.telegramTitle') : t('add.vkTitle')} onClose={onClose} testid="add-channel-dialog">
      <form className="sb-set-form" onSubmit={(e) => void check(e)} autoComplete="off">
        <label className="sb-set-field">
          <span>{tg ? t('add.token') : t('add.vkToken')}</span>
          <input
            type="password"
            name="sb-channel-token"
            autoComplete="new-password"
            spellCheck={false}
            value={token}
            onChange={(e) => edited(setToken)(e.target.value)}
            data-testid="token-input"
          />
          <small>{tg ? t('add.tokenHint') : t('add.vkTokenHint')}</small>
        </label>
        {tg ? (
          <label className="sb-set-field">
            <span>{t('add.apiUrl')}</span>
            <input
              type="url"
              inputMode="url"
              spellCheck={false}
              placeholder="https://api.telegram.org"
              value={apiUrl}
              onChange={(e) => edited(setApiUrl)(e.target.value)}
              data-testid="api-url-input"
            />
            <small>{t('add.apiUrlHint')}</small>
          </label>
        ) : (
          <label className="sb-set-field">
            <span>{t('add.group')}</span>
            <input inputMode="numeric" spellCheck={false} value={group} onChange={(e) => edited(setGroup)(e.target.value)} data-testid="group-input" />
            <small>{t('add.groupHint')}</small>
          </label>
        )}

        {info && (
          <div className="sb-set-botinfo" data-testid="bot-info">
            <Avatar id={Number(info.externalId) || 1} name={info.name} size={40} />
            <div>
              <div className="sb-set-ok-label">{t('add.found')}</div>
              <strong>{info.name}</strong>
              {info.username && <div className="sb-set-muted">@{info.username}</div>}
            </div>
          </div>
        )}

        {webhook && (
          <div className="sb-set-callout warn" role="alert" data-testid="webhook-callout">
            <strong>{t('add.webhookTitle')}</strong>
            <p>{t('ch.webhookExplain')}</p>
            <button type="button" className="sb-set-btn" onClick={() => void removeWebhook()} disabled={busy !== ''} data-testid="remove-webhook">
              {t('ch.removeWebhook')}
            </button>
          </div>
        )}

        {error && (
          <p className="sb-set-error" role="alert" data-testid="add-error">
            {error}
          </p>
        )}
        {notice && (
          <p className="sb-set-notice" role="status">
            {notice}
          </p>
        )}

        <div className="sb-set-actions">
          <button type="button" className="sb-set-btn" onClick={onClose}>
            {t('settings.cancel')}
          </button>
          {!info ? (
            <button type="submit" className="sb-set-btn primary" disabled={busy !== ''} data-testid="check-token">
              {busy === 'check' ? t('add.checking') : t('add.check')}
            </button>
          ) : (
            <button type="button" className="sb-set-btn primary" disabled={busy !== '' || webhook} onClick={() => void connect()} data-testid="connect-channel">
              {busy === 'connect' ? t('add.connecting') : t('add.connect')}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
