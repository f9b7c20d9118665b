// The Bootstrap the page arrived with (app/page.go puts it in <script id="sb-boot"
// type="application/json">), so the first render already has the people list's first page
// instead of waiting for two calls through the bindings. Read once: a later mount (or a page the
// app did not serve) asks the Bootstrap binding instead.
import type { Bootstrap } from './types';

export function takeInlineBoot(): Bootstrap | null {
  if (typeof document === 'undefined') return null;
  const el = document.getElementById('sb-boot');
  if (!el) return null;
  el.remove();
  try {
    const b = JSON.parse(el.textContent ?? '') as Bootstrap;
    return b && typeof b === 'object' && b.counts ? b : null;
  } catch {
    return null;
  }
}
