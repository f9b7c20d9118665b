// The connected channels with their live status: loaded once, then kept current by the
// "channel:status" event the Go side emits whenever a poller's state changes.
import { useStoreChanges } from '../../lib/changes';
import { useCallback, useEffect, useState } from 'react';
import { onChannelStatus, settingsApi, type ChannelView } from '../../lib/settingsApi';

export interface ChannelsState {
  views: ChannelView[];
  loading: boolean;
  error: unknown;
  reload: () => Promise<void>;
  setNotify: (id: number, on: boolean) => void;
}

export function useChannels(): ChannelsState {
  const [views, setViews] = useState<ChannelView[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    try {
      const list = await settingsApi.Channels();
      // A removed channel that had chats stays in the store, disabled, so its history reads; it
      // is listed (connected ones first) because its links and chats still exist.
      const all = list ?? [];
      setViews([...all.filter((v) => v.channel.enabled), ...all.filter((v) => !v.channel.enabled)]);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);

  // A team's channels change at the hub (an admin's desktop, the hub's CLI).
  useStoreChanges((c) => {
    if (c.kinds.has('channels.changed')) void reload();
  });

  useEffect(() => {
    void reload();
    return onChannelStatus((st) => {
      setViews((vs) => vs.map((v) => (v.channel.id === st.channelId ? { ...v, status: st } : v)));
    });
  }, [reload]);

  const setNotify = useCallback((id: number, on: boolean) => {
    setViews((vs) => vs.map((v) => (v.channel.id === id ? { ...v, notify: on } : v)));
  }, []);

  return { views, loading, error, reload, setNotify };
}

/** A clock that ticks every second while `active`, for "retrying in N s" countdowns. */
export function useTick(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}
