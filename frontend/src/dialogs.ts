// Dialogs of the workspace, loaded after the first screen (lazyParts.ts).
export { FullCard } from './features/card/FullCard';
export { NoteForm } from './features/composer/NoteForm';
