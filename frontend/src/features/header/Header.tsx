import { useI18n, useWords } from '../../lib/i18n';
import { headerWords } from './header-i18n';
import { IconMoon, IconSun } from '../../lib/icons';
import type { ReactNode } from 'react';
import type { ChannelStatus, Locale, ThemeSetting } from '../../lib/types';

interface Props {
  demo: boolean;
  theme: ThemeSetting;
  onTheme: (t: ThemeSetting) => void;
  onLocale: (l: Locale) => void;
  statuses: ChannelStatus[];
  /** Extra header tools (the Settings gear). */
  extra?: ReactNode;
}

const THEMES: ThemeSetting[] = ['light', 'dark', 'system'];

export function Header({ demo, theme, onTheme, onLocale, statuses, extra }: Props) {
  const { t, locale } = useWords(headerWords);
  const app = useI18n().t;
  const troubled = statuses.filter((s) => s.state !== 'connected' && s.state !== 'polling' && s.state !== 'stopped');
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          S
        </span>
        <h1>{app('app.title')}</h1>
        {demo && (
          <span className="pill" title={app('app.demoHint')} data-testid="demo-pill">
            {app('app.demo')}
          </span>
        )}
        {troubled.length > 0 && (
          <span className="pill pill-warn" title={troubled.map((s) => s.lastError || s.state).join('\n')} data-testid="channel-trouble">
            ⚠ {troubled.length}
          </span>
        )}
      </div>
      <div className="header-tools">
        <div className="segmented" role="group" aria-label={t('header.language')}>
          {(['ru', 'en'] as Locale[]).map((l) => (
            <button
              key={l}
              type="button"
              aria-pressed={locale === l}
              className={locale === l ? 'on' : ''}
              data-testid={`lang-${l}`}
              onClick={() => onLocale(l)}
            >
              {l.toUpperCase()}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label={t('header.theme')}>
          {THEMES.map((th) => (
            <button
              key={th}
              type="button"
              aria-pressed={theme === th}
              aria-label={t(`theme.${th}`)}
              title={t(`theme.${th}`)}
              className={theme === th ? 'on' : ''}
              data-testid={`theme-${th}`}
              onClick={() => onTheme(th)}
            >
              {th === 'light' ? <IconSun size={14} /> : th === 'dark' ? <IconMoon size={14} /> : 'A'}
            </button>
          ))}
        </div>
        {extra}
      </div>
    </header>
  );
}
