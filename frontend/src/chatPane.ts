// The chat pane and the card beside it (with its tasks), loaded after the first screen (lazyParts.ts).
export { Composer } from './features/composer/Composer';
export { History } from './features/history/History';
export { HistoryFilterBar } from './features/history/HistoryFilterBar';
export { ClaimControl, OwnerLine } from './features/claims/Claim';
export { DialoguePanel } from './features/dialogues/DialoguePanel';
export { TaskSection } from './features/tasks/TaskSection';
export { PresenceBar } from './features/presence/PresenceBar';
export { ClientPanel } from './features/card/ClientPanel';
