// Whether the company's shared settings (channels, lead links, chat templates, the dialogue
// lists) are read-only here: on a desktop of a team hub signed in as a manager, not an admin. The
// hub refuses a manager's change by itself (admin_only); this only spares them forms that cannot
// succeed. Solo, or an unknown status (an older build without the Team service), is not
// read-only: the one manager of a solo desktop is its admin.
//
// undefined until this desktop's membership is known: a section then offers neither its forms
// nor the read-only note, so neither flashes. The last answer is kept for the next section
// opened, and asked again each time (connecting or leaving changes it).
import { useEffect, useState } from 'react';
import { teamApi } from '../../lib/teamApi';

let lastKnown: boolean | undefined;

export function useCompanyReadOnly(): boolean | undefined {
  const [readOnly, setReadOnly] = useState<boolean | undefined>(lastKnown);
  useEffect(() => {
    let alive = true;
    const known = (v: boolean) => {
      lastKnown = v;
      if (alive) setReadOnly(v);
    };
    teamApi
      .Status()
      .then((st) => known(st.mode === 'connected' && st.account?.role !== 'admin'))
      .catch(() => known(false));
    return () => {
      alive = false;
    };
  }, []);
  return readOnly;
}
