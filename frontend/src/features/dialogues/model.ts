// Pure helpers of the dialogue panel: which dialogue the bar shows and what its ratings say.
import type { Dialogue, DialogueCycle, DialogueOption, DialogueOptionKind } from '../../lib/types';

/** The dialogue the bar shows: the newest one that is not closed, else the newest. */
export function currentDialogue(ds: Dialogue[]): Dialogue | null {
  return ds.find((d) => d.status !== 'closed') ?? ds[0] ?? null;
}

/** The dialogue's current (latest) cycle. */
export function currentCycle(d: Dialogue): DialogueCycle | null {
  const cs = d.cycles ?? [];
  return cs[cs.length - 1] ?? null;
}

/** What the client's rating of the current cycle is: a score, asked and unanswered, or none. */
export function clientRatingState(d: Dialogue): { kind: 'rated'; score: number } | { kind: 'asked' } | { kind: 'none' } {
  const c = currentCycle(d);
  if (c && c.clientRating > 0) return { kind: 'rated', score: c.clientRating };
  if (c && c.ratingRequestedAt > 0) return { kind: 'asked' };
  return { kind: 'none' };
}

/** The chat's dialogues with d as a call answered it: in its place, or first when new (newest first). */
export function withDialogue(ds: Dialogue[], d: Dialogue): Dialogue[] {
  return ds.some((x) => x.id === d.id) ? ds.map((x) => (x.id === d.id ? d : x)) : [d, ...ds];
}

/** The names of one list, in the admin's order. */
export function optionNames(opts: DialogueOption[], kind: DialogueOptionKind): string[] {
  return opts.filter((o) => o.kind === kind).map((o) => o.name);
}

/** A list's names plus those the dialogue already holds (an entry removed later stays pickable). */
export function withKept(names: string[], kept: string[] | null | undefined): string[] {
  const out = [...names];
  for (const n of kept ?? []) if (n && !out.includes(n)) out.push(n);
  return out;
}
