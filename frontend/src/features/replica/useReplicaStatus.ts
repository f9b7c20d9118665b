// How this desktop's replica of a team hub stands, live: asked once, then kept by the
// "replica:status" event Go sends on every change. null in solo mode (the engine is no replica).
import { useEffect, useState } from 'react';
import { call, on } from '../../lib/api';
import type { ReplicaStatus } from './ReplicaStatusLine';

export function useReplicaStatus(): ReplicaStatus | null {
  const [status, setStatus] = useState<ReplicaStatus | null>(null);
  useEffect(() => {
    let live = true;
    const off = on<ReplicaStatus>('replica:status', (s) => setStatus(s));
    call<ReplicaStatus | null>('Workspace', 'ReplicaStatus')
      .then((s) => {
        if (live && s) setStatus((now) => now ?? s);
      })
      // An app without the binding (an older backend) is a solo one: no line to show.
      .catch(() => undefined);
    return () => {
      live = false;
      off();
    };
  }, []);
  return status;
}
