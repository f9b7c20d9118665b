// The open chat's head: the person's name, a tab per chat (channel) when they have several, the
// owner of the chat with its claim action (features/claims), the history filter toggle and
// "mark as read".
import type { ReactNode } from 'react';
import { useI18n } from '../../lib/i18n';
import { ChannelIcon, IconFilter, IconReadAll } from '../../lib/icons';
import type { Chat } from '../../lib/types';
import { useReportError } from '../../lib/toast';
import { markRead, selectChat, workspace } from '../workspace/store';

export function ChatHead({ name, chats, chatId, claim }: { name: string; chats: Chat[]; chatId: number; claim?: ReactNode }) {
  const { t } = useI18n();
  const report = useReportError();
  const filterOpen = workspace.use((s) => s.histFilterOpen);
  const filtering = workspace.use((s) => Object.keys(s.histFilter).length > 0);
  return (
    <div className="chat-head">
      <div className="chat-title" data-testid="chat-title">
        {name}
      </div>
      {chats.length > 1 && (
        <div className="channel-tabs" role="tablist" aria-label={t('chat.channels')}>
          {chats.map((c) => (
            <button
              key={c.id}
              type="button"
              role="tab"
              aria-selected={c.id === chatId}
              className={`tab tab-small${c.id === chatId ? ' tab-active' : ''}`}
              data-testid="channel-tab"
              data-chat-id={c.id}
              onClick={() => selectChat(c.id)}
            >
              <ChannelIcon kind={c.channelKind} /> {c.channelName}
              {c.unread > 0 && <span className="badge badge-small">{c.unread}</span>}
            </button>
          ))}
        </div>
      )}
      <span className="spacer" />
      {claim}
      <button
        type="button"
        className={`icon-btn${filterOpen || filtering ? ' on' : ''}`}
        aria-pressed={filterOpen}
        aria-label={t('history.filter')}
        title={t('history.filter')}
        data-testid="history-filter-toggle"
        onClick={() => workspace.set((s) => ({ histFilterOpen: !s.histFilterOpen }))}
      >
        <IconFilter />
      </button>
      <button type="button" className="btn btn-small" data-testid="mark-read-head" title={t('chat.markReadHint')} onClick={() => markRead().catch(report)}>
        <IconReadAll size={14} /> {t('chat.markRead')}
      </button>
    </div>
  );
}
