// The composer with its rich parts mounted, over a fake window.go that records calls the way
// the Go bindings answer them.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import { managerMessage } from '../../test/messages';
import { Composer } from './Composer';
import { setValue } from '../../test/fields';
import { fakeGo } from '../../test/bindings';

const message = managerMessage;

let calls: [string, unknown[]][] = [];
let drafts: Record<number, { text: string; constructor: string }> = {};

beforeEach(() => {
  calls = [];
  drafts = { 3: { text: 'Hello ', constructor: '' } };
  const fn = (name: string, impl: (...a: never[]) => unknown) =>
    vi.fn(async (...a: unknown[]) => {
      calls.push([name, a]);
      return (impl as (...x: unknown[]) => unknown)(...a);
    });
  window.go = fakeGo({
    Draft: fn('Draft', (chatId: number) => ({ chatId, replyToId: 0, updatedAt: 0, ...(drafts[chatId] ?? { text: '', constructor: '' }) })),
    SaveDraft: fn('SaveDraft', (chatId: number, text: string, constructor: string) => {
      drafts[chatId] = { text, constructor };
    }),
    Templates: fn('Templates', () => [{ id: 1, name: 'Hi', value: 'Hi, {first_name}!' }]),
    ExpandTemplate: fn('ExpandTemplate', () => 'Hi, Anna!'),
    StageUpload: fn('StageUpload', (name: string, mime: string) => ({ path: `/d/uploads/x-${name}`, name, mime, size: 3, kind: 'photo' })),
    SendAttachments: fn('SendAttachments', () => [message({ id: 9 })]),
    SendText: fn('SendText', () => message({ id: 8 })),
    DiscardStaged: fn('DiscardStaged', () => undefined),
  });
});
afterEach(() => {
  delete window.go;
});

function renderComposer(onSent = vi.fn()) {
  render(
    <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
      <Composer
        chatId={3}
        channelKind="telegram"
        replyTo={null}
        replyName=""
        onCancelReply={vi.fn()}
        onSent={onSent}
        onMarkRead={vi.fn()}
        onNote={vi.fn()}
        unread={0}
      />
    </I18nProvider>,
  );
  return onSent;
}

describe('Composer with drafts, templates and attachments', () => {
  it('restores the draft, inserts a template at the caret and saves the draft', async () => {
    renderComposer();
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await waitFor(() => expect(ta.value).toBe('Hello '));
    ta.setSelectionRange(6, 6);
    fireEvent.click(screen.getByTestId('templates-button'));
    fireEvent.click(await screen.findByTestId('template-item'));
    await waitFor(() => expect(ta.value).toBe('Hello Hi, Anna!'));
    await waitFor(() => expect(drafts[3]?.text).toBe('Hello Hi, Anna!'), { timeout: 2000 });
  });

  it('sends a pasted image with the text as caption and clears the draft', async () => {
    const onSent = renderComposer();
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await waitFor(() => expect(ta.value).toBe('Hello '));
    const file = new File([new Uint8Array([1, 2, 3])], 'image.png', { type: 'image/png' });
    fireEvent.paste(ta, { clipboardData: { files: [file] } });
    await screen.findByTestId('tray-item');
    setValue(ta, 'look at this');
    fireEvent.keyDown(ta, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(onSent).toHaveBeenCalledWith(expect.objectContaining({ id: 9 })));
    const send = calls.find(([n]) => n === 'SendAttachments');
    expect(send?.[1]).toEqual([3, 'look at this', [{ path: '/d/uploads/x-image.png', name: 'image.png', mime: 'image/png', size: 3, kind: 'photo' }], 0]);
    expect(screen.queryByTestId('tray-item')).toBeNull();
    expect(ta.value).toBe('');
    await act(async () => {
      await Promise.resolve();
    });
    expect(drafts[3]?.text).toBe('');
  });

  it('Enter makes a new line; only Ctrl+Enter sends', async () => {
    renderComposer();
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await waitFor(() => expect(ta.value).toBe('Hello '));
    fireEvent.keyDown(ta, { key: 'Enter' });
    expect(calls.some(([n]) => n === 'SendText')).toBe(false);
    fireEvent.keyDown(ta, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(calls.find(([n]) => n === 'SendText')?.[1]).toEqual([3, 'Hello', 0]));
  });
});
