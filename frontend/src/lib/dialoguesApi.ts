// Typed calls of dialogues (app/dialogues.go): the chat's dialogue panel (Workspace) and the
// admin's lists of types, reasons and components (Settings).
import { call } from './api';
import type { Dialogue, DialogueInput, DialogueOption, DialogueStatus } from './types';

export const dialoguesApi = {
  ChatDialogues: (chatId: number) => call<Dialogue[] | null>('Workspace', 'ChatDialogues', chatId),
  CreateDialogue: (chatId: number, d: DialogueInput) => call<Dialogue>('Workspace', 'CreateDialogue', chatId, d),
  EditDialogue: (id: number, d: DialogueInput) => call<Dialogue>('Workspace', 'EditDialogue', id, d),
  SetDialogueStatus: (id: number, status: DialogueStatus) => call<Dialogue>('Workspace', 'SetDialogueStatus', id, status),
  /** A non-empty ratingText also sends the client a 1–5 rating request. */
  CloseDialogue: (id: number, ratingText: string) => call<Dialogue>('Workspace', 'CloseDialogue', id, ratingText),
  ReopenDialogue: (id: number) => call<Dialogue>('Workspace', 'ReopenDialogue', id),
  RateClient: (id: number, score: number) => call<Dialogue>('Workspace', 'RateClient', id, score),
  DialogueOptions: () => call<DialogueOption[] | null>('Settings', 'DialogueOptions'),
  SaveDialogueOption: (o: Pick<DialogueOption, 'id' | 'kind' | 'name'>) => call<DialogueOption>('Settings', 'SaveDialogueOption', o),
  DeleteDialogueOption: (id: number) => call<void>('Settings', 'DeleteDialogueOption', id),
};

export type DialoguesApi = typeof dialoguesApi;
