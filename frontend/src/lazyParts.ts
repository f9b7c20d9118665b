// What the first screen does not show is loaded after it: the chat pane (history, composer, the
// chat's owner and dialogue) and the card with its tasks appear once a chat is opened; the full
// card and the note form are dialogs; the list's filter panel opens on a click; the error table's
// words show only with an error (lib/errorsLater.ts). The people list then parses and renders
// without them at start-up; preloadLaterParts fetches them right after the first paint, so they
// are usually in place before the first click.
import { lazy } from 'react';
import { loadErrors } from './lib/errorsLater';

const chatPane = () => import('./chatPane');
const dialogs = () => import('./dialogs');

export const History = lazy(() => chatPane().then((m) => ({ default: m.History })));
export const HistoryFilterBar = lazy(() => chatPane().then((m) => ({ default: m.HistoryFilterBar })));
export const Composer = lazy(() => chatPane().then((m) => ({ default: m.Composer })));
export const ClaimControl = lazy(() => chatPane().then((m) => ({ default: m.ClaimControl })));
export const OwnerLine = lazy(() => chatPane().then((m) => ({ default: m.OwnerLine })));
export const DialoguePanel = lazy(() => chatPane().then((m) => ({ default: m.DialoguePanel })));
export const TaskSection = lazy(() => chatPane().then((m) => ({ default: m.TaskSection })));
export const PresenceBar = lazy(() => chatPane().then((m) => ({ default: m.PresenceBar })));
export const ClientPanel = lazy(() => chatPane().then((m) => ({ default: m.ClientPanel })));
export const FullCard = lazy(() => dialogs().then((m) => ({ default: m.FullCard })));
export const NoteForm = lazy(() => dialogs().then((m) => ({ default: m.NoteForm })));
export const FilterPanel = lazy(() => dialogs().then((m) => ({ default: m.FilterPanel })));

export function preloadLaterParts(): void {
  void loadErrors();
  void chatPane();
  void dialogs();
}
