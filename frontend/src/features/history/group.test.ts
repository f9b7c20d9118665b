import { describe, expect, it } from 'vitest';
import type { Message } from '../../lib/types';
import { inTimeZone } from '../../test/tz';
import { buildHistoryItems, endMoved, mergeNewest } from './group';

function msg(id: number, createdAt: number, text = `m${id}`): Message {
  return {
    id,
    chatId: 1,
    kind: 'message',
    externalId: String(id),
    sender: 'client',
    senderName: '',
    managerId: 0,
    text,
    attachments: null,
    replyToId: 0,
    status: 'received',
    error: '',
    edited: false,
    deleted: false,
    createdAt,
    editedAt: 0,
  };
}

const day = (d: number, h: number) => Date.UTC(2026, 10, d, h, 0);

describe('buildHistoryItems', () => {
  it('puts a day separator before the first message of each day', () => {
    const items = buildHistoryItems([msg(1, day(19, 10)), msg(2, day(19, 23)), msg(3, day(20, 1)), msg(4, day(21, 9))]);
    expect(items.map((i) => (i.type === 'day' ? `D${i.day}` : `M${i.message.id}`))).toEqual([
      'D2026-11-19',
      'M1',
      'M2',
      'D2026-11-20',
      'M3',
      'D2026-11-21',
      'M4',
    ]);
    // Keys are unique so the virtualiser can cache measured heights.
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
  });
  it("splits days in the machine's time zone", () => {
    const items = inTimeZone('Europe/Moscow', () => buildHistoryItems([msg(1, day(19, 20)), msg(2, day(19, 22))]));
    expect(items.filter((i) => i.type === 'day')).toHaveLength(2);
  });
  it('returns nothing for an empty history', () => {
    expect(buildHistoryItems([])).toEqual([]);
  });
});

describe('mergeNewest', () => {
  it('keeps older pages and replaces the overlapping newest page', () => {
    const loaded = [msg(1, 1), msg(2, 2), msg(3, 3), msg(4, 4)];
    const newest = [msg(3, 3, 'edited'), msg(4, 4), msg(5, 5)];
    const merged = mergeNewest(loaded, newest);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
    expect(merged[2]!.text).toBe('edited');
  });
  it('appends a newest page that starts after everything loaded', () => {
    const merged = mergeNewest([msg(1, 1), msg(2, 2)], [msg(7, 7), msg(8, 8)]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 7, 8]);
  });
  it('changes nothing for an empty page', () => {
    const loaded = [msg(1, 1)];
    expect(mergeNewest(loaded, [])).toBe(loaded);
  });
});

describe('endMoved', () => {
  const loaded = [msg(1, day(19, 10)), msg(2, day(19, 11))];
  it('is true when the newest page ends with a message not loaded yet', () => {
    expect(endMoved(loaded, [msg(2, day(19, 11)), msg(3, day(19, 12))])).toBe(true);
  });
  it('is false when only known messages changed (a status, an edit)', () => {
    expect(endMoved(loaded, [msg(1, day(19, 10)), { ...msg(2, day(19, 11)), edited: true }])).toBe(false);
    expect(endMoved(loaded, [])).toBe(false);
  });
});
