// The company's dialogue lists (types, reasons, components) for the window: asked once, then
// again only when the store reports they changed (dialogue_options.changed). A chat switch
// mounts a new dialogue panel and asks nothing; an admin's change in Settings takes the answer
// of the call that made it. The panel and Settings → Dialogues read the same copy.
import { useEffect, useRef } from 'react';
import { useStoreChanges, type ChangeSet } from '../../lib/changes';
import { dialoguesApi } from '../../lib/dialoguesApi';
import { createStore } from '../../lib/smallStore';
import type { DialogueOption } from '../../lib/types';

const optionsStore = createStore<{ options: DialogueOption[] | null }>({ options: null });

let inFlight: Promise<void> | null = null;
// The change set the last refresh answered: every reader hears the same coalesced set, and the
// first of them asks for all.
let answered: { change: ChangeSet; done: Promise<void> } | null = null;
// Each read and each answer of a change takes a number: a read that comes after a newer one, or
// after a change's answer, is dropped.
let generation = 0;

function fetchOptions(): Promise<void> {
  const mine = ++generation;
  const p = dialoguesApi.DialogueOptions().then((opts) => {
    if (mine === generation) optionsStore.set({ options: opts ?? [] });
  });
  inFlight = p;
  const clear = () => {
    if (inFlight === p) inFlight = null;
  };
  p.then(clear, clear);
  return p;
}

/** Go's order of the lists (store.DialogueOptions): kind, position, name, id. */
function byListOrder(a: DialogueOption, b: DialogueOption): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.position !== b.position) return a.position - b.position;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id - b.id;
}

/** An entry as a save answered it: added or renamed in the window's copy. */
export function optionSaved(o: DialogueOption): void {
  generation++;
  optionsStore.set((s) => ({ options: [...(s.options ?? []).filter((x) => x.id !== o.id), o].sort(byListOrder) }));
}

/** An entry removed by a delete that succeeded. */
export function optionDeleted(id: number): void {
  generation++;
  optionsStore.set((s) => ({ options: (s.options ?? []).filter((x) => x.id !== id) }));
}

/**
 * The lists, null until first known. onError hears a failed read (the copy stays unknown, so the
 * next reader mounted asks again).
 */
export function useDialogueOptions(onError: (e: unknown) => void): DialogueOption[] | null {
  const options = optionsStore.use((s) => s.options);
  const errorRef = useRef(onError);
  useEffect(() => {
    errorRef.current = onError;
  });
  useEffect(() => {
    if (optionsStore.get().options !== null) return;
    (inFlight ?? fetchOptions()).catch((e) => errorRef.current(e));
  }, []);
  useStoreChanges((c) => {
    if (!c.kinds.has('dialogue_options.changed')) return;
    if (answered?.change !== c) answered = { change: c, done: fetchOptions() };
    answered.done.catch((e) => errorRef.current(e));
  });
  return options;
}

/** Forgets the lists (tests: each starts from a window that has asked nothing). */
export function resetDialogueOptions(): void {
  generation++;
  inFlight = null;
  answered = null;
  optionsStore.reset();
}
