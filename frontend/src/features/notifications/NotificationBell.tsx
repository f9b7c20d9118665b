// The in-app notification panel: tags of me, client messages that arrived while the window was
// not focused, and my tasks as they become due (backend/notify). Each item opens its chat; titles and bodies are client or manager
// text and render as text only.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, events } from '../../lib/api';
import { formatListTime } from '../../lib/format';
import { useWords } from '../../lib/i18n';
import { notificationsWords, type NotificationsKey } from './notifications-i18n';
import { IconBell } from '../../lib/icons';
import type { NotificationItem } from '../../lib/types';

const kindWord: Record<NotificationItem['kind'], NotificationsKey> = {
  message: 'notify.message',
  mention: 'notify.mention',
  task: 'notify.task',
};

interface Props {
  onOpenChat: (chatId: number) => void;
}

export function NotificationBell({ onOpenChat }: Props) {
  const { t, locale } = useWords(notificationsWords);
  const [items, setItems] = useState<NotificationItem[]>([]);
  const [unseen, setUnseen] = useState(0);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Items that arrived by event before the feed loaded stay; the feed fills in behind them.
    api.Notifications().then(
      (list) => setItems((cur) => [...cur, ...(list ?? []).filter((n) => !cur.some((x) => x.id === n.id))]),
      () => undefined,
    );
    return events.onNotification((n) => {
      setItems((cur) => [n, ...cur.filter((x) => x.id !== n.id)]);
      setUnseen((u) => u + 1);
    });
  }, []);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const dismiss = useCallback((id: number) => {
    setItems((cur) => cur.filter((x) => x.id !== id));
    api.DismissNotification(id).catch(() => undefined);
  }, []);

  return (
    <div className="notify" ref={root}>
      <button
        type="button"
        className={`icon-btn${open ? ' on' : ''}`}
        aria-label={t('notify.button')}
        title={t('notify.button')}
        aria-expanded={open}
        data-testid="notify-bell"
        onClick={() => {
          setOpen((o) => !o);
          setUnseen(0);
        }}
      >
        <IconBell />
        {unseen > 0 && (
          <span className="badge badge-small notify-count" data-testid="notify-count">
            {unseen}
          </span>
        )}
      </button>
      {open && (
        <div className="notify-panel" role="dialog" aria-label={t('notify.title')} data-testid="notify-panel">
          <div className="notify-head">{t('notify.title')}</div>
          {items.length === 0 ? (
            <div className="empty">{t('notify.empty')}</div>
          ) : (
            <ul className="notify-list">
              {items.map((n) => (
                <li key={n.id} className={`notify-item notify-${n.kind}`} data-testid="notify-item">
                  <div className="notify-line">
                    <strong className="notify-title">{n.title}</strong>
                    <span className="notify-kind">{t(kindWord[n.kind] ?? 'notify.message')}</span>
                    <span className="notify-time">{formatListTime(n.at, locale)}</span>
                  </div>
                  {n.body && <div className="notify-body">{n.body}</div>}
                  <div className="notify-actions">
                    {n.chatId > 0 && (
                      <button
                        type="button"
                        className="btn btn-small"
                        data-testid="notify-open"
                        onClick={() => {
                          setOpen(false);
                          onOpenChat(n.chatId);
                        }}
                      >
                        {t('notify.open')}
                      </button>
                    )}
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => dismiss(n.id)}>
                      {t('notify.dismiss')}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
