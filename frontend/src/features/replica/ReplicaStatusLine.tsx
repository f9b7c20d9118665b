// One line saying how a replica of a team hub stands: "Offline — 3 changes waiting". Nothing
// when the desktop is in solo mode (status null) or online with nothing waiting. The status is
// Go's replica.Status (engine.ReplicaStatus, and the event the app forwards on every change).
import type { ReactNode } from 'react';
import { useErrors } from '../../lib/errorsLater';
import { useWords } from '../../lib/i18n';
import { replicaWords, type ReplicaKey } from './replica-i18n';
import type { ReplicaStatus } from '../../lib/teamApi';

// The type is part of the typed contract with Go (lib/teamApi.ts); re-exported for this feature.
export type { ReplicaStatus };

/** The words for a status, or null when there is nothing to say. */
export function replicaLine(s: ReplicaStatus | null): [ReplicaKey, Record<string, number>] | null {
  if (!s) return null;
  // A full disk is something the person can act on: say so rather than only "offline".
  if (s.state === 'offline' || s.state === 'online') {
    if (s.lastError === 'disk_full') return ['replica.diskFull', { n: s.pending }];
    if (s.lastError === 'hub_disk_full') return ['replica.hubDiskFull', { n: s.pending }];
  }
  switch (s.state) {
    case 'connecting':
      return ['replica.connecting', {}];
    case 'bootstrapping':
      return ['replica.bootstrapping', { done: s.done, total: s.total }];
    case 'offline':
      return s.pending > 0 ? ['replica.offline', { n: s.pending }] : ['replica.offlineNothing', {}];
    case 'signed_out':
      return ['replica.signedOut', {}];
    case 'online':
      return s.pending > 0 ? ['replica.waiting', { n: s.pending }] : null;
    default:
      return null;
  }
}

const fullDisk: ReadonlySet<ReplicaKey> = new Set<ReplicaKey>(['replica.diskFull', 'replica.hubDiskFull']);

// The reasons worth telling beside "offline": ones the manager (or the admin) can act on. A hub
// that cannot be reached at all needs no more words than "offline".
const toldReasons: ReadonlySet<string> = new Set(['hub_tls', 'hub_other_version', 'hub_not_a_hub', 'hub_server_error']);

/** The code of why the replica is offline, when it is worth telling; null otherwise. */
export function replicaReason(s: ReplicaStatus | null): string | null {
  return s && s.state === 'offline' && toldReasons.has(s.lastError) ? s.lastError : null;
}

export function ReplicaStatusLine({ status }: { status: ReplicaStatus | null }): ReactNode {
  const { t, locale } = useWords(replicaWords);
  const line = replicaLine(status);
  const reason = replicaReason(status);
  // The reason's words are the error table's, loaded after the first paint: a line with a reason
  // waits for them rather than changing under the eye (and shows without it should they not load).
  const errors = useErrors(!!reason);
  if (!line || (reason && errors === null)) return null;
  return (
    <span
      className={(status?.state === 'online' || status?.state === 'bootstrapping') && !fullDisk.has(line[0]) ? 'pill' : 'pill pill-warn'}
      role="status"
      data-state={status?.state}
      data-testid="replica-status"
    >
      {t(line[0], line[1])}
      {reason && errors && <span data-testid="replica-reason">{'. ' + errors.errorCodeText(reason, locale)}</span>}
    </span>
  );
}
