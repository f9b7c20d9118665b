// Voice and audio playback in the history: an <audio> element over the file the app serves at
// /media/<message>/<index> (app.MediaMiddleware, with Range support), a play/pause button and a
// progress bar that also seeks.
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
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [pos, setPos] = useState(0);
  const [dur, setDur] = useState((attachment.duration ?? 0) * 1000);

  useEffect(() => {
    const a = audio.current;
    if (!a) return;
    const onTime = () => setPos(a.currentTime * 1000);
    const onMeta = () => {
      if (Number.isFinite(a.duration) && a.duration > 0) setDur(a.duration * 1000);
    };
    const onEnd = () => {
      setPlaying(false);
      setPos(0);
    };
    const onPause = () => setPlaying(false);
    const onPlay = () => setPlaying(true);
    a.addEventListener('timeupdate', onTime);
    a.addEventListener('loadedmetadata', onMeta);
    a.addEventListener('durationchange', onMeta);
    a.addEventListener('ended', onEnd);
    a.addEventListener('pause', onPause);
    a.addEventListener('play', onPlay);
    return () => {
      a.removeEventListener('timeupdate', onTime);
      a.removeEventListener('loadedmetadata', onMeta);
      a.removeEventListener('durationchange', onMeta);
      a.removeEventListener('ended', onEnd);
      a.removeEventListener('pause', onPause);
      a.removeEventListener('play', onPlay);
    };
  }, []);

  if (!attachment.localPath && !attachment.fileId) {
    return (
      <div className="cx-player cx-muted" data-testid="audio-player" data-state="unavailable">
        {t('player.unavailable')}
      </div>
    );
  }
  const pct = dur > 0 ? Math.min(100, (pos / dur) * 100) : 0;
  return (
    <div className="cx-player" data-testid="audio-player">
      <audio ref={audio} src={mediaURL(messageId, index)} preload="metadata" />
      <button
        type="button"
        className="icon-btn"
        aria-label={playing ? t('player.pause') : t('player.play')}
        title={playing ? t('player.pause') : t('player.play')}
        data-testid="audio-toggle"
        onClick={() => {
          const a = audio.current;
          if (!a) return;
          if (a.paused) void a.play().catch(() => setPlaying(false));
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
          const a = audio.current;
          const v = Number(e.target.value);
          setPos(v);
          if (a) a.currentTime = v / 1000;
        }}
      />
      <span className="cx-player-time">{formatElapsed(playing || pos > 0 ? pos : dur)}</span>
    </div>
  );
}
