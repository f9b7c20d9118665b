// The filter panel: messenger, whose chats (mine / unassigned), has phone, has email always visible; "More" reveals tag, sales
// plan, lead-generation tool, traffic source and status. Nothing applies until "Filter".
import { useState } from 'react';
import { useI18n, useWords } from '../../lib/i18n';
import { listWords } from './list-i18n';
import { IconClose } from '../../lib/icons';
import type { ChannelKind, Facets, ListFilter, OwnerFilter, PersonStatus, SavedFilter } from '../../lib/types';

interface Props {
  applied: ListFilter;
  facets: Facets;
  saved: SavedFilter[];
  onApply: (f: ListFilter) => void;
  onSave: (name: string, f: ListFilter) => void;
  onDeleteSaved: (id: number) => void;
}

type Tri = '' | 'yes' | 'no';
const toTri = (b: boolean | undefined): Tri => (b === undefined ? '' : b ? 'yes' : 'no');
const fromTri = (v: Tri): boolean | undefined => (v === '' ? undefined : v === 'yes');

function one<T extends string>(v: T[] | undefined): string {
  return v && v.length > 0 ? (v[0] ?? '') : '';
}

export function clean(f: ListFilter): ListFilter {
  const out: ListFilter = {};
  if (f.channels?.length) out.channels = f.channels;
  if (f.hasPhone !== undefined) out.hasPhone = f.hasPhone;
  if (f.hasEmail !== undefined) out.hasEmail = f.hasEmail;
  if (f.tags?.length) out.tags = f.tags;
  if (f.plans?.length) out.plans = f.plans;
  if (f.tools?.length) out.tools = f.tools;
  if (f.sources?.length) out.sources = f.sources;
  if (f.statuses?.length) out.statuses = f.statuses;
  if (f.activeDialogues) out.activeDialogues = true;
  if (f.owner) out.owner = f.owner;
  if (f.archived) out.archived = true;
  if (f.blacklisted) out.blacklisted = true;
  return out;
}

export function FilterPanel({ applied, facets, saved, onApply, onSave, onDeleteSaved }: Props) {
  const { t } = useWords(listWords);
  const app = useI18n().t;
  const [draft, setDraft] = useState<ListFilter>(applied);
  const [more, setMore] = useState(false);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');

  const set = (patch: Partial<ListFilter>) => setDraft((d) => clean({ ...d, ...patch }));
  const select = (label: string, testid: string, value: string, options: string[] | null, onChange: (v: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <select value={value} data-testid={testid} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('filter.any')}</option>
        {(options ?? []).map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  const tri = (label: string, testid: string, value: boolean | undefined, onChange: (v: boolean | undefined) => void) => (
    <label className="field">
      <span>{label}</span>
      <select value={toTri(value)} data-testid={testid} onChange={(e) => onChange(fromTri(e.target.value as Tri))}>
        <option value="">{t('filter.any')}</option>
        <option value="yes">✓</option>
        <option value="no">✗</option>
      </select>
    </label>
  );

  return (
    <div className="filter-panel" data-testid="filter-panel">
      <div className="filter-grid">
        <label className="field">
          <span>{t('filter.messenger')}</span>
          <select
            value={one(draft.channels)}
            data-testid="filter-messenger"
            onChange={(e) => set({ channels: e.target.value ? [e.target.value as ChannelKind] : undefined })}
          >
            <option value="">{t('filter.any')}</option>
            <option value="telegram">{app('channel.telegram')}</option>
            <option value="vk">{app('channel.vk')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('filter.owner')}</span>
          <select
            value={draft.owner ?? ''}
            data-testid="filter-owner"
            onChange={(e) => set({ owner: (e.target.value || undefined) as OwnerFilter | undefined })}
          >
            <option value="">{t('filter.ownerAny')}</option>
            <option value="mine">{t('filter.ownerMine')}</option>
            <option value="unassigned">{t('filter.ownerUnassigned')}</option>
          </select>
        </label>
        {tri(t('filter.hasPhone'), 'filter-has-phone', draft.hasPhone, (v) => set({ hasPhone: v }))}
        {tri(t('filter.hasEmail'), 'filter-has-email', draft.hasEmail, (v) => set({ hasEmail: v }))}
        {more && (
          <>
            {select(t('filter.tag'), 'filter-tag', one(draft.tags), facets.tags, (v) => set({ tags: v ? [v] : undefined }))}
            {select(t('filter.plan'), 'filter-plan', one(draft.plans), facets.plans, (v) => set({ plans: v ? [v] : undefined }))}
            {select(t('filter.tool'), 'filter-tool', one(draft.tools), facets.tools, (v) => set({ tools: v ? [v] : undefined }))}
            {select(t('filter.source'), 'filter-source', one(draft.sources), facets.sources, (v) => set({ sources: v ? [v] : undefined }))}
            <label className="field">
              <span>{t('filter.status')}</span>
              <select
                value={one(draft.statuses)}
                data-testid="filter-status"
                onChange={(e) => set({ statuses: e.target.value ? [e.target.value as PersonStatus] : undefined })}
              >
                <option value="">{t('filter.any')}</option>
                <option value="subscribed">{app('status.subscribed')}</option>
                <option value="unsubscribed">{app('status.unsubscribed')}</option>
              </select>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={!!draft.activeDialogues}
                data-testid="filter-active-dialogues"
                onChange={(e) => set({ activeDialogues: e.target.checked || undefined })}
              />
              {t('filter.activeDialogues')}
            </label>
            <label className="check">
              <input type="checkbox" checked={!!draft.archived} onChange={(e) => set({ archived: e.target.checked, blacklisted: false })} />
              {t('filter.archive')}
            </label>
            <label className="check">
              <input type="checkbox" checked={!!draft.blacklisted} onChange={(e) => set({ blacklisted: e.target.checked, archived: false })} />
              {t('filter.blacklist')}
            </label>
          </>
        )}
      </div>
      <div className="filter-actions">
        <button type="button" className="link-btn" onClick={() => setMore((m) => !m)} aria-expanded={more} data-testid="filter-more">
          {more ? t('filter.less') : t('filter.more')}
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          {t('filter.reset')}
        </button>
        <button type="button" className="btn btn-primary" data-testid="filter-apply" onClick={() => onApply(clean(draft))}>
          {t('filter.apply')}
        </button>
      </div>
      <div className="saved-filters">
        <div className="saved-head">
          <span className="muted">{t('filter.saved')}</span>
          {!naming && (
            <button type="button" className="link-btn" data-testid="filter-save-as" onClick={() => setNaming(true)}>
              {t('filter.saveAs')}
            </button>
          )}
        </div>
        {naming && (
          <form
            className="saved-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!name.trim()) return;
              onSave(name.trim(), clean(draft));
              setName('');
              setNaming(false);
            }}
          >
            <input
              autoFocus
              value={name}
              placeholder={t('filter.saveName')}
              aria-label={t('filter.saveName')}
              data-testid="filter-save-name"
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="btn btn-primary" data-testid="filter-save">
              {t('filter.save')}
            </button>
            <button type="button" className="btn" onClick={() => setNaming(false)}>
              {app('composer.cancel')}
            </button>
          </form>
        )}
        {saved.length === 0 && !naming && <div className="muted small">{t('filter.savedNone')}</div>}
        <div className="chips">
          {saved.map((s) => (
            <span key={s.id} className="chip" data-testid="saved-filter">
              <button
                type="button"
                className="chip-main"
                onClick={() => {
                  setDraft(s.filter);
                  onApply(clean(s.filter));
                }}
              >
                {s.name}
              </button>
              <button type="button" className="chip-x" aria-label={t('filter.delete', { name: s.name })} onClick={() => onDeleteSaved(s.id)}>
                <IconClose size={12} />
              </button>
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}
