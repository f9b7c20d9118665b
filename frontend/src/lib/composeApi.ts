// Typed calls of the rich composer's Go service (app/compose.go, app/voice.go: window.go.app.
// Composer): drafts, chat templates, the message constructor, staged attachments and voice notes.
// Over the one call/on of api.ts; the shapes are in types.ts.
import { call, on } from './api';
import type { Draft, Message, Part, Staged, Template, VoiceAuto, VoiceLevel } from './types';

export type { Draft, Part, PartKind, Staged, Template, VoiceAuto, VoiceLevel } from './types';

export const composeApi = {
  Draft: (chatId: number) => call<Draft>('Composer', 'Draft', chatId),
  SaveDraft: (chatId: number, text: string, constructor: string, replyToId: number) =>
    call<void>('Composer', 'SaveDraft', chatId, text, constructor, replyToId),
  Templates: async () => (await call<Template[] | null>('Composer', 'Templates')) ?? [],
  ExpandTemplate: (chatId: number, templateId: number) => call<string>('Composer', 'ExpandTemplate', chatId, templateId),
  SendParts: async (chatId: number, parts: Part[], replyToId: number) =>
    (await call<Message[] | null>('Composer', 'SendParts', chatId, parts, replyToId)) ?? [],
  SendAttachments: async (chatId: number, text: string, files: Staged[], replyToId: number) =>
    (await call<Message[] | null>('Composer', 'SendAttachments', chatId, text, files, replyToId)) ?? [],
  StageUpload: (name: string, mime: string, base64: string) => call<Staged>('Composer', 'StageUpload', name, mime, base64),
  PickFiles: async (title: string) => (await call<Staged[] | null>('Composer', 'PickFiles', title)) ?? [],
  DiscardStaged: (path: string) => call<void>('Composer', 'DiscardStaged', path),
  StartVoice: (chatId: number, replyToId: number) => call<void>('Composer', 'StartVoice', chatId, replyToId),
  StopVoice: () => call<Message>('Composer', 'StopVoice'),
  CancelVoice: () => call<void>('Composer', 'CancelVoice'),
};

export type ComposeApi = typeof composeApi;

export const composeEvents = {
  onVoiceLevel: (cb: (e: VoiceLevel) => void) => on<VoiceLevel>('voice:level', cb),
  onVoiceAuto: (cb: (e: VoiceAuto) => void) => on<VoiceAuto>('voice:auto', cb),
};

/** The URL the app serves a stored attachment's file under (app.MediaMiddleware). */
export function mediaURL(messageId: number, index: number): string {
  return `/media/${messageId}/${index}`;
}

/** Reads a File as base64 (no data: prefix) for StageUpload. */
export function fileToBase64(f: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.onload = () => {
      const s = String(r.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.readAsDataURL(f);
  });
}
