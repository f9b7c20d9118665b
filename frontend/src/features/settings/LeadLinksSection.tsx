// Settings → Lead-generation links: named deep links per channel (sales plan/tunnel, traffic
// source, tool), each with its t.me/…?start= or vk.me/…?ref= link and a Copy button. On a team
// hub's desktop the links live at the hub (its pollers meet the codes): a manager reads and
// copies them, an admin adds and removes them.
import { AdminOnlyNote } from './AdminOnlyNote';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useStoreChanges } from '../../lib/changes';
import { useToast } from '../../lib/toast';
import { settingsApi, type LeadLinkView } from '../../lib/settingsApi';
import { ConfirmDialog } from './Dialog';
import { validLeadCode } from './model';
import { useSettingsT } from './settings-i18n';
import type { ChannelsState } from './useChannels';
import { useCompanyReadOnly } from './useCompanyReadOnly';
import { useSettingsError } from './useSettingsError';

interface ClipboardRuntime {
  ClipboardSetText?: (text: string) => Promise<boolean>;
}

/** Copies through the Wails runtime (works in every webview), else the browser clipboard. */
export async function copyText(text: string): Promise<boolean> {
  const rt = window.runtime as ClipboardRuntime | undefined;
  try {
    if (rt?.ClipboardSetText) return await rt.ClipboardSetText(text);
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Reported to the manager below as "copy by hand".
  }
  return false;
}

export function LeadLinksSection({ channels }: { channels: ChannelsState }) {
  const { t } = useSettingsT();
  const errText = useSettingsError();
  const { notify } = useToast();
  const [channelId, setChannelId] = useState(0);
  const [links, setLinks] = useState<LeadLinkView[]>([]);
  const [plan, setPlan] = useState('');
  const [source, setSource] = useState('');
  const [tool, setTool] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<LeadLinkView | null>(null);
  const readOnly = useCompanyReadOnly();
  const editable = readOnly === false; // unknown yet: neither the forms nor the note
  const views = channels.views;
  const selected = views.some((v) => v.channel.id === channelId) ? channelId : (views[0]?.channel.id ?? 0);

  const load = useCallback(
    async (id: number) => {
      if (!id) {
        setLinks([]);
        return;
      }
      try {
        setLinks((await settingsApi.LeadLinks(id)) ?? []);
      } catch (e) {
        notify(errText(e), 'error');
      }
    },
    [errText, notify],
  );

  useEffect(() => {
    void load(selected);
  }, [selected, load]);

  // Another desktop of the team (an admin's) may change them.
  useStoreChanges((c) => {
    if (c.kinds.has('lead_links.changed')) void load(selected);
  });

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    const c = code.trim();
    if (!plan.trim() && !source.trim() && !tool.trim()) {
      setError(t('ll.needName'));
      return;
    }
    if (c && !validLeadCode(c)) {
      setError(t('ll.codeInvalid'));
      return;
    }
    setBusy(true);
    try {
      await settingsApi.AddLeadLink({ channelId: selected, code: c, plan: plan.trim(), source: source.trim(), tool: tool.trim() });
      setPlan('');
      setSource('');
      setTool('');
      setCode('');
      notify(t('ll.created'), 'info');
      await load(selected);
    } catch (err) {
      setError(errText(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    try {
      await settingsApi.DeleteLeadLink(deleting.link.id);
      setDeleting(null);
      await load(selected);
    } catch (e) {
      notify(errText(e), 'error');
    }
  };

  const copy = async (url: string) => {
    notify((await copyText(url)) ? t('ll.copied') : t('ll.copyFailed'), 'info');
  };

  return (
    <section className="sb-set-section" aria-labelledby="sb-set-ll-h" data-testid="settings-leadlinks" data-read-only={readOnly || undefined}>
      <h2 id="sb-set-ll-h">{t('nav.leadLinks')}</h2>
      <p className="sb-set-intro">{t('ll.intro')}</p>
      {views.length === 0 ? (
        <p className="sb-set-empty">{t('ll.noChannels')}</p>
      ) : (
        <>
          <label className="sb-set-field sb-set-inline">
            <span>{t('ll.channel')}</span>
            <select value={selected} onChange={(e) => setChannelId(Number(e.target.value))} data-testid="ll-channel">
              {views.map((v) => (
                <option key={v.channel.id} value={v.channel.id}>
                  {v.channel.kind === 'vk' ? 'VK' : 'Telegram'} · {v.channel.name}
                </option>
              ))}
            </select>
          </label>

          {readOnly && <AdminOnlyNote testid="ll-read-only" />}
          {editable && (
            <form className="sb-set-grid-form" onSubmit={(e) => void add(e)}>
              <label className="sb-set-field">
                <span>{t('ll.plan')}</span>
                <input value={plan} onChange={(e) => setPlan(e.target.value)} maxLength={200} data-testid="ll-plan" />
              </label>
              <label className="sb-set-field">
                <span>{t('ll.source')}</span>
                <input value={source} onChange={(e) => setSource(e.target.value)} maxLength={200} data-testid="ll-source" />
              </label>
              <label className="sb-set-field">
                <span>{t('ll.tool')}</span>
                <input value={tool} onChange={(e) => setTool(e.target.value)} maxLength={200} data-testid="ll-tool" />
              </label>
              <label className="sb-set-field">
                <span>{t('ll.code')}</span>
                <input value={code} onChange={(e) => setCode(e.target.value)} maxLength={64} spellCheck={false} data-testid="ll-code" />
                <small>{t('ll.codeHint')}</small>
              </label>
              <div className="sb-set-grid-actions">
                <button type="submit" className="sb-set-btn primary" disabled={busy} data-testid="ll-add">
                  {t('ll.add')}
                </button>
              </div>
            </form>
          )}
          {error && (
            <p className="sb-set-error" role="alert">
              {error}
            </p>
          )}

          {links.length === 0 ? (
            <p className="sb-set-empty">{t('ll.none')}</p>
          ) : (
            <table className="sb-set-table" data-testid="ll-table">
              <thead>
                <tr>
                  <th>{t('ll.plan')}</th>
                  <th>{t('ll.source')}</th>
                  <th>{t('ll.tool')}</th>
                  <th>URL</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {links.map((l) => (
                  <tr key={l.link.id} data-testid="ll-row">
                    <td>{l.link.plan || '—'}</td>
                    <td>{l.link.source || '—'}</td>
                    <td>{l.link.tool || '—'}</td>
                    <td>
                      <input
                        className="sb-set-mono sb-set-url"
                        readOnly
                        value={l.url}
                        onFocus={(e) => e.currentTarget.select()}
                        aria-label="URL"
                        data-testid="ll-url"
                      />
                    </td>
                    <td>
                      <div className="sb-set-row-actions">
                        <button type="button" className="sb-set-btn" onClick={() => void copy(l.url)} data-testid="ll-copy">
                          {t('ll.copy')}
                        </button>
                        {editable && (
                          <button type="button" className="sb-set-btn danger" onClick={() => setDeleting(l)} data-testid="ll-delete">
                            {t('settings.delete')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('nav.leadLinks')}
          text={t('ll.deleteText', { code: deleting.link.code })}
          confirmLabel={t('settings.delete')}
          onConfirm={remove}
          onCancel={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
