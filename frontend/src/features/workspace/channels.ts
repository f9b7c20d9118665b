// The workspace's channels and their live poller status, for the header's warning, the list's
// empty state (is anything connected?) and why a queued message waits. Seeded from Bootstrap,
// kept current by "channel:status"; a status for a channel not known yet (one just connected in
// Settings) reloads the list.
import { events } from '../../lib/api';
import { createStore } from '../../lib/smallStore';
import type { Channel, ChannelStatus } from '../../lib/types';

export interface ChannelsState {
  channels: Channel[];
  statuses: ReadonlyMap<number, ChannelStatus>;
}

export const channelsStore = createStore<ChannelsState>({ channels: [], statuses: new Map() });

/** The demo generator's channels (backend/demo: ExternalID "demo-telegram" and "demo-vk"). A real
 * bot's or community's external id is its numeric id, so the prefix cannot occur otherwise. */
export function isDemoChannel(c: Channel): boolean {
  return c.externalId.startsWith('demo-');
}

let reloading: Promise<void> | null = null;

/**
 * Asks Go for every channel with its last status. The settings' API module comes with the call
 * (first made 300 ms after the workspace is shown): the first screen's script does without it.
 */
export function reloadChannels(): Promise<void> {
  reloading ??= import('../../lib/settingsApi')
    .then(({ settingsApi }) => settingsApi.Channels())
    .then(
      (views) => {
        reloading = null;
        const statuses = new Map(channelsStore.get().statuses);
        for (const v of views ?? []) if (v.status) statuses.set(v.channel.id, v.status);
        channelsStore.set({ channels: (views ?? []).map((v) => v.channel), statuses });
      },
      () => {
        reloading = null;
      },
    );
  return reloading;
}

/** Starts following the channels from Bootstrap's list; returns the function that stops it. */
export function followChannels(initial: Channel[]): () => void {
  channelsStore.set({ channels: initial });
  const off = events.onChannelStatus((s) => {
    const { channels, statuses } = channelsStore.get();
    channelsStore.set({ statuses: new Map(statuses).set(s.channelId, s) });
    if (!channels.some((c) => c.id === s.channelId)) void reloadChannels();
  });
  // The statuses reported before the window subscribed (a channel without a token says so once),
  // asked after the first screen is painted so the call does not compete with it.
  const timer = setTimeout(() => void reloadChannels(), 300);
  return () => {
    clearTimeout(timer);
    off();
  };
}
