// This desktop's team membership (Team.TeamStatus) for the Settings screen: read once when
// Settings opens and shared by its sections (which company settings are read-only here, Settings
// → Team). Then Go's "team:status" event brings every change of it (app/bridge.go: signing in,
// leaving, a new role, the replica's connection and a session the hub ended) with the status
// itself, so nothing is read again; Settings → Team hands it what its own calls answer too.
//
// The last answer outlives the screen: the next opening shows it at once (no form or note
// flashes) while it is read again.
//
// A section subscribes to the part it reads (useTeamSelector): "team:status" comes with every
// change of the replica too (its queue, a snapshot's progress every few hundred people), which
// would otherwise re-render every section that asks whether the company is read-only.
import { useEffect } from 'react';
import { on } from '../../lib/api';
import { createStore } from '../../lib/smallStore';
import { teamApi, type HubAccount, type TeamStatus } from '../../lib/teamApi';

export interface TeamState {
  /** The last answer; null until one came. */
  status: TeamStatus | null;
  /** Why the last read failed (null when it did not). */
  error: unknown;
  /** Read since this opening of Settings: what Settings → Team may check with the hub. */
  fresh: boolean;
}

const teamStore = createStore<TeamState>({ status: null, error: null, fresh: false });

let readers = 0;
let stopFollowing: (() => void) | null = null;
// Each read or handed answer takes a number; an older read's answer coming later is dropped.
let generation = 0;

/** Reads the status (each opening of Settings). */
function readTeamStatus(): void {
  const mine = ++generation;
  teamApi
    .Status()
    .then((status) => mine === generation && teamStore.set({ status, error: null, fresh: true }))
    .catch((error: unknown) => mine === generation && teamStore.set({ error, fresh: true }));
}

/** What a call of Settings → Team answered (connect, check, leave): the status as it now is. */
export function publishTeamStatus(status: TeamStatus): void {
  generation++;
  teamStore.set({ status, error: null, fresh: true });
}

function follow(): void {
  readTeamStatus();
  // Newer than any read still on its way: publishing drops that read's answer.
  const off = on<TeamStatus>('team:status', publishTeamStatus);
  stopFollowing = () => {
    off();
    generation++;
    // The next opening shows this answer at once but reads its own before checking with the hub.
    teamStore.set({ fresh: false });
  };
}

/** Keeps the status followed while mounted: the Settings screen holds it for all its sections. */
export function useTeamStatusFollowed(): void {
  useEffect(() => {
    if (readers++ === 0) follow();
    return () => {
      if (--readers === 0) {
        stopFollowing?.();
        stopFollowing = null;
      }
    };
  }, []);
}

/**
 * The part of the shared status select picks, kept while isEqual says it is the same: a change
 * elsewhere in the status does not re-render the caller. A section rendered alone (tests)
 * follows the status by itself.
 */
export function useTeamSelector<U>(select: (s: TeamState) => U, isEqual: (a: U, b: U) => boolean = Object.is): U {
  useTeamStatusFollowed();
  return teamStore.use(select, isEqual);
}

/** The membership as Settings → Team shows it: the status without the replica's state. */
export type TeamMembership = Omit<TeamStatus, 'replica'>;

export interface TeamMembershipState extends Omit<TeamState, 'status'> {
  status: TeamMembership | null;
}

const sameAccount = (a: HubAccount, b: HubAccount) =>
  a.id === b.id &&
  a.name === b.name &&
  a.avatarUrl === b.avatarUrl &&
  a.email === b.email &&
  a.role === b.role &&
  a.disabled === b.disabled &&
  a.createdAt === b.createdAt &&
  a.updatedAt === b.updatedAt;

const sameMembership = (a: TeamMembership | null, b: TeamMembership | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.mode === b.mode &&
    a.hubUrl === b.hubUrl &&
    a.email === b.email &&
    a.problem === b.problem &&
    a.restartNeeded === b.restartNeeded &&
    sameAccount(a.account, b.account));

/** The membership, the read's failure and freshness: what Settings → Team renders. */
export function useTeamMembership(): TeamMembershipState {
  return useTeamSelector<TeamMembershipState>(
    (s) => s,
    (a, b) => a.error === b.error && a.fresh === b.fresh && sameMembership(a.status, b.status),
  );
}

/** Left the hub: shown at once, until Go's team:status (sent when the leave is done) brings it. */
export function publishLeft(): void {
  const s = teamStore.get().status;
  // As Go has it: a replica still running wants the restart that stops it.
  if (s) publishTeamStatus({ ...s, mode: 'solo', problem: '', restartNeeded: s.replica !== null });
}

/** Forgets everything (tests: each starts from a window that has read nothing). */
export function resetTeamStatus(): void {
  stopFollowing?.();
  stopFollowing = null;
  teamStore.reset();
}
