// Typed calls of Settings → Team (app/team.go: window.go.app.Team): this desktop's membership of
// a team hub and an admin's management of the company's accounts. The session token never
// crosses this boundary: Go keeps it in the OS keyring.
import { call } from './api';

export type HubRole = 'admin' | 'manager';

/** A manager's account at the hub (hubclient.Account). */
export interface HubAccount {
  id: number;
  name: string;
  avatarUrl: string;
  email: string;
  role: HubRole;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** One signed-in device of an account (hubclient.Session). */
export interface HubSession {
  id: number;
  managerId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string;
  userAgent: string;
}

/**
 * How a replica of a team hub stands (replica.Status): "offline — N changes waiting" is state
 * offline with pending N. Comes with the team status and as "replica:status".
 */
export interface ReplicaStatus {
  state: 'connecting' | 'bootstrapping' | 'online' | 'offline' | 'signed_out' | 'stopped';
  pending: number;
  seq: number;
  /** Progress of a snapshot download (state bootstrapping): people applied of the total. */
  done: number;
  total: number;
  /** An error code, worded by the UI ('' when none). */
  lastError: string;
}

/**
 * What Settings → Team shows (app.TeamStatus, also the "team:status" event). Every field is
 * always sent: Go's struct has no omitempty.
 */
export interface TeamStatus {
  mode: 'solo' | 'connected';
  hubUrl: string;
  email: string;
  account: HubAccount;
  /** Why the connection does not work: an error code ('' when it does or was not checked). */
  problem: string;
  /** The running engine is not the one mode asks for until the app restarts (Desktop.Restart). */
  restartNeeded: boolean;
  /** How the replica stands when the running engine is one; null when it is not (solo). */
  replica: ReplicaStatus | null;
}

export interface NewHubUser {
  email: string;
  name: string;
  avatarUrl: string;
  role: HubRole;
  password: string;
}

export const teamApi = {
  /** From what this desktop keeps, without the network. */
  Status: () => call<TeamStatus>('Team', 'TeamStatus'),
  /** Asks the hub who this session is; a failure comes back as the status's problem. */
  Check: () => call<TeamStatus>('Team', 'CheckTeam'),
  Connect: (hubUrl: string, email: string, password: string) => call<TeamStatus>('Team', 'ConnectHub', hubUrl, email, password),
  Leave: () => call<void>('Team', 'LeaveHub'),
  Users: () => call<HubAccount[] | null>('Team', 'TeamUsers'),
  AddUser: (u: NewHubUser) => call<HubAccount>('Team', 'TeamAddUser', u),
  SetRole: (id: number, role: HubRole) => call<HubAccount>('Team', 'TeamSetRole', id, role),
  SetDisabled: (id: number, disabled: boolean) => call<HubAccount>('Team', 'TeamSetDisabled', id, disabled),
  SetPassword: (id: number, password: string) => call<HubAccount>('Team', 'TeamSetPassword', id, password),
  UserSessions: (id: number) => call<HubSession[] | null>('Team', 'TeamUserSessions', id),
  RevokeSession: (id: number) => call<void>('Team', 'TeamRevokeSession', id),
  /** Quits and starts the app again: joining or leaving a hub takes effect at start. */
  Restart: () => call<void>('Desktop', 'Restart'),
};

export type TeamApi = typeof teamApi;

/** The alphabet of generated passwords: no look-alikes (0/O, 1/l/I), so one can be read aloud. */
const passwordAlphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password of 16 characters (about 93 bits) from the browser's CSPRNG. */
export function generatePassword(length = 16): string {
  const out: string[] = [];
  const buf = new Uint32Array(1);
  while (out.length < length) {
    crypto.getRandomValues(buf);
    const v = buf[0] ?? 0;
    // Rejection sampling: no character is likelier than another.
    const limit = Math.floor(0x100000000 / passwordAlphabet.length) * passwordAlphabet.length;
    if (v < limit) out.push(passwordAlphabet[v % passwordAlphabet.length] ?? '');
  }
  return out.join('');
}
