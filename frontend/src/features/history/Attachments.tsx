import { formatDuration, formatSize } from '../../lib/format';
import { useI18n } from '../../lib/i18n';
import { IconPaperclip, IconPin, IconMic } from '../../lib/icons';
import type { Attachment } from '../../lib/types';

// Only local files and data/blob URLs are shown as images: the UI never fetches from the network.
// A file on disk is read through the app's /media/<message>/<index> (app.MediaMiddleware): the
// webview refuses file:// URLs.
function localSrc(a: Attachment, media?: string): string | null {
  if (a.localPath && media) return media;
  if (a.localPath) return a.localPath.startsWith('/') || /^[A-Za-z]:\\/.test(a.localPath) ? `file://${a.localPath}` : a.localPath;
  if (a.url && /^(data:image\/|blob:)/.test(a.url)) return a.url;
  return null;
}

export function AttachmentView({ a, media }: { a: Attachment; media?: string }) {
  const { t } = useI18n();
  const meta: string[] = [];
  if (a.size) meta.push(formatSize(a.size, t));
  if (a.duration) meta.push(formatDuration(a.duration));
  if (a.width && a.height) meta.push(`${a.width}×${a.height}`);
  const src = (a.kind === 'photo' || a.kind === 'sticker') && localSrc(a, media);
  return (
    <div className={`att att-${a.kind}`} data-testid="attachment" data-kind={a.kind}>
      {src ? <img src={src} alt={a.fileName ?? t(`att.${a.kind}`)} className="att-img" loading="lazy" /> : null}
      <div className="att-line">
        <span className="att-icon" aria-hidden="true">
          {a.kind === 'location' ? <IconPin size={14} /> : a.kind === 'voice' || a.kind === 'audio' ? <IconMic size={14} /> : <IconPaperclip size={14} />}
        </span>
        <span className="att-kind">{a.kind === 'sticker' && a.title ? `${t('att.sticker')} ${a.title}` : t(`att.${a.kind}`)}</span>
        {a.fileName && <span className="att-name">{a.fileName}</span>}
        {a.kind === 'location' && a.lat !== undefined && a.lon !== undefined && (
          <span className="att-name">
            {a.lat.toFixed(5)}, {a.lon.toFixed(5)}
          </span>
        )}
        {a.kind === 'contact' && (
          <span className="att-name">
            {a.title} {a.phone}
          </span>
        )}
        {a.kind === 'link' && a.url && <span className="att-name">{a.title ? `${a.title} — ${a.url}` : a.url}</span>}
        {meta.length > 0 && <span className="att-meta">{meta.join(' · ')}</span>}
      </div>
    </div>
  );
}
