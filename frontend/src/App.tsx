// The Chats window: the Bootstrap, the language and the theme, and the workspace laid out in
// three panes: people list (features/list), history + composer (features/chat), client card
// (features/card). What the panes share lives in a small store (features/workspace/store.ts),
// not in this file and not in a context provider.
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { api, backendAvailable } from './lib/api';
import { errorWords } from './lib/errorsLater';
import { takeInlineBoot } from './lib/inlineBoot';
import { I18nProvider, detectLocale, makeT } from './lib/i18n';
import { mark, startupMarks } from './lib/startupTrace';
import { ToastProvider, useReportError } from './lib/toast';
import type { Bootstrap, Locale, ThemeSetting } from './lib/types';
import { preloadLaterParts } from './lazyParts';
import { CardPane, useCardSync } from './features/card/CardPane';
import { ChatPane } from './features/chat/ChatPane';
import { Header } from './features/header/Header';
import { ReplicaStatusLine } from './features/replica/ReplicaStatusLine';
import { useReplicaStatus } from './features/replica/useReplicaStatus';
import { ListPane } from './features/list/ListPane';
import { NotificationBell } from './features/notifications/NotificationBell';
import { ReportButton } from './features/report/ReportButton';
import { GearButton } from './features/settings/GearButton';
import { channelsStore, followChannels, isDemoChannel } from './features/workspace/channels';
import { Dialogs } from './features/workspace/Dialogs';
import { openChat, openSettings, restoreChat } from './features/workspace/store';
import { useHotkeys, useWindowSignals } from './features/workspace/useHotkeys';

function useResolvedTheme(setting: ThemeSetting): 'light' | 'dark' {
  const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const [systemDark, setSystemDark] = useState(() => query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, [query]);
  return setting === 'system' ? (systemDark ? 'dark' : 'light') : setting;
}

export function App() {
  // The page normally arrives with its Bootstrap; without it the effect below asks for one.
  const [inline] = useState(takeInlineBoot);
  const [locale, setLocale] = useState<Locale>(() =>
    inline?.locale === 'ru' || inline?.locale === 'en' ? inline.locale : detectLocale(typeof navigator !== 'undefined' ? navigator.language : undefined),
  );
  const [theme, setTheme] = useState<ThemeSetting>(() =>
    inline?.theme === 'light' || inline?.theme === 'dark' || inline?.theme === 'system' ? inline.theme : 'system',
  );
  const [boot, setBoot] = useState<Bootstrap | null>(inline);
  // The start-up error's words (the error table loads on demand: lib/errorsLater.ts).
  const [bootError, setBootError] = useState<string | null>(null);
  const i18n = useMemo(() => ({ locale, t: makeT(locale) }), [locale]);
  const resolved = useResolvedTheme(theme);

  // Before the paint: the first frame already has the workspace, in the right theme.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = resolved;
    document.documentElement.lang = locale;
  }, [resolved, locale]);

  useEffect(() => {
    if (inline) return;
    if (!backendAvailable()) {
      setBootError(makeT(locale)('app.noBackend'));
      return;
    }
    mark('bootRequested');
    api.Bootstrap().then(
      (b) => {
        mark('bootReceived');
        if (b.locale === 'ru' || b.locale === 'en') setLocale(b.locale);
        if (b.theme === 'light' || b.theme === 'dark' || b.theme === 'system') setTheme(b.theme);
        setBoot(b);
      },
      (e) => void errorWords(e, locale).then(setBootError),
    );
    // Bootstrap once; the locale used for the error text is the initial one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <I18nProvider value={i18n}>
      <ToastProvider>
        {boot ? (
          <Workspace boot={boot} theme={theme} setTheme={setTheme} setLocale={setLocale} />
        ) : (
          <div className="splash" data-testid="splash">
            {bootError ? <p role="alert">{bootError}</p> : <p>{i18n.t('app.loading')}</p>}
          </div>
        )}
      </ToastProvider>
    </I18nProvider>
  );
}

function Workspace({
  boot,
  theme,
  setTheme,
  setLocale,
}: {
  boot: Bootstrap;
  theme: ThemeSetting;
  setTheme: (t: ThemeSetting) => void;
  setLocale: (l: Locale) => void;
}) {
  const report = useReportError();
  const managers = useMemo(() => new Map((boot.managers ?? []).map((m) => [m.id, m])), [boot.managers]);

  useEffect(() => followChannels(boot.channels ?? []), [boot.channels]);
  useEffect(() => {
    if (boot.lastChatId) restoreChat(boot.lastChatId);
  }, [boot.lastChatId]);
  useCardSync();
  useHotkeys();
  useWindowSignals();

  const onLocale = useCallback(
    (l: Locale) => {
      setLocale(l);
      api.SetSetting('locale', l).catch(report);
    },
    [setLocale, report],
  );
  const onTheme = useCallback(
    (th: ThemeSetting) => {
      setTheme(th);
      api.SetSetting('theme', th).catch(report);
    },
    [setTheme, report],
  );
  const onOpenChat = useCallback((chatId: number) => void openChat(chatId).catch(report), [report]);
  const onFirstRender = useCallback((rows: number) => {
    // For `make bench`: the moment the first page of people is on screen (after the paint).
    mark('rowsRendered');
    requestAnimationFrame(() => {
      mark('painted');
      api.ReportReady(rows, startupMarks()).catch(() => undefined);
      setTimeout(preloadLaterParts, 0);
    });
  }, []);

  return (
    <div className="app">
      <TopBar theme={theme} onTheme={onTheme} onLocale={onLocale} onOpenChat={onOpenChat} />
      <main className="workspace">
        <ListPane boot={boot} onFirstRender={onFirstRender} />
        <ChatPane me={boot.me} managers={managers} />
        <CardPane me={boot.me} managers={boot.managers ?? []} />
      </main>
      <Dialogs managers={boot.managers ?? []} theme={theme} setTheme={setTheme} setLocale={setLocale} />
    </div>
  );
}

/** The header over the live channels: a status change re-renders it, not the three panes. */
function TopBar({
  theme,
  onTheme,
  onLocale,
  onOpenChat,
}: {
  theme: ThemeSetting;
  onTheme: (t: ThemeSetting) => void;
  onLocale: (l: Locale) => void;
  onOpenChat: (chatId: number) => void;
}) {
  const channels = channelsStore.use((s) => s.channels);
  const statuses = channelsStore.use((s) => s.statuses);
  const demo = useMemo(() => channels.some(isDemoChannel), [channels]);
  const statusList = useMemo(() => [...statuses.values()], [statuses]);
  const replica = useReplicaStatus();
  return (
    <Header
      demo={demo}
      theme={theme}
      onTheme={onTheme}
      onLocale={onLocale}
      statuses={statusList}
      extra={
        <>
          <ReplicaStatusLine status={replica} />
          <NotificationBell onOpenChat={onOpenChat} />
          <ReportButton />
          <GearButton onClick={() => openSettings()} />
        </>
      }
    />
  );
}
