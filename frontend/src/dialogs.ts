// Dialogs of the workspace and the list's filter panel (opened on demand), loaded after the first
// screen (lazyParts.ts).
export { FullCard } from './features/card/FullCard';
export { NoteForm } from './features/composer/NoteForm';
export { FilterPanel } from './features/list/FilterPanel';
