// The card's Tasks section: a person's open tasks (soonest first) with complete, edit and delete,
// the done ones folded under a toggle, and the form that creates or edits one (title, due date
// and time, assignee: me by default, any manager). The backend checks everything and answers with
// codes (task_title, task_due, unknown_assignee, assignee_disabled) worded in the form. Titles and
// names are data and render as text.
import { useState } from 'react';
import { api } from '../../lib/api';
import { errorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useWords } from '../../lib/i18n';
import { useReportError } from '../../lib/toast';
import type { Manager, Task } from '../../lib/types';
import { tasksWords } from './tasks-i18n';
import './tasks.css';

interface Props {
  personId: number;
  tasks: Task[];
  me: Manager;
  managers: Manager[];
  /** Called after every change, so the card (and its tasks) reload. */
  onChanged: () => void;
  /** Now, for overdue marks (tests pass a fixed clock). */
  now?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local date and time as the date and time inputs hold them. */
export function toInputs(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

/** The inputs' local date and time as unix ms; 0 when they do not make a date (the backend then says task_due). */
export function fromInputs(date: string, time: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 0;
  const ms = new Date(`${date}T${/^\d{2}:\d{2}$/.test(time) ? time : '00:00'}`).getTime();
  return Number.isFinite(ms) ? ms : 0;
}

/** The next whole hour from now: where a new task's due time starts. */
function nextHour(now: number): number {
  const d = new Date(now);
  d.setMinutes(0, 0, 0);
  return d.getTime() + 3600_000;
}

export function TaskSection({ personId, tasks, me, managers, onChanged, now = Date.now() }: Props) {
  const { t, locale } = useWords(tasksWords);
  const report = useReportError();
  const [editing, setEditing] = useState<Task | 'new' | null>(null);
  const [showDone, setShowDone] = useState(false);
  const [deleting, setDeleting] = useState(0);
  const open = tasks.filter((k) => !k.done);
  const done = tasks.filter((k) => k.done);
  const nameOf = (id: number) => managers.find((m) => m.id === id)?.name ?? `#${id}`;
  const act = (p: Promise<unknown>) => p.then(onChanged, report);

  const item = (k: Task) => {
    const overdue = !k.done && k.dueAt < now;
    const when = k.done
      ? t('tasks.doneAt', { date: formatDateTime(k.doneAt || k.dueAt, locale) })
      : t(overdue ? 'tasks.overdue' : 'tasks.due', { date: formatDateTime(k.dueAt, locale) });
    return (
      <li key={k.id} className={`task${k.done ? ' done' : overdue ? ' overdue' : ''}`} data-testid="task" data-task-id={k.id} data-done={k.done}>
        <label className="task-main">
          <input
            type="checkbox"
            checked={k.done}
            data-testid="task-done"
            aria-label={t(k.done ? 'tasks.reopen' : 'tasks.complete', { title: k.title })}
            onChange={(e) => act(api.SetTaskDone(k.id, e.target.checked))}
          />
          <span className="task-title" data-testid="task-title">
            {k.title}
          </span>
        </label>
        <span className="muted small">
          {when}
          {k.assigneeId !== me.id && <> · {t('tasks.for', { name: nameOf(k.assigneeId) })}</>}
        </span>
        {deleting === k.id ? (
          <span className="task-actions">
            <span className="small">{t('tasks.deleteConfirm', { title: k.title })}</span>
            <button type="button" className="btn btn-small btn-danger" data-testid="task-delete-confirm" onClick={() => act(api.DeleteTask(k.id))}>
              {t('tasks.delete')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setDeleting(0)}>
              {t('tasks.cancel')}
            </button>
          </span>
        ) : (
          <span className="task-actions">
            {!k.done && (
              <button type="button" className="link-btn" data-testid="task-edit" onClick={() => setEditing(k)}>
                {t('tasks.editOne')}
              </button>
            )}
            <button type="button" className="link-btn" data-testid="task-delete" onClick={() => setDeleting(k.id)}>
              {t('tasks.delete')}
            </button>
          </span>
        )}
      </li>
    );
  };

  return (
    <section className="card-section" data-testid="tasks">
      <div className="card-section-head">
        <h3>{t('tasks.title')}</h3>
        {editing === null && (
          <button type="button" className="link-btn" data-testid="task-add" onClick={() => setEditing('new')}>
            {t('tasks.add')}
          </button>
        )}
      </div>
      {editing !== null && (
        <TaskForm
          key={editing === 'new' ? 'new' : editing.id}
          personId={personId}
          task={editing === 'new' ? null : editing}
          me={me}
          managers={managers}
          defaultDue={nextHour(now)}
          onDone={() => {
            setEditing(null);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {open.length === 0 && done.length === 0 && editing === null && <div className="muted">{t('tasks.none')}</div>}
      {open.length > 0 && <ul className="tasks">{open.map(item)}</ul>}
      {done.length > 0 && (
        <>
          <button type="button" className="link-btn" aria-expanded={showDone} data-testid="tasks-done-toggle" onClick={() => setShowDone((v) => !v)}>
            {t('tasks.doneToggle', { count: done.length })}
          </button>
          {showDone && (
            <ul className="tasks" data-testid="tasks-done">
              {done.map(item)}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

interface FormProps {
  personId: number;
  task: Task | null;
  me: Manager;
  managers: Manager[];
  defaultDue: number;
  onDone: () => void;
  onCancel: () => void;
}

export function TaskForm({ personId, task, me, managers, defaultDue, onDone, onCancel }: FormProps) {
  const { t, locale } = useWords(tasksWords);
  const start = toInputs(task?.dueAt ?? defaultDue);
  const [title, setTitle] = useState(task?.title ?? '');
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const [assignee, setAssignee] = useState(task?.assigneeId ?? me.id);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const others = managers.filter((m) => m.id !== me.id);

  const submit = () => {
    if (busy) return;
    setBusy(true);
    setError('');
    const input = { personId, title, dueAt: fromInputs(date, time), assigneeId: assignee };
    const call = task ? api.UpdateTask({ ...input, id: task.id }) : api.AddTask(input);
    call.then(
      () => {
        setBusy(false);
        onDone();
      },
      (e: unknown) => {
        setBusy(false);
        setError(errorText(e, locale));
      },
    );
  };

  return (
    <form
      className="task-form"
      data-testid="task-form"
      aria-label={task ? t('tasks.edit') : t('tasks.new')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="field">
        <span>{t('tasks.name')}</span>
        <input autoFocus value={title} maxLength={500} data-testid="task-title-input" onChange={(e) => setTitle(e.target.value)} />
      </label>
      <div className="task-form-row">
        <label className="field">
          <span>{t('tasks.date')}</span>
          <input type="date" value={date} data-testid="task-date" onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('tasks.time')}</span>
          <input type="time" value={time} data-testid="task-time" onChange={(e) => setTime(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span>{t('tasks.assignee')}</span>
        <select value={assignee} data-testid="task-assignee" onChange={(e) => setAssignee(Number(e.target.value))}>
          <option value={me.id}>{t('tasks.me', { name: me.name })}</option>
          {others.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <div className="form-error" role="alert" data-testid="task-error">
          {error}
        </div>
      )}
      <div className="task-form-actions">
        <button type="button" className="btn btn-small" onClick={onCancel}>
          {t('tasks.cancel')}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-testid="task-save">
          {t('tasks.save')}
        </button>
      </div>
    </form>
  );
}
