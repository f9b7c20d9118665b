// Mirrors of the Go JSON (backend/core). Field names are the json tags; int64 → number; times
// are unix milliseconds (UTC). Keep in step with backend/core/*.go.

export type ChannelKind = 'telegram' | 'vk';
export type Tab = 'important' | 'all' | 'unread';
export type Locale = 'ru' | 'en';
export type ThemeSetting = 'light' | 'dark' | 'system';

export interface Channel {
  id: number;
  kind: ChannelKind;
  name: string;
  externalId: string;
  username: string;
  avatarUrl: string;
  apiUrl: string;
  enabled: boolean;
  createdAt: number;
}

export type ChannelState = 'connected' | 'polling' | 'offline' | 'rate_limited' | 'revoked' | 'conflict' | 'stopped';

export interface ChannelStatus {
  channelId: number;
  state: ChannelState;
  retryIn: number;
  lastError: string;
  webhook: boolean;
  at: number;
}

export type PersonStatus = 'subscribed' | 'unsubscribed';

export interface Person {
  id: number;
  name: string;
  phone: string;
  email: string;
  avatarUrl: string;
  status: PersonStatus;
  archived: boolean;
  blacklisted: boolean;
  createdAt: number;
  plans: string[] | null;
  tags: string[] | null;
}

export interface Chat {
  id: number;
  personId: number;
  channelId: number;
  channelKind: ChannelKind;
  channelName: string;
  externalChatId: string;
  username: string;
  tunnelOff: boolean;
  botOff: boolean;
  unread: number;
  lastMessageAt: number;
  preview: string;
  hasDraft: boolean;
  /** The manager who claimed the chat; 0 = unassigned. */
  ownerId: number;
}

export type MessageKind = 'message' | 'indicator' | 'note';
export type SenderKind = 'client' | 'bot' | 'admin' | 'manager' | 'system';
export type MessageStatus = 'received' | 'queued' | 'sending' | 'sent' | 'failed';
export type AttachmentKind = 'photo' | 'video' | 'document' | 'audio' | 'voice' | 'sticker' | 'location' | 'contact' | 'link';

export interface Attachment {
  kind: AttachmentKind;
  fileId?: string;
  url?: string;
  fileName?: string;
  mime?: string;
  size?: number;
  width?: number;
  height?: number;
  duration?: number;
  localPath?: string;
  lat?: number;
  lon?: number;
  title?: string;
  phone?: string;
}

export type IndicatorType =
  | 'subscription'
  | 'resubscription'
  | 'unsubscription'
  | 'order'
  | 'payment_ok'
  | 'payment_failed'
  | 'tunnel_start'
  | 'tunnel_stop'
  | 'trigger'
  | 'filter'
  | 'client_rating';

export interface Indicator {
  type: IndicatorType;
  tunnel?: string;
  source?: string;
  tool?: string;
  block?: string;
  offer?: string;
  amount?: string;
  reason?: string; // a code (core.Reason*), worded by features/history/history-i18n.ts
  details?: string; // the code a client came with when it is not a lead link of ours: data
  score?: number; // client_rating: 1..5
  dialogue?: number; // client_rating: the dialogue's id
  cycle?: number; // client_rating: the dialogue cycle's number (1, then +1 per reopen)
}

export interface Reaction {
  emoji: string;
  count: number;
}

export interface Quote {
  id: number;
  sender: SenderKind;
  senderName: string;
  text: string;
}

export interface Message {
  id: number;
  chatId: number;
  kind: MessageKind;
  externalId: string;
  sender: SenderKind;
  senderName: string;
  managerId: number;
  text: string;
  attachments: Attachment[] | null;
  indicator?: Indicator | null;
  mentions?: number[] | null;
  reactions?: Reaction[] | null;
  replyToId: number;
  replyTo?: Quote | null;
  status: MessageStatus;
  error: string;
  edited: boolean;
  deleted: boolean;
  createdAt: number;
  editedAt: number;
}

export interface Manager {
  id: number;
  name: string;
  avatarUrl: string;
  isMe: boolean;
}

export interface Task {
  id: number;
  personId: number;
  assigneeId: number;
  title: string;
  dueAt: number;
  done: boolean;
  /** When it was completed; 0 while open. */
  doneAt: number;
}

/** What the task form sends: AddTask ignores id; assigneeId 0 = me. */
export type TaskInput = Pick<Task, 'personId' | 'assigneeId' | 'title' | 'dueAt'>;

/** A person's system event: a kind (core/logs.go) and its parameters, worded by features/card. */
export interface LogEntry {
  id: number;
  personId: number;
  kind: string;
  params: Record<string, string> | null;
  at: number;
}

export type OwnerFilter = 'mine' | 'unassigned';

export interface ListFilter {
  channels?: ChannelKind[];
  hasPhone?: boolean;
  hasEmail?: boolean;
  tags?: string[];
  plans?: string[];
  tools?: string[];
  sources?: string[];
  statuses?: PersonStatus[];
  activeDialogues?: boolean;
  /** Whose chats: mine (claimed by me) or unassigned (nobody's); absent = anyone's. */
  owner?: OwnerFilter;
  archived?: boolean;
  blacklisted?: boolean;
}

export interface SavedFilter {
  id: number;
  name: string;
  filter: ListFilter;
}

export interface ListQuery {
  tab: Tab;
  search: string;
  filter: ListFilter;
  oldestFirst: boolean;
  cursor: string;
  limit: number;
}

export interface ListRow {
  personId: number;
  chatId: number;
  name: string;
  avatarUrl: string;
  status: PersonStatus;
  channels: ChannelKind[] | null;
  channelKind: ChannelKind;
  preview: string;
  lastMessageAt: number;
  unread: number;
  hasDraft: boolean;
}

export interface ListPage {
  rows: ListRow[] | null;
  nextCursor: string;
}

export interface TabCounts {
  important: number;
  all: number;
  unread: number;
  /** The count is a lower bound: the store stopped counting (core.CountCap), "1,000+". */
  importantCapped?: boolean;
  allCapped?: boolean;
  unreadCapped?: boolean;
}

export interface HistoryFilter {
  senders?: SenderKind[];
  indicatorsOnly?: boolean;
  attachments?: boolean;
  words?: string;
}

export interface HistoryQuery {
  chatId: number;
  filter: HistoryFilter;
  before: number;
  limit: number;
}

export interface HistoryPage {
  messages: Message[] | null;
  hasMore: boolean;
}

export interface ClientCard {
  person: Person;
  chats: Chat[] | null;
  tasks: Task[] | null;
  logs: LogEntry[] | null;
}

export interface Facets {
  plans: string[] | null;
  tags: string[] | null;
  tools: string[] | null;
  sources: string[] | null;
}

export interface Bootstrap {
  me: Manager;
  managers: Manager[] | null;
  locale: Locale | '';
  theme: ThemeSetting | '';
  defaultTab: Tab;
  /** The default tab's first page, the answer to the list's first query (no search or filter). */
  firstPage?: ListPage;
  counts: TabCounts;
  channels: Channel[] | null;
  facets: Facets;
  savedFilters: SavedFilter[] | null;
  lastChatId: number;
  dataDir?: string;
  demo?: boolean;
}

export interface StoreChanged {
  seq: number;
  kinds: string[] | null;
  chatIds: number[] | null;
  personIds: number[] | null;
}

// Windows in which a sent message may still be deleted (backend/core/rules.go).
export const DELETE_WINDOW_MS: Record<ChannelKind, number> = {
  telegram: 48 * 3600 * 1000,
  vk: 24 * 3600 * 1000,
};
export const TEXT_LIMIT: Record<ChannelKind, number> = { telegram: 4096, vk: 9000 };

/** A chat resolved to its person (inbox.ChatRef), to open a chat that is not on the list's page. */
export interface ChatRef {
  chatId: number;
  personId: number;
  name: string;
}

/** One entry of the in-app notification feed (backend/notify.Item). */
export interface NotificationItem {
  id: number;
  kind: 'message' | 'mention' | 'task';
  title: string;
  body: string;
  chatId: number;
  personId: number;
  messageId: number;
  /** A due task's id (kind 'task'). */
  taskId?: number;
  at: number;
}

// The Settings screen's shapes (app/settings.go, inbox/channels.go).

/** What a token check returns before anything is stored (core.BotInfo). */
export interface BotInfo {
  externalId: string;
  name: string;
  username: string;
  avatarUrl: string;
  webhook: boolean;
}

/** One row of Settings → Channels (inbox.ChannelView). */
export interface ChannelView {
  channel: Channel;
  /** Null until the poller reports for the first time (or when the channel is disabled). */
  status: ChannelStatus | null;
  /** The bot/community's chat link: https://t.me/<bot> or https://vk.me/<group>. */
  link: string;
  /** Desktop notifications for messages on this channel. */
  notify: boolean;
}

/** A named deep link (core.LeadLink). */
export interface LeadLink {
  id: number;
  channelId: number;
  code: string;
  plan: string;
  source: string;
  tool: string;
}

/** A lead link with its full deep link (inbox.LeadLinkView). */
export interface LeadLinkView {
  link: LeadLink;
  url: string;
}

/** app.DesktopSettings. */
export interface DesktopSettings {
  muted: boolean;
  closeToTray: boolean;
  warning: string;
  /** Why there is no tray icon (closing the window then quits); "" when there is one. */
  trayWarning?: string;
}

// The rich composer's shapes (app/compose.go, app/voice.go, inbox/compose*.go).

/** A chat's unsent text and unfinished constructor message (core.Draft). */
export interface Draft {
  chatId: number;
  text: string;
  /** JSON of ConstructorDraft, '' when there is none. */
  constructor: string;
  replyToId: number;
  updatedAt: number;
}

/** A chat template variable (core.Template). */
export interface Template {
  id: number;
  name: string;
  value: string;
}

export type PartKind = 'text' | 'image' | 'link' | 'video' | 'template' | 'file';

/** One block of the message constructor (inbox.Part). */
export interface Part {
  kind: PartKind;
  text: string;
  /** A staged file (StageUpload: bytes dropped or pasted; PickFiles: the native dialog Go opens). */
  path: string;
  url: string;
  name: string;
  mime: string;
  size: number;
}

/** A file copied into the data directory's uploads/, ready to send (inbox.Staged). */
export interface Staged {
  path: string;
  name: string;
  mime: string;
  size: number;
  kind: AttachmentKind;
}

/** A failed call's error as Go sends it (app.UIError): a code from backend/inbox/errors.go. */
export interface UIError {
  code: string;
  message: string;
}

/** "voice:level" (app.VoiceLevel), about 20 times a second while recording. */
export interface VoiceLevel {
  chatId: number;
  level: number;
  elapsedMs: number;
  maxMs: number;
}

/** "voice:auto" (app.VoiceAuto): the note hit its 5-minute limit and was sent by itself. */
export interface VoiceAuto {
  chatId: number;
  message: Message;
  error?: UIError | null;
}

// Dialogues (backend/core/dialogue.go).
export type DialogueStatus = 'open' | 'in_progress' | 'waiting' | 'closed';
export const dialogueStatuses: DialogueStatus[] = ['open', 'in_progress', 'waiting', 'closed'];
export type DialogueOptionKind = 'type' | 'reason' | 'component';

export interface DialogueOption {
  id: number;
  kind: DialogueOptionKind;
  name: string;
  position: number;
}

/** One open..close span of a dialogue; reopening starts the next. */
export interface DialogueCycle {
  id: number;
  dialogueId: number;
  number: number;
  openedAt: number;
  openedBy: number;
  closedAt: number;
  closedBy: number;
  ratingRequestedAt: number;
  ratingMessageId: number;
  clientRating: number; // 0 = not rated
  clientRatedAt: number;
  managerRating: number;
  managerRatedAt: number;
}

export interface Dialogue {
  id: number;
  chatId: number;
  type: string;
  status: DialogueStatus;
  clientRating: number; // of the current cycle
  managerRating: number;
  createdAt: number;
  closedAt: number;
  reasons: string[] | null;
  components: string[] | null;
  managers: number[] | null;
  cycles: DialogueCycle[] | null;
}

export interface DialogueInput {
  type: string;
  reasons: string[];
  components: string[];
  status: DialogueStatus | '';
  managers: number[];
}
