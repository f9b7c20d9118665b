// Whether the company's shared settings (chat templates, the dialogue lists) are read-only here:
// on a desktop of a team hub signed in as a manager, not an admin. The hub refuses a manager's
// change by itself (admin_only); this only spares them forms that cannot succeed. Solo, or an
// unknown status (an older build without the Team service), is not read-only: the one manager
// of a solo desktop is its admin.
import { useEffect, useState } from 'react';
import { teamApi } from '../../lib/teamApi';

export function useCompanyReadOnly(): boolean {
  const [readOnly, setReadOnly] = useState(false);
  useEffect(() => {
    let alive = true;
    teamApi
      .Status()
      .then((st) => {
        if (alive) setReadOnly(st.mode === 'connected' && st.account?.role !== 'admin');
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return readOnly;
}
