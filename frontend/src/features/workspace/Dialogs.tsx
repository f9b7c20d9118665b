// The workspace's dialogs: the full client card, the note form and the Settings screen. Each is
// loaded when first opened.
import { Suspense, lazy } from 'react';
import { useReportError } from '../../lib/toast';
import type { Locale, Manager, ThemeSetting } from '../../lib/types';
import { FullCard, NoteForm } from '../../lazyParts';
import { reloadChannels } from './channels';
import { listControl, loadCard, workspace } from './store';

// Settings is loaded when first opened: the first screen parses only what the workspace needs.
const SettingsScreen = lazy(() => import('../settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));

interface Props {
  managers: Manager[];
  theme: ThemeSetting;
  setTheme: (t: ThemeSetting) => void;
  setLocale: (l: Locale) => void;
}

export function Dialogs({ managers, theme, setTheme, setLocale }: Props) {
  const report = useReportError();
  const fullOpen = workspace.use((s) => s.fullOpen);
  const noteOpen = workspace.use((s) => s.noteOpen);
  const settings = workspace.use((s) => s.settings);
  const card = workspace.use((s) => s.card);
  const chatId = workspace.use((s) => s.sel?.chatId ?? 0);
  return (
    <Suspense fallback={null}>
      {fullOpen && card && (
        <FullCard
          card={card}
          onClose={() => workspace.set({ fullOpen: false })}
          onMerged={() => {
            loadCard(card.person.id).catch(report);
            listControl().refresh();
          }}
        />
      )}
      {settings && (
        <SettingsScreen
          initialSection={settings}
          onClose={() => {
            workspace.set({ settings: null });
            // Channels may have been connected or removed meanwhile.
            void reloadChannels();
          }}
          theme={theme}
          onLocale={setLocale}
          onTheme={setTheme}
          onAllRead={() => listControl().refresh()}
        />
      )}
      {noteOpen && chatId > 0 && <NoteForm chatId={chatId} managers={managers} onClose={() => workspace.set({ noteOpen: false })} />}
    </Suspense>
  );
}
