// After a Settings test: unmount first (so no section reacts to the resets; setup.ts's cleanup
// runs only after a file's own hooks), then drop the fake Go and the shared stores.
import { cleanup } from '@testing-library/react';
import { resetDialogueOptions } from '../features/dialogues/optionsStore';
import { resetTeamStatus } from '../features/settings/teamStatus';

export function resetSettingsWindow(): void {
  cleanup();
  delete window.go;
  delete window.runtime;
  resetTeamStatus();
  resetDialogueOptions();
}
