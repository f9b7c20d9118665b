// Typed wrappers over the rich composer's Go bindings (app/compose.go, app/voice.go): drafts,
// chat templates, the message constructor, staged attachments and voice notes. Same pattern as
// api.ts: every call goes through window.go.app.App and a failure becomes an ApiError with the
// code app/errors.go gives it.
import { ApiError, BackendMissingError, toApiError } from './api';
import type { AttachmentKind, Message } from './types';

/** A chat's unsent text and unfinished constructor message (core.Draft). */
export interface Draft {
  chatId: number;
  text: string;
  /** JSON of ConstructorDraft, '' when there is none. */
  constructor: string;
  replyToId: number;
  updatedAt: number;
}

/** A chat template variable (core.Template). */
export interface Template {
  id: number;
  name: string;
  value: string;
}

export type PartKind = 'text' | 'image' | 'link' | 'video' | 'template' | 'file';

/** One block of the message constructor (inbox.Part). */
export interface Part {
  kind: PartKind;
  text: string;
  /** A staged file (StageUpload: bytes dropped or pasted; PickFiles: the native dialog Go opens). */
  path: string;
  url: string;
  name: string;
  mime: string;
  size: number;
}

/** A file copied into the data directory's uploads/, ready to send (inbox.Staged). */
export interface Staged {
  path: string;
  name: string;
  mime: string;
  size: number;
  kind: AttachmentKind;
}

/** "voice:level" (app.VoiceLevel), about 20 times a second while recording. */
export interface VoiceLevel {
  chatId: number;
  level: number;
  elapsedMs: number;
  maxMs: number;
}

/** "voice:auto" (app.VoiceAuto): the note hit its 5-minute limit and was sent by itself. */
export interface VoiceAuto {
  chatId: number;
  message: Message;
  error?: { code: string; message: string } | null;
}

type GoFn = (...args: unknown[]) => Promise<unknown>;

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const bound = window.go?.app?.App;
  if (!bound) throw new BackendMissingError();
  const fn = bound[method] as GoFn | undefined;
  if (!fn) throw new ApiError(method, method, 'not_available');
  try {
    return (await fn(...args)) as T;
  } catch (e) {
    throw toApiError(method, e);
  }
}

export const composeApi = {
  Draft: (chatId: number) => call<Draft>('Draft', chatId),
  SaveDraft: (chatId: number, text: string, constructor: string, replyToId: number) =>
    call<void>('SaveDraft', chatId, text, constructor, replyToId),
  Templates: async () => (await call<Template[] | null>('Templates')) ?? [],
  ExpandTemplate: (chatId: number, templateId: number) => call<string>('ExpandTemplate', chatId, templateId),
  SendParts: async (chatId: number, parts: Part[], replyToId: number) =>
    (await call<Message[] | null>('SendParts', chatId, parts, replyToId)) ?? [],
  SendAttachments: async (chatId: number, text: string, files: Staged[], replyToId: number) =>
    (await call<Message[] | null>('SendAttachments', chatId, text, files, replyToId)) ?? [],
  StageUpload: (name: string, mime: string, base64: string) => call<Staged>('StageUpload', name, mime, base64),
  PickFiles: async (title: string) => (await call<Staged[] | null>('PickFiles', title)) ?? [],
  DiscardStaged: (path: string) => call<void>('DiscardStaged', path),
  StartVoice: (chatId: number, replyToId: number) => call<void>('StartVoice', chatId, replyToId),
  StopVoice: () => call<Message>('StopVoice'),
  CancelVoice: () => call<void>('CancelVoice'),
};

export type ComposeApi = typeof composeApi;

function on<T>(name: string, cb: (data: T) => void): () => void {
  const rt = window.runtime;
  if (!rt) return () => undefined;
  const off = rt.EventsOn(name, (...data: unknown[]) => cb(data[0] as T));
  return typeof off === 'function' ? off : () => rt.EventsOff(name);
}

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
