// This desktop's team membership (Team.TeamStatus) for the Settings screen: read once when
// Settings opens and shared by its sections (which company settings are read-only here, Settings
// → Team). Then Go's "team:status" event brings every change of it (app/bridge.go: signing in,
// leaving, a new role, the replica's connection and a session the hub ended) with the status
// itself, so nothing is read again; Settings → Team hands it what its own calls answer too.
//
// The last answer outlives the screen: the next opening shows it at once (no form or note
// flashes) while it is read again.
import { useEffect } from 'react';
import { on } from '../../lib/api';
import { createStore } from '../../lib/smallStore';
import { teamApi, type TeamStatus } from '../../lib/teamApi';

interface TeamState {
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

/** The shared status; a section rendered alone (tests) follows it by itself. */
export function useTeamStatus(): TeamState {
  useTeamStatusFollowed();
  return teamStore.use((s) => s);
}

/** Forgets everything (tests: each starts from a window that has read nothing). */
export function resetTeamStatus(): void {
  stopFollowing?.();
  stopFollowing = null;
  teamStore.reset();
}
