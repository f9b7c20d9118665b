// The one contract with Go. Every call goes through `call` and every event through `on`, so the
// rest of the UI is typed and testable. Wails injects window.go.app.<Service> (the bound
// services of app/services.go) and window.runtime at load time; composeApi.ts and settingsApi.ts
// are the typed calls of the other two services, over the same helpers.
import type {
  Bootstrap,
  ChannelStatus,
  ChatRef,
  ClientCard,
  HistoryPage,
  HistoryQuery,
  ListFilter,
  ListPage,
  ListQuery,
  Message,
  NotificationItem,
  SavedFilter,
  StoreChanged,
  TabCounts,
  Task,
  TaskInput,
} from './types';

/** The Go services the UI calls (app/services.go). */
export type Service = 'Workspace' | 'Composer' | 'Settings' | 'Desktop' | 'Team';

type GoFn = (...args: never[]) => Promise<unknown>;

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
  EventsOff(name: string, ...more: string[]): void;
}

declare global {
  interface Window {
    go?: { app?: Partial<Record<Service, Record<string, GoFn | undefined>>> };
    runtime?: WailsRuntime;
  }
}

/**
 * ApiError carries the Go error's code and text. The app's Wails ErrorFormatter rejects with
 * {code, message} (app/errors.go); a plain string may start with "[code] ". The UI shows the
 * words of the code (errors.ts); the message is for the developer console.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly method: string;
  /** Data the code's words name (who owns a chat: app/errors.go UIError.params). */
  readonly params: Record<string, string>;
  constructor(method: string, raw: string, code = '', params: Record<string, string> = {}) {
    const m = code ? null : /^\[([a-z0-9_.-]+)\]\s*(.*)$/is.exec(raw);
    super(m ? (m[2] ?? raw) : raw);
    this.name = 'ApiError';
    this.code = (code || (m ? (m[1] ?? '') : '')).toLowerCase();
    this.method = method;
    this.params = params;
  }
}

/** toApiError turns whatever a Wails call rejected with into an ApiError. */
export function toApiError(method: string, e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (typeof e === 'string') return new ApiError(method, e);
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const o = e as { code: string; message?: unknown; params?: unknown };
    const params = o.params && typeof o.params === 'object' ? (o.params as Record<string, string>) : {};
    return new ApiError(method, typeof o.message === 'string' ? o.message : '', o.code, params);
  }
  if (e instanceof Error) return new ApiError(method, e.message);
  return new ApiError(method, String(e));
}

export class BackendMissingError extends Error {
  constructor() {
    super('The Switchboard backend is not available: open the app window, or run it under `wails dev`.');
    this.name = 'BackendMissingError';
  }
}

export function backendAvailable(): boolean {
  return typeof window !== 'undefined' && !!window.go?.app?.Workspace;
}

/** Calls a bound Go method; a failure becomes an ApiError with the code Go gave it. */
export async function call<T>(service: Service, method: string, ...args: unknown[]): Promise<T> {
  const bound = window.go?.app?.[service];
  if (!bound) throw new BackendMissingError();
  const fn = bound[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
  // A binding missing from this build of the app (an older backend) says so in words.
  if (!fn) throw new ApiError(method, method, 'not_available');
  try {
    return (await fn(...args)) as T;
  } catch (e) {
    throw toApiError(method, e);
  }
}

/** Subscribes to a Wails event; returns the unsubscribe function, which never throws. */
export function on<T>(name: string, cb: (data: T) => void): () => void {
  const rt = window.runtime;
  if (!rt) return () => undefined;
  const off = rt.EventsOn(name, (...data: unknown[]) => cb(data[0] as T));
  const unsubscribe = typeof off === 'function' ? off : () => rt.EventsOff(name);
  return () => {
    // The runtime drops the listener first, then tells Go when an event has no listener left.
    // Under `wails dev` that notice goes over a WebSocket that is briefly gone during a reload
    // or a reconnect, and then throws; the listener is gone all the same.
    try {
      unsubscribe();
    } catch {
      // nothing else to undo
    }
  };
}

export const api = {
  Bootstrap: () => call<Bootstrap>('Workspace', 'Bootstrap'),
  ListPeople: (q: ListQuery) => call<ListPage>('Workspace', 'ListPeople', q),
  TabCounts: (q: ListQuery) => call<TabCounts>('Workspace', 'TabCounts', q),
  History: (q: HistoryQuery) => call<HistoryPage>('Workspace', 'History', q),
  ClientCard: (personId: number) => call<ClientCard>('Workspace', 'ClientCard', personId),
  MarkRead: (chatId: number) => call<void>('Workspace', 'MarkRead', chatId),
  SetTunnelOff: (chatId: number, off: boolean) => call<void>('Workspace', 'SetTunnelOff', chatId, off),
  SetBotOff: (chatId: number, off: boolean) => call<void>('Workspace', 'SetBotOff', chatId, off),
  SetArchived: (personId: number, on: boolean) => call<void>('Workspace', 'SetArchived', personId, on),
  SetBlacklisted: (personId: number, on: boolean) => call<void>('Workspace', 'SetBlacklisted', personId, on),
  SaveFilter: (name: string, filter: ListFilter) => call<SavedFilter>('Workspace', 'SaveFilter', name, filter),
  DeleteSavedFilter: (id: number) => call<void>('Workspace', 'DeleteSavedFilter', id),
  SetSetting: (key: 'locale' | 'theme' | 'last_chat', value: string) => call<void>('Workspace', 'SetSetting', key, value),
  AddNote: (chatId: number, text: string, mentions: number[]) => call<Message>('Workspace', 'AddNote', chatId, text, mentions),
  SendText: (chatId: number, text: string, replyToId: number) => call<Message>('Workspace', 'SendText', chatId, text, replyToId),
  EditMessage: (messageId: number, text: string) => call<void>('Workspace', 'EditMessage', messageId, text),
  DeleteMessage: (messageId: number) => call<void>('Workspace', 'DeleteMessage', messageId),
  RetryMessage: (messageId: number) => call<void>('Workspace', 'RetryMessage', messageId),
  OpenChatRef: (chatId: number) => call<ChatRef>('Workspace', 'OpenChatRef', chatId),
  MergePeople: (keepId: number, mergeId: number) => call<void>('Workspace', 'MergePeople', keepId, mergeId),
  /** A task on a person; assigneeId 0 = me. */
  AddTask: (t: TaskInput) => call<Task>('Workspace', 'AddTask', t),
  UpdateTask: (t: TaskInput & { id: number }) => call<Task>('Workspace', 'UpdateTask', t),
  SetTaskDone: (id: number, done: boolean) => call<Task>('Workspace', 'SetTaskDone', id, done),
  DeleteTask: (id: number) => call<void>('Workspace', 'DeleteTask', id),
  /** Claims a chat if its owner is still expected (0 = unassigned); a lost race rejects with "claimed". */
  ClaimChat: (chatId: number, expected: number) => call<void>('Workspace', 'ClaimChat', chatId, expected),
  ReleaseChat: (chatId: number, expected: number) => call<void>('Workspace', 'ReleaseChat', chatId, expected),
  /** Window focus: new client messages raise desktop notifications only while unfocused. */
  SetFocused: (focused: boolean) => call<void>('Desktop', 'SetFocused', focused),
  /** The webview saw the network come back: pollers and the outbox retry now. */
  NetworkOnline: () => call<void>('Desktop', 'NetworkOnline'),
  Notifications: () => call<NotificationItem[] | null>('Desktop', 'Notifications'),
  DismissNotification: (id: number) => call<void>('Desktop', 'DismissNotification', id),
  /** Records the moment the first list page rendered, and the start-up phases, for `make bench`. */
  ReportReady: (rows: number, marks: Record<string, number>) => call<void>('Desktop', 'ReportReady', rows, marks),
};

export type Api = typeof api;

export const events = {
  onStoreChanged: (cb: (e: StoreChanged) => void) => on<StoreChanged>('store:changed', cb),
  onChannelStatus: (cb: (s: ChannelStatus) => void) => on<ChannelStatus>('channel:status', cb),
  onNotification: (cb: (n: NotificationItem) => void) => on<NotificationItem>('notify:new', cb),
};
