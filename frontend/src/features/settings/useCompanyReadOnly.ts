// Whether the company's shared settings (channels, lead links, chat templates, the dialogue
// lists) are read-only here: on a desktop of a team hub signed in as a manager, not an admin. The
// hub refuses a manager's change by itself (admin_only); this only spares them forms that cannot
// succeed. Solo, or an unknown status (an older build without the Team service), is not
// read-only: the one manager of a solo desktop is its admin.
//
// undefined until this desktop's membership is known: a section then offers neither its forms
// nor the read-only note, so neither flashes. The membership is the Settings screen's one read
// (teamStatus.ts), kept for its next opening.
//
// Only the answer is subscribed to: a change of the status that leaves it as it was (the
// replica's progress, say) re-renders no section.
import { useTeamSelector, type TeamState } from './teamStatus';

function companyReadOnly({ status, error }: TeamState): boolean | undefined {
  if (error) return false;
  if (!status) return undefined;
  return status.mode === 'connected' && status.account?.role !== 'admin';
}

export function useCompanyReadOnly(): boolean | undefined {
  return useTeamSelector(companyReadOnly);
}
