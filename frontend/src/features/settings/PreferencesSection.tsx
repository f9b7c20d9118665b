// Settings → Preferences: language, theme, notifications (quiet mode, per channel) and whether
// closing the window hides it to the tray.
import { useEffect, useState } from 'react';
import { ChannelIcon } from '../../lib/icons';
import { useToast } from '../../lib/toast';
import { errorCodeText } from '../../lib/errors';
import type { Locale, ThemeSetting } from '../../lib/types';
import { settingsApi, type DesktopSettings } from '../../lib/settingsApi';
import { useSettingsT } from './settings-i18n';
import type { ChannelsState } from './useChannels';
import { useSettingsError } from './useSettingsError';

interface Props {
  theme: ThemeSetting;
  onLocale: (l: Locale) => void;
  onTheme: (t: ThemeSetting) => void;
  channels: ChannelsState;
}

const themes: ThemeSetting[] = ['light', 'dark', 'system'];

export function PreferencesSection({ theme, onLocale, onTheme, channels }: Props) {
  const { t, locale } = useSettingsT();
  const errText = useSettingsError();
  const { notify } = useToast();
  const [desk, setDesk] = useState<DesktopSettings | null>(null);

  useEffect(() => {
    let live = true;
    settingsApi
      .DesktopSettings()
      .then((d) => live && setDesk(d))
      .catch((e: unknown) => live && notify(errText(e), 'error'));
    return () => {
      live = false;
    };
  }, [errText, notify]);

  // Each switch shows its new value at once and goes back if the write fails.
  const run = async (apply: () => void, undo: () => void, call: () => Promise<void>) => {
    apply();
    try {
      await call();
    } catch (e) {
      undo();
      notify(errText(e), 'error');
    }
  };

  const setLocale = (l: Locale) => {
    if (l === locale) return;
    const prev = locale;
    void run(
      () => onLocale(l),
      () => onLocale(prev),
      () => settingsApi.SetLocale(l),
    );
  };

  const setTheme = (th: ThemeSetting) => {
    if (th === theme) return;
    const prev = theme;
    void run(
      () => onTheme(th),
      () => onTheme(prev),
      () => settingsApi.SetTheme(th),
    );
  };

  const setDeskField = (key: 'muted' | 'closeToTray', on: boolean) => {
    const call = key === 'muted' ? () => settingsApi.SetNotificationsMuted(on) : () => settingsApi.SetCloseToTray(on);
    void run(
      () => setDesk((d) => (d ? { ...d, [key]: on } : d)),
      () => setDesk((d) => (d ? { ...d, [key]: !on } : d)),
      call,
    );
  };

  const setChannelNotify = (id: number, on: boolean) => {
    void run(
      () => channels.setNotify(id, on),
      () => channels.setNotify(id, !on),
      () => settingsApi.SetChannelNotify(id, on),
    );
  };

  // Only connected channels bring new messages to notify about.
  const connected = channels.views.filter((v) => v.channel.enabled);
  const themeLabel: Record<ThemeSetting, string> = { light: t('pref.light'), dark: t('pref.dark'), system: t('pref.system') };

  return (
    <section className="sb-set-section" aria-labelledby="sb-set-pref-h" data-testid="settings-preferences">
      <h2 id="sb-set-pref-h">{t('nav.preferences')}</h2>

      <fieldset className="sb-set-fieldset">
        <legend>{t('pref.language')}</legend>
        <div className="sb-set-segmented" role="radiogroup" aria-label={t('pref.language')}>
          {(['ru', 'en'] as Locale[]).map((l) => (
            <label key={l} className={locale === l ? 'on' : ''}>
              <input type="radio" name="sb-locale" value={l} checked={locale === l} onChange={() => setLocale(l)} data-testid={`pref-locale-${l}`} />
              {l === 'ru' ? 'Русский' : 'English'}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="sb-set-fieldset">
        <legend>{t('pref.theme')}</legend>
        <div className="sb-set-segmented" role="radiogroup" aria-label={t('pref.theme')}>
          {themes.map((th) => (
            <label key={th} className={theme === th ? 'on' : ''}>
              <input type="radio" name="sb-theme" value={th} checked={theme === th} onChange={() => setTheme(th)} data-testid={`pref-theme-${th}`} />
              {themeLabel[th]}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="sb-set-fieldset">
        <legend>{t('pref.notifications')}</legend>
        {desk?.warning && (
          <div className="sb-set-callout warn" role="alert" data-testid="notify-warning">
            {t('pref.notifyWarning')}
          </div>
        )}
        <label className="sb-set-check">
          <input
            type="checkbox"
            checked={desk?.muted ?? false}
            disabled={!desk}
            onChange={(e) => setDeskField('muted', e.target.checked)}
            data-testid="pref-mute"
          />
          {t('pref.mute')}
        </label>
        <div className="sb-set-subhead">{t('pref.perChannel')}</div>
        {connected.length === 0 ? (
          <p className="sb-set-muted">{t('pref.noChannels')}</p>
        ) : (
          connected.map((v) => (
            <label key={v.channel.id} className="sb-set-check">
              <input
                type="checkbox"
                checked={v.notify}
                disabled={desk?.muted ?? false}
                onChange={(e) => setChannelNotify(v.channel.id, e.target.checked)}
                data-testid="pref-channel-notify"
              />
              <ChannelIcon kind={v.channel.kind} /> {v.channel.name}
            </label>
          ))
        )}
      </fieldset>

      <fieldset className="sb-set-fieldset">
        <legend>{t('pref.window')}</legend>
        {desk?.trayWarning && (
          <div className="sb-set-callout warn" role="alert" data-testid="tray-warning">
            {t('pref.trayWarning', { text: errorCodeText(desk.trayWarning, locale) })}
          </div>
        )}
        <label className="sb-set-check">
          <input
            type="checkbox"
            checked={desk?.closeToTray ?? false}
            disabled={!desk || !!desk.trayWarning}
            onChange={(e) => setDeskField('closeToTray', e.target.checked)}
            data-testid="pref-tray"
          />
          {t('pref.closeToTray')}
        </label>
      </fieldset>
    </section>
  );
}
