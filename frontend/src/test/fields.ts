// Typing into a field in a test, as a browser reports it: text fields get an `input` event,
// selects a `change` event. The UI runs on Preact (vite.config.ts), whose onChange on a text
// field listens to the input event (React listens to both), so fireEvent.change would reach no
// handler there.
import { fireEvent } from '@testing-library/react';

export function setValue(el: HTMLElement, value: string): void {
  if (el instanceof HTMLSelectElement) fireEvent.change(el, { target: { value } });
  else fireEvent.input(el, { target: { value } });
}
