import { useState } from 'react';
import { formatDuration, formatSize } from '../../lib/format';
import { useI18n, useWords } from '../../lib/i18n';
import { historyWords } from './history-i18n';
import { IconPaperclip, IconPin, IconMic } from '../../lib/icons';
import type { Attachment } from '../../lib/types';
import { plainFileName } from '../../lib/bidi';

// The UI never fetches from the network itself. Media goes through the app's
// /media/<message>/<index> (app.MediaMiddleware), which serves the cached file and, for a client's
// attachment not yet downloaded, fetches it from the messenger first; the webview refuses file://.
function localSrc(a: Attachment, media?: string): string | null {
  if ((a.localPath || a.fileId) && media) return media;
  if (a.localPath) return a.localPath.startsWith('/') || /^[A-Za-z]:\\/.test(a.localPath) ? `file://${a.localPath}` : a.localPath;
  if (a.url && /^(data:image\/|blob:)/.test(a.url)) return a.url;
  return null;
}

export function AttachmentView({ a, media }: { a: Attachment; media?: string }) {
  const { t } = useI18n();
  const w = useWords(historyWords).t;
  const meta: string[] = [];
  if (a.size) meta.push(formatSize(a.size, t));
  if (a.duration) meta.push(formatDuration(a.duration));
  if (a.width && a.height) meta.push(`${a.width}×${a.height}`);
  // Media that cannot be had (offline, too large, a demo channel) falls back to the text line.
  const [failed, setFailed] = useState(false);
  const src = !failed && (a.kind === 'photo' || a.kind === 'sticker' || a.kind === 'video') && localSrc(a, media);
  return (
    <div className={`att att-${a.kind}`} data-testid="attachment" data-kind={a.kind}>
      {src && a.kind === 'video' ? (
        // preload none: opening a chat must not download (and build a media pipeline for) every
        // video in it; the size and length are in the line below until the manager plays one.
        <video src={src} className="att-img" controls preload="none" onError={() => setFailed(true)} />
      ) : src ? (
        <img src={src} alt={a.fileName ? plainFileName(a.fileName) : w(`att.${a.kind}`)} className="att-img" loading="lazy" onError={() => setFailed(true)} />
      ) : null}
      <div className="att-line">
        <span className="att-icon" aria-hidden="true">
          {a.kind === 'location' ? <IconPin size={14} /> : a.kind === 'voice' || a.kind === 'audio' ? <IconMic size={14} /> : <IconPaperclip size={14} />}
        </span>
        <span className="att-kind">{a.kind === 'sticker' && a.title ? `${w('att.sticker')} ${a.title}` : w(`att.${a.kind}`)}</span>
        {a.fileName && <span className="att-name bidi-isolate">{plainFileName(a.fileName)}</span>}
        {a.kind === 'location' && a.lat !== undefined && a.lon !== undefined && (
          <span className="att-name">
            {a.lat.toFixed(5)}, {a.lon.toFixed(5)}
          </span>
        )}
        {a.kind === 'contact' && (
          <span className="att-name bidi-isolate">
            {a.title} {a.phone}
          </span>
        )}
        {a.kind === 'link' && a.url && (
          <span className="att-name">
            {a.title && <bdi>{a.title}</bdi>}
            {a.title && ' — '}
            <bdi>{plainFileName(a.url)}</bdi>
          </span>
        )}
        {meta.length > 0 && <span className="att-meta">{meta.join(' · ')}</span>}
      </div>
    </div>
  );
}
