// One entry of the history. Client text is hostile: every string is a React text node.
import { memo, useEffect, useRef, useState } from 'react';
import { Avatar } from '../../lib/Avatar';
import { formatClock } from '../../lib/format';
import { useI18n, useWords } from '../../lib/i18n';
import { IconAlert, IconCheck, IconClock, IconMore, IconReply } from '../../lib/icons';
import { canDelete, canEdit } from '../../lib/rules';
import type { ChannelKind, Indicator, Manager, Message } from '../../lib/types';
import { AttachmentView } from './Attachments';
import { historyWords, reasonKey, type HistoryKey } from './history-i18n';
import { useMenuPlacement } from './menuPlacement';
import { AudioPlayer } from '../composer/AudioPlayer';
import { Stars } from '../dialogues/Stars';
import { mediaURL } from '../../lib/composeApi';
import { failureText } from '../../lib/errors';

export interface MessageActions {
  onReply: (m: Message) => void;
  onEdit: (m: Message) => void;
  onDelete: (m: Message) => void;
  onRetry: (m: Message) => void;
}

interface Props extends MessageActions {
  m: Message;
  personName: string;
  personId: number;
  me: Manager;
  managers: Map<number, Manager>;
  channelKind: ChannelKind;
  /** Why a queued message waits ('' when its channel is up): on the clock's tooltip, and under
   * the message when waitInline (the newest queued one of the chat). */
  queuedReason?: string;
  waitInline?: boolean;
}

// An indicator is data (a type, names, a reason code): the words are ours, the names are the
// company's and the client's (data-param marks them, so tests can tell words from data).
function IndicatorView({ ind }: { ind: Indicator }) {
  const { t } = useWords(historyWords);
  const fields: [HistoryKey, string | undefined][] = [
    ['ind.tunnel', ind.tunnel],
    ['ind.block', ind.block],
    ['ind.source', ind.source],
    ['ind.tool', ind.tool],
    ['ind.offer', ind.offer],
    ['ind.amount', ind.amount],
    ['ind.code', ind.details],
  ];
  const reason = ind.reason ? reasonKey(ind.reason) : undefined;
  return (
    <div className={`indicator ind-${ind.type}`} data-testid="indicator">
      <div className="ind-title">{t(`ind.${ind.type}`)}</div>
      <dl className="ind-fields">
        {fields
          .filter(([, v]) => !!v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{t(k)}</dt>
              <dd data-param>{v}</dd>
            </div>
          ))}
        {ind.type === 'client_rating' && (
          <>
            <div>
              <dt>{t('ind.score')}</dt>
              <dd>
                <Stars score={ind.score ?? 0} words={t('ind.scoreValue', { score: ind.score ?? 0 })} testid="ind-score" />
              </dd>
            </div>
            <div>
              <dt>{t('ind.dialogueCycle')}</dt>
              <dd>{t('ind.dialogueCycleValue', { dialogue: ind.dialogue ?? 0, cycle: ind.cycle ?? 1 })}</dd>
            </div>
          </>
        )}
        {ind.reason && (
          <div>
            <dt>{t('ind.reason')}</dt>
            <dd data-testid="ind-reason">{reason ? t(reason) : t('ind.reason.unknown', { code: ind.reason })}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function StatusMark({ m, reason }: { m: Message; reason: string }) {
  const w = useWords(historyWords).t;
  if (m.status === 'received') return null;
  const label = m.status === 'queued' && reason ? `${w(`msg.status.${m.status}`)}: ${reason}` : w(`msg.status.${m.status}`);
  return (
    <span className={`status status-${m.status}`} data-testid="msg-status" data-status={m.status} title={label} aria-label={label} role="img">
      {m.status === 'queued' || m.status === 'sending' ? <IconClock size={13} /> : m.status === 'failed' ? <IconAlert size={13} /> : <IconCheck size={13} />}
    </span>
  );
}

export const MessageItem = memo(function MessageItem({
  m,
  personName,
  personId,
  me,
  managers,
  channelKind,
  onReply,
  onEdit,
  onDelete,
  onRetry,
  queuedReason = '',
  waitInline = true,
}: Props) {
  const { t, locale } = useI18n();
  const w = useWords(historyWords).t;
  const [menu, setMenu] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const popupRef = useRef<HTMLDivElement>(null);
  const placement = useMenuPlacement(menu, popupRef);

  useEffect(() => {
    if (!menu) return;
    const close = (e: MouseEvent) => {
      if (menuRef.current && !menuRef.current.contains(e.target as Node)) setMenu(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [menu]);

  const time = formatClock(m.createdAt);

  if (m.kind === 'indicator') {
    return (
      <div className="msg msg-left msg-indicator" data-testid="message" data-kind="indicator" data-id={m.id}>
        <div className="bubble bubble-indicator">
          {m.indicator ? <IndicatorView ind={m.indicator} /> : <div className="msg-text">{m.text}</div>}
          <div className="msg-foot">
            <span className="msg-time">{time}</span>
          </div>
        </div>
      </div>
    );
  }

  if (m.kind === 'note') {
    const author = m.managerId === me.id ? t('sender.you') : (managers.get(m.managerId)?.name ?? m.senderName);
    const names = (m.mentions ?? []).map((id) => managers.get(id)?.name ?? `#${id}`);
    return (
      <div className="msg msg-note" data-testid="message" data-kind="note" data-id={m.id}>
        <div className="note">
          <div className="note-head">
            <strong>{author}</strong>
            <span className="note-label">{w('msg.noteLabel')}</span>
            <span className="msg-time">{time}</span>
          </div>
          {names.length > 0 && <div className="note-mentions">{w('msg.noteMentions', { names: names.join(', ') })}</div>}
          {m.text && <div className="msg-text">{m.text}</div>}
        </div>
      </div>
    );
  }

  const left = m.sender === 'client';
  let sender: string;
  let avatar: React.ReactNode;
  if (left) {
    sender = personName;
    avatar = <Avatar id={personId} name={personName} size={30} />;
  } else if (m.sender === 'bot') {
    sender = t('sender.bot');
    avatar = <Avatar id={0} name="Bot" size={30} variant="bot" />;
  } else if (m.sender === 'admin') {
    sender = m.senderName ? `${t('sender.bot')} · ${m.senderName}` : t('sender.bot');
    avatar = <Avatar id={0} name={t('sender.you')} size={30} variant="you" />;
  } else {
    const mine = m.managerId === me.id;
    sender = mine ? t('sender.you') : (managers.get(m.managerId)?.name ?? (m.senderName || t('sender.manager')));
    avatar = <Avatar id={m.managerId + 1_000_000} name={mine ? me.name : sender} size={30} />;
  }

  const editBlock = canEdit(m);
  const deleteBlock = canDelete(channelKind, m, Date.now());
  const ours = m.sender !== 'client';
  const hours = channelKind === 'vk' ? 24 : 48;
  const deleteReason =
    deleteBlock === 'window'
      ? w('msg.cannotDeleteWindow', { messenger: t(`channel.${channelKind}`), hours })
      : deleteBlock === 'not_ours'
        ? w('msg.cannotEdit')
        : undefined;

  return (
    <div className={`msg ${left ? 'msg-left' : 'msg-right'}`} data-testid="message" data-kind="message" data-sender={m.sender} data-id={m.id}>
      {left && avatar}
      <div className={`bubble ${left ? 'bubble-in' : 'bubble-out'}${m.deleted ? ' bubble-deleted' : ''}`}>
        <div className="msg-sender">{sender}</div>
        {m.replyTo && (
          <div className="quote" data-testid="quote">
            <div className="quote-who">{m.replyTo.sender === 'client' ? personName : m.replyTo.senderName || t(`sender.${m.replyTo.sender}`)}</div>
            <div className="quote-text">{m.replyTo.text}</div>
          </div>
        )}
        {(m.attachments ?? []).map((a, i) =>
          a.kind === 'voice' || a.kind === 'audio' ? (
            <AudioPlayer key={i} messageId={m.id} index={i} attachment={a} />
          ) : (
            <AttachmentView key={i} a={a} media={mediaURL(m.id, i)} />
          ),
        )}
        {m.deleted && !m.text ? (
          <div className="msg-text muted">{w('msg.deletedText')}</div>
        ) : (
          m.text && (
            <div className="msg-text" data-testid="msg-text">
              {m.text}
            </div>
          )
        )}
        {m.reactions && m.reactions.length > 0 && (
          <div className="reactions">
            {m.reactions.map((r) => (
              <span key={r.emoji} className="reaction">
                {r.emoji} {r.count > 1 ? r.count : ''}
              </span>
            ))}
          </div>
        )}
        <div className="msg-foot">
          {m.edited && <span className="mark">{w('msg.edited')}</span>}
          {m.deleted && <span className="mark mark-deleted">{w('msg.deleted')}</span>}
          <span className="msg-time">{time}</span>
          {!left && <StatusMark m={m} reason={queuedReason} />}
        </div>
        {m.status === 'queued' && queuedReason && waitInline && (
          <div className="msg-wait" data-testid="msg-wait">
            {queuedReason}
          </div>
        )}
        {m.status === 'failed' && (
          <div className="msg-error" data-testid="msg-error">
            <span>{m.error ? failureText(m.error, locale) : w('msg.status.failed')}</span>
            <button type="button" className="btn btn-small" data-testid="retry" onClick={() => onRetry(m)}>
              {w('msg.retry')}
            </button>
          </div>
        )}
      </div>
      {!left && avatar}
      <div className="msg-actions" ref={menuRef}>
        {!m.deleted && (
          <button type="button" className="icon-btn" aria-label={w('msg.reply')} title={w('msg.reply')} data-testid="msg-reply" onClick={() => onReply(m)}>
            <IconReply size={15} />
          </button>
        )}
        {ours && (
          <button
            type="button"
            className="icon-btn"
            aria-label={w('msg.menu')}
            aria-haspopup="menu"
            aria-expanded={menu}
            data-testid="msg-menu"
            onClick={() => setMenu((v) => !v)}
          >
            <IconMore size={15} />
          </button>
        )}
        {menu && (
          <div className={`menu${placement === 'up' ? ' menu-up' : ''}`} role="menu" ref={popupRef} data-testid="msg-menu-popup" data-placement={placement}>
            <button
              type="button"
              role="menuitem"
              disabled={!!editBlock}
              title={editBlock ? w('msg.cannotEdit') : undefined}
              onClick={() => {
                setMenu(false);
                onEdit(m);
              }}
            >
              {w('msg.edit')}
            </button>
            <button
              type="button"
              role="menuitem"
              disabled={!!deleteBlock}
              title={deleteReason}
              onClick={() => {
                setMenu(false);
                onDelete(m);
              }}
            >
              {w('msg.delete')}
            </button>
            {deleteReason && <div className="menu-note">{deleteReason}</div>}
          </div>
        )}
      </div>
    </div>
  );
});
