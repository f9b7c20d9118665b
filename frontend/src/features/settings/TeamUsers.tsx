// Settings → Team → Users, for admins: the company's accounts at the hub, adding one (with a typed
// or generated password), changing a role, disabling and enabling, resetting a password, and a
// user's sessions with "End session". Every name and e-mail comes from the hub and renders as
// text. The hub enforces who may do this; the UI only hides it from managers.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { formatDateTime } from '../../lib/format';
import { generatePassword, teamApi, type HubAccount, type HubRole, type HubSession } from '../../lib/teamApi';
import { Dialog } from './Dialog';
import { useSettingsT } from './settings-i18n';
import { roleLabel } from './TeamSection';
import { useTeamT } from './team-i18n';
import { useBusyCall } from './useBusyCall';
import { useSettingsError } from './useSettingsError';

type Open = { kind: 'add' } | { kind: 'disable' | 'password' | 'sessions'; user: HubAccount } | null;

export function TeamUsers({ me }: { me: number }) {
  const { t } = useTeamT();
  const { t: ts } = useSettingsT();
  const errText = useSettingsError();
  const [users, setUsers] = useState<HubAccount[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [open, setOpen] = useState<Open>(null);
  const [busyId, setBusyId] = useState(0);

  const reload = useCallback(async () => {
    try {
      setUsers((await teamApi.Users()) ?? []);
      setError('');
    } catch (e) {
      setError(errText(e));
    }
  }, [errText]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const replace = (acc: HubAccount) => setUsers((list) => (list ?? []).map((u) => (u.id === acc.id ? acc : u)));

  // One change to one user: the row is busy meanwhile, a refusal is worded above the table.
  const change = async (id: number, run: () => Promise<HubAccount>) => {
    setBusyId(id);
    setError('');
    setNotice('');
    try {
      replace(await run());
    } catch (e) {
      setError(errText(e));
      void reload();
    } finally {
      setBusyId(0);
    }
  };

  return (
    <div className="sb-set-card sb-set-team-users" data-testid="team-users">
      <h3>{t('users.title')}</h3>
      <p className="sb-set-muted">{t('users.intro')}</p>
      <div className="sb-set-toolbar">
        <button type="button" className="sb-set-btn primary" onClick={() => setOpen({ kind: 'add' })} data-testid="team-add-user">
          {t('users.add')}
        </button>
        <button type="button" className="sb-set-btn" onClick={() => void reload()} data-testid="team-users-refresh">
          {t('users.refresh')}
        </button>
      </div>
      {error && (
        <p className="sb-set-error" role="alert" data-testid="team-users-error">
          {error}
        </p>
      )}
      {notice && (
        <p className="sb-set-notice" role="status" data-testid="team-users-notice">
          {notice}
        </p>
      )}
      {users === null ? (
        !error && <p className="sb-set-muted">{ts('settings.loading')}</p>
      ) : users.length === 0 ? (
        <p className="sb-set-empty">{t('users.none')}</p>
      ) : (
        <table className="sb-set-table" data-testid="team-users-table">
          <thead>
            <tr>
              <th>{t('users.name')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.state')}</th>
              <th>{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="team-user-row" data-email={u.email} data-disabled={u.disabled ? 'true' : 'false'} aria-busy={busyId === u.id}>
                <td>
                  <strong data-testid="team-user-name">{u.name}</strong>
                  {u.id === me && <span className="sb-set-muted"> ({t('users.you')})</span>}
                  <div className="sb-set-muted sb-set-team-email">{u.email}</div>
                </td>
                <td>
                  <select
                    value={u.role}
                    aria-label={t('users.roleOf', { name: u.name })}
                    disabled={busyId === u.id}
                    onChange={(e) => void change(u.id, () => teamApi.SetRole(u.id, e.target.value as HubRole))}
                    data-testid="team-user-role"
                  >
                    <option value="manager">{roleLabel(t, 'manager')}</option>
                    <option value="admin">{roleLabel(t, 'admin')}</option>
                  </select>
                </td>
                <td>
                  <span className={`sb-set-pill ${u.disabled ? 'muted' : 'ok'}`} data-testid="team-user-state">
                    {u.disabled ? t('users.disabled') : t('users.active')}
                  </span>
                </td>
                <td>
                  <div className="sb-set-row-actions">
                    {u.disabled ? (
                      <button
                        type="button"
                        className="sb-set-btn"
                        disabled={busyId === u.id}
                        onClick={() => void change(u.id, () => teamApi.SetDisabled(u.id, false))}
                        data-testid="team-user-enable"
                      >
                        {t('users.enable')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="sb-set-btn danger"
                        disabled={busyId === u.id}
                        onClick={() => setOpen({ kind: 'disable', user: u })}
                        data-testid="team-user-disable"
                      >
                        {t('users.disable')}
                      </button>
                    )}
                    <button type="button" className="sb-set-btn" onClick={() => setOpen({ kind: 'password', user: u })} data-testid="team-user-password">
                      {t('users.resetPassword')}
                    </button>
                    <button type="button" className="sb-set-btn" onClick={() => setOpen({ kind: 'sessions', user: u })} data-testid="team-user-sessions">
                      {t('users.sessions')}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {open?.kind === 'add' && (
        <AddUserDialog
          onClose={() => setOpen(null)}
          onAdded={(acc) => {
            setOpen(null);
            setError('');
            setNotice(t('users.added', { name: acc.name, email: acc.email }));
            setUsers((list) => [...(list ?? []), acc]);
          }}
        />
      )}
      {open?.kind === 'disable' && (
        <Dialog title={t('users.disableTitle', { name: open.user.name })} onClose={() => setOpen(null)} testid="team-disable-dialog" tone="danger">
          <p className="sb-set-dialog-text">{t('users.disableText', { name: open.user.name })}</p>
          <div className="sb-set-actions">
            <button type="button" className="sb-set-btn" onClick={() => setOpen(null)}>
              {ts('settings.cancel')}
            </button>
            <button
              type="button"
              className="sb-set-btn danger primary"
              onClick={() => {
                const id = open.user.id;
                setOpen(null);
                void change(id, () => teamApi.SetDisabled(id, true));
              }}
              data-testid="team-disable-confirm"
            >
              {t('users.disableYes')}
            </button>
          </div>
        </Dialog>
      )}
      {open?.kind === 'password' && (
        <PasswordDialog
          user={open.user}
          onClose={() => setOpen(null)}
          onDone={(acc) => {
            setOpen(null);
            replace(acc);
            setNotice(t('users.passwordSet', { name: acc.name }));
          }}
        />
      )}
      {open?.kind === 'sessions' && <SessionsDialog user={open.user} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** A password field with "Generate": shown as text, so the admin can read it out or copy it. */
function PasswordField({ value, onChange, disabled }: { value: string; onChange: (v: string) => void; disabled: boolean }) {
  const { t } = useTeamT();
  return (
    <label className="sb-set-field">
      <span>{t('users.password')}</span>
      <span className="sb-set-inline">
        <input
          type="text"
          className="sb-set-mono"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="new-password"
          spellCheck={false}
          disabled={disabled}
          data-testid="team-user-password-input"
        />
        <button type="button" className="sb-set-btn" disabled={disabled} onClick={() => onChange(generatePassword())} data-testid="team-generate-password">
          {t('users.generate')}
        </button>
      </span>
      <small>{t('users.passwordHint')}</small>
    </label>
  );
}

function FormError({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p className="sb-set-error" role="alert" data-testid="team-dialog-error">
      {text}
    </p>
  );
}

/** A dialog form's Cancel and submit buttons. */
function SubmitRow({
  onCancel,
  disabled,
  label,
  danger,
  testid,
}: {
  onCancel: () => void;
  disabled: boolean;
  label: string;
  danger?: boolean;
  testid: string;
}) {
  const { t: ts } = useSettingsT();
  return (
    <div className="sb-set-actions">
      <button type="button" className="sb-set-btn" onClick={onCancel}>
        {ts('settings.cancel')}
      </button>
      <button type="submit" className={`sb-set-btn primary${danger ? ' danger' : ''}`} disabled={disabled} data-testid={testid}>
        {label}
      </button>
    </div>
  );
}

function AddUserDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (acc: HubAccount) => void }) {
  const { t } = useTeamT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<HubRole>('manager');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useBusyCall();
  const ready = name.trim() !== '' && email.trim() !== '' && password !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready || busy) return;
    await run(async () => onAdded(await teamApi.AddUser({ name: name.trim(), email: email.trim(), role, password, avatarUrl: '' })));
  };

  return (
    <Dialog title={t('users.add')} onClose={onClose} testid="team-add-dialog">
      <form className="sb-set-form" onSubmit={(e) => void submit(e)}>
        <label className="sb-set-field">
          <span>{t('users.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} disabled={busy} data-testid="team-new-name" />
        </label>
        <label className="sb-set-field">
          <span>{t('users.email')}</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} spellCheck={false} disabled={busy} data-testid="team-new-email" />
        </label>
        <label className="sb-set-field">
          <span>{t('users.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as HubRole)} disabled={busy} data-testid="team-new-role">
            <option value="manager">{roleLabel(t, 'manager')}</option>
            <option value="admin">{roleLabel(t, 'admin')}</option>
          </select>
        </label>
        <PasswordField value={password} onChange={setPassword} disabled={busy} />
        <FormError text={error} />
        <SubmitRow onCancel={onClose} disabled={!ready || busy} label={busy ? t('users.adding') : t('users.create')} testid="team-new-submit" />
      </form>
    </Dialog>
  );
}

function PasswordDialog({ user, onClose, onDone }: { user: HubAccount; onClose: () => void; onDone: (acc: HubAccount) => void }) {
  const { t } = useTeamT();
  const [password, setPassword] = useState('');
  const { busy, error, run } = useBusyCall();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password || busy) return;
    await run(async () => onDone(await teamApi.SetPassword(user.id, password)));
  };

  return (
    <Dialog title={t('users.resetTitle', { name: user.name })} onClose={onClose} testid="team-password-dialog" tone="danger">
      <form className="sb-set-form" onSubmit={(e) => void submit(e)}>
        <p className="sb-set-dialog-text">{t('users.resetText', { name: user.name })}</p>
        <PasswordField value={password} onChange={setPassword} disabled={busy} />
        <FormError text={error} />
        <SubmitRow
          onCancel={onClose}
          disabled={!password || busy}
          label={busy ? t('users.saving') : t('users.resetYes')}
          danger
          testid="team-password-submit"
        />
      </form>
    </Dialog>
  );
}

function SessionsDialog({ user, onClose }: { user: HubAccount; onClose: () => void }) {
  const { t, locale } = useTeamT();
  const { t: ts } = useSettingsT();
  const errText = useSettingsError();
  const [sessions, setSessions] = useState<HubSession[] | null>(null);
  const [error, setError] = useState('');
  const [busyId, setBusyId] = useState(0);

  const load = useCallback(async () => {
    try {
      setSessions((await teamApi.UserSessions(user.id)) ?? []);
    } catch (e) {
      setError(errText(e));
    }
  }, [user.id, errText]);

  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async (id: number) => {
    setBusyId(id);
    setError('');
    try {
      await teamApi.RevokeSession(id);
      setSessions((list) => (list ?? []).filter((s) => s.id !== id));
    } catch (e) {
      setError(errText(e));
    } finally {
      setBusyId(0);
    }
  };

  return (
    <Dialog title={t('users.sessionsTitle', { name: user.name })} onClose={onClose} testid="team-sessions-dialog">
      <FormError text={error} />
      {sessions === null ? (
        !error && <p className="sb-set-muted">{ts('settings.loading')}</p>
      ) : sessions.length === 0 ? (
        <p className="sb-set-empty" data-testid="team-no-sessions">
          {t('users.noSessions')}
        </p>
      ) : (
        <ul className="sb-set-list">
          {sessions.map((s) => (
            <li key={s.id} className="sb-set-template" data-testid="team-session-row">
              <div className="sb-set-template-main">
                <strong>{s.userAgent || '—'}</strong>
                <span className="sb-set-muted">
                  {s.address} · {t('users.since', { time: formatDateTime(s.createdAt, locale) })} ·{' '}
                  {t('users.lastSeen', { time: formatDateTime(s.lastSeenAt, locale) })}
                </span>
              </div>
              <button type="button" className="sb-set-btn danger" disabled={busyId === s.id} onClick={() => void revoke(s.id)} data-testid="team-session-end">
                {t('users.endSession')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="sb-set-actions">
        <button type="button" className="sb-set-btn" onClick={onClose}>
          {ts('settings.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
