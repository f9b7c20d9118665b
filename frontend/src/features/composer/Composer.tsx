// The composer: a textarea, Ctrl+Enter sends (Enter is a new line), the reply quote above it
// (Esc cancels), errors in words, and "mark as read" beside it. The rich parts live beside it in
// this folder: drafts kept on disk as you type (useDraft), chat templates and emoji inserted at
// the caret, attachments (paperclip, drag-and-drop, paste), the message constructor and the
// hold-to-record voice button.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { composeApi } from '../../lib/composeApi';
import { errorText } from '../../lib/errors';
import { useI18n } from '../../lib/i18n';
import { IconAt, IconClose, IconReadAll, IconReply, IconSend } from '../../lib/icons';
import { useToast } from '../../lib/toast';
import { noteTyping, stopTyping } from '../presence/localPresence';
import { TEXT_LIMIT, type ChannelKind, type Message } from '../../lib/types';
import { AttachButton, AttachmentTray, hasFiles, useAttachments } from './AttachmentTray';
import { insertIntoTextarea } from './caret';
import { useComposerT } from './composer-i18n';
import { Constructor, parseConstructor } from './Constructor';
import { EmojiPicker } from './EmojiPicker';
import { TemplatePicker } from './TemplatePicker';
import { useDraft, type DraftState } from './useDraft';
import { VoiceButton } from './VoiceButton';

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
  const { t, locale } = useI18n();
  const { t: ct } = useComposerT();
  const toast = useToast();
  const [text, setText] = useState('');
  const [ctorJson, setCtorJson] = useState('');
  const [ctorOpen, setCtorOpen] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [dropping, setDropping] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const replyId = replyTo?.id ?? 0;

  // Each chat has its own composer state: a switch starts clean, then its draft comes back.
  useEffect(() => {
    setText('');
    setCtorJson('');
    setCtorOpen(false);
    setError('');
  }, [chatId]);
  const restore = useCallback((d: DraftState) => {
    setText(d.text);
    setCtorJson(d.constructorJson);
  }, []);
  const draftError = useCallback((e: unknown) => setError(ct('draft.saveFailed', { text: errorText(e, locale) })), [ct, locale]);
  const draft = useDraft(chatId, restore, draftError);
  const showError = useCallback((s: string) => setError(s), []);
  const att = useAttachments(showError);

  useLayoutEffect(() => {
    if (replyTo) ref.current?.focus();
  }, [replyTo]);

  const changeText = (v: string) => {
    setText(v);
    noteTyping(chatId);
    draft.save({ text: v, constructorJson: ctorJson, replyToId: replyId });
    if (error) setError('');
  };
  const insert = (s: string) => insertIntoTextarea(ref.current, text, s, changeText);

  const limit = TEXT_LIMIT[channelKind];
  const send = async () => {
    const body = text.trim();
    const files = att.files;
    if (!body && files.length === 0) {
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
      if (files.length > 0) {
        const msgs = await composeApi.SendAttachments(chatId, body, files, replyId);
        att.reset();
        const last = msgs[msgs.length - 1];
        if (last) onSent(last);
      } else {
        onSent(await api.SendText(chatId, body, replyId));
      }
      setText('');
      stopTyping(chatId);
      draft.clear({ constructorJson: ctorJson });
      onCancelReply();
    } catch (e) {
      setError(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };

  const ctorParts = parseConstructor(ctorJson).parts.length;

  return (
    <div
      className={`composer${dropping ? ' cx-dropping' : ''}`}
      data-testid="composer"
      onDragOver={(e) => {
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false);
      }}
      onDrop={(e) => {
        setDropping(false);
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        // With Wails' own file drop on, the OS paths arrive through composeEvents instead.
        const wailsDrop = (window as unknown as { wails?: { flags?: { enableWailsDragAndDrop?: boolean } } }).wails?.flags?.enableWailsDragAndDrop;
        if (!wailsDrop) void att.addBlobs(Array.from(e.dataTransfer.files));
      }}
    >
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
      <AttachmentTray a={att} />
      <div className="composer-row">
        <button type="button" className="icon-btn" aria-label={t('composer.note')} title={t('composer.note')} data-testid="note-open" onClick={onNote}>
          <IconAt />
        </button>
        <TemplatePicker chatId={chatId} onInsert={insert} onError={showError} />
        <EmojiPicker onInsert={insert} />
        <AttachButton onPick={() => void att.pick()} disabled={att.busy} />
        <button
          type="button"
          className={`icon-btn${ctorParts > 0 ? ' on' : ''}`}
          aria-label={ct('constructor.button')}
          title={ct('constructor.button')}
          data-testid="constructor-button"
          onClick={() => setCtorOpen(true)}
        >
          <span aria-hidden="true" className="cx-glyph">
            ▦
          </span>
        </button>
        <textarea
          ref={ref}
          value={text}
          rows={2}
          placeholder={t('composer.placeholder')}
          aria-label={t('composer.placeholder')}
          data-testid="composer-input"
          onChange={(e) => changeText(e.target.value)}
          onPaste={(e) => {
            const files = Array.from(e.clipboardData?.files ?? []);
            if (files.length === 0) return;
            e.preventDefault();
            void att.addBlobs(files);
          }}
          onBlur={() => draft.flush()}
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
        <VoiceButton chatId={chatId} replyToId={replyId} disabled={busy} onSent={onSent} onError={showError} onInfo={(s) => toast.notify(s)} />
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || att.busy}
          data-testid="send"
          aria-label={t('composer.send')}
          title={t('composer.send')}
          onClick={() => void send()}
        >
          <IconSend />
        </button>
      </div>
      {ctorOpen && (
        <Constructor
          chatId={chatId}
          replyToId={replyId}
          initial={ctorJson}
          onChange={(json) => {
            setCtorJson(json);
            draft.save({ text, constructorJson: json, replyToId: replyId });
          }}
          onSent={(msgs) => {
            setCtorOpen(false);
            setCtorJson('');
            draft.clear({ text });
            onCancelReply();
            const last = msgs[msgs.length - 1];
            if (last) onSent(last);
          }}
          onClose={() => {
            setCtorOpen(false);
            draft.flush();
          }}
        />
      )}
    </div>
  );
}
