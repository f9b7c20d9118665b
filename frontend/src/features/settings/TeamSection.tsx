// Settings → Team: this desktop alone ("solo") or a member of a team hub. Solo shows the sign-in
// form; connected shows the hub, who is signed in and "Leave the hub"; an admin also manages the
// company's accounts (TeamUsers). The password goes to Go and the hub only; the session token
// never reaches the UI. Every text from the hub (names, e-mails) renders as text.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { teamApi, type TeamStatus } from '../../lib/teamApi';
import { Dialog } from './Dialog';
import { TeamUsers } from './TeamUsers';
import { useTeamT, type TeamT } from './team-i18n';
import { useSettingsT } from './settings-i18n';
import { publishLeft, publishTeamStatus, useTeamMembership } from './teamStatus';
import { useBusyCall } from './useBusyCall';
import { useSettingsError } from './useSettingsError';
import { errorCodeText } from '../../lib/errors';

export function roleLabel(t: TeamT, role: string): string {
  return role === 'admin' ? t('team.role.admin') : t('team.role.manager');
}

export function TeamSection() {
  const { t, locale } = useTeamT();
  const { t: ts } = useSettingsT();
  const errText = useSettingsError();
  const { status, error: readError, fresh } = useTeamMembership();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [leaving, setLeaving] = useState(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  // What this desktop keeps comes first (the Settings screen's read), then the hub's own
  // answer, asked once per opening of the section.
  const checked = useRef(false);
  useEffect(() => {
    if (!fresh || checked.current) return;
    checked.current = true;
    if (status?.mode !== 'connected') return;
    setChecking(true);
    teamApi
      .Check()
      .then(publishTeamStatus)
      .catch((e) => alive.current && setError(errText(e)))
      .finally(() => alive.current && setChecking(false));
  }, [fresh, status, errText]);

  const connected = (st: TeamStatus) => {
    setError('');
    setNotice('');
    publishTeamStatus(st);
  };
  const shownError = error || (readError ? errText(readError) : '');

  return (
    <section className="sb-set-section" aria-labelledby="sb-set-team-h" data-testid="settings-team" data-mode={status?.mode ?? ''}>
      <h2 id="sb-set-team-h">{t('nav.team')}</h2>
      <p className="sb-set-hint">{t('team.intro')}</p>
      {shownError && (
        <p className="sb-set-error" role="alert">
          {shownError}
        </p>
      )}
      {notice && (
        <p className="sb-set-notice" role="status" data-testid="team-notice">
          {notice}
        </p>
      )}
      {status?.restartNeeded && (
        <div className="sb-set-callout warn" role="status" data-testid="team-restart">
          <p>{t(status.mode === 'connected' ? 'team.restartToJoin' : 'team.restartToLeave')}</p>
          <div className="sb-set-action-row">
            <span />
            <button type="button" className="sb-set-btn primary" onClick={() => void teamApi.Restart()} data-testid="team-restart-now">
              {t('team.restartNow')}
            </button>
          </div>
        </div>
      )}
      {status === null ? (
        !shownError && <p className="sb-set-muted">{ts('settings.loading')}</p>
      ) : status.mode === 'solo' ? (
        <div className="sb-set-card" data-testid="team-connect-card">
          <h3>{t('team.connectTitle')}</h3>
          {status.problem && (
            <p className="sb-set-callout warn" data-testid="team-problem">
              {errorCodeText(status.problem, locale)}
            </p>
          )}
          <ConnectForm initialUrl={status.hubUrl} initialEmail={status.email} onConnected={connected} />
        </div>
      ) : (
        <>
          <div className="sb-set-card" data-testid="team-connected">
            <h3>{t('team.hub')}</h3>
            <dl className="sb-set-team-facts">
              <dt>{t('team.address')}</dt>
              <dd className="sb-set-mono" data-testid="team-hub-url">
                {status.hubUrl}
              </dd>
              <dt>{t('team.signedInAs')}</dt>
              <dd data-testid="team-who">
                <strong>{status.account.name}</strong> <span className="sb-set-muted">{status.account.email || status.email}</span>
              </dd>
              <dt>{t('team.role')}</dt>
              <dd data-testid="team-role">{roleLabel(t, status.account.role)}</dd>
            </dl>
            {checking && <p className="sb-set-muted">{t('team.checking')}</p>}
            {status.problem && (
              <div className="sb-set-callout warn" data-testid="team-problem">
                <p>{errorCodeText(status.problem, locale)}</p>
                {status.problem === 'hub_session_ended' && (
                  <ConnectForm initialUrl={status.hubUrl} initialEmail={status.email} lockAddress submitLabel={t('team.signInAgain')} onConnected={connected} />
                )}
              </div>
            )}
            <p className="sb-set-muted">{t('team.keyringNote')}</p>
            <div className="sb-set-action-row">
              <span />
              <button type="button" className="sb-set-btn danger" onClick={() => setLeaving(true)} data-testid="team-leave">
                {t('team.leave')}
              </button>
            </div>
          </div>
          {status.account.role === 'admin' && !status.problem && <TeamUsers me={status.account.id} />}
        </>
      )}
      {leaving && status && (
        <LeaveDialog
          hub={status.hubUrl}
          onCancel={() => setLeaving(false)}
          onLeft={() => {
            setLeaving(false);
            setNotice(t('team.left'));
            publishLeft();
          }}
        />
      )}
    </section>
  );
}

interface ConnectProps {
  initialUrl: string;
  initialEmail: string;
  /** Signing in again to the same hub: the address is shown, not edited. */
  lockAddress?: boolean;
  submitLabel?: string;
  onConnected: (st: TeamStatus) => void;
}

function ConnectForm({ initialUrl, initialEmail, lockAddress, submitLabel, onConnected }: ConnectProps) {
  const { t } = useTeamT();
  const [url, setUrl] = useState(initialUrl);
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const { busy, error, run } = useBusyCall();
  const ready = url.trim() !== '' && email.trim() !== '' && password !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready || busy) return;
    await run(async () => {
      const st = await teamApi.Connect(url.trim(), email.trim(), password);
      setPassword('');
      onConnected(st);
    });
  };

  return (
    <form className="sb-set-form" onSubmit={(e) => void submit(e)} data-testid="team-connect-form" aria-busy={busy}>
      {!lockAddress && (
        <label className="sb-set-field">
          <span>{t('team.url')}</span>
          <input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://hub.example.com"
            autoComplete="url"
            spellCheck={false}
            disabled={busy}
            data-testid="team-url"
          />
          <small>{t('team.urlHint')}</small>
        </label>
      )}
      <label className="sb-set-field">
        <span>{t('team.email')}</span>
        <input
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="username"
          spellCheck={false}
          disabled={busy}
          data-testid="team-email"
        />
      </label>
      <label className="sb-set-field">
        <span>{t('team.password')}</span>
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          disabled={busy}
          data-testid="team-password"
        />
      </label>
      {error && (
        <p className="sb-set-error" role="alert" data-testid="team-error">
          {error}
        </p>
      )}
      <div className="sb-set-actions">
        <button type="submit" className="sb-set-btn primary" disabled={!ready || busy} data-testid="team-connect">
          {busy ? t('team.connecting') : (submitLabel ?? t('team.connect'))}
        </button>
      </div>
    </form>
  );
}

function LeaveDialog({ hub, onCancel, onLeft }: { hub: string; onCancel: () => void; onLeft: () => void }) {
  const { t } = useTeamT();
  const { t: ts } = useSettingsT();
  const { busy, error, run } = useBusyCall();
  const leave = () =>
    run(async () => {
      await teamApi.Leave();
      onLeft();
    });
  return (
    <Dialog title={t('team.leaveTitle')} onClose={onCancel} testid="team-leave-dialog" tone="danger">
      <p className="sb-set-callout error" data-testid="team-leave-warning">
        {t('team.leaveWarn', { hub })}
      </p>
      {error && (
        <p className="sb-set-error" role="alert">
          {error}
        </p>
      )}
      <div className="sb-set-actions">
        <button type="button" className="sb-set-btn" onClick={onCancel} data-testid="team-leave-cancel">
          {ts('settings.cancel')}
        </button>
        <button type="button" className="sb-set-btn danger primary" disabled={busy} onClick={() => void leave()} data-testid="team-leave-confirm">
          {busy ? t('team.leaving') : t('team.leaveYes')}
        </button>
      </div>
    </Dialog>
  );
}
