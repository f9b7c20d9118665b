// The company's shared settings on a team hub's desktop: a manager reads the chat templates and
// the dialogue lists, an admin (and the one manager of a solo desktop) changes them; a change
// made on another desktop shows without reopening Settings.
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { Locale, DialogueOption } from '../../lib/types';
import type { Template } from '../../lib/settingsApi';
import type { TeamStatus } from '../../lib/teamApi';
import { fakeGo } from '../../test/bindings';
import { DialogueListsSection } from '../dialogues/DialogueListsSection';
import { TemplatesSection } from './TemplatesSection';

const HOSTILE = '<img src=x onerror=alert(1)>';

function status(mode: TeamStatus['mode'], role: 'admin' | 'manager'): TeamStatus {
  return {
    mode,
    hubUrl: mode === 'connected' ? 'https://hub.example' : '',
    email: 'bob@example.com',
    problem: '',
    account: { id: 2, name: 'Bob', avatarUrl: '', email: 'bob@example.com', role, disabled: false, createdAt: 0, updatedAt: 0 },
  };
}

let emit: (kinds: string[]) => void = () => undefined;

function install(st: TeamStatus, templates: Template[], options: DialogueOption[]) {
  const listeners: ((e: unknown) => void)[] = [];
  emit = (kinds) => {
    for (const cb of listeners) cb({ seq: 1, kinds, chatIds: null, personIds: null });
  };
  const box = { templates, options };
  window.go = fakeGo({
    TeamStatus: async () => st,
    Templates: async () => box.templates,
    DialogueOptions: async () => box.options,
  });
  window.runtime = {
    EventsOn: (name: string, cb: (e: unknown) => void) => {
      if (name === 'store:changed') listeners.push(cb);
      return () => undefined;
    },
    EventsOff: () => undefined,
  } as never;
  return box;
}

function renderBoth(locale: Locale = 'en') {
  return render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <TemplatesSection />
      <DialogueListsSection />
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  delete window.go;
  delete window.runtime;
});

describe('company settings on a team desktop', () => {
  it('a manager reads them without a way to change them, in both languages', async () => {
    install(status('connected', 'manager'), [{ id: 1, name: 'greeting', value: HOSTILE }], [{ id: 3, kind: 'reason', name: HOSTILE, position: 1 }]);
    const { container } = renderBoth('ru');
    expect((await screen.findByTestId('tpl-read-only')).textContent).toBe('Изменять это может только администратор команды.');
    expect((await screen.findByTestId('dlg-read-only')).textContent).toBe('Изменять это может только администратор команды.');
    await screen.findByTestId('tpl-row');
    expect(screen.getByTestId('settings-templates').dataset.readOnly).toBe('true');
    expect(screen.queryByTestId('tpl-add')).toBeNull();
    expect(screen.queryByTestId('tpl-edit')).toBeNull();
    expect(screen.queryByTestId('tpl-delete')).toBeNull();
    const reasons = screen.getByTestId('dlg-list-reason');
    expect(within(reasons).getByTestId('dlg-option-text').textContent).toBe(HOSTILE);
    expect(screen.queryByTestId('dlg-option-name')).toBeNull();
    expect(screen.queryByTestId('dlg-option-delete')).toBeNull();
    expect(screen.queryByTestId('dlg-add-type')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    cleanup();
    install(status('connected', 'manager'), [], []);
    renderBoth('en');
    expect((await screen.findByTestId('tpl-read-only')).textContent).toBe('Only an administrator of the team can change these.');
  });

  it('an admin, and a solo desktop, can change them', async () => {
    for (const st of [status('connected', 'admin'), status('solo', 'manager')]) {
      install(st, [{ id: 1, name: 'greeting', value: 'Hello' }], [{ id: 3, kind: 'type', name: 'Sales', position: 1 }]);
      renderBoth();
      await screen.findByTestId('tpl-edit');
      await screen.findByTestId('dlg-option-name');
      expect(screen.getByTestId('tpl-add')).toBeTruthy();
      expect(screen.getByTestId('dlg-add-type')).toBeTruthy();
      expect(screen.queryByTestId('tpl-read-only')).toBeNull();
      expect(screen.queryByTestId('dlg-read-only')).toBeNull();
      cleanup();
    }
  });

  it("follows an admin's change made on another desktop", async () => {
    const box = install(status('connected', 'manager'), [], []);
    renderBoth();
    await screen.findByTestId('tpl-read-only');
    box.templates = [{ id: 4, name: 'sig', value: 'Best, {manager}' }];
    box.options = [{ id: 5, kind: 'component', name: 'Courier', position: 1 }];
    act(() => emit(['templates.changed', 'dialogue_options.changed']));
    await waitFor(() => expect(screen.getByTestId('tpl-row-name').textContent).toBe('sig'));
    await waitFor(() => expect(within(screen.getByTestId('dlg-list-component')).getByTestId('dlg-option-text').textContent).toBe('Courier'));
  });
});
