import { act, fireEvent, render } from '@testing-library/react';
import { useRef } from 'react';
import { describe, expect, it } from 'vitest';
import { useRowWindow, type RowWindow } from './useRowWindow';

const ROW = 64;
let last: RowWindow | null = null;

function List({ count, overscan = 2 }: { count: number; overscan?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const w = useRowWindow(ref, count, ROW, overscan);
  last = w;
  return (
    <div ref={ref} data-testid="scroller">
      <div style={{ height: w.totalHeight }}>
        {w.indexes.map((i) => (
          <div key={i} data-testid="row">
            {i}
          </div>
        ))}
      </div>
    </div>
  );
}

/** jsdom lays nothing out: give the scroller the size and position a browser would. */
function sizeScroller(el: HTMLElement, height: number, top: number) {
  Object.defineProperty(el, 'clientHeight', { configurable: true, value: height });
  Object.defineProperty(el, 'scrollTop', { configurable: true, writable: true, value: top });
}

describe('useRowWindow', () => {
  it('renders the rows of a window-high viewport in the first render, no measuring first', () => {
    const { getAllByTestId } = render(<List count={1000} />);
    const expected = Math.ceil(window.innerHeight / ROW); // the overscan comes with the first scroll
    expect(getAllByTestId('row')).toHaveLength(expected);
    expect(last?.first).toBe(0);
    expect(last?.last).toBe(expected - 1);
    expect(last?.totalHeight).toBe(1000 * ROW);
  });

  it('never renders past the end of a short list', () => {
    const { getAllByTestId } = render(<List count={3} />);
    expect(getAllByTestId('row').map((r) => r.textContent)).toEqual(['0', '1', '2']);
    render(<List count={0} />);
    expect(last?.indexes).toEqual([]);
    expect(last?.last).toBe(-1);
  });

  it('follows the scroll position with the real viewport height', () => {
    const { getByTestId, getAllByTestId } = render(<List count={1000} />);
    const el = getByTestId('scroller');
    sizeScroller(el, 320, 100 * ROW);
    act(() => {
      fireEvent.scroll(el);
    });
    // rows 100..104 are in view; two more on each side
    expect(getAllByTestId('row').map((r) => Number(r.textContent))).toEqual([98, 99, 100, 101, 102, 103, 104, 105, 106]);
  });

  it('scrolls the least distance that brings a row into view', () => {
    const { getByTestId } = render(<List count={1000} />);
    const el = getByTestId('scroller');
    sizeScroller(el, 320, 0);
    act(() => last?.scrollToIndex(2)); // already in view: stays
    expect(el.scrollTop).toBe(0);
    act(() => last?.scrollToIndex(10)); // below: its bottom edge at the viewport's bottom
    expect(el.scrollTop).toBe(11 * ROW - 320);
    act(() => last?.scrollToIndex(1)); // above: its top edge at the viewport's top
    expect(el.scrollTop).toBe(ROW);
  });
});
