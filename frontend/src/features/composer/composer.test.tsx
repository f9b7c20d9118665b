import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { ApiError } from '../../lib/api';
import type { Part, Staged, Template, VoiceAuto, VoiceLevel } from '../../lib/composeApi';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Message } from '../../lib/types';
import { managerMessage } from '../../test/messages';
import { insertAt } from './caret';
import { translateComposer, composerDictionaries } from './composer-i18n';
import { Constructor, move, parseConstructor, serializeConstructor } from './Constructor';
import { EMOJI, EmojiPicker } from './EmojiPicker';
import { TemplatePicker } from './TemplatePicker';
import { DRAFT_DEBOUNCE_MS, useDraft, type DraftState } from './useDraft';
import { VoiceButton } from './VoiceButton';
import { AudioPlayer } from './AudioPlayer';
import { setValue } from '../../test/fields';

function inLocale(ui: React.ReactNode, locale: 'en' | 'ru' = 'en') {
  return render(<I18nProvider value={{ locale, t: makeT(locale) }}>{ui}</I18nProvider>);
}

const message = (patch: Partial<Message> = {}): Message => managerMessage({ id: 7, ...patch });

describe('strings', () => {
  it('has every key in both languages and fills placeholders', () => {
    expect(Object.keys(composerDictionaries.ru).sort()).toEqual(Object.keys(composerDictionaries.en).sort());
    expect(translateComposer('ru', 'tpl.insert', { name: 'Привет' })).toBe('Вставить «Привет»');
  });
});

describe('insertAt', () => {
  it('inserts at the caret, replacing a selection, and puts the caret after', () => {
    expect(insertAt('Hello world', 6, 6, 'dear ')).toEqual({ text: 'Hello dear world', caret: 11 });
    expect(insertAt('Hello world', 6, 11, '🙂')).toEqual({ text: 'Hello 🙂', caret: 8 });
    expect(insertAt('abc', 99, 99, 'd')).toEqual({ text: 'abcd', caret: 4 });
  });
});

describe('TemplatePicker', () => {
  const templates: Template[] = [
    { id: 1, name: 'Greeting', value: 'Hello, {first_name}! <b>not bold</b>' },
    { id: 2, name: 'Address', value: 'Tverskaya 1' },
  ];
  it('lists templates, shows the value on hover and inserts the expanded text', async () => {
    const api = { Templates: vi.fn(async () => templates), ExpandTemplate: vi.fn(async () => 'Hello, Anna! <b>not bold</b>') };
    const onInsert = vi.fn();
    const { container } = inLocale(<TemplatePicker chatId={3} onInsert={onInsert} onError={vi.fn()} api={api} />);
    fireEvent.click(screen.getByTestId('templates-button'));
    const items = await screen.findAllByTestId('template-item');
    expect(items.map((i) => i.textContent)).toEqual(['Greeting', 'Address']);
    fireEvent.mouseEnter(items[0]!);
    expect(screen.getByTestId('template-tooltip').textContent).toBe('Hello, {first_name}! <b>not bold</b>');
    expect(container.querySelector('b')).toBeNull();
    fireEvent.click(items[0]!);
    await waitFor(() => expect(onInsert).toHaveBeenCalledWith('Hello, Anna! <b>not bold</b>'));
    expect(api.ExpandTemplate).toHaveBeenCalledWith(3, 1);
    expect(screen.queryByTestId('templates-menu')).toBeNull();
  });
  it('says where to add templates when there are none', async () => {
    const api = { Templates: vi.fn(async () => []), ExpandTemplate: vi.fn() };
    inLocale(<TemplatePicker chatId={3} onInsert={vi.fn()} onError={vi.fn()} api={api} />, 'ru');
    fireEvent.click(screen.getByTestId('templates-button'));
    expect((await screen.findByTestId('templates-empty')).textContent).toContain('Настройках');
  });
});

describe('EmojiPicker', () => {
  it('moves with the arrow keys and inserts with Enter', async () => {
    const onInsert = vi.fn();
    inLocale(<EmojiPicker onInsert={onInsert} />);
    fireEvent.click(screen.getByTestId('emoji-button'));
    const grid = screen.getByTestId('emoji-grid');
    expect(screen.getAllByTestId('emoji-cell')).toHaveLength(EMOJI.length);
    await waitFor(() => expect(document.activeElement?.textContent).toBe(EMOJI[0]));
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe(EMOJI[9]));
    // Enter on a focused button clicks it, as browsers do.
    fireEvent.click(document.activeElement as HTMLElement);
    expect(onInsert).toHaveBeenCalledWith(EMOJI[9]);
    expect(screen.queryByTestId('emoji-grid')).toBeNull();
  });
  it('closes on Escape without inserting', () => {
    const onInsert = vi.fn();
    inLocale(<EmojiPicker onInsert={onInsert} />);
    fireEvent.click(screen.getByTestId('emoji-button'));
    fireEvent.keyDown(screen.getByTestId('emoji-grid'), { key: 'Escape' });
    expect(screen.queryByTestId('emoji-grid')).toBeNull();
    expect(onInsert).not.toHaveBeenCalled();
  });
});

describe('Constructor', () => {
  function setup(initial = '') {
    const api = {
      Templates: vi.fn(async () => [{ id: 5, name: 'Sign', value: 'Best, {manager}' }] as Template[]),
      ExpandTemplate: vi.fn(async () => 'Best, Olga'),
      StageUpload: vi.fn(async (name: string, mime: string): Promise<Staged> => ({ path: `/data/uploads/abc-${name}`, name, mime, size: 4, kind: 'photo' })),
      SendParts: vi.fn(async (_c: number, parts: Part[], _r: number) => parts.map((_, i) => message({ id: 100 + i }))),
      DiscardStaged: vi.fn(async () => undefined),
    };
    const onChange = vi.fn();
    const onSent = vi.fn();
    const onClose = vi.fn();
    inLocale(<Constructor chatId={3} replyToId={9} initial={initial} onChange={onChange} onSent={onSent} onClose={onClose} api={api} />);
    return { api, onChange, onSent, onClose };
  }

  it('builds a message from parts, reorders, removes and sends them in order', async () => {
    const { api, onChange, onSent } = setup();
    fireEvent.click(screen.getByTestId('add-text'));
    setValue(screen.getByTestId('part-text'), 'Our offer');
    fireEvent.click(screen.getByTestId('add-link'));
    setValue(screen.getByTestId('part-url'), 'https://example.com');
    setValue(screen.getByTestId('part-title'), 'Catalog');
    expect(screen.getByTestId('part-preview').textContent).toBe('Catalog — https://example.com');
    fireEvent.click(screen.getByTestId('add-template'));
    await waitFor(() => expect(screen.getByTestId('part-template').querySelectorAll('option')).toHaveLength(2));
    setValue(screen.getByTestId('part-template'), '5');
    await waitFor(() => expect(screen.getAllByTestId('part-text')[1]).toHaveProperty('value', 'Best, Olga'));
    fireEvent.click(screen.getByTestId('add-image'));
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'pic.png', { type: 'image/png' });
    fireEvent.change(screen.getByTestId('part-file'), { target: { files: [file] } });
    await waitFor(() => expect(api.StageUpload).toHaveBeenCalledWith('pic.png', 'image/png', 'iVBORw=='));
    await screen.findByText('pic.png');
    // Move the link down below the template, then remove the template.
    fireEvent.click(screen.getAllByTestId('part-down')[1]!);
    expect(screen.getAllByTestId('part').map((p) => p.dataset.kind)).toEqual(['text', 'template', 'link', 'image']);
    fireEvent.click(screen.getAllByTestId('part-remove')[1]!);
    expect(screen.getAllByTestId('part').map((p) => p.dataset.kind)).toEqual(['text', 'link', 'image']);
    // Every change goes to the draft.
    const last = onChange.mock.calls.at(-1)?.[0] as string;
    expect(parseConstructor(last).parts.map((p) => p.kind)).toEqual(['text', 'link', 'image']);
    fireEvent.click(screen.getByTestId('constructor-save'));
    await waitFor(() => expect(onSent).toHaveBeenCalled());
    const [chatId, parts, reply] = api.SendParts.mock.calls[0]!;
    expect(chatId).toBe(3);
    expect(reply).toBe(9);
    expect(parts.map((p: Part) => [p.kind, p.text || p.url || p.path])).toEqual([
      ['text', 'Our offer'],
      ['link', 'https://example.com'],
      ['image', '/data/uploads/abc-pic.png'],
    ]);
    // The emptied draft is saved by an effect, which runs after the next paint.
    await waitFor(() => expect(onChange.mock.calls.at(-1)?.[0]).toBe(''));
  });

  it('restores a draft and shows send errors in words', async () => {
    const { api } = setup(serializeConstructor([{ kind: 'link', text: '', path: '', url: 'javascript:alert(1)', name: '', mime: '', size: 0 }]));
    api.SendParts.mockRejectedValueOnce(new ApiError('SendParts', 'part 1: bad', 'bad_part'));
    expect(screen.getAllByTestId('part')).toHaveLength(1);
    fireEvent.click(screen.getByTestId('constructor-save'));
    expect((await screen.findByTestId('constructor-error')).textContent).toContain('http://');
  });

  it('parses damaged drafts as empty and moves items safely', () => {
    expect(parseConstructor('{broken').parts).toEqual([]);
    expect(parseConstructor('{"parts":[{"kind":"html","text":"<b>"},{"kind":"text","text":5}]}').parts).toEqual([
      { kind: 'text', text: '', path: '', url: '', name: '', mime: '', size: 0 },
    ]);
    expect(move([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    expect(move([1, 2, 3], 0, 5)).toEqual([1, 2, 3]);
  });
});

describe('VoiceButton', () => {
  function setup(startError?: unknown) {
    let levelCb: ((l: VoiceLevel) => void) | null = null;
    let autoCb: ((a: VoiceAuto) => void) | null = null;
    const api = {
      StartVoice: vi.fn(async () => {
        if (startError) throw startError;
      }),
      StopVoice: vi.fn(async () => message({ attachments: [{ kind: 'voice', mime: 'audio/ogg', duration: 3 }] })),
      CancelVoice: vi.fn(async () => undefined),
    };
    const events = {
      onVoiceLevel: (cb: (l: VoiceLevel) => void) => ((levelCb = cb), () => (levelCb = null)),
      onVoiceAuto: (cb: (a: VoiceAuto) => void) => ((autoCb = cb), () => (autoCb = null)),
    };
    const cbs = { onSent: vi.fn(), onError: vi.fn(), onInfo: vi.fn() };
    inLocale(<VoiceButton chatId={3} replyToId={0} api={api} events={events} {...cbs} />);
    return { api, cbs, level: (l: VoiceLevel) => act(() => levelCb?.(l)), auto: (a: VoiceAuto) => act(() => autoCb?.(a)) };
  }

  it('records while held: elapsed time and level, release sends', async () => {
    const { api, cbs, level } = setup();
    const btn = screen.getByTestId('voice-button');
    fireEvent.pointerDown(btn, { button: 0 });
    await waitFor(() => expect(btn.dataset.phase).toBe('recording'));
    expect(api.StartVoice).toHaveBeenCalledWith(3, 0);
    level({ chatId: 3, level: 0.62, elapsedMs: 65_400, maxMs: 300_000 });
    expect(screen.getByTestId('voice-elapsed').textContent).toBe('1:05 / 5:00');
    expect(screen.getByTestId('voice-meter').getAttribute('aria-valuenow')).toBe('62');
    fireEvent.pointerUp(btn);
    await waitFor(() => expect(cbs.onSent).toHaveBeenCalled());
    expect(api.StopVoice).toHaveBeenCalled();
    expect(api.CancelVoice).not.toHaveBeenCalled();
    expect(screen.queryByTestId('voice-status')).toBeNull();
  });

  it('leaving the button or Esc cancels', async () => {
    const { api, cbs } = setup();
    const btn = screen.getByTestId('voice-button');
    fireEvent.pointerDown(btn, { button: 0 });
    await waitFor(() => expect(btn.dataset.phase).toBe('recording'));
    fireEvent.pointerLeave(btn);
    await waitFor(() => expect(api.CancelVoice).toHaveBeenCalledTimes(1));
    fireEvent.pointerDown(btn, { button: 0 });
    await waitFor(() => expect(btn.dataset.phase).toBe('recording'));
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(api.CancelVoice).toHaveBeenCalledTimes(2));
    expect(api.StopVoice).not.toHaveBeenCalled();
    expect(cbs.onSent).not.toHaveBeenCalled();
  });

  it('says clearly when there is no microphone', async () => {
    const { cbs } = setup(new ApiError('StartVoice', 'no microphone found', 'no_microphone'));
    fireEvent.pointerDown(screen.getByTestId('voice-button'), { button: 0 });
    await waitFor(() => expect(cbs.onError).toHaveBeenCalledWith(expect.stringContaining('No microphone found')));
    expect(screen.getByTestId('voice-button').dataset.phase).toBe('idle');
  });

  it('reports a note the 5-minute limit sent by itself', async () => {
    const { cbs, auto } = setup();
    auto({ chatId: 3, message: message({ id: 55 }) });
    expect(cbs.onInfo).toHaveBeenCalledWith(expect.stringContaining('5 minutes'));
    expect(cbs.onSent).toHaveBeenCalledWith(expect.objectContaining({ id: 55 }));
  });
});

describe('AudioPlayer', () => {
  it('plays the served file with a seekable progress bar', () => {
    const made: HTMLAudioElement[] = [];
    const RealAudio = window.Audio;
    const spy = vi.spyOn(window, 'Audio').mockImplementation(function (src?: string) {
      const a = new RealAudio(src);
      made.push(a);
      return a;
    });
    inLocale(<AudioPlayer messageId={42} index={1} attachment={{ kind: 'voice', duration: 75, localPath: '/data/uploads/voice/v.ogg' }} />);
    expect(screen.getByTestId('audio-player').dataset.src).toBe('/media/42/1');
    // Nothing is loaded with the history: the length is the one the messenger sent.
    expect(made).toHaveLength(0);
    const bar = screen.getByTestId('audio-progress') as HTMLInputElement;
    expect(bar.max).toBe('75000');
    expect(screen.getByText('1:15')).toBeTruthy();
    setValue(bar, '30000');
    expect(made).toHaveLength(1);
    expect(made[0]!.getAttribute('src')).toBe('/media/42/1');
    expect(made[0]!.currentTime).toBe(30);
    fireEvent.click(screen.getByTestId('audio-toggle'));
    expect(made).toHaveLength(1); // the same element plays
    spy.mockRestore();
  });
  it('says when the file is not on disk yet', () => {
    inLocale(<AudioPlayer messageId={42} index={0} attachment={{ kind: 'voice', duration: 3 }} />);
    expect(screen.getByTestId('audio-player').dataset.state).toBe('unavailable');
  });
});

describe('useDraft', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function Harness({ chatId, api }: { chatId: number; api: Parameters<typeof useDraft>[3] }) {
    const [text, setText] = useState('');
    const d = useDraft(chatId, (s: DraftState) => setText(s.text), vi.fn(), api);
    return (
      <textarea
        data-testid="t"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          d.save({ text: e.target.value, constructorJson: '', replyToId: 0 });
        }}
      />
    );
  }

  it('restores, saves debounced, and flushes on chat switch', async () => {
    const saved: [number, string][] = [];
    const api = {
      Draft: vi.fn(async (chatId: number) => ({ chatId, text: chatId === 1 ? 'kept from last time' : '', constructor: '', replyToId: 0, updatedAt: 0 })),
      SaveDraft: vi.fn(async (chatId: number, text: string) => {
        saved.push([chatId, text]);
      }),
    };
    const r = render(<Harness chatId={1} api={api} />);
    await act(async () => {
      await Promise.resolve();
    });
    const ta = screen.getByTestId('t') as HTMLTextAreaElement;
    expect(ta.value).toBe('kept from last time');
    setValue(ta, 'a');
    setValue(ta, 'ab');
    act(() => vi.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 50));
    expect(saved).toEqual([]);
    act(() => vi.advanceTimersByTime(60));
    expect(saved).toEqual([[1, 'ab']]);
    setValue(ta, 'abc');
    r.rerender(<Harness chatId={2} api={api} />);
    expect(saved).toEqual([
      [1, 'ab'],
      [1, 'abc'],
    ]);
    // Before the window unloads.
    setValue(screen.getByTestId('t'), 'for chat 2');
    window.dispatchEvent(new Event('beforeunload'));
    expect(saved.at(-1)).toEqual([2, 'for chat 2']);
  });
});
