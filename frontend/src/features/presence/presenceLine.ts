// The words of the presence bar, as data: which sentence, with whose names. Pure, so the
// wording of every combination is tested without a window.
import type { Presence, PresenceState } from '../../lib/presenceApi';
import type { PresenceKey } from './presence-i18n';

export interface PresenceLines {
  /** Sentences to show, each a key and the names it lists (already joined). */
  lines: { key: PresenceKey; names: string }[];
  /** Others who have the chat open without typing or recording. */
  viewers: { id: number; name: string }[];
}

/**
 * What the bar says for a chat: mine is this desktop's state there, others the other managers'
 * presence in it, nameOf a manager's name ('' when unknown, worded as someone).
 */
export function presenceLines(mine: PresenceState, others: Presence[], nameOf: (id: number) => string, someone: string): PresenceLines {
  const name = (id: number) => nameOf(id).trim() || someone;
  const by = (state: Presence['state']) =>
    others
      .filter((p) => p.state === state)
      .map((p) => ({ id: p.managerId, name: name(p.managerId) }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const lines: PresenceLines['lines'] = [];
  const sentence = (who: { name: string }[], me: boolean, you: PresenceKey, youAnd: PresenceKey, one: PresenceKey, many: PresenceKey) => {
    const names = who.map((w) => w.name).join(', ');
    if (me) lines.push({ key: who.length ? youAnd : you, names });
    else if (who.length === 1) lines.push({ key: one, names });
    else if (who.length > 1) lines.push({ key: many, names });
  };
  sentence(by('typing'), mine === 'typing', 'presence.youTyping', 'presence.youAndTyping', 'presence.oneTyping', 'presence.manyTyping');
  sentence(by('recording'), mine === 'recording', 'presence.youRecording', 'presence.youAndRecording', 'presence.oneRecording', 'presence.manyRecording');
  return { lines, viewers: by('viewing') };
}
