// Voice and audio playback in the history: an <audio> element over the file the app serves at
// /media/<message>/<index> (app.MediaMiddleware, with Range support), made on the first play, a
// play/pause button and a progress bar that also seeks.
import './composer.css';
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { mediaURL } from '../../lib/composeApi';
import type { Attachment } from '../../lib/types';
import { useComposerT } from './composer-i18n';
import { formatElapsed } from './VoiceButton';

interface Props {
  messageId: number;
  index: number;
  attachment: Attachment;
}

export function AudioPlayer({ messageId, index, attachment }: Props) {
  const { t } = useComposerT();
  const audio = useRef<HTMLAudioElement | null>(null);
  const [playing, setPlaying] = useState(false);
  const [pos, setPos] = useState(0);
  const [dur, setDur] = useState((attachment.duration ?? 0) * 1000);

  // The <audio> element is made on the first play, not with the history: in WebKitGTK every media
  // element builds a GStreamer pipeline, and with preload it also fetched the file (a Telegram or
  // VK download through /media/) for every voice note of every chat opened. The length shown
  // until then is the one the messenger sent.
  const element = (): HTMLAudioElement => {
    if (audio.current) return audio.current;
    const a = new Audio(mediaURL(messageId, index));
    a.preload = 'auto';
    const onMeta = () => {
      if (Number.isFinite(a.duration) && a.duration > 0) setDur(a.duration * 1000);
    };
    a.addEventListener('timeupdate', () => setPos(a.currentTime * 1000));
    a.addEventListener('loadedmetadata', onMeta);
    a.addEventListener('durationchange', onMeta);
    a.addEventListener('ended', () => {
      setPlaying(false);
      setPos(0);
    });
    a.addEventListener('pause', () => setPlaying(false));
    a.addEventListener('play', () => setPlaying(true));
    audio.current = a;
    return a;
  };
  // Leaving the chat stops playback and lets the pipeline go.
  useEffect(
    () => () => {
      const a = audio.current;
      if (!a) return;
      a.pause();
      a.removeAttribute('src');
      a.load();
      audio.current = null;
    },
    [],
  );

  if (!attachment.localPath && !attachment.fileId) {
    return (
      <div className="cx-player cx-muted" data-testid="audio-player" data-state="unavailable">
        {t('player.unavailable')}
      </div>
    );
  }
  const pct = dur > 0 ? Math.min(100, (pos / dur) * 100) : 0;
  return (
    <div className="cx-player" data-testid="audio-player" data-src={mediaURL(messageId, index)}>
      <button
        type="button"
        className="icon-btn"
        aria-label={playing ? t('player.pause') : t('player.play')}
        title={playing ? t('player.pause') : t('player.play')}
        data-testid="audio-toggle"
        onClick={() => {
          const a = element();
          if (a.paused) void Promise.resolve(a.play()).catch(() => setPlaying(false));
          else a.pause();
        }}
      >
        <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span>
      </button>
      <input
        type="range"
        className="cx-progress"
        min={0}
        max={Math.max(1, Math.round(dur))}
        value={Math.round(pos)}
        aria-label={t('player.progress')}
        aria-valuetext={`${formatElapsed(pos)} / ${formatElapsed(dur)}`}
        data-testid="audio-progress"
        style={{ '--cx-pct': `${pct}%` } as CSSProperties}
        onChange={(e) => {
          const v = Number(e.target.value);
          setPos(v);
          element().currentTime = v / 1000;
        }}
      />
      <span className="cx-player-time">{formatElapsed(playing || pos > 0 ? pos : dur)}</span>
    </div>
  );
}
