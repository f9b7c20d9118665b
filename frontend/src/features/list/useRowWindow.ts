// Which rows of the people list are in the DOM. Every row has the same height (ROW_HEIGHT), so
// the rows in view follow from the scroll position and the viewport's height alone: nothing is
// measured per row. It stands in for a general virtualiser here because of the start-up, where
// JavaScriptCore runs with its JIT off and every function called and every byte parsed costs
// interpreter time:
//   - the first render already holds the rows in view: until a ResizeObserver reports the list's
//     real height (after the first layout, before the paint) the window's height stands in for
//     it, so there is no forced synchronous layout and no second render before the first paint;
//   - the general virtualiser (30 KB minified) stays out of the first screen's script; the chat
//     history, whose messages differ in height, still uses it in the chat pane's chunk.
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/** Rows first..last (inclusive, before clamping to the list's length) are in the DOM. */
interface Span {
  first: number;
  last: number;
}

function spanAt(top: number, height: number, rowHeight: number, overscan: number): Span {
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.max(first, Math.ceil((top + height) / rowHeight) - 1 + overscan);
  return { first, last };
}

export interface RowWindow {
  /** The indexes of the rows to render, in order. */
  indexes: number[];
  /** The first and last rendered index (last is -1 when none). */
  first: number;
  last: number;
  /** The height of all rows together (the scroll content's height). */
  totalHeight: number;
  /** Scrolls the least distance that brings row i fully into view. */
  scrollToIndex: (i: number) => void;
}

export function useRowWindow(scrollRef: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number): RowWindow {
  // The first render holds only the rows in view: the overscan rows come with the first scroll,
  // so the first frame lays out and paints no row nobody sees.
  const [span, setSpan] = useState<Span>(() => spanAt(0, typeof window === 'undefined' ? 0 : window.innerHeight, rowHeight, 0));

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      const next = spanAt(el.scrollTop, el.clientHeight, rowHeight, overscan);
      setSpan((cur) => (cur.first === next.first && cur.last === next.last ? cur : next));
    };
    // A resize changes the span only when it no longer covers the rows in view (the real height
    // under the window's stand-in at start keeps the rows it has: dropping them, or adding the
    // overscan, would cost a render and a layout in the first frame). Any scroll recomputes it.
    const onResize = () => {
      const inView = spanAt(el.scrollTop, el.clientHeight, rowHeight, 0);
      setSpan((cur) => (inView.first >= cur.first && inView.last <= cur.last ? cur : spanAt(el.scrollTop, el.clientHeight, rowHeight, overscan)));
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(onResize);
    resized?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resized?.disconnect();
    };
  }, [scrollRef, rowHeight, overscan]);

  const scrollToIndex = useCallback(
    (i: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const top = i * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [scrollRef, rowHeight],
  );

  const first = Math.min(span.first, count);
  const last = Math.min(span.last, count - 1);
  const indexes: number[] = [];
  for (let i = first; i <= last; i++) indexes.push(i);
  return { indexes, first, last, totalHeight: count * rowHeight, scrollToIndex };
}
