import { afterEach, describe, expect, it } from 'vitest';
import { installDropGuard } from './dropGuard';

function drag(type: 'dragover' | 'drop', target: EventTarget, handled = false): Event {
  const e = new Event(type, { bubbles: true, cancelable: true });
  if (handled) e.preventDefault();
  target.dispatchEvent(e);
  return e;
}

describe('drops outside the composer', () => {
  let off: (() => void) | undefined;
  afterEach(() => off?.());

  it('never reach the webview, which would navigate to the dropped file or link', () => {
    const outside = document.createElement('div');
    document.body.appendChild(outside);
    expect(drag('drop', outside).defaultPrevented).toBe(false); // without the guard: navigation
    off = installDropGuard(window);
    expect(drag('dragover', outside).defaultPrevented).toBe(true);
    expect(drag('drop', outside).defaultPrevented).toBe(true);
    expect(drag('drop', document.body).defaultPrevented).toBe(true);
    outside.remove();
  });
});
