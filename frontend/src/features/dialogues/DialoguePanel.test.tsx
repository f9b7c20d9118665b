import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Dialogue, DialogueInput, DialogueOption, Manager } from '../../lib/types';
import { fakeGo } from '../../test/bindings';
import { DialoguePanel } from './DialoguePanel';
import { DialogueListsSection } from './DialogueListsSection';
import { resetDialogueOptions } from './optionsStore';

const me: Manager = { id: 1, name: 'Anna Manager', avatarUrl: '', isMe: true };
const managers = new Map([[1, me]]);
const HOSTILE = '<img src=x onerror=alert(1)>Refund';

const options: DialogueOption[] = [
  { id: 1, kind: 'type', name: HOSTILE, position: 1 },
  { id: 2, kind: 'type', name: 'Billing', position: 2 },
  { id: 3, kind: 'reason', name: 'Double charge', position: 1 },
  { id: 4, kind: 'component', name: 'Checkout', position: 1 },
];

function cycle(patch: Partial<NonNullable<Dialogue['cycles']>[number]> = {}) {
  return {
    id: 70,
    dialogueId: 7,
    number: 1,
    openedAt: 1,
    openedBy: 1,
    closedAt: 0,
    closedBy: 0,
    ratingRequestedAt: 0,
    ratingMessageId: 0,
    clientRating: 0,
    clientRatedAt: 0,
    managerRating: 0,
    managerRatedAt: 0,
    ...patch,
  };
}

function dialogue(patch: Partial<Dialogue> = {}): Dialogue {
  return {
    id: 7,
    chatId: 42,
    type: HOSTILE,
    status: 'open',
    clientRating: 0,
    managerRating: 0,
    createdAt: 1,
    closedAt: 0,
    reasons: ['Double charge'],
    components: ['Checkout'],
    managers: [1],
    cycles: [cycle()],
    ...patch,
  };
}

/** A backend double holding the chat's dialogues; it records the calls the panel makes. */
function backend(initial: Dialogue[]) {
  const state = { dialogues: initial, calls: [] as [string, ...unknown[]][], loads: 0, optionLoads: 0 };
  const listeners: ((e: unknown) => void)[] = [];
  window.go = fakeGo({
    ChatDialogues: async () => {
      state.loads++;
      return state.dialogues;
    },
    DialogueOptions: async () => {
      state.optionLoads++;
      return options;
    },
    CreateDialogue: async (chatId: number, input: DialogueInput) => {
      state.calls.push(['CreateDialogue', chatId, input]);
      const d = dialogue({ type: input.type, reasons: input.reasons, components: input.components, status: input.status || 'open' });
      state.dialogues = [d];
      return d;
    },
    CloseDialogue: async (id: number, text: string) => {
      state.calls.push(['CloseDialogue', id, text]);
      state.dialogues = [dialogue({ status: 'closed', cycles: [cycle({ closedAt: 5, ratingRequestedAt: text ? 5 : 0 })] })];
      return state.dialogues[0];
    },
    RateClient: async (id: number, score: number) => {
      state.calls.push(['RateClient', id, score]);
      state.dialogues = [dialogue({ managerRating: score, cycles: [cycle({ managerRating: score })] })];
      return state.dialogues[0];
    },
    SetDialogueStatus: async (id: number, status: string) => {
      state.calls.push(['SetDialogueStatus', id, status]);
      state.dialogues = [dialogue({ status: status as Dialogue['status'] })];
      return state.dialogues[0];
    },
  });
  window.runtime = {
    EventsOn: (_name: string, cb: (...d: unknown[]) => void) => {
      listeners.push((e) => cb(e));
      return () => undefined;
    },
    EventsOff: () => undefined,
  };
  return { state, emit: (e: unknown) => listeners.forEach((l) => l(e)) };
}

function panelOf(chatId: number, locale: 'en' | 'ru' = 'en') {
  // Keyed by the chat, as the chat pane mounts it: a switch is a new panel.
  return (
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <DialoguePanel key={chatId} chatId={chatId} me={me} managers={managers} />
    </I18nProvider>
  );
}

function renderPanel(locale: 'en' | 'ru' = 'en') {
  return render(panelOf(42, locale));
}

/** Past the store's grouping of changes (50 ms) and the calls it starts. */
const grouped = () => act(() => new Promise((r) => setTimeout(r, 120)));

afterEach(() => {
  delete window.go;
  delete window.runtime;
  resetDialogueOptions();
});

describe('DialoguePanel', () => {
  it('creates a dialogue from the admin’s lists, showing their names as text', async () => {
    const be = backend([]);
    const { container } = renderPanel();
    await waitFor(() => expect(screen.getByTestId('dialogue-bar').textContent).toContain('No dialogue in this chat'));
    fireEvent.click(screen.getByTestId('dialogue-new'));
    const form = screen.getByTestId('dialogue-form');
    fireEvent.change(within(form).getByTestId('dialogue-type'), { target: { value: HOSTILE } });
    fireEvent.click(within(within(form).getByTestId('dialogue-reasons')).getByLabelText('Double charge'));
    fireEvent.change(within(form).getByTestId('dialogue-status-new'), { target: { value: 'waiting' } });
    fireEvent.click(within(form).getByTestId('dialogue-save'));
    await waitFor(() => expect(screen.queryByTestId('dialogue-form')).toBeNull());
    expect(be.state.calls[0]).toEqual(['CreateDialogue', 42, { type: HOSTILE, reasons: ['Double charge'], components: [], status: 'waiting', managers: [1] }]);
    await waitFor(() => expect(screen.getByTestId('dialogue-type-shown').textContent).toBe(HOSTILE));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('dialogue-managers-shown').textContent).toBe('Anna Manager');
  });

  it('closes with a rating request whose text the manager may change, or without one', async () => {
    const be = backend([dialogue()]);
    renderPanel();
    fireEvent.click(await screen.findByTestId('dialogue-close'));
    const text = screen.getByTestId('dialogue-request-text') as HTMLTextAreaElement;
    expect(text.value).toContain('tap 1 (bad) to 5 (excellent)');
    fireEvent.input(text, { target: { value: 'Rate us, please' } });
    fireEvent.click(screen.getByTestId('dialogue-close-confirm'));
    await waitFor(() => expect(be.state.calls).toEqual([['CloseDialogue', 7, 'Rate us, please']]));
    await waitFor(() => expect(screen.getByTestId('dialogue-bar').getAttribute('data-status')).toBe('closed'));
    expect(screen.getByTestId('dialogue-client-rating').textContent).toBe('asked, no answer yet');
    expect(screen.getByTestId('dialogue-reopen')).toBeTruthy();

    be.state.calls = [];
    be.state.dialogues = [dialogue()];
    be.emit({ seq: 2, kinds: ['dialogue.changed'], chatIds: [42], personIds: [] });
    fireEvent.click(await screen.findByTestId('dialogue-close'));
    fireEvent.click(screen.getByTestId('dialogue-ask-rating'));
    expect(screen.queryByTestId('dialogue-request-text')).toBeNull();
    fireEvent.click(screen.getByTestId('dialogue-close-confirm'));
    await waitFor(() => expect(be.state.calls).toEqual([['CloseDialogue', 7, '']]));
  });

  it('shows the client’s tap when the store reports it, in Russian too', async () => {
    const be = backend([dialogue({ status: 'closed', cycles: [cycle({ closedAt: 5, ratingRequestedAt: 5 })] })]);
    renderPanel('ru');
    await waitFor(() => expect(screen.getByTestId('dialogue-client-rating').textContent).toBe('запрошена, ответа пока нет'));
    be.state.dialogues = [dialogue({ status: 'closed', clientRating: 4, cycles: [cycle({ closedAt: 5, ratingRequestedAt: 5, clientRating: 4 })] })];
    // A change in another chat is not ours, nor a plain message in this one; a dialogue's is.
    // The store's changes come grouped after 50 ms: wait past that before asserting nothing came.
    const before = be.state.loads;
    await act(async () => be.emit({ seq: 3, kinds: ['dialogue.changed'], chatIds: [99], personIds: [] }));
    await grouped();
    await act(async () => be.emit({ seq: 3, kinds: ['message.new'], chatIds: [42], personIds: [] }));
    await grouped();
    expect(be.state.loads).toBe(before);
    expect(screen.getByTestId('dialogue-client-rating').getAttribute('data-score')).toBe('0');
    await act(async () => be.emit({ seq: 4, kinds: ['dialogue.changed', 'message.new'], chatIds: [42], personIds: [] }));
    await waitFor(() => expect(screen.getByTestId('dialogue-client-rating').getAttribute('data-score')).toBe('4'));
    expect(screen.getByTestId('dialogue-client-rating').textContent).toContain('4 из 5');
    expect(screen.getByTestId('dialogue-bar').textContent).toContain('Оценка клиента');
  });

  it('rates the client 1–5 and changes the status; closing from the status asks first', async () => {
    const be = backend([dialogue()]);
    renderPanel();
    fireEvent.click(await screen.findByTestId('dialogue-rate-3'));
    await waitFor(() => expect(screen.getByTestId('dialogue-manager-rating').getAttribute('data-score')).toBe('3'));
    expect(be.state.calls).toEqual([['RateClient', 7, 3]]);
    fireEvent.change(screen.getByTestId('dialogue-status'), { target: { value: 'in_progress' } });
    await waitFor(() => expect(screen.getByTestId('dialogue-bar').getAttribute('data-status')).toBe('in_progress'));
    fireEvent.change(screen.getByTestId('dialogue-status'), { target: { value: 'closed' } });
    expect(screen.getByTestId('dialogue-close-form')).toBeTruthy();
    expect(be.state.calls.map((c) => c[0])).toEqual(['RateClient', 'SetDialogueStatus']);
  });
});

describe('DialoguePanel calls', () => {
  it('asks the company’s lists once for every chat it shows, and takes an action’s answer instead of asking again', async () => {
    const be = backend([dialogue()]);
    const { rerender } = render(panelOf(42));
    await screen.findByTestId('dialogue-rate-3');
    for (const chat of [43, 42]) {
      rerender(panelOf(chat));
      await waitFor(() => expect(be.state.loads).toBe(chat === 43 ? 2 : 3));
    }
    await screen.findByTestId('dialogue-rate-3');
    expect(be.state.optionLoads).toBe(1);

    // An action shows what its call answered: the chat's dialogues are not asked again…
    fireEvent.click(screen.getByTestId('dialogue-rate-3'));
    await waitFor(() => expect(screen.getByTestId('dialogue-manager-rating').getAttribute('data-score')).toBe('3'));
    fireEvent.change(screen.getByTestId('dialogue-status'), { target: { value: 'waiting' } });
    await waitFor(() => expect(screen.getByTestId('dialogue-bar').getAttribute('data-status')).toBe('waiting'));
    fireEvent.click(screen.getByTestId('dialogue-close'));
    fireEvent.click(screen.getByTestId('dialogue-close-confirm'));
    await waitFor(() => expect(screen.getByTestId('dialogue-bar').getAttribute('data-status')).toBe('closed'));
    fireEvent.click(screen.getByTestId('dialogue-new'));
    fireEvent.click(screen.getByTestId('dialogue-save'));
    await waitFor(() => expect(screen.getByTestId('dialogue-bar').getAttribute('data-status')).toBe('open'));
    await grouped();
    expect(be.state.calls.map((c) => c[0])).toEqual(['RateClient', 'SetDialogueStatus', 'CloseDialogue', 'CreateDialogue']);
    expect(be.state.loads).toBe(3);
    // …until the store says the chat's dialogues changed: once for the whole burst of them.
    for (let seq = 5; seq < 9; seq++) be.emit({ seq, kinds: ['dialogue.changed'], chatIds: [42], personIds: [] });
    await grouped();
    expect(be.state.loads).toBe(4);
    expect(be.state.optionLoads).toBe(1);
  });

  it('asks the lists again when they change, once for the panel and Settings → Dialogues together', async () => {
    const be = backend([dialogue()]);
    render(
      <>
        {panelOf(42)}
        <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
          <DialogueListsSection />
        </I18nProvider>
      </>,
    );
    await screen.findByTestId('dlg-list-type');
    expect(be.state.optionLoads).toBe(1);
    await act(async () => be.emit({ seq: 9, kinds: ['dialogue_options.changed'], chatIds: [], personIds: [] }));
    await grouped();
    expect(be.state.optionLoads).toBe(2);
    expect(be.state.loads).toBe(1);
  });
});

describe('DialoguePanel history', () => {
  it('lists every cycle with its own ratings, newest first', async () => {
    backend([
      dialogue({
        status: 'open',
        cycles: [
          cycle({ id: 70, number: 1, closedAt: 5, ratingRequestedAt: 5, clientRating: 5, managerRating: 3 }),
          cycle({ id: 71, number: 2, closedAt: 9, ratingRequestedAt: 9 }),
          cycle({ id: 72, number: 3 }),
        ],
      }),
    ]);
    renderPanel();
    fireEvent.click(await screen.findByTestId('dialogue-history-toggle'));
    const rowsShown = screen.getAllByTestId('dialogue-history-row');
    expect(rowsShown.map((r) => r.getAttribute('data-cycle'))).toEqual(['3', '2', '1']);
    expect(rowsShown.map((r) => r.getAttribute('data-client-score'))).toEqual(['0', '0', '5']);
    expect(rowsShown[1]!.textContent).toContain('asked, no answer yet');
    expect(rowsShown[2]!.textContent).toContain('5 of 5');
    expect(rowsShown[2]!.textContent).toContain('3 of 5');
    expect(screen.getByTestId('dialogue-bar').textContent).toContain('cycle 3');
  });
});

describe('DialogueListsSection', () => {
  it('adds, renames and removes entries of the three lists', async () => {
    let opts: DialogueOption[] = [{ id: 1, kind: 'reason', name: HOSTILE, position: 1 }];
    const saved: unknown[] = [];
    const deleted: number[] = [];
    let reads = 0;
    window.go = fakeGo({
      DialogueOptions: async () => {
        reads++;
        return opts;
      },
      SaveDialogueOption: async (o: DialogueOption) => {
        saved.push(o);
        const out = { ...o, id: o.id || 9, position: 1 };
        opts = [...opts.filter((x) => x.id !== out.id), out];
        return out;
      },
      DeleteDialogueOption: async (id: number) => {
        deleted.push(id);
        opts = opts.filter((x) => x.id !== id);
      },
    });
    const { container } = render(
      <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
        <DialogueListsSection />
      </I18nProvider>,
    );
    const reasons = await screen.findByTestId('dlg-list-reason');
    expect((within(reasons).getByTestId('dlg-option-name') as HTMLInputElement).value).toBe(HOSTILE);
    expect(container.querySelector('img')).toBeNull();
    fireEvent.input(screen.getByTestId('dlg-add-name-type'), { target: { value: 'Billing' } });
    fireEvent.click(screen.getByTestId('dlg-add-type'));
    await waitFor(() => expect(within(screen.getByTestId('dlg-list-type')).getAllByTestId('dlg-option')).toHaveLength(1));
    expect(saved[0]).toEqual({ id: 0, kind: 'type', name: 'Billing' });
    fireEvent.input(within(reasons).getByTestId('dlg-option-name'), { target: { value: 'Late refund' } });
    fireEvent.click(within(reasons).getByTestId('dlg-option-rename'));
    await waitFor(() => expect(saved[1]).toEqual({ id: 1, kind: 'reason', name: 'Late refund' }));
    fireEvent.click(within(screen.getByTestId('dlg-list-type')).getByTestId('dlg-option-delete'));
    fireEvent.click(await screen.findByTestId('confirm-yes'));
    await waitFor(() => expect(deleted).toEqual([9]));
    await waitFor(() => expect(within(screen.getByTestId('dlg-list-type')).queryAllByTestId('dlg-option')).toHaveLength(0));
    // Each change showed what its call answered: the lists were read once, when the section opened.
    expect(reads).toBe(1);
  });
});
