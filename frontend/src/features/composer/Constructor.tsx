// The message constructor: one message built from parts (Text, Image, Link, Video, Template,
// File) with previews, reordering (buttons or drag) and removal. "Save message" sends it through
// the outbox (SendParts); closing keeps it as the chat's draft (constructor JSON), so it survives
// a restart like typed text does.
import { plainFileName } from '../../lib/bidi';
import './composer.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { composeApi, fileToBase64, type Part, type PartKind, type Template } from '../../lib/composeApi';
import { formatSize } from '../../lib/format';
import { useI18n } from '../../lib/i18n';
import { IconClose } from '../../lib/icons';
import { Modal } from '../../lib/Modal';
import type { Message } from '../../lib/types';
import { useComposerT, type ComposerKey } from './composer-i18n';
import { errorText } from '../../lib/errors';

export const PART_KINDS: readonly PartKind[] = ['text', 'image', 'link', 'video', 'template', 'file'];

/** What the constructor keeps in the draft's constructor column. */
export interface ConstructorDraft {
  parts: Part[];
}

export function emptyPart(kind: PartKind): Part {
  return { kind, text: '', path: '', url: '', name: '', mime: '', size: 0 };
}

/** parseConstructor reads a stored draft; anything damaged becomes an empty message. */
export function parseConstructor(json: string): ConstructorDraft {
  if (!json) return { parts: [] };
  try {
    const v = JSON.parse(json) as { parts?: unknown };
    if (!Array.isArray(v.parts)) return { parts: [] };
    const parts = v.parts
      .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object' && PART_KINDS.includes((p as { kind: PartKind }).kind))
      .map((p) => {
        const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
        return {
          kind: p.kind as PartKind,
          text: str('text'),
          path: str('path'),
          url: str('url'),
          name: str('name'),
          mime: str('mime'),
          size: typeof p.size === 'number' ? p.size : 0,
        };
      });
    return { parts };
  } catch {
    return { parts: [] };
  }
}

export function serializeConstructor(parts: Part[]): string {
  return parts.length ? JSON.stringify({ parts }) : '';
}

/** move returns parts with the item at from moved to to. */
export function move<T>(items: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return items;
  const next = items.slice();
  const [it] = next.splice(from, 1);
  next.splice(to, 0, it as T);
  return next;
}

type ConstructorApi = Pick<typeof composeApi, 'Templates' | 'ExpandTemplate' | 'StageUpload' | 'SendParts' | 'DiscardStaged'>;

interface Props {
  chatId: number;
  replyToId: number;
  initial: string;
  /** Every change, as the JSON to keep in the draft ('' when empty). */
  onChange: (json: string) => void;
  onSent: (msgs: Message[]) => void;
  onClose: () => void;
  api?: ConstructorApi;
}

interface Row {
  key: number;
  part: Part;
  /** An object URL of a picture picked in this session, for the preview. */
  preview?: string;
}

let nextKey = 1;

export function Constructor({ chatId, replyToId, initial, onChange, onSent, onClose, api = composeApi }: Props) {
  const { t, locale } = useComposerT();
  const { t: tt } = useI18n();
  const [rows, setRows] = useState<Row[]>(() => parseConstructor(initial).parts.map((part) => ({ key: nextKey++, part })));
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    changed.current(serializeConstructor(rows.map((r) => r.part)));
  }, [rows]);

  useEffect(() => {
    let live = true;
    api.Templates().then(
      (ts) => live && setTemplates(ts),
      () => live && setTemplates([]),
    );
    return () => {
      live = false;
    };
  }, [api]);

  // Object URLs die with the dialog.
  const previews = useRef<string[]>([]);
  useEffect(() => () => previews.current.forEach((u) => URL.revokeObjectURL(u)), []);

  const update = (key: number, patch: Partial<Part>, preview?: string) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, part: { ...r.part, ...patch }, preview: preview ?? r.preview } : r)));

  const add = (kind: PartKind) => setRows((rs) => [...rs, { key: nextKey++, part: emptyPart(kind) }]);

  const remove = (key: number) =>
    setRows((rs) => {
      const r = rs.find((x) => x.key === key);
      if (r?.part.path) api.DiscardStaged(r.part.path).catch(() => undefined);
      return rs.filter((x) => x.key !== key);
    });

  const attach = async (key: number, f: File | undefined, isImage: boolean) => {
    if (!f) return;
    setError('');
    try {
      const s = await api.StageUpload(f.name, f.type || 'application/octet-stream', await fileToBase64(f));
      let preview: string | undefined;
      if (isImage && f.type.startsWith('image/') && typeof URL.createObjectURL === 'function') {
        preview = URL.createObjectURL(f);
        previews.current.push(preview);
      }
      update(key, { path: s.path, name: s.name, mime: s.mime, size: s.size, url: '' }, preview);
    } catch (e) {
      setError(errorText(e, locale));
    }
  };

  const chooseTemplate = async (key: number, id: number) => {
    const tpl = templates?.find((x) => x.id === id);
    if (!tpl) return;
    try {
      update(key, { name: tpl.name, text: await api.ExpandTemplate(chatId, id) });
    } catch (e) {
      setError(errorText(e, locale));
    }
  };

  const send = async () => {
    setBusy(true);
    setError('');
    try {
      const msgs = await api.SendParts(
        chatId,
        rows.map((r) => r.part),
        replyToId,
      );
      setRows([]);
      onSent(msgs);
    } catch (e) {
      setError(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };

  const kindLabel = (k: PartKind) => t(`constructor.${k}` as ComposerKey);
  const empty = useMemo(() => rows.every((r) => !r.part.text.trim() && !r.part.path && !r.part.url.trim()), [rows]);

  return (
    <Modal title={t('constructor.title')} onClose={onClose} wide testid="constructor">
      <p className="cx-hint">{t('constructor.hint')}</p>
      <div className="cx-add" role="group" aria-label={t('constructor.add')}>
        {PART_KINDS.map((k) => (
          <button key={k} type="button" className="btn btn-small" data-testid={`add-${k}`} onClick={() => add(k)}>
            + {kindLabel(k)}
          </button>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="cx-empty" data-testid="constructor-empty">
          {t('constructor.empty')}
        </p>
      ) : (
        <ol className="cx-parts">
          {rows.map((r, i) => (
            <li
              key={r.key}
              className={`cx-part${dragFrom === i ? ' cx-dragging' : ''}`}
              data-testid="part"
              data-kind={r.part.kind}
              aria-label={t('constructor.partN', { n: i + 1, kind: kindLabel(r.part.kind) })}
              onDragOver={(e) => {
                if (dragFrom !== null) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragFrom !== null) setRows((rs) => move(rs, dragFrom, i));
                setDragFrom(null);
              }}
            >
              <div className="cx-part-head">
                <span
                  className="cx-handle"
                  draggable
                  title={t('constructor.drag')}
                  aria-hidden="true"
                  onDragStart={(e) => {
                    setDragFrom(i);
                    e.dataTransfer.effectAllowed = 'move';
                    e.dataTransfer.setData('text/x-part', String(i));
                  }}
                  onDragEnd={() => setDragFrom(null)}
                >
                  ⋮⋮
                </span>
                <span className="cx-part-kind">{kindLabel(r.part.kind)}</span>
                <span className="cx-spacer" />
                <button
                  type="button"
                  className="icon-btn"
                  disabled={i === 0}
                  aria-label={t('constructor.up')}
                  title={t('constructor.up')}
                  data-testid="part-up"
                  onClick={() => setRows((rs) => move(rs, i, i - 1))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  disabled={i === rows.length - 1}
                  aria-label={t('constructor.down')}
                  title={t('constructor.down')}
                  data-testid="part-down"
                  onClick={() => setRows((rs) => move(rs, i, i + 1))}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={t('constructor.remove')}
                  title={t('constructor.remove')}
                  data-testid="part-remove"
                  onClick={() => remove(r.key)}
                >
                  <IconClose size={13} />
                </button>
              </div>
              <PartEditor
                row={r}
                templates={templates}
                kindLabel={kindLabel}
                sizeText={(n) => formatSize(n, tt)}
                onPatch={(p) => update(r.key, p)}
                onFile={(f) => void attach(r.key, f, r.part.kind === 'image')}
                onTemplate={(id) => void chooseTemplate(r.key, id)}
              />
            </li>
          ))}
        </ol>
      )}
      {error && (
        <div className="composer-error" role="alert" data-testid="constructor-error">
          {error}
        </div>
      )}
      <div className="cx-foot">
        <span className="cx-muted">{t('constructor.draftKept')}</span>
        <button type="button" className="btn btn-primary" disabled={busy || empty} data-testid="constructor-save" onClick={() => void send()}>
          {busy ? t('constructor.sending') : t('constructor.save')}
        </button>
      </div>
    </Modal>
  );
}

interface EditorProps {
  row: Row;
  templates: Template[] | null;
  kindLabel: (k: PartKind) => string;
  sizeText: (n: number) => string;
  onPatch: (p: Partial<Part>) => void;
  onFile: (f: File | undefined) => void;
  onTemplate: (id: number) => void;
}

function PartEditor({ row, templates, sizeText, onPatch, onFile, onTemplate }: EditorProps) {
  const { t } = useComposerT();
  const p = row.part;
  switch (p.kind) {
    case 'text':
      return (
        <textarea
          className="cx-input"
          rows={3}
          value={p.text}
          placeholder={t('constructor.textPlaceholder')}
          aria-label={t('constructor.textPlaceholder')}
          data-testid="part-text"
          onChange={(e) => onPatch({ text: e.target.value })}
        />
      );
    case 'template':
      return (
        <div className="cx-col">
          <select
            className="cx-input"
            value={templates?.find((x) => x.name === p.name)?.id ?? ''}
            aria-label={t('constructor.chooseTemplate')}
            data-testid="part-template"
            onChange={(e) => onTemplate(Number(e.target.value))}
          >
            <option value="">{t('constructor.chooseTemplate')}</option>
            {(templates ?? []).map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name}
              </option>
            ))}
          </select>
          {(p.text || p.name) && (
            <textarea
              className="cx-input"
              rows={3}
              value={p.text}
              aria-label={t('constructor.textPlaceholder')}
              data-testid="part-text"
              onChange={(e) => onPatch({ text: e.target.value })}
            />
          )}
        </div>
      );
    case 'link':
      return (
        <div className="cx-col">
          <input
            className="cx-input"
            type="url"
            value={p.url}
            placeholder={t('constructor.urlPlaceholder')}
            aria-label={t('constructor.link')}
            data-testid="part-url"
            onChange={(e) => onPatch({ url: e.target.value })}
          />
          <input
            className="cx-input"
            value={p.name}
            placeholder={t('constructor.linkTitle')}
            aria-label={t('constructor.linkTitle')}
            data-testid="part-title"
            onChange={(e) => onPatch({ name: e.target.value })}
          />
          {p.url && (
            <div className="cx-preview cx-link-preview" data-testid="part-preview">
              {p.name ? `${p.name} — ` : ''}
              {p.url}
            </div>
          )}
        </div>
      );
    case 'image':
    case 'video':
    case 'file': {
      const accept = p.kind === 'image' ? 'image/*' : p.kind === 'video' ? 'video/*' : undefined;
      return (
        <div className="cx-col">
          <label className="btn btn-small cx-file">
            {t('constructor.chooseFile')}
            <input type="file" accept={accept} className="cx-file-input" data-testid="part-file" onChange={(e) => onFile(e.target.files?.[0])} />
          </label>
          {p.kind !== 'file' && !p.path && (
            <input
              className="cx-input"
              type="url"
              value={p.url}
              placeholder={`${t('constructor.orUrl')}: ${t('constructor.urlPlaceholder')}`}
              aria-label={t('constructor.orUrl')}
              data-testid="part-url"
              onChange={(e) => onPatch({ url: e.target.value })}
            />
          )}
          {p.path && (
            <div className="cx-preview" data-testid="part-preview">
              {row.preview && <img src={row.preview} alt={p.name} className="cx-thumb" />}
              <span className="cx-file-name bidi-isolate">{plainFileName(p.name)}</span>
              <span className="cx-muted">{sizeText(p.size)}</span>
            </div>
          )}
          {!p.path && p.url && (
            <div className="cx-preview cx-link-preview" data-testid="part-preview">
              {p.url}
            </div>
          )}
          {p.path && p.kind !== 'file' && (
            <input
              className="cx-input"
              value={p.text}
              placeholder={t('constructor.caption')}
              aria-label={t('constructor.caption')}
              data-testid="part-caption"
              onChange={(e) => onPatch({ text: e.target.value })}
            />
          )}
        </div>
      );
    }
  }
}
