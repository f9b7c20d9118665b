// Where a pop-up menu opens so that all of it is visible: below its button when it fits, above
// when it does not and there is more room there. The newest message's "…" menu otherwise opened
// past the bottom of the history, where "Delete" could not be reached.
import { useLayoutEffect, useState, type RefObject } from 'react';

export type Placement = 'down' | 'up';

export interface Span {
  top: number;
  bottom: number;
}

/** anchor: the button's box; menuHeight: the open menu's height; bounds: what is visible. */
export function menuPlacement(anchor: Span, menuHeight: number, bounds: Span): Placement {
  const below = bounds.bottom - anchor.bottom;
  const above = anchor.top - bounds.top;
  return menuHeight > below && above > below ? 'up' : 'down';
}

/** The visible part of the element's scrolling ancestors and the window. */
function visibleBounds(el: Element): Span {
  let top = 0;
  let bottom = window.innerHeight;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const oy = getComputedStyle(p).overflowY;
    if (oy === 'auto' || oy === 'scroll' || oy === 'hidden') {
      const r = p.getBoundingClientRect();
      top = Math.max(top, r.top);
      bottom = Math.min(bottom, r.bottom);
    }
  }
  return { top, bottom };
}

/** Measures the menu (ref) once it is open, relative to its anchor (the menu's parent). */
export function useMenuPlacement(open: boolean, menu: RefObject<HTMLElement | null>): Placement {
  const [placement, setPlacement] = useState<Placement>('down');
  useLayoutEffect(() => {
    const el = menu.current;
    const anchor = el?.parentElement;
    if (!open || !el || !anchor) {
      setPlacement('down');
      return;
    }
    setPlacement(menuPlacement(anchor.getBoundingClientRect(), el.getBoundingClientRect().height, visibleBounds(anchor)));
  }, [open, menu]);
  return placement;
}
