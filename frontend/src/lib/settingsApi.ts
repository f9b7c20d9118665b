// Typed calls of the Settings screen's Go service (app/settings.go, app/desktop.go:
// window.go.app.Settings), plus the templates (the composer's service) and the locale and theme
// (the workspace's settings). Over the one call/on of api.ts; the shapes are in types.ts.
import { call, on } from './api';
import { composeApi } from './composeApi';
import type { BotInfo, Channel, ChannelStatus, ChannelView, DesktopSettings, LeadLink, LeadLinkView, Locale, Template, ThemeSetting } from './types';

export type { BotInfo, ChannelView, DesktopSettings, LeadLink, LeadLinkView, Template } from './types';

export const settingsApi = {
  // Channels.
  Channels: () => call<ChannelView[] | null>('Settings', 'SettingsChannels'),
  /** '' when tokens can be stored, otherwise an error code (no_keyring) for errors.ts. */
  KeyringStatus: () => call<string>('Settings', 'KeyringStatus'),
  CheckTelegramToken: (token: string, apiUrl: string) => call<BotInfo>('Settings', 'CheckTelegramToken', token, apiUrl),
  AddTelegramChannel: (token: string, apiUrl: string) => call<Channel>('Settings', 'AddTelegramChannel', token, apiUrl),
  /** Removes a webhook for a token that is not stored yet (the add dialog). */
  DeleteTelegramWebhook: (token: string, apiUrl: string) => call<void>('Settings', 'DeleteTelegramWebhook', token, apiUrl),
  /** Removes the webhook of a connected bot whose poller reports one. */
  DeleteChannelWebhook: (channelId: number) => call<void>('Settings', 'DeleteChannelWebhook', channelId),
  CheckVKToken: (token: string, groupId: string) => call<BotInfo>('Settings', 'CheckVKToken', token, groupId),
  AddVKChannel: (token: string, groupId: string) => call<Channel>('Settings', 'AddVKChannel', token, groupId),
  RemoveChannel: (id: number) => call<void>('Settings', 'RemoveChannel', id),
  /** Polls a stopped channel again (after a conflict was resolved elsewhere). */
  ReconnectChannel: (id: number) => call<void>('Settings', 'ReconnectChannel', id),
  SetChannelNotify: (id: number, on: boolean) => call<void>('Settings', 'SetChannelNotify', id, on),
  // Lead links.
  LeadLinks: (channelId: number) => call<LeadLinkView[] | null>('Settings', 'LeadLinks', channelId),
  AddLeadLink: (l: Omit<LeadLink, 'id'>) => call<LeadLinkView>('Settings', 'AddLeadLink', { id: 0, ...l }),
  DeleteLeadLink: (id: number) => call<void>('Settings', 'DeleteLeadLink', id),
  // Chat templates (the composer's service).
  Templates: () => composeApi.Templates(),
  SaveTemplate: (t: Template) => call<Template>('Composer', 'SaveTemplate', t),
  DeleteTemplate: (id: number) => call<void>('Composer', 'DeleteTemplate', id),
  // Company actions.
  /** Returns how many chats had unread messages. */
  MarkAllRead: () => call<number>('Settings', 'MarkAllRead'),
  // Preferences.
  DesktopSettings: () => call<DesktopSettings>('Settings', 'DesktopSettings'),
  SetNotificationsMuted: (on: boolean) => call<void>('Settings', 'SetNotificationsMuted', on),
  SetCloseToTray: (on: boolean) => call<void>('Settings', 'SetCloseToTray', on),
  SetLocale: (l: Locale) => call<void>('Workspace', 'SetSetting', 'locale', l),
  SetTheme: (t: ThemeSetting) => call<void>('Workspace', 'SetSetting', 'theme', t),
  // About.
  /** The release version ("0.2.0"; "dev" for a developer build). */
  AppVersion: () => call<string>('Settings', 'AppVersion'),
};

export type SettingsApi = typeof settingsApi;

/** Subscribes to live channel status ("channel:status"); returns the unsubscribe function. */
export function onChannelStatus(cb: (s: ChannelStatus) => void): () => void {
  return on<ChannelStatus>('channel:status', cb);
}
