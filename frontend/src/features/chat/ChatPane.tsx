// The centre pane: the open chat's head, its history and the composer, or a hint when no chat is
// open. History and composer are loaded after the first screen (lazyParts.ts).
import { Suspense, useCallback, useState } from 'react';
import { useI18n } from '../../lib/i18n';
import { useReportError } from '../../lib/toast';
import type { Manager } from '../../lib/types';
import { ClaimControl, Composer, DialoguePanel, History, HistoryFilterBar, OwnerLine, PresenceBar } from '../../lazyParts';
import { channelsStore } from '../workspace/channels';
import { listControl, loadCard, markRead, setReplyTo, workspace } from '../workspace/store';
import { ChatHead } from './ChatHead';
import { waitReason } from './waitReason';

export function ChatPane({ me, managers }: { me: Manager; managers: Map<number, Manager> }) {
  const { t } = useI18n();
  const report = useReportError();
  const sel = workspace.use((s) => s.sel);
  const card = workspace.use((s) => s.card);
  const replyTo = workspace.use((s) => s.replyTo);
  const histFilter = workspace.use((s) => s.histFilter);
  const histFilterOpen = workspace.use((s) => s.histFilterOpen);
  // Bumped by every send from this window: the history then scrolls to the message sent.
  const [sent, setSent] = useState(0);
  const onSent = useCallback(() => setSent((n) => n + 1), []);
  const onFilter = useCallback((f: typeof histFilter) => workspace.set({ histFilter: f }), []);
  const onMarkRead = useCallback(() => void markRead().catch(report), [report]);
  const onNote = useCallback(() => workspace.set({ noteOpen: true }), []);
  const onCancelReply = useCallback(() => setReplyTo(null), []);

  const chats = card && card.person.id === sel?.personId ? (card.chats ?? []) : [];
  const chat = chats.find((c) => c.id === sel?.chatId);
  // A string: the pane re-renders when the reason changes, not on every status report.
  const channelId = chat?.channelId ?? 0;
  const queuedReason = channelsStore.use((s) => (channelId ? waitReason(channelId, s.channels, s.statuses, t) : ''));

  if (!sel) {
    return (
      <section className="pane pane-chat" aria-label={t('history.label')}>
        <div className="empty empty-big">{t('chat.none')}</div>
      </section>
    );
  }
  const name = card?.person.id === sel.personId ? card.person.name : sel.name;
  // Until the card is in, the list row knows the messenger.
  const channelKind =
    chat?.channelKind ??
    listControl()
      .rows()
      .find((r) => r.personId === sel.personId)?.channelKind ??
    'telegram';
  return (
    <section className="pane pane-chat" aria-label={sel.name}>
      <ChatHead
        name={name}
        chats={chats}
        chatId={sel.chatId}
        claim={
          chat && (
            <Suspense fallback={null}>
              <ClaimControl chat={chat} me={me} managers={managers} onChanged={() => void loadCard(sel.personId).catch(report)} />
            </Suspense>
          )
        }
      />
      <Suspense fallback={null}>
        <DialoguePanel key={sel.chatId} chatId={sel.chatId} me={me} managers={managers} />
      </Suspense>
      <Suspense fallback={<div className="history" aria-busy="true" />}>
        {histFilterOpen && <HistoryFilterBar value={histFilter} onChange={onFilter} />}
        <History
          key={sel.chatId}
          chatId={sel.chatId}
          channelKind={channelKind}
          personId={sel.personId}
          personName={name}
          me={me}
          managers={managers}
          filter={histFilter}
          onReply={setReplyTo}
          sentSeq={sent}
          queuedReason={queuedReason}
        />
        {chat && <OwnerLine chat={chat} me={me} managers={managers} />}
        <PresenceBar chatId={sel.chatId} managers={managers} />
        <Composer
          chatId={sel.chatId}
          channelKind={channelKind}
          replyTo={replyTo}
          replyName={replyTo ? (replyTo.sender === 'client' ? sel.name : replyTo.senderName || t(`sender.${replyTo.sender}`)) : ''}
          onCancelReply={onCancelReply}
          onSent={onSent}
          onMarkRead={onMarkRead}
          onNote={onNote}
          unread={chat?.unread ?? 0}
        />
      </Suspense>
    </section>
  );
}
