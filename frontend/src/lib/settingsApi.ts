// Typed wrappers over the Settings screen's Go bindings (app/settings.go, app/desktop.go and the
// composer's template bindings in app/compose.go). Same pattern as api.ts: every call goes
// through window.go.app.App, and a failed call becomes an ApiError with a stable code.
import { ApiError, BackendMissingError, toApiError } from './api';
import type { Channel, ChannelStatus, ThemeSetting, Locale } from './types';

/** What a token check returns before anything is stored (core.BotInfo). */
export interface BotInfo {
  externalId: string;
  name: string;
  username: string;
  avatarUrl: string;
  webhook: boolean;
}

/** One row of Settings → Channels (app.ChannelView). */
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

/** A lead link with its full deep link (app.LeadLinkView). */
export interface LeadLinkView {
  link: LeadLink;
  url: string;
}

/** A chat template variable (core.Template). */
export interface Template {
  id: number;
  name: string;
  value: string;
}

/** app.DesktopSettings. */
export interface DesktopSettings {
  muted: boolean;
  closeToTray: boolean;
  warning: string;
  /** Why there is no tray icon (closing the window then quits); "" when there is one. */
  trayWarning?: string;
}

type GoFn = (...args: unknown[]) => Promise<unknown>;

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const bound = window.go?.app?.App;
  if (!bound) throw new BackendMissingError();
  const fn = bound[method] as GoFn | undefined;
  // A binding this build of the app lacks (a part not merged yet, an older backend).
  if (!fn) throw new ApiError(method, method, 'not_available');
  try {
    return (await fn(...args)) as T;
  } catch (e) {
    throw toApiError(method, e);
  }
}

export const settingsApi = {
  // Channels.
  Channels: () => call<ChannelView[] | null>('SettingsChannels'),
  KeyringStatus: () => call<string>('KeyringStatus'),
  CheckTelegramToken: (token: string, apiUrl: string) => call<BotInfo>('CheckTelegramToken', token, apiUrl),
  AddTelegramChannel: (token: string, apiUrl: string) => call<Channel>('AddTelegramChannel', token, apiUrl),
  /** Removes a webhook for a token that is not stored yet (the add dialog). */
  DeleteTelegramWebhook: (token: string, apiUrl: string) => call<void>('DeleteTelegramWebhook', token, apiUrl),
  /** Removes the webhook of a connected bot whose poller reports one. */
  DeleteChannelWebhook: (channelId: number) => call<void>('DeleteChannelWebhook', channelId),
  CheckVKToken: (token: string, groupId: string) => call<BotInfo>('CheckVKToken', token, groupId),
  AddVKChannel: (token: string, groupId: string) => call<Channel>('AddVKChannel', token, groupId),
  RemoveChannel: (id: number) => call<void>('RemoveChannel', id),
  /** Polls a stopped channel again (after a conflict was resolved elsewhere). */
  ReconnectChannel: (id: number) => call<void>('ReconnectChannel', id),
  SetChannelNotify: (id: number, on: boolean) => call<void>('SetChannelNotify', id, on),
  // Lead links.
  LeadLinks: (channelId: number) => call<LeadLinkView[] | null>('LeadLinks', channelId),
  AddLeadLink: (l: Omit<LeadLink, 'id'>) => call<LeadLinkView>('AddLeadLink', { id: 0, ...l }),
  DeleteLeadLink: (id: number) => call<void>('DeleteLeadLink', id),
  // Chat templates (the composer's bindings).
  Templates: () => call<Template[] | null>('Templates'),
  SaveTemplate: (t: Template) => call<Template>('SaveTemplate', t),
  DeleteTemplate: (id: number) => call<void>('DeleteTemplate', id),
  // Company actions.
  /** Returns how many chats had unread messages. */
  MarkAllRead: () => call<number>('MarkAllRead'),
  // Preferences.
  DesktopSettings: () => call<DesktopSettings>('DesktopSettings'),
  SetNotificationsMuted: (on: boolean) => call<void>('SetNotificationsMuted', on),
  SetCloseToTray: (on: boolean) => call<void>('SetCloseToTray', on),
  SetLocale: (l: Locale) => call<void>('SetSetting', 'locale', l),
  SetTheme: (t: ThemeSetting) => call<void>('SetSetting', 'theme', t),
  // About.
  /** The release version ("0.2.0"; "dev" for a developer build). */
  AppVersion: () => call<string>('AppVersion'),
};

export type SettingsApi = typeof settingsApi;

/** Subscribes to live channel status ("channel:status"); returns the unsubscribe function. */
export function onChannelStatus(cb: (s: ChannelStatus) => void): () => void {
  const rt = window.runtime;
  if (!rt) return () => undefined;
  const off = rt.EventsOn('channel:status', (...data: unknown[]) => cb(data[0] as ChannelStatus));
  return typeof off === 'function' ? off : () => rt.EventsOff('channel:status');
}
