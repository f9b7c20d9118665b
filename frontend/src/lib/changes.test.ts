import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChangeCoalescer, type ChangeSet } from './changes';

describe('ChangeCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns a burst of events into one change set', () => {
    const c = new ChangeCoalescer(50);
    const got: ChangeSet[] = [];
    c.subscribe((s) => got.push(s));
    c.push({ seq: 1, kinds: ['message.new'], chatIds: [1], personIds: [10] });
    c.push({ seq: 2, kinds: ['chat.changed'], chatIds: [2, 1], personIds: null });
    c.push({ seq: 3, kinds: null, chatIds: null, personIds: [11] });
    expect(got).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(got).toHaveLength(1);
    expect([...got[0]!.chatIds].sort()).toEqual([1, 2]);
    expect([...got[0]!.personIds].sort()).toEqual([10, 11]);
    expect([...got[0]!.kinds].sort()).toEqual(['chat.changed', 'message.new']);
    c.push({ seq: 4, kinds: ['x'], chatIds: [3], personIds: [] });
    vi.advanceTimersByTime(50);
    expect(got).toHaveLength(2);
  });

  it('drops pending changes when stopped', () => {
    const c = new ChangeCoalescer(50);
    const cb = vi.fn();
    c.subscribe(cb);
    c.push({ seq: 1, kinds: ['a'], chatIds: [1], personIds: [] });
    c.stop();
    vi.advanceTimersByTime(100);
    expect(cb).not.toHaveBeenCalled();
  });
});
