// Attachments of the plain composer: the paperclip opens the native file picker (Go side, so
// files are copied into the data directory), files dropped on the composer or pasted from the
// clipboard are read here and staged through StageUpload. The tray lists them with a remove
// button; Ctrl+Enter sends them with the text as the caption.
import './composer.css';
import { useCallback, useRef, useState } from 'react';
import { composeApi, fileToBase64, type Staged } from '../../lib/composeApi';
import { plainFileName } from '../../lib/bidi';
import { formatSize } from '../../lib/format';
import { useI18n } from '../../lib/i18n';
import { IconClose, IconPaperclip } from '../../lib/icons';
import { useComposerT } from './composer-i18n';
import { errorText } from '../../lib/errors';

type StageApi = Pick<typeof composeApi, 'StageUpload' | 'PickFiles' | 'DiscardStaged'>;

export interface UseAttachments {
  files: Staged[];
  busy: boolean;
  addBlobs: (blobs: File[]) => Promise<void>;
  pick: () => Promise<void>;
  remove: (i: number) => void;
  /** Forget the tray after a send (the files now belong to the outbox). */
  reset: () => void;
}

export function useAttachments(onError: (text: string) => void, api: StageApi = composeApi): UseAttachments {
  const { t, locale } = useComposerT();
  const [files, setFiles] = useState<Staged[]>([]);
  const [busy, setBusy] = useState(false);
  const report = useRef(onError);
  report.current = onError;

  const run = useCallback(
    async (fn: () => Promise<Staged[]>) => {
      setBusy(true);
      try {
        const got = await fn();
        if (got.length) setFiles((fs) => [...fs, ...got]);
      } catch (e) {
        report.current(errorText(e, locale));
      } finally {
        setBusy(false);
      }
    },
    [locale],
  );

  const addBlobs = useCallback(
    (blobs: File[]) =>
      run(async () => {
        const out: Staged[] = [];
        for (const b of blobs) out.push(await api.StageUpload(b.name || 'image', b.type || 'application/octet-stream', await fileToBase64(b)));
        return out;
      }),
    [api, run],
  );
  const pick = useCallback(() => run(() => api.PickFiles(t('attach.pick'))), [api, run, t]);

  const remove = useCallback(
    (i: number) => {
      setFiles((fs) => {
        const f = fs[i];
        if (f) api.DiscardStaged(f.path).catch(() => undefined);
        return fs.filter((_, j) => j !== i);
      });
    },
    [api],
  );
  const reset = useCallback(() => setFiles([]), []);
  return { files, busy, addBlobs, pick, remove, reset };
}

/** Whether a drag carries files (not text being dragged inside the page). */
export function hasFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}

/** The paperclip button. */
export function AttachButton({ onPick, disabled }: { onPick: () => void; disabled?: boolean }) {
  const { t } = useComposerT();
  return (
    <button
      type="button"
      className="icon-btn"
      aria-label={t('attach.button')}
      title={t('attach.button')}
      data-testid="attach-button"
      disabled={disabled}
      onClick={onPick}
    >
      <IconPaperclip />
    </button>
  );
}

/** The list of staged files above the text field. */
export function AttachmentTray({ a }: { a: UseAttachments }) {
  const { t } = useComposerT();
  const { t: tt } = useI18n();
  if (!a.files.length && !a.busy) return null;
  return (
    <ul className="cx-tray" data-testid="attachment-tray" aria-live="polite">
      {a.files.map((f, i) => (
        <li key={f.path} className="cx-tray-item" data-testid="tray-item" data-kind={f.kind}>
          <IconPaperclip size={13} />
          <span className="cx-tray-name bidi-isolate">{plainFileName(f.name)}</span>
          <span className="cx-tray-size">{formatSize(f.size, tt)}</span>
          <button
            type="button"
            className="icon-btn"
            aria-label={t('attach.remove', { name: f.name })}
            title={t('attach.remove', { name: f.name })}
            onClick={() => a.remove(i)}
            data-testid="tray-remove"
          >
            <IconClose size={12} />
          </button>
        </li>
      ))}
      {a.busy && <li className="cx-tray-item cx-muted">{t('attach.staging')}</li>}
    </ul>
  );
}
