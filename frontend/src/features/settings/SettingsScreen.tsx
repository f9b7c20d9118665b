// The Settings screen: a full-window panel over the workspace, opened from the header's gear.
// Sections: Channels, Lead-generation links, Chat templates, Dialogues, Company, Team, Preferences.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Locale, ThemeSetting } from '../../lib/types';
import { DialogueListsSection } from '../dialogues/DialogueListsSection';
import { ChannelsSection } from './ChannelsSection';
import { CompanySection } from './CompanySection';
import { AboutLine } from './AboutLine';
import { closeTopDialog } from './Dialog';
import { LeadLinksSection } from './LeadLinksSection';
import { PreferencesSection } from './PreferencesSection';
import { TeamSection } from './TeamSection';
import { TemplatesSection } from './TemplatesSection';
import { useTeamT, type TeamKey } from './team-i18n';
import { useSettingsT, type SettingsKey } from './settings-i18n';
import { useTeamStatusFollowed } from './teamStatus';
import { useChannels } from './useChannels';
import './settings.css';

export type SettingsSectionId = 'channels' | 'leadLinks' | 'templates' | 'dialogues' | 'company' | 'team' | 'preferences';

const sections: { id: SettingsSectionId; label: SettingsKey | TeamKey }[] = [
  { id: 'channels', label: 'nav.channels' },
  { id: 'leadLinks', label: 'nav.leadLinks' },
  { id: 'templates', label: 'nav.templates' },
  { id: 'dialogues', label: 'nav.dialogues' },
  { id: 'company', label: 'nav.company' },
  { id: 'team', label: 'nav.team' },
  { id: 'preferences', label: 'nav.preferences' },
];

export interface SettingsScreenProps {
  onClose: () => void;
  theme: ThemeSetting;
  /** Applies a language in the shell; Settings has already saved it. */
  onLocale: (l: Locale) => void;
  /** Applies a theme in the shell; Settings has already saved it. */
  onTheme: (t: ThemeSetting) => void;
  /** Called after "Read all messages" so the shell can refresh counts at once. */
  onAllRead?: () => void;
  initialSection?: SettingsSectionId;
}

export function SettingsScreen({ onClose, theme, onLocale, onTheme, onAllRead, initialSection = 'channels' }: SettingsScreenProps) {
  const { t } = useSettingsT();
  const { t: tt } = useTeamT();
  const [section, setSection] = useState<SettingsSectionId>(initialSection);
  const channels = useChannels();
  // One read of the team membership for every section opened here (teamStatus.ts).
  useTeamStatusFollowed();
  const rootRef = useRef<HTMLDivElement>(null);

  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    // Capture phase, so the workspace's own Esc handling (close the card, cancel a reply) does
    // not also act while Settings covers it.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      e.preventDefault();
      // The innermost open dialog first, Settings when none is open.
      if (!closeTopDialog()) closeRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  useLayoutEffect(() => {
    rootRef.current?.querySelector<HTMLElement>('[aria-current="page"]')?.focus();
  }, []);

  const onNavKey = useCallback(
    (e: React.KeyboardEvent) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      e.preventDefault();
      const i = sections.findIndex((s) => s.id === section);
      const next = sections[(i + (e.key === 'ArrowDown' ? 1 : sections.length - 1)) % sections.length];
      if (next) {
        setSection(next.id);
        rootRef.current?.querySelector<HTMLElement>(`[data-section="${next.id}"]`)?.focus();
      }
    },
    [section],
  );

  return (
    <div ref={rootRef} className="sb-set-screen" role="dialog" aria-modal="true" aria-label={t('settings.title')} data-testid="settings">
      <header className="sb-set-header">
        <h1>{t('settings.title')}</h1>
        <button type="button" className="sb-set-x" aria-label={t('settings.close')} title={t('settings.close')} onClick={onClose} data-testid="settings-close">
          ×
        </button>
      </header>
      <div className="sb-set-body">
        <nav className="sb-set-nav" aria-label={t('settings.sections')} onKeyDown={onNavKey}>
          {sections.map((s) => (
            <button
              key={s.id}
              type="button"
              aria-current={section === s.id ? 'page' : undefined}
              className={section === s.id ? 'on' : ''}
              onClick={() => setSection(s.id)}
              data-section={s.id}
              data-testid={`settings-nav-${s.id}`}
            >
              {s.label === 'nav.team' ? tt(s.label) : t(s.label as SettingsKey)}
            </button>
          ))}
          <AboutLine />
        </nav>
        <main className="sb-set-content">
          {section === 'channels' && <ChannelsSection channels={channels} />}
          {section === 'leadLinks' && <LeadLinksSection channels={channels} />}
          {section === 'templates' && <TemplatesSection />}
          {section === 'dialogues' && <DialogueListsSection />}
          {section === 'company' && <CompanySection onAllRead={onAllRead} />}
          {section === 'team' && <TeamSection />}
          {section === 'preferences' && <PreferencesSection theme={theme} onLocale={onLocale} onTheme={onTheme} channels={channels} />}
        </main>
      </div>
    </div>
  );
}
