// Settings → Team against a fake window.go.app.Team (a test double of the Wails bindings that
// keeps its accounts in memory like the hub): every assertion is about what the manager sees and
// which Go calls are made. Go's side is tested against a real hub (app/team_test.go).
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Locale } from '../../lib/types';
import type { HubAccount, HubSession, NewHubUser, TeamStatus } from '../../lib/teamApi';
import { fakeGo } from '../../test/bindings';
import { setValue } from '../../test/fields';
import { TeamSection } from './TeamSection';
import { resetTeamStatus } from './teamStatus';

const HUB = 'https://hub.example.com';
const HOSTILE = '<img src=x onerror=alert(1)>Анна';
const PASSWORD = 'admin password 1';

interface Fake {
  calls: { method: string; args: unknown[] }[];
  status: TeamStatus;
  users: HubAccount[];
  sessions: HubSession[];
  /** When set, ConnectHub waits for it (the busy state). */
  gate: Promise<void> | null;
}

const account = (id: number, name: string, email: string, role: 'admin' | 'manager', disabled = false): HubAccount => ({
  id,
  name,
  email,
  role,
  disabled,
  avatarUrl: '',
  createdAt: 0,
  updatedAt: 0,
});

const solo: TeamStatus = { mode: 'solo', hubUrl: '', email: '', account: account(0, '', '', 'manager'), problem: '', restartNeeded: false, replica: null };
/** A replica following the hub: the engine of a desktop started connected. */
const following: TeamStatus['replica'] = { state: 'online', pending: 0, seq: 1, done: 0, total: 0, lastError: '' };

function install(): Fake {
  const fake: Fake = {
    calls: [],
    status: solo,
    users: [account(1, HOSTILE, 'anna@example.com', 'admin'), account(2, 'Vera', 'vera@example.com', 'manager')],
    sessions: [
      {
        id: 7,
        managerId: 2,
        createdAt: Date.UTC(2026, 11, 6, 9),
        lastSeenAt: Date.UTC(2026, 11, 6, 10),
        expiresAt: 0,
        address: '10.0.0.7',
        userAgent: 'Switchboard desktop',
      },
    ],
    gate: null,
  };
  const reject = (code: string, message = '') => Promise.reject({ code, message });
  const find = (id: number) => fake.users.find((u) => u.id === id);
  const update = (id: number, patch: Partial<HubAccount>) => {
    const u = find(id);
    if (!u) return reject('hub_not_found');
    Object.assign(u, patch);
    return Promise.resolve({ ...u });
  };
  const impl: Record<string, (...a: never[]) => Promise<unknown>> = {
    TeamStatus: async () => fake.status,
    CheckTeam: async () => fake.status,
    ConnectHub: async (url: string, email: string, password: string) => {
      if (fake.gate) await fake.gate;
      if (!url.startsWith('https://')) return reject('hub_insecure_url');
      if (password === 'too many') return reject('hub_rate_limited', '42');
      if (email !== 'anna@example.com' || password !== PASSWORD) return reject('hub_login_failed', 'hub: hub_login_failed: HTTP 401 login_failed');
      fake.status = { mode: 'connected', hubUrl: url, email, account: { ...fake.users[0]! }, problem: '', restartNeeded: true, replica: null };
      return fake.status;
    },
    LeaveHub: async () => {
      fake.status = solo;
    },
    TeamUsers: async () => fake.users.map((u) => ({ ...u })),
    TeamAddUser: async (u: NewHubUser) => {
      if (u.password.length < 10) return reject('hub_password_too_short', '10');
      if (fake.users.some((x) => x.email === u.email)) return reject('hub_email_taken');
      const acc = account(fake.users.length + 1, u.name, u.email, u.role);
      fake.users.push(acc);
      return acc;
    },
    TeamSetRole: async (id: number, role: 'admin' | 'manager') => update(id, { role }),
    TeamSetDisabled: async (id: number, disabled: boolean) => update(id, { disabled }),
    TeamSetPassword: async (id: number) => update(id, {}),
    TeamUserSessions: async (id: number) => fake.sessions.filter((s) => s.managerId === id),
    TeamRevokeSession: async (id: number) => {
      fake.sessions = fake.sessions.filter((s) => s.id !== id);
    },
  };
  const recorded: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(impl)) {
    recorded[name] = (...args: unknown[]) => {
      fake.calls.push({ method: name, args });
      return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  window.go = fakeGo(recorded);
  return fake;
}

const called = (f: Fake, method: string) => f.calls.filter((c) => c.method === method);

function show(locale: Locale = 'en') {
  return render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <TeamSection />
    </I18nProvider>,
  );
}

async function connect(url: string, email: string, password: string) {
  const form = await screen.findByTestId('team-connect-form');
  setValue(within(form).getByTestId('team-url'), url);
  setValue(within(form).getByTestId('team-email'), email);
  setValue(within(form).getByTestId('team-password'), password);
  fireEvent.click(within(form).getByTestId('team-connect'));
}

let fake: Fake;
beforeEach(() => {
  fake = install();
});
afterEach(() => {
  cleanup();
  delete window.go;
  resetTeamStatus();
});

describe('Settings → Team, solo', () => {
  it('words a wrong password in English and in Russian, and keeps the form', async () => {
    show('en');
    await connect(HUB, 'anna@example.com', 'wrong password');
    expect((await screen.findByTestId('team-error')).textContent).toBe('Wrong e-mail or password, or the account is disabled.');
    expect(screen.getByTestId('settings-team').dataset.mode).toBe('solo');
    cleanup();

    show('ru');
    await connect(HUB, 'anna@example.com', 'wrong password');
    expect((await screen.findByTestId('team-error')).textContent).toBe('Неверный e-mail или пароль, либо учётная запись отключена.');
    expect(screen.getByTestId('team-password')).toHaveProperty('type', 'password');
  });

  it('tells a plain http address and a rate limit with its wait', async () => {
    show('en');
    await connect('http://hub.example.com', 'anna@example.com', PASSWORD);
    expect((await screen.findByTestId('team-error')).textContent).toMatch(/must start with https:\/\//);
    await connect(HUB, 'anna@example.com', 'too many');
    await waitFor(() => expect(screen.getByTestId('team-error').textContent).toBe('Too many sign-in attempts: try again in 42 s.'));
  });

  it('shows the busy state while signing in, then the connected state; hostile names stay text', async () => {
    let open = () => undefined as void;
    fake.gate = new Promise<void>((r) => (open = r));
    show('en');
    await connect(HUB, 'anna@example.com', PASSWORD);
    const button = screen.getByTestId('team-connect');
    await waitFor(() => expect(button.textContent).toBe('Connecting…'));
    expect(button).toHaveProperty('disabled', true);
    expect(screen.getByTestId('team-email')).toHaveProperty('disabled', true);
    await act(async () => open());
    const card = await screen.findByTestId('team-connected');
    expect(called(fake, 'ConnectHub')[0]?.args).toEqual([HUB, 'anna@example.com', PASSWORD]);
    expect(within(card).getByTestId('team-hub-url').textContent).toBe(HUB);
    expect(within(card).getByTestId('team-who').textContent).toContain(HOSTILE);
    expect(within(card).getByTestId('team-role').textContent).toBe('Administrator');
    expect(document.querySelector('img')).toBeNull();
    expect(document.body.textContent).not.toContain(PASSWORD);
    // An admin sees the users.
    const rows = await screen.findAllByTestId('team-user-row');
    expect(rows.map((r) => r.dataset.email)).toEqual(['anna@example.com', 'vera@example.com']);
  });
});

describe('Settings → Team, connected', () => {
  beforeEach(() => {
    fake.status = {
      mode: 'connected',
      hubUrl: HUB,
      email: 'anna@example.com',
      account: { ...fake.users[0]! },
      problem: '',
      restartNeeded: false,
      replica: following,
    };
  });

  it('leaves only after a clear warning, and returns to solo', async () => {
    show('en');
    fireEvent.click(await screen.findByTestId('team-leave'));
    const dialog = screen.getByTestId('team-leave-dialog');
    expect(within(dialog).getByTestId('team-leave-warning').textContent).toContain(
      `returns to solo: it signs out of ${HUB} and stops showing the team’s chats`,
    );
    fireEvent.click(within(dialog).getByTestId('team-leave-cancel'));
    expect(called(fake, 'LeaveHub')).toHaveLength(0);
    expect(screen.getByTestId('team-connected')).toBeTruthy();

    fireEvent.click(screen.getByTestId('team-leave'));
    fireEvent.click(within(screen.getByTestId('team-leave-dialog')).getByTestId('team-leave-confirm'));
    expect((await screen.findByTestId('team-notice')).textContent).toBe('This desktop works solo again.');
    await screen.findByTestId('team-connect-form');
    expect(called(fake, 'LeaveHub')).toHaveLength(1);
    expect(screen.queryByTestId('team-users')).toBeNull();
  });

  it('a manager sees no user management', async () => {
    fake.status = { ...fake.status, account: { ...fake.users[1]! } };
    show('en');
    expect((await screen.findByTestId('team-role')).textContent).toBe('Manager');
    await waitFor(() => expect(called(fake, 'CheckTeam')).toHaveLength(1));
    expect(screen.queryByTestId('team-users')).toBeNull();
    expect(called(fake, 'TeamUsers')).toHaveLength(0);
  });

  it('an ended session asks to sign in again, with the address kept', async () => {
    fake.status = { ...fake.status, problem: 'hub_session_ended' };
    show('ru');
    const problem = await screen.findByTestId('team-problem');
    expect(problem.textContent).toContain('Сеанс на хабе завершён');
    expect(within(problem).queryByTestId('team-url')).toBeNull();
    expect((within(problem).getByTestId('team-email') as HTMLInputElement).value).toBe('anna@example.com');
    setValue(within(problem).getByTestId('team-password'), PASSWORD);
    fireEvent.click(within(problem).getByTestId('team-connect'));
    await waitFor(() => expect(screen.queryByTestId('team-problem')).toBeNull());
    expect(called(fake, 'ConnectHub')[0]?.args).toEqual([HUB, 'anna@example.com', PASSWORD]);
  });

  it('an admin adds a user with a generated password and sees the hub’s refusals worded', async () => {
    show('en');
    await screen.findAllByTestId('team-user-row');
    fireEvent.click(screen.getByTestId('team-add-user'));
    const dialog = screen.getByTestId('team-add-dialog');
    setValue(within(dialog).getByTestId('team-new-name'), 'Олег <script>');
    setValue(within(dialog).getByTestId('team-new-email'), 'oleg@example.com');
    setValue(within(dialog).getByTestId('team-user-password-input'), 'short');
    fireEvent.click(within(dialog).getByTestId('team-new-submit'));
    expect((await within(dialog).findByTestId('team-dialog-error')).textContent).toBe('The password is too short: at least 10 characters.');
    fireEvent.click(within(dialog).getByTestId('team-generate-password'));
    const generated = (within(dialog).getByTestId('team-user-password-input') as HTMLInputElement).value;
    expect(generated).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    fireEvent.click(within(dialog).getByTestId('team-new-submit'));
    expect((await screen.findByTestId('team-users-notice')).textContent).toBe('Олег <script> can now sign in as oleg@example.com.');
    expect(called(fake, 'TeamAddUser').at(-1)?.args).toEqual([
      { name: 'Олег <script>', email: 'oleg@example.com', role: 'manager', password: generated, avatarUrl: '' },
    ]);
    expect(screen.getAllByTestId('team-user-row').map((r) => r.dataset.email)).toContain('oleg@example.com');
    expect(document.querySelector('script')).toBeNull();

    // The same e-mail again.
    fireEvent.click(screen.getByTestId('team-add-user'));
    const again = screen.getByTestId('team-add-dialog');
    setValue(within(again).getByTestId('team-new-name'), 'Oleg');
    setValue(within(again).getByTestId('team-new-email'), 'oleg@example.com');
    setValue(within(again).getByTestId('team-user-password-input'), 'long enough 1');
    fireEvent.click(within(again).getByTestId('team-new-submit'));
    expect((await within(again).findByTestId('team-dialog-error')).textContent).toBe('An account with this e-mail already exists.');
  });

  it('an admin changes a role, disables after confirming, enables, resets a password and ends a session', async () => {
    show('en');
    const vera = () => screen.getAllByTestId('team-user-row').find((r) => r.dataset.email === 'vera@example.com')!;
    await screen.findAllByTestId('team-user-row');
    setValue(within(vera()).getByTestId('team-user-role'), 'admin');
    await waitFor(() => expect(called(fake, 'TeamSetRole')[0]?.args).toEqual([2, 'admin']));
    await waitFor(() => expect((within(vera()).getByTestId('team-user-role') as HTMLSelectElement).value).toBe('admin'));

    fireEvent.click(within(vera()).getByTestId('team-user-disable'));
    expect(called(fake, 'TeamSetDisabled')).toHaveLength(0);
    fireEvent.click(within(screen.getByTestId('team-disable-dialog')).getByTestId('team-disable-confirm'));
    await waitFor(() => expect(vera().dataset.disabled).toBe('true'));
    expect(within(vera()).getByTestId('team-user-state').textContent).toBe('Disabled');
    fireEvent.click(within(vera()).getByTestId('team-user-enable'));
    await waitFor(() => expect(vera().dataset.disabled).toBe('false'));
    expect(called(fake, 'TeamSetDisabled').map((c) => c.args)).toEqual([
      [2, true],
      [2, false],
    ]);

    fireEvent.click(within(vera()).getByTestId('team-user-password'));
    const pw = screen.getByTestId('team-password-dialog');
    setValue(within(pw).getByTestId('team-user-password-input'), 'a new password 2');
    fireEvent.click(within(pw).getByTestId('team-password-submit'));
    expect((await screen.findByTestId('team-users-notice')).textContent).toBe('New password set for Vera.');
    expect(called(fake, 'TeamSetPassword')[0]?.args).toEqual([2, 'a new password 2']);

    fireEvent.click(within(vera()).getByTestId('team-user-sessions'));
    const sessions = screen.getByTestId('team-sessions-dialog');
    const row = await within(sessions).findByTestId('team-session-row');
    expect(row.textContent).toContain('10.0.0.7');
    expect(row.textContent).toContain('Switchboard desktop');
    fireEvent.click(within(row).getByTestId('team-session-end'));
    await within(sessions).findByTestId('team-no-sessions');
    expect(called(fake, 'TeamRevokeSession')[0]?.args).toEqual([7]);
  });

  it('words the last admin refusal', async () => {
    show('en');
    const anna = (await screen.findAllByTestId('team-user-row'))[0]!;
    fake.users[0]!.role = 'admin';
    const original = window.go!.app!.Team!.TeamSetRole!;
    window.go!.app!.Team!.TeamSetRole = (() => Promise.reject({ code: 'hub_last_admin', message: '' })) as never;
    setValue(within(anna).getByTestId('team-user-role'), 'manager');
    expect((await screen.findByTestId('team-users-error')).textContent).toBe('The company must keep at least one active administrator.');
    window.go!.app!.Team!.TeamSetRole = original;
    await waitFor(() => expect((within(screen.getAllByTestId('team-user-row')[0]!).getByTestId('team-user-role') as HTMLSelectElement).value).toBe('admin'));
  });
});
