// The centre pane's history: virtualised (dynamic heights), starts at the bottom, loads older
// pages at the top while keeping the reading position, and follows new messages only when the
// manager is already at the bottom; otherwise a "new messages ↓" marker says they came. A send
// from this window always scrolls to the message sent.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { useStoreChanges } from '../../lib/changes';
import { formatDay } from '../../lib/format';
import { useI18n, useWords } from '../../lib/i18n';
import { historyWords } from './history-i18n';
import { Modal } from '../../lib/Modal';
import { useReportError } from '../../lib/toast';
import type { ChannelKind, HistoryFilter, Manager, Message } from '../../lib/types';
import { buildHistoryItems, endMoved, mergeNewest, type HistoryItem } from './group';
import { MessageItem } from './MessageItem';
import './history.css';

const PAGE = 50;
const BOTTOM_SLACK = 48;

interface Props {
  chatId: number;
  channelKind: ChannelKind;
  personId: number;
  personName: string;
  me: Manager;
  managers: Map<number, Manager>;
  filter: HistoryFilter;
  onReply: (m: Message) => void;
  /** Bumped by each send from this window: the history scrolls to the end, where it lands. */
  sentSeq?: number;
  /** Why this chat's queued messages wait ('' when its channel is up). */
  queuedReason?: string;
}

export function History({ chatId, channelKind, personId, personName, me, managers, filter, onReply, sentSeq = 0, queuedReason = '' }: Props) {
  const { t, locale } = useI18n();
  const w = useWords(historyWords).t;
  const report = useReportError();
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [editing, setEditing] = useState<Message | null>(null);
  const [editText, setEditText] = useState('');
  const [deleting, setDeleting] = useState<Message | null>(null);
  const [newBelow, setNewBelow] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const gen = useRef(0);
  const olderBusy = useRef(false);
  const msgsRef = useRef(messages);
  msgsRef.current = messages;

  const items = useMemo(() => buildHistoryItems(messages), [messages]);
  // Why messages wait is said in words under the newest queued one; the others say it on hover.
  const lastQueuedId = useMemo(() => messages.findLast((m) => m.status === 'queued')?.id ?? 0, [messages]);

  const virt = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (items[i]?.type === 'day' ? 40 : 84),
    overscan: 6,
    getItemKey: (i) => items[i]?.key ?? i,
  });

  // The rows' measuring ref. When a row unmounts, Preact calls it with null while the row is
  // still in the document, and the virtualiser lets go only of rows that are out of it; so that
  // waits a microtask, by when they are gone. Otherwise every chat switch left its last row
  // observed, and through it the whole previous history.
  const measureRow = useCallback((el: HTMLDivElement | null) => (el ? virt.measureElement(el) : queueMicrotask(() => virt.measureElement(null))), [virt]);

  const scrollToBottom = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  // A new chat or filter: load the newest page and start at the bottom.
  useEffect(() => {
    const g = ++gen.current;
    setLoading(true);
    setMessages([]);
    setHasMore(false);
    atBottom.current = true;
    olderBusy.current = false;
    api.History({ chatId, filter, before: 0, limit: PAGE }).then(
      (p) => {
        if (g !== gen.current) return;
        setMessages(p.messages ?? []);
        setHasMore(p.hasMore);
        setLoading(false);
      },
      (e) => {
        if (g !== gen.current) return;
        setLoading(false);
        report(e);
      },
    );
  }, [chatId, filter, report]);

  const total = virt.getTotalSize();
  // Follow the bottom while the manager is there: new messages, and items measured taller than
  // estimated, both move the end.
  useLayoutEffect(() => {
    if (atBottom.current) scrollToBottom();
  }, [total, items.length, scrollToBottom]);

  // What the manager sends is shown: wherever the history was (a language switch, reading
  // older messages), it goes to the end and stays there while the message arrives.
  const lastSent = useRef(sentSeq);
  useLayoutEffect(() => {
    if (sentSeq === lastSent.current) return;
    lastSent.current = sentSeq;
    atBottom.current = true;
    setNewBelow(false);
    scrollToBottom();
  }, [sentSeq, scrollToBottom]);

  const jumpToEnd = useCallback(() => {
    atBottom.current = true;
    setNewBelow(false);
    scrollToBottom();
  }, [scrollToBottom]);

  const loadOlder = useCallback(() => {
    const first = msgsRef.current[0];
    if (!first || olderBusy.current) return;
    olderBusy.current = true;
    setLoadingOlder(true);
    const g = gen.current;
    const el = scrollRef.current;
    const before = { height: el?.scrollHeight ?? 0, top: el?.scrollTop ?? 0 };
    api.History({ chatId, filter, before: first.id, limit: PAGE }).then(
      (p) => {
        olderBusy.current = false;
        setLoadingOlder(false);
        if (g !== gen.current) return;
        const older = p.messages ?? [];
        setHasMore(p.hasMore);
        if (older.length === 0) return;
        setMessages((cur) => {
          const have = new Set(cur.map((m) => m.id));
          return older.filter((m) => !have.has(m.id)).concat(cur);
        });
        // Keep the message the manager was reading in place once the older page is laid out.
        requestAnimationFrame(() => {
          const e2 = scrollRef.current;
          if (e2) e2.scrollTop = before.top + (e2.scrollHeight - before.height);
        });
      },
      (e) => {
        olderBusy.current = false;
        setLoadingOlder(false);
        report(e);
      },
    );
  }, [chatId, filter, report]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    if (atBottom.current) setNewBelow(false);
    if (el.scrollTop < 300 && hasMore && !loading) loadOlder();
  }, [hasMore, loading, loadOlder]);

  useStoreChanges((c) => {
    if (!c.chatIds.has(chatId)) return;
    const g = gen.current;
    api.History({ chatId, filter, before: 0, limit: PAGE }).then((p) => {
      if (g !== gen.current) return;
      const newest = p.messages ?? [];
      // Away from the end, new messages do not move what the manager reads: a marker says so.
      if (!atBottom.current && endMoved(msgsRef.current, newest)) setNewBelow(true);
      setMessages((cur) => mergeNewest(cur, newest));
      if (msgsRef.current.length === 0) setHasMore(p.hasMore);
    }, report);
  });

  const onRetry = useCallback(
    (m: Message) => {
      api.RetryMessage(m.id).catch(report);
    },
    [report],
  );
  const onEdit = useCallback((m: Message) => {
    setEditing(m);
    setEditText(m.text);
  }, []);
  const onDelete = useCallback((m: Message) => setDeleting(m), []);

  const vitems = virt.getVirtualItems();
  const filtered = !!(filter.words || filter.senders?.length || filter.indicatorsOnly || filter.attachments);

  const renderItem = (it: HistoryItem) =>
    it.type === 'day' ? (
      <div className="day-sep" data-testid="day-separator">
        <span>{formatDay(it.at, locale, t)}</span>
      </div>
    ) : (
      <MessageItem
        m={it.message}
        personName={personName}
        personId={personId}
        me={me}
        managers={managers}
        channelKind={channelKind}
        onReply={onReply}
        onEdit={onEdit}
        onDelete={onDelete}
        onRetry={onRetry}
        queuedReason={queuedReason}
        waitInline={it.message.id === lastQueuedId}
      />
    );

  return (
    <div className="history" ref={scrollRef} onScroll={onScroll} role="log" aria-label={t('history.label')} data-testid="history">
      {loadingOlder && <div className="muted small center history-older">{t('history.loadingOlder')}</div>}
      {!loading && messages.length === 0 && <div className="empty">{filtered ? t('history.emptyFiltered') : t('history.empty')}</div>}
      <div style={{ height: total, position: 'relative' }}>
        {vitems.map((vi) => {
          const it = items[vi.index];
          if (!it) return null;
          return (
            <div key={vi.key} data-index={vi.index} ref={measureRow} className="vitem" style={{ transform: `translateY(${vi.start}px)` }}>
              {renderItem(it)}
            </div>
          );
        })}
      </div>
      {newBelow && (
        <div className="new-below">
          <button type="button" className="btn btn-small btn-primary" data-testid="new-messages" onClick={jumpToEnd}>
            {t('history.newMessages')}
          </button>
        </div>
      )}
      {editing && (
        <Modal title={w('msg.editTitle')} onClose={() => setEditing(null)} testid="edit-dialog">
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              const id = editing.id;
              setEditing(null);
              api.EditMessage(id, editText).catch(report);
            }}
          >
            <textarea rows={5} value={editText} onChange={(e) => setEditText(e.target.value)} />
            <div className="row-end">
              <button type="button" className="btn" onClick={() => setEditing(null)}>
                {t('composer.cancel')}
              </button>
              <button type="submit" className="btn btn-primary" disabled={!editText.trim()}>
                {t('composer.save')}
              </button>
            </div>
          </form>
        </Modal>
      )}
      {deleting && (
        <Modal title={w('msg.delete')} onClose={() => setDeleting(null)} testid="delete-dialog">
          <p>{w('msg.deleteConfirm')}</p>
          <p className="quote-text muted">{deleting.text}</p>
          <div className="row-end">
            <button type="button" className="btn" onClick={() => setDeleting(null)}>
              {t('composer.cancel')}
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => {
                const id = deleting.id;
                setDeleting(null);
                api.DeleteMessage(id).catch(report);
              }}
            >
              {w('msg.delete')}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
