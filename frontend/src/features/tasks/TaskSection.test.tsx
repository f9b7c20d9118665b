import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api';
import { I18nProvider, makeT } from '../../lib/i18n';
import { ToastProvider } from '../../lib/toast';
import type { Locale, Manager, Task, TaskInput } from '../../lib/types';
import { fakeGo } from '../../test/bindings';
import { TaskSection, fromInputs, toInputs } from './TaskSection';

const me: Manager = { id: 1, name: 'Ольга', avatarUrl: '', isMe: true };
const anna: Manager = { id: 2, name: '<b>Анна</b>', avatarUrl: '', isMe: false };
const now = Date.UTC(2026, 2, 10, 12, 0);
const hour = 3600_000;

const task = (over: Partial<Task>): Task => ({ id: 1, personId: 7, assigneeId: 1, title: 'Позвонить', dueAt: now + hour, done: false, doneAt: 0, ...over });

function renderSection(tasks: Task[], locale: Locale = 'en', onChanged = vi.fn()) {
  render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <ToastProvider>
        <TaskSection personId={7} tasks={tasks} me={me} managers={[me, anna]} onChanged={onChanged} now={now} />
      </ToastProvider>
    </I18nProvider>,
  );
  return onChanged;
}

afterEach(() => {
  delete window.go;
});

describe('TaskSection', () => {
  it('lists open tasks with overdue marks and folds the done ones', () => {
    renderSection([
      task({ id: 1, title: 'Later', dueAt: now + 2 * hour }),
      task({ id: 2, title: '<img src=x>Overdue', dueAt: now - hour, assigneeId: 2 }),
      task({ id: 3, title: 'Finished', done: true, doneAt: now - 3 * hour }),
    ]);
    const open = screen.getAllByTestId('task');
    expect(open.map((li) => li.querySelector('[data-testid=task-title]')?.textContent)).toEqual(['Later', '<img src=x>Overdue']);
    expect(open[1]!.className).toContain('overdue');
    expect(open[1]!.textContent).toContain('for <b>Анна</b>');
    expect(document.querySelector('img, b')).toBeNull();
    expect(screen.queryByTestId('tasks-done')).toBeNull();
    fireEvent.click(screen.getByTestId('tasks-done-toggle'));
    const done = within(screen.getByTestId('tasks-done')).getAllByTestId('task');
    expect(done).toHaveLength(1);
    expect(done[0]!.textContent).toContain('Finished');
    expect((within(done[0]!).getByTestId('task-done') as HTMLInputElement).checked).toBe(true);
  });

  it('creates a task for me by default at the picked local date and time', async () => {
    const added: TaskInput[] = [];
    window.go = fakeGo({
      AddTask: async (t: TaskInput) => {
        added.push(t);
        return task({ ...t, id: 9 });
      },
    });
    const onChanged = renderSection([]);
    expect(screen.getByText('No tasks')).toBeTruthy();
    fireEvent.click(screen.getByTestId('task-add'));
    fireEvent.input(screen.getByTestId('task-title-input'), { target: { value: 'Send the invoice' } });
    fireEvent.input(screen.getByTestId('task-date'), { target: { value: '2026-03-11' } });
    fireEvent.input(screen.getByTestId('task-time'), { target: { value: '09:30' } });
    expect((screen.getByTestId('task-assignee') as HTMLSelectElement).value).toBe('1');
    fireEvent.click(screen.getByTestId('task-save'));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(added).toEqual([{ personId: 7, title: 'Send the invoice', dueAt: Date.UTC(2026, 2, 11, 9, 30), assigneeId: 1 }]);
    expect(screen.queryByTestId('task-form')).toBeNull();
  });

  it('words the backend’s codes in the form, in Russian too', async () => {
    window.go = fakeGo({
      AddTask: async (t: TaskInput) => {
        throw { code: t.title.trim() === '' ? 'task_title' : 'task_due', message: 'go text' };
      },
    });
    renderSection([], 'ru');
    fireEvent.click(screen.getByTestId('task-add'));
    fireEvent.click(screen.getByTestId('task-save'));
    await waitFor(() => expect(screen.getByTestId('task-error').textContent).toBe('Задаче нужно название (до 500 символов).'));
    fireEvent.input(screen.getByTestId('task-title-input'), { target: { value: 'Позвонить' } });
    fireEvent.input(screen.getByTestId('task-date'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('task-save'));
    await waitFor(() => expect(screen.getByTestId('task-error').textContent).toBe('Укажите правильные дату и время срока.'));
  });

  it('completes, reassigns and deletes', async () => {
    const calls: unknown[][] = [];
    window.go = fakeGo({
      SetTaskDone: async (id: number, done: boolean) => void calls.push(['done', id, done]),
      UpdateTask: async (t: Task) => void calls.push(['update', t.id, t.assigneeId, t.title]),
      DeleteTask: async (id: number) => void calls.push(['delete', id]),
    });
    const onChanged = renderSection([task({ id: 4 })]);
    fireEvent.click(screen.getByTestId('task-done'));
    await waitFor(() => expect(calls).toEqual([['done', 4, true]]));
    fireEvent.click(screen.getByTestId('task-edit'));
    fireEvent.change(screen.getByTestId('task-assignee'), { target: { value: '2' } });
    fireEvent.click(screen.getByTestId('task-save'));
    await waitFor(() => expect(calls[1]).toEqual(['update', 4, 2, 'Позвонить']));
    fireEvent.click(screen.getByTestId('task-delete'));
    fireEvent.click(screen.getByTestId('task-delete-confirm'));
    await waitFor(() => expect(calls[2]).toEqual(['delete', 4]));
    expect(onChanged).toHaveBeenCalledTimes(3);
  });
});

describe('due inputs', () => {
  it('round-trip local dates and reject what is not one', () => {
    const ms = Date.UTC(2026, 11, 31, 23, 45);
    expect(toInputs(ms)).toEqual({ date: '2026-12-31', time: '23:45' });
    expect(fromInputs('2026-12-31', '23:45')).toBe(ms);
    expect(fromInputs('', '10:00')).toBe(0);
    expect(fromInputs('2026-13-45', '10:00')).toBe(0);
    expect(new ApiError('X', 'y', 'claimed', { owner: 'A' }).params.owner).toBe('A');
  });
});
