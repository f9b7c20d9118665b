// The chat pane, loaded after the first screen (lazyParts.ts).
export { Composer } from './features/composer/Composer';
export { History } from './features/history/History';
export { HistoryFilterBar } from './features/history/HistoryFilterBar';
