// The one wrapper over the Wails bindings. Every call to Go goes through here so the rest of the
// UI is typed and testable; Wails injects window.go.app.App and window.runtime at load time.
import type {
  Bootstrap,
  ChannelStatus,
  ClientCard,
  HistoryPage,
  HistoryQuery,
  ListFilter,
  ListPage,
  ListQuery,
  Message,
  SavedFilter,
  StoreChanged,
  TabCounts,
} from './types';

type GoFn = (...args: never[]) => Promise<unknown>;

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
  EventsOff(name: string, ...more: string[]): void;
}

declare global {
  interface Window {
    go?: { app?: { App?: Record<string, GoFn | undefined> } };
    runtime?: WailsRuntime;
  }
}

/** ApiError carries the Go error text and its leading "[code]" if there was one. */
export class ApiError extends Error {
  readonly code: string;
  readonly method: string;
  constructor(method: string, raw: string) {
    const m = /^\[([a-z0-9_.-]+)\]\s*(.*)$/is.exec(raw);
    super(m ? (m[2] ?? raw) : raw);
    this.name = 'ApiError';
    this.code = m ? (m[1] ?? '').toLowerCase() : '';
    this.method = method;
  }
}

export class BackendMissingError extends Error {
  constructor() {
    super('The Switchboard backend is not available: open the app window, or run it under `wails dev`.');
    this.name = 'BackendMissingError';
  }
}

export function backendAvailable(): boolean {
  return typeof window !== 'undefined' && !!window.go?.app?.App;
}

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const fn = window.go?.app?.App?.[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
  if (!fn) throw new BackendMissingError();
  try {
    return (await fn(...args)) as T;
  } catch (e) {
    // Wails rejects with the Go error's string; anything else is passed on in words.
    const raw = typeof e === 'string' ? e : e instanceof Error ? e.message : String(e);
    throw new ApiError(method, raw);
  }
}

export const api = {
  Bootstrap: () => call<Bootstrap>('Bootstrap'),
  ListPeople: (q: ListQuery) => call<ListPage>('ListPeople', q),
  TabCounts: (q: ListQuery) => call<TabCounts>('TabCounts', q),
  History: (q: HistoryQuery) => call<HistoryPage>('History', q),
  ClientCard: (personId: number) => call<ClientCard>('ClientCard', personId),
  MarkRead: (chatId: number) => call<void>('MarkRead', chatId),
  SetTunnelOff: (chatId: number, off: boolean) => call<void>('SetTunnelOff', chatId, off),
  SetBotOff: (chatId: number, off: boolean) => call<void>('SetBotOff', chatId, off),
  SetArchived: (personId: number, on: boolean) => call<void>('SetArchived', personId, on),
  SetBlacklisted: (personId: number, on: boolean) => call<void>('SetBlacklisted', personId, on),
  SaveFilter: (name: string, filter: ListFilter) => call<SavedFilter>('SaveFilter', name, filter),
  DeleteSavedFilter: (id: number) => call<void>('DeleteSavedFilter', id),
  SetSetting: (key: 'locale' | 'theme' | 'last_chat', value: string) => call<void>('SetSetting', key, value),
  AddNote: (chatId: number, text: string, mentions: number[]) => call<Message>('AddNote', chatId, text, mentions),
  SendText: (chatId: number, text: string, replyToId: number) => call<Message>('SendText', chatId, text, replyToId),
  EditMessage: (messageId: number, text: string) => call<void>('EditMessage', messageId, text),
  DeleteMessage: (messageId: number) => call<void>('DeleteMessage', messageId),
  RetryMessage: (messageId: number) => call<void>('RetryMessage', messageId),
  /** Records the moment the first list page rendered, for `make bench`. */
  ReportReady: () => call<void>('ReportReady'),
};

export type Api = typeof api;

/** Subscribes to a Wails event; returns the unsubscribe function. */
function on<T>(name: string, cb: (data: T) => void): () => void {
  const rt = window.runtime;
  if (!rt) return () => undefined;
  const off = rt.EventsOn(name, (...data: unknown[]) => cb(data[0] as T));
  return typeof off === 'function' ? off : () => rt.EventsOff(name);
}

export const events = {
  onStoreChanged: (cb: (e: StoreChanged) => void) => on<StoreChanged>('store:changed', cb),
  onChannelStatus: (cb: (s: ChannelStatus) => void) => on<ChannelStatus>('channel:status', cb),
};
