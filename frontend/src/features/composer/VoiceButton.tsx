// Hold-to-record voice notes. Recording happens natively in Go (the webview cannot open the
// microphone on Linux); this button only starts, stops and cancels it and shows the elapsed
// time and a level meter from "voice:level". Pointer down starts, up sends; leaving the button
// or Esc cancels. Space/Enter held on the focused button do the same from the keyboard.
import './composer.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { composeApi, composeEvents, type VoiceAuto, type VoiceLevel } from '../../lib/composeApi';
import { IconMic } from '../../lib/icons';
import type { Message } from '../../lib/types';
import { useComposerT } from './composer-i18n';
import { errorCodeText, errorText } from '../../lib/errors';
import { noteRecording } from '../presence/localPresence';

type VoiceApi = Pick<typeof composeApi, 'StartVoice' | 'StopVoice' | 'CancelVoice'>;
type VoiceEvents = Pick<typeof composeEvents, 'onVoiceLevel' | 'onVoiceAuto'>;

interface Props {
  chatId: number;
  replyToId: number;
  disabled?: boolean;
  onSent: (m: Message) => void;
  onError: (text: string) => void;
  onInfo: (text: string) => void;
  api?: VoiceApi;
  events?: VoiceEvents;
}

type Phase = 'idle' | 'starting' | 'recording' | 'finishing';

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function VoiceButton({ chatId, replyToId, disabled, onSent, onError, onInfo, api = composeApi, events = composeEvents }: Props) {
  const { t, locale } = useComposerT();
  const [phase, setPhaseState] = useState<Phase>('idle');
  const [level, setLevel] = useState<VoiceLevel | null>(null);
  const phaseRef = useRef<Phase>('idle');
  const released = useRef(false); // let go while StartVoice was still answering
  // The presence bar words "You are recording a voice note…" and tells the team.
  useEffect(() => noteRecording(chatId, phase === 'recording'), [chatId, phase]);
  const setPhase = (p: Phase) => {
    phaseRef.current = p;
    setPhaseState(p);
  };

  const cancel = useCallback(async () => {
    const p = phaseRef.current;
    if (p === 'starting') {
      released.current = true;
      return;
    }
    if (p !== 'recording') return;
    setPhase('finishing');
    try {
      await api.CancelVoice();
      onInfo(t('voice.canceled'));
    } catch (e) {
      onError(errorText(e, locale));
    } finally {
      setPhase('idle');
      setLevel(null);
    }
  }, [api, onError, onInfo, t, locale]);

  const stop = useCallback(async () => {
    const p = phaseRef.current;
    if (p === 'starting') {
      released.current = true;
      return;
    }
    if (p !== 'recording') return;
    setPhase('finishing');
    try {
      onSent(await api.StopVoice());
    } catch (e) {
      onError(errorText(e, locale));
    } finally {
      setPhase('idle');
      setLevel(null);
    }
  }, [api, onError, onSent, locale]);

  const start = async () => {
    if (phaseRef.current !== 'idle' || disabled) return;
    released.current = false;
    setPhase('starting');
    setLevel(null);
    try {
      await api.StartVoice(chatId, replyToId);
    } catch (e) {
      setPhase('idle');
      onError(errorText(e, locale));
      return;
    }
    setPhase('recording');
    // A tap shorter than the start-up: nothing worth sending, so it is discarded.
    if (released.current) void cancel();
  };

  // Subscribed once per chat: the handlers are read through a ref, so a re-render of the composer
  // (new callbacks every time) does not unsubscribe and subscribe again through the bindings.
  const handlers = useRef({ onError, onInfo, onSent, t, locale });
  handlers.current = { onError, onInfo, onSent, t, locale };
  useEffect(() => {
    const offLevel = events.onVoiceLevel((l) => {
      if (l.chatId === chatId && phaseRef.current === 'recording') setLevel(l);
    });
    const offAuto = events.onVoiceAuto((a: VoiceAuto) => {
      if (a.chatId !== chatId) return;
      const h = handlers.current;
      setPhase('idle');
      setLevel(null);
      if (a.error) h.onError(errorCodeText(a.error.code, h.locale));
      else {
        h.onInfo(h.t('voice.autoSent'));
        h.onSent(a.message);
      }
    });
    return () => {
      offLevel();
      offAuto();
    };
  }, [chatId, events]);

  // Esc cancels from anywhere while recording.
  useEffect(() => {
    if (phase !== 'recording' && phase !== 'starting') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        void cancel();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [phase, cancel]);

  // Switching chats (or unmounting) mid-recording discards the note.
  useEffect(
    () => () => {
      if (phaseRef.current === 'recording' || phaseRef.current === 'starting') void api.CancelVoice().catch(() => undefined);
    },
    [chatId, api],
  );

  const active = phase === 'recording' || phase === 'starting';
  const pct = Math.round((level?.level ?? 0) * 100);
  return (
    <div className={`cx-voice${active ? ' cx-voice-on' : ''}`}>
      {active && (
        <div className="cx-voice-status" data-testid="voice-status" aria-live="polite">
          <span className="cx-voice-dot" aria-hidden="true" />
          <span className="cx-voice-time" data-testid="voice-elapsed">
            {formatElapsed(level?.elapsedMs ?? 0)}
            {level?.maxMs ? ` / ${formatElapsed(level.maxMs)}` : ''}
          </span>
          <span
            className="cx-meter"
            role="meter"
            aria-label={t('voice.level')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            data-testid="voice-meter"
          >
            <span className="cx-meter-fill" style={{ width: `${pct}%` }} />
          </span>
          <span className="cx-voice-hint">{t('voice.release')}</span>
        </div>
      )}
      <button
        type="button"
        className={`icon-btn cx-mic${active ? ' on' : ''}`}
        aria-label={t('voice.hold')}
        title={t('voice.hold')}
        aria-pressed={active}
        disabled={disabled && !active}
        data-testid="voice-button"
        data-phase={phase}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.preventDefault();
          void start();
        }}
        onPointerUp={() => void stop()}
        onPointerLeave={() => void cancel()}
        onPointerCancel={() => void cancel()}
        onKeyDown={(e) => {
          if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
            e.preventDefault();
            void start();
          }
        }}
        onKeyUp={(e) => {
          if (e.key === ' ' || e.key === 'Enter') {
            e.preventDefault();
            void stop();
          }
        }}
      >
        <IconMic />
      </button>
    </div>
  );
}
