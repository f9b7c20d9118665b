// A manager's queued message as Go sends it, for UI tests; patch what the test is about.
import type { Message } from '../lib/types';

export function managerMessage(patch: Partial<Message> = {}): Message {
  return {
    id: 1,
    chatId: 3,
    kind: 'message',
    externalId: '',
    sender: 'manager',
    senderName: 'me',
    managerId: 1,
    text: '',
    attachments: null,
    replyToId: 0,
    status: 'queued',
    error: '',
    edited: false,
    deleted: false,
    createdAt: 1,
    editedAt: 0,
    ...patch,
  };
}
