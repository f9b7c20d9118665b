// The Chats workspace: people list (left), history + composer (centre), client card (right).
// App owns what the three panes share: the list query, the selection, the card and the hotkeys.
import { Suspense, lazy, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api, backendAvailable, events } from './lib/api';
import { useStoreChanges } from './lib/changes';
import { errorText } from './lib/errors';
import { takeInlineBoot } from './lib/inlineBoot';
import { I18nProvider, detectLocale, makeT, useI18n } from './lib/i18n';
import { matchHotkey } from './lib/hotkeys';
import { ChannelIcon, IconFilter, IconReadAll } from './lib/icons';
import { mark, startupMarks } from './lib/startupTrace';
import { ToastProvider, useReportError } from './lib/toast';
import type {
  Bootstrap,
  ChannelStatus,
  ClientCard,
  HistoryFilter,
  ListFilter,
  ListRow,
  Locale,
  Message,
  SavedFilter,
  Tab,
  ThemeSetting,
} from './lib/types';
import { ClientPanel } from './features/card/ClientPanel';
import { Header } from './features/header/Header';
import { PeopleList } from './features/list/PeopleList';
import { usePeopleList } from './features/list/usePeopleList';
import { GearButton } from './features/settings/GearButton';
import { Composer, FullCard, History, HistoryFilterBar, NoteForm, preloadLaterParts } from './lazyParts';

// Settings is loaded when first opened: the first screen parses only what the workspace needs.
const SettingsScreen = lazy(() => import('./features/settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));
import { NotificationBell } from './features/notifications/NotificationBell';

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
  const [bootError, setBootError] = useState<unknown>(null);
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
      setBootError(new Error(makeT(locale)('app.noBackend')));
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
      (e) => setBootError(e),
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
            {bootError ? <p role="alert">{errorText(bootError, i18n.locale)}</p> : <p>{i18n.t('app.loading')}</p>}
          </div>
        )}
      </ToastProvider>
    </I18nProvider>
  );
}

interface Selection {
  personId: number;
  chatId: number;
  name: string;
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
  const { t } = useI18n();
  const report = useReportError();
  const [tab, setTab] = useState<Tab>(boot.defaultTab || (boot.counts.important > 0 ? 'important' : 'all'));
  const [search, setSearch] = useState('');
  const [panelFilter, setPanelFilter] = useState<ListFilter>({});
  const [oldestFirst, setOldestFirst] = useState(false);
  const [quickPlan, setQuickPlan] = useState('');
  const [activeDialogues, setActiveDialogues] = useState(false);
  const [saved, setSaved] = useState<SavedFilter[]>(boot.savedFilters ?? []);
  const [sel, setSel] = useState<Selection | null>(null);
  const [card, setCard] = useState<ClientCard | null>(null);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [histFilter, setHistFilter] = useState<HistoryFilter>({});
  const [histFilterOpen, setHistFilterOpen] = useState(false);
  const [fullOpen, setFullOpen] = useState(false);
  const [noteOpen, setNoteOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [statuses, setStatuses] = useState<Map<number, ChannelStatus>>(new Map());

  const managers = useMemo(() => new Map((boot.managers ?? []).map((m) => [m.id, m])), [boot.managers]);

  const filter = useMemo<ListFilter>(() => {
    const f: ListFilter = { ...panelFilter };
    if (quickPlan) f.plans = [quickPlan];
    if (activeDialogues) f.activeDialogues = true;
    return f;
  }, [panelFilter, quickPlan, activeDialogues]);
  const params = useMemo(() => ({ tab, search, filter, oldestFirst }), [tab, search, filter, oldestFirst]);
  const list = usePeopleList(params, boot.counts, report, boot.firstPage);
  const visible = useRef<[number, number]>([0, 30]);
  const onVisibleRange = useCallback((a: number, b: number) => {
    visible.current = [a, b];
  }, []);

  // Open any chat by id (a notification, the last open chat), wherever its person is in the list.
  const openChat = useCallback(
    (chatId: number) => {
      api.OpenChatRef(chatId).then((r) => {
        setSel({ personId: r.personId, chatId: r.chatId, name: r.name });
        setReplyTo(null);
        api.SetSetting('last_chat', String(r.chatId)).catch(() => undefined);
      }, report);
    },
    [report],
  );

  // Restore the last open chat.
  useEffect(() => {
    if (boot.lastChatId) api.OpenChatRef(boot.lastChatId).then((r) => setSel((cur) => cur ?? { personId: r.personId, chatId: r.chatId, name: r.name }), () => undefined);
  }, [boot.lastChatId]);

  // Desktop notifications for new messages only while the window is not focused; the network
  // coming back makes the pollers and the outbox retry at once.
  useEffect(() => {
    const focus = () => api.SetFocused(document.hasFocus() && document.visibilityState === 'visible').catch(() => undefined);
    const online = () => api.NetworkOnline().catch(() => undefined);
    window.addEventListener('focus', focus);
    window.addEventListener('blur', focus);
    document.addEventListener('visibilitychange', focus);
    window.addEventListener('online', online);
    focus();
    return () => {
      window.removeEventListener('focus', focus);
      window.removeEventListener('blur', focus);
      document.removeEventListener('visibilitychange', focus);
      window.removeEventListener('online', online);
    };
  }, []);

  const loadCard = useCallback(
    (personId: number) => {
      api.ClientCard(personId).then((c) => setCard((cur) => (cur === null || cur.person.id === personId || c.person.id === personId ? c : cur)), report);
    },
    [report],
  );
  const selPerson = sel?.personId ?? 0;
  useEffect(() => {
    setCard(null);
    if (selPerson) loadCard(selPerson);
  }, [selPerson, loadCard]);

  const select = useCallback((row: ListRow) => {
    setSel({ personId: row.personId, chatId: row.chatId, name: row.name });
    setReplyTo(null);
    api.SetSetting('last_chat', String(row.chatId)).catch(() => undefined);
  }, []);

  const selectChat = useCallback((chatId: number) => {
    setSel((s) => (s ? { ...s, chatId } : s));
    setReplyTo(null);
    api.SetSetting('last_chat', String(chatId)).catch(() => undefined);
  }, []);

  useStoreChanges((c) => {
    list.refreshVisible(visible.current[0], visible.current[1]);
    if (sel && (c.personIds.has(sel.personId) || c.chatIds.has(sel.chatId))) loadCard(sel.personId);
  });

  useEffect(() => events.onChannelStatus((s) => setStatuses((m) => new Map(m).set(s.channelId, s))), []);

  const markRead = useCallback(() => {
    if (!sel) return;
    const { chatId, personId } = sel;
    api.MarkRead(chatId).then(() => {
      list.patchRow(personId, { unread: 0 });
      list.refreshVisible(visible.current[0], visible.current[1]);
      loadCard(personId);
    }, report);
  }, [sel, list, loadCard, report]);

  const move = useCallback(
    (delta: number) => {
      const rows = list.rows;
      if (rows.length === 0) return;
      const i = sel ? rows.findIndex((r) => r.personId === sel.personId) : -1;
      const next = rows[Math.min(rows.length - 1, Math.max(0, i < 0 ? 0 : i + delta))];
      if (next) select(next);
      if (i + delta >= rows.length - 5) list.loadMore();
    },
    [list, sel, select],
  );

  // Global hotkeys. Handlers inside the composer run first and mark what they handled.
  const hk = useRef({ markRead, move, fullOpen, noteOpen, sel, replyTo, settingsOpen });
  hk.current = { markRead, move, fullOpen, noteOpen, sel, replyTo, settingsOpen };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const a = matchHotkey(e);
      if (!a) return;
      const s = hk.current;
      // Settings covers the workspace and handles its own keys.
      if (s.settingsOpen) return;
      const inDialog = !!(e.target instanceof Element && e.target.closest('[role="dialog"]'));
      switch (a) {
        case 'markRead':
          if (inDialog || !s.sel) return;
          e.preventDefault();
          s.markRead();
          break;
        case 'prevChat':
        case 'nextChat':
          if (inDialog) return;
          e.preventDefault();
          s.move(a === 'nextChat' ? 1 : -1);
          break;
        case 'fullCard':
          if (!s.sel) return;
          e.preventDefault();
          setFullOpen(true);
          break;
        case 'note':
          if (!s.sel) return;
          e.preventDefault();
          setNoteOpen(true);
          break;
        case 'close':
          if (s.noteOpen) setNoteOpen(false);
          else if (s.fullOpen) setFullOpen(false);
          else if (s.replyTo) setReplyTo(null);
          break;
        case 'send':
          // Ctrl+Enter outside the composer takes the manager to it.
          if (inDialog) return;
          document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

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
  const onSaveFilter = useCallback(
    (name: string, f: ListFilter) => {
      api.SaveFilter(name, f).then((s) => setSaved((cur) => [...cur.filter((x) => x.id !== s.id), s]), report);
    },
    [report],
  );
  const onDeleteSaved = useCallback(
    (id: number) => {
      api.DeleteSavedFilter(id).then(() => setSaved((cur) => cur.filter((x) => x.id !== id)), report);
    },
    [report],
  );
  const rowCount = useRef(0);
  rowCount.current = list.rows.length;
  const onFirstRender = useCallback(() => {
    // For `make bench`: the moment the first page of people is on screen (after the paint).
    mark('rowsRendered');
    requestAnimationFrame(() => {
      mark('painted');
      api.ReportReady(rowCount.current, startupMarks()).catch(() => undefined);
      setTimeout(preloadLaterParts, 0);
    });
  }, []);

  const chats = card && card.person.id === sel?.personId ? (card.chats ?? []) : [];
  const chat = chats.find((c) => c.id === sel?.chatId);
  const channelKind = chat?.channelKind ?? list.rows.find((r) => r.personId === sel?.personId)?.channelKind ?? 'telegram';
  const personAction = (fn: (id: number, on: boolean) => Promise<void>) => (on: boolean) => {
    if (!sel) return;
    const id = sel.personId;
    fn(id, on).then(() => loadCard(id), report);
  };
  const chatAction = (fn: (id: number, off: boolean) => Promise<void>) => (off: boolean) => {
    if (!sel) return;
    const { chatId, personId } = sel;
    fn(chatId, off).then(() => loadCard(personId), report);
  };

  return (
    <div className="app">
      <Header demo={!!boot.demo} theme={theme} onTheme={onTheme} onLocale={onLocale} statuses={[...statuses.values()]}
        extra={
          <>
            <NotificationBell onOpenChat={openChat} />
            <GearButton onClick={() => setSettingsOpen(true)} />
          </>
        }
      />
      <main className="workspace">
        <PeopleList
          tab={tab}
          onTab={setTab}
          counts={list.counts}
          search={search}
          onSearch={setSearch}
          oldestFirst={oldestFirst}
          onOldestFirst={setOldestFirst}
          quickPlan={quickPlan}
          onQuickPlan={setQuickPlan}
          activeDialogues={activeDialogues}
          onActiveDialogues={setActiveDialogues}
          filter={panelFilter}
          onFilter={setPanelFilter}
          facets={boot.facets}
          saved={saved}
          onSaveFilter={onSaveFilter}
          onDeleteSaved={onDeleteSaved}
          rows={list.rows}
          loading={list.loading}
          hasMore={list.hasMore}
          loadMore={list.loadMore}
          selectedPersonId={sel?.personId ?? 0}
          onSelect={select}
          onVisibleRange={onVisibleRange}
          onFirstRender={onFirstRender}
        />
        <section className="pane pane-chat" aria-label={sel ? sel.name : t('history.label')}>
          {sel ? (
            <>
              <div className="chat-head">
                <div className="chat-title" data-testid="chat-title">
                  {card?.person.id === sel.personId ? card.person.name : sel.name}
                </div>
                {chats.length > 1 && (
                  <div className="channel-tabs" role="tablist" aria-label={t('chat.channels')}>
                    {chats.map((c) => (
                      <button
                        key={c.id}
                        type="button"
                        role="tab"
                        aria-selected={c.id === sel.chatId}
                        className={`tab tab-small${c.id === sel.chatId ? ' tab-active' : ''}`}
                        data-testid="channel-tab"
                        data-chat-id={c.id}
                        onClick={() => selectChat(c.id)}
                      >
                        <ChannelIcon kind={c.channelKind} /> {c.channelName}
                        {c.unread > 0 && <span className="badge badge-small">{c.unread}</span>}
                      </button>
                    ))}
                  </div>
                )}
                <span className="spacer" />
                <button
                  type="button"
                  className={`icon-btn${histFilterOpen || Object.keys(histFilter).length ? ' on' : ''}`}
                  aria-pressed={histFilterOpen}
                  aria-label={t('history.filter')}
                  title={t('history.filter')}
                  data-testid="history-filter-toggle"
                  onClick={() => setHistFilterOpen((o) => !o)}
                >
                  <IconFilter />
                </button>
                <button type="button" className="btn btn-small" data-testid="mark-read-head" title={t('chat.markReadHint')} onClick={markRead}>
                  <IconReadAll size={14} /> {t('chat.markRead')}
                </button>
              </div>
              <Suspense fallback={<div className="history" aria-busy="true" />}>
              {histFilterOpen && <HistoryFilterBar value={histFilter} onChange={setHistFilter} />}
              <History
                key={sel.chatId}
                chatId={sel.chatId}
                channelKind={channelKind}
                personId={sel.personId}
                personName={card?.person.id === sel.personId ? card.person.name : sel.name}
                me={boot.me}
                managers={managers}
                filter={histFilter}
                onReply={setReplyTo}
              />
              <Composer
                chatId={sel.chatId}
                channelKind={channelKind}
                replyTo={replyTo}
                replyName={replyTo ? (replyTo.sender === 'client' ? sel.name : replyTo.senderName || t(`sender.${replyTo.sender}`)) : ''}
                onCancelReply={() => setReplyTo(null)}
                onSent={() => undefined}
                onMarkRead={markRead}
                onNote={() => setNoteOpen(true)}
                unread={chat?.unread ?? 0}
              />
              </Suspense>
            </>
          ) : (
            <div className="empty empty-big">{t('chat.none')}</div>
          )}
        </section>
        {sel && card && card.person.id === sel.personId ? (
          <ClientPanel
            card={card}
            chat={chat}
            onOpenFull={() => setFullOpen(true)}
            onArchive={personAction(api.SetArchived)}
            onBlacklist={personAction(api.SetBlacklisted)}
            onTunnelOff={chatAction(api.SetTunnelOff)}
            onBotOff={chatAction(api.SetBotOff)}
          />
        ) : (
          <aside className="pane pane-card pane-empty" aria-label={t('card.label')} />
        )}
      </main>
      <Suspense fallback={null}>
      {fullOpen && card && (
        <FullCard
          card={card}
          onClose={() => setFullOpen(false)}
          onMerged={() => {
            loadCard(card.person.id);
            list.refreshVisible(visible.current[0], visible.current[1]);
          }}
        />
      )}
      {settingsOpen && (
        <Suspense fallback={null}>
          <SettingsScreen
            onClose={() => setSettingsOpen(false)}
            theme={theme}
            onLocale={setLocale}
            onTheme={setTheme}
            onAllRead={() => list.refreshVisible(visible.current[0], visible.current[1])}
          />
        </Suspense>
      )}
      {noteOpen && sel && <NoteForm chatId={sel.chatId} managers={boot.managers ?? []} onClose={() => setNoteOpen(false)} />}
      </Suspense>
    </div>
  );
}
