import { describe, expect, it } from 'vitest';
import { matchHotkey, type KeyLike } from './hotkeys';

const k = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('matchHotkey', () => {
  it('maps the seed hotkeys', () => {
    expect(matchHotkey(k('Enter', { shiftKey: true }))).toBe('markRead');
    expect(matchHotkey(k('Enter', { ctrlKey: true }))).toBe('send');
    expect(matchHotkey(k('S', { ctrlKey: true, shiftKey: true, code: 'KeyS' }))).toBe('fullCard');
    expect(matchHotkey(k('Escape'))).toBe('close');
    expect(matchHotkey(k('ArrowUp', { ctrlKey: true, shiftKey: true }))).toBe('prevChat');
    expect(matchHotkey(k('ArrowDown', { ctrlKey: true, shiftKey: true }))).toBe('nextChat');
    expect(matchHotkey(k('A', { ctrlKey: true, shiftKey: true, code: 'KeyA' }))).toBe('note');
  });
  it('works with a Russian keyboard layout (physical keys)', () => {
    expect(matchHotkey(k('Ы', { ctrlKey: true, shiftKey: true, code: 'KeyS' }))).toBe('fullCard');
    expect(matchHotkey(k('Ф', { ctrlKey: true, shiftKey: true, code: 'KeyA' }))).toBe('note');
  });
  it('treats Cmd as Ctrl', () => {
    expect(matchHotkey(k('Enter', { metaKey: true }))).toBe('send');
  });
  it('leaves plain typing alone', () => {
    expect(matchHotkey(k('Enter'))).toBeNull();
    expect(matchHotkey(k('s', { code: 'KeyS' }))).toBeNull();
    expect(matchHotkey(k('S', { shiftKey: true, code: 'KeyS' }))).toBeNull();
    expect(matchHotkey(k('ArrowDown', { ctrlKey: true }))).toBeNull();
    expect(matchHotkey(k('Enter', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(matchHotkey(k('Enter', { shiftKey: true, altKey: true }))).toBeNull();
  });
});
