// Turns oldest-first messages into the rows the history renders: a day separator before the
// first message of each calendar day, then the messages.
import { dayKey } from '../../lib/format';
import type { Message } from '../../lib/types';

export type HistoryItem = { type: 'day'; key: string; day: string; at: number } | { type: 'msg'; key: string; message: Message };

export function buildHistoryItems(messages: Message[]): HistoryItem[] {
  const out: HistoryItem[] = [];
  let prevDay = '';
  for (const m of messages) {
    const d = dayKey(m.createdAt);
    if (d !== prevDay) {
      out.push({ type: 'day', key: `day-${d}`, day: d, at: m.createdAt });
      prevDay = d;
    }
    out.push({ type: 'msg', key: `m-${m.id}`, message: m });
  }
  return out;
}

/** mergeNewest folds a freshly fetched newest page into the loaded history, keeping older pages. */
export function mergeNewest(loaded: Message[], newest: Message[]): Message[] {
  if (newest.length === 0) return loaded;
  const first = newest[0];
  if (!first) return loaded;
  const idx = loaded.findIndex((m) => m.id === first.id);
  let head: Message[];
  if (idx >= 0) head = loaded.slice(0, idx);
  else {
    // The fetched page starts after everything we have (many new messages): keep what is older.
    const ids = new Set(newest.map((m) => m.id));
    head = loaded.filter((m) => !ids.has(m.id) && m.createdAt <= first.createdAt);
  }
  return head.concat(newest);
}

/** endMoved tells whether a freshly fetched newest page ends with a message the loaded history
 * does not have yet: something arrived at the end. */
export function endMoved(loaded: Message[], newest: Message[]): boolean {
  const last = newest[newest.length - 1];
  return !!last && !loaded.some((m) => m.id === last.id);
}
