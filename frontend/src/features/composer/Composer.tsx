// The simple composer of this issue: a textarea, Ctrl+Enter sends (Enter is a new line), the
// reply quote above it (Esc cancels), errors in words, and "mark as read" beside it.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { errorText } from '../../lib/errors';
import { useI18n } from '../../lib/i18n';
import { IconAt, IconClose, IconReadAll, IconReply, IconSend } from '../../lib/icons';
import { TEXT_LIMIT, type ChannelKind, type Message } from '../../lib/types';

interface Props {
  chatId: number;
  channelKind: ChannelKind;
  replyTo: Message | null;
  replyName: string;
  onCancelReply: () => void;
  onSent: (m: Message) => void;
  onMarkRead: () => void;
  onNote: () => void;
  unread: number;
}

export function Composer({ chatId, channelKind, replyTo, replyName, onCancelReply, onSent, onMarkRead, onNote, unread }: Props) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  // Each chat has its own composer state; a switch starts clean.
  useEffect(() => {
    setText('');
    setError('');
  }, [chatId]);
  useEffect(() => {
    if (replyTo) ref.current?.focus();
  }, [replyTo]);

  const limit = TEXT_LIMIT[channelKind];
  const send = async () => {
    const body = text.trim();
    if (!body) {
      setError(t('composer.empty'));
      return;
    }
    if ([...body].length > limit) {
      setError(t('composer.tooLong', { n: [...body].length, max: limit }));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const m = await api.SendText(chatId, body, replyTo?.id ?? 0);
      setText('');
      onCancelReply();
      onSent(m);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="composer" data-testid="composer">
      {replyTo && (
        <div className="composer-reply" data-testid="composer-reply">
          <IconReply size={15} />
          <div className="composer-reply-body">
            <div className="quote-who">{t('composer.replyTo', { name: replyName })}</div>
            <div className="quote-text">{replyTo.text}</div>
          </div>
          <button type="button" className="icon-btn" aria-label={t('composer.cancelReply')} title={t('composer.cancelReply')} onClick={onCancelReply}>
            <IconClose size={14} />
          </button>
        </div>
      )}
      {error && (
        <div className="composer-error" role="alert" data-testid="composer-error">
          {error}
        </div>
      )}
      <div className="composer-row">
        <button type="button" className="icon-btn" aria-label={t('composer.note')} title={t('composer.note')} data-testid="note-open" onClick={onNote}>
          <IconAt />
        </button>
        <textarea
          ref={ref}
          value={text}
          rows={2}
          placeholder={t('composer.placeholder')}
          aria-label={t('composer.placeholder')}
          data-testid="composer-input"
          onChange={(e) => {
            setText(e.target.value);
            if (error) setError('');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.shiftKey) {
              e.preventDefault();
              if (!busy) void send();
            } else if (e.key === 'Escape' && replyTo) {
              e.preventDefault();
              onCancelReply();
            }
          }}
        />
        <button
          type="button"
          className={`btn${unread > 0 ? ' btn-accent' : ''}`}
          aria-label={t('chat.markReadHint')}
          title={t('chat.markReadHint')}
          data-testid="mark-read"
          onClick={onMarkRead}
        >
          <IconReadAll />
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} data-testid="send" aria-label={t('composer.send')} title={t('composer.send')} onClick={() => void send()}>
          <IconSend />
        </button>
      </div>
    </div>
  );
}
