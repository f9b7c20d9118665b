// The right pane: the open person's quick card with its actions, or an empty pane. The card is
// (re)loaded by useCardSync when the person changes or the store reports a change to them.
import { Suspense, useEffect } from 'react';
import { api } from '../../lib/api';
import { useStoreChanges } from '../../lib/changes';
import { useI18n } from '../../lib/i18n';
import { useReportError } from '../../lib/toast';
import type { Manager } from '../../lib/types';
import { loadCard, workspace } from '../workspace/store';
import { ClientPanel } from '../../lazyParts';

/** Keeps the workspace's card the open person's, fresh after every change to them. */
export function useCardSync(): void {
  const report = useReportError();
  const personId = workspace.use((s) => s.sel?.personId ?? 0);
  useEffect(() => {
    if (personId) loadCard(personId).catch(report);
  }, [personId, report]);
  useStoreChanges((c) => {
    const sel = workspace.get().sel;
    if (sel && (c.personIds.has(sel.personId) || c.chatIds.has(sel.chatId))) loadCard(sel.personId).catch(report);
  });
}

export function CardPane({ me, managers }: { me: Manager; managers: Manager[] }) {
  const { t } = useI18n();
  const report = useReportError();
  const sel = workspace.use((s) => s.sel);
  const card = workspace.use((s) => s.card);
  const empty = <aside className="pane pane-card pane-empty" aria-label={t('card.label')} />;
  if (!sel || !card || card.person.id !== sel.personId) return empty;
  const personId = sel.personId;
  const chatId = sel.chatId;
  const personAction = (fn: (id: number, on: boolean) => Promise<void>) => (on: boolean) => {
    fn(personId, on)
      .then(() => loadCard(personId))
      .catch(report);
  };
  const chatAction = (fn: (id: number, off: boolean) => Promise<void>) => (off: boolean) => {
    fn(chatId, off)
      .then(() => loadCard(personId))
      .catch(report);
  };
  // The card's code comes with the chat pane's, after the first paint (lazyParts.ts).
  return (
    <Suspense fallback={empty}>
      <ClientPanel
        card={card}
        me={me}
        managers={managers}
        onChanged={() => void loadCard(personId).catch(report)}
        chat={(card.chats ?? []).find((c) => c.id === chatId)}
        onOpenFull={() => workspace.set({ fullOpen: true })}
        onArchive={personAction(api.SetArchived)}
        onBlacklist={personAction(api.SetBlacklisted)}
        onTunnelOff={chatAction(api.SetTunnelOff)}
        onBotOff={chatAction(api.SetBotOff)}
      />
    </Suspense>
  );
}
