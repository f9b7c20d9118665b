// Above the composer: "You are typing…", "You, Anna are typing…", "Anna is recording a voice
// note…", and who else has this chat open ("Also viewing: Bob"). It also tells Go what this
// desktop's manager does in the chat (team mode passes it to the other desktops; solo ignores
// it). Names are text: a hostile manager name is shown as typed.
import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { Avatar } from '../../lib/Avatar';
import { useWords } from '../../lib/i18n';
import { presenceApi, type PresenceState } from '../../lib/presenceApi';
import type { Manager } from '../../lib/types';
import { useLocalState } from './localPresence';
import { presenceWords } from './presence-i18n';
import { presenceLines } from './presenceLine';
import { usePresenceOf } from './presenceStore';
import './presence.css';

/** How often a lasting state is told again (teamwire.PresenceRefreshActive/Viewing). */
export const REFRESH_MS: Record<PresenceState, number> = { typing: 2000, recording: 2000, viewing: 10000, idle: 0 };

type Report = (chatId: number, state: PresenceState) => void;

const reportToGo: Report = (chatId, state) => void presenceApi.SetPresence(chatId, state).catch(() => undefined);

/** Tells Go this desktop's state in chatId on every change and again while it lasts; idle when the bar goes. */
export function useReportPresence(chatId: number, state: PresenceState, report: Report = reportToGo): void {
  const last = useRef(chatId);
  last.current = chatId;
  useEffect(() => {
    report(chatId, state);
    if (state === 'idle') return; // nothing lasts to be told again
    const t = setInterval(() => report(chatId, state), REFRESH_MS[state]);
    return () => clearInterval(t);
  }, [chatId, state, report]);
  useEffect(() => () => report(last.current, 'idle'), [report]);
}

const onVisibility = (cb: () => void) => {
  document.addEventListener('visibilitychange', cb);
  return () => document.removeEventListener('visibilitychange', cb);
};

/** Whether the window is shown: hidden (minimised, closed to the tray) nobody is viewing. */
function useWindowShown(): boolean {
  return useSyncExternalStore(onVisibility, () => document.visibilityState !== 'hidden');
}

export function PresenceBar({ chatId, managers }: { chatId: number; managers: Map<number, Manager> }): ReactNode {
  const { t } = useWords(presenceWords);
  const mine = useLocalState(chatId);
  useReportPresence(chatId, useWindowShown() ? mine : 'idle');
  const others = usePresenceOf(chatId);
  const { lines, viewers } = presenceLines(mine, others, (id) => managers.get(id)?.name ?? '', t('presence.someone'));
  if (lines.length === 0 && viewers.length === 0) return null;
  // The anchor takes no height: the bar floats over the bottom of the history, so starting and
  // stopping to type never moves the messages.
  return (
    <div className="presence-anchor">
      <div className="presence-bar" role="status" aria-label={t('presence.label')} data-testid="presence-bar">
        {lines.map((l) => (
          <span key={l.key} className="presence-line" data-testid="presence-line" data-key={l.key}>
            {t(l.key, { names: l.names })}
          </span>
        ))}
        {viewers.length > 0 && (
          <span className="presence-viewers" data-testid="presence-viewers">
            {t('presence.alsoViewing')}
            {viewers.map((v) => (
              <span key={v.id} className="presence-viewer" data-testid="presence-viewer">
                <Avatar id={v.id} name={v.name} size={18} />
                {v.name}
              </span>
            ))}
          </span>
        )}
      </div>
    </div>
  );
}
