package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

var (
	// ErrUnknownAssignee: a task names a manager who does not exist.
	ErrUnknownAssignee = errors.New("store: unknown assignee")
	// ErrAssigneeDisabled: a task names a manager whose account is disabled.
	ErrAssigneeDisabled = errors.New("store: assignee disabled")
	// ErrMentionDisabled: a note tags a manager whose account is disabled.
	ErrMentionDisabled = errors.New("store: tagged manager disabled")
)

const taskCols = `id, person_id, assignee_id, title, due_at, done, done_at`

// Tasks lists a person's tasks: the open ones soonest due first, then the done ones most
// recently completed first.
func (s *Store) Tasks(ctx context.Context, personID int64) ([]core.Task, error) {
	tasks := []core.Task{}
	if err := s.read.SelectContext(ctx, &tasks, `SELECT `+taskCols+` FROM tasks WHERE person_id = ?
ORDER BY done, CASE WHEN done = 0 THEN due_at ELSE -done_at END, id`, personID); err != nil {
		return nil, fmt.Errorf("store: tasks of person %d: %w", personID, err)
	}
	return tasks, nil
}

// Task returns one task, or ErrNotFound.
func (s *Store) Task(ctx context.Context, id int64) (core.Task, error) {
	var t core.Task
	err := s.read.GetContext(ctx, &t, `SELECT `+taskCols+` FROM tasks WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Task{}, fmt.Errorf("store: task %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return core.Task{}, fmt.Errorf("store: task %d: %w", id, err)
	}
	return t, nil
}

// managerState says whether a manager exists and whether their hub account is disabled (solo
// mode has no accounts).
func managerState(ctx context.Context, tx *sqlx.Tx, managerID int64) (exists, disabled bool, err error) {
	var row struct {
		Exists   bool `db:"present"`
		Disabled bool `db:"disabled"`
	}
	err = tx.GetContext(ctx, &row, `SELECT EXISTS (SELECT 1 FROM managers WHERE id = ?1) AS present,
  EXISTS (SELECT 1 FROM accounts WHERE manager_id = ?1 AND disabled = 1) AS disabled`, managerID)
	return row.Exists, row.Disabled, err
}

// checkAssignee fails with ErrUnknownAssignee for a manager who does not exist and with
// ErrAssigneeDisabled for one whose hub account is disabled.
func checkAssignee(ctx context.Context, tx *sqlx.Tx, managerID int64) error {
	exists, disabled, err := managerState(ctx, tx, managerID)
	switch {
	case err != nil:
		return fmt.Errorf("store: task assignee %d: %w", managerID, err)
	case !exists:
		return fmt.Errorf("store: task assignee %d: %w", managerID, ErrUnknownAssignee)
	case disabled:
		return fmt.Errorf("store: task assignee %d: %w", managerID, ErrAssigneeDisabled)
	}
	return nil
}

// AddTask creates a task on t.PersonID (ID and Done are ignored). A task already due when
// created by its own assignee (by) is marked as alerted: nobody needs telling what they have just
// written down; one created for somebody else fires for them as usual.
func (s *Store) AddTask(ctx context.Context, t core.Task, by int64, now time.Time) (core.Task, error) {
	at := now.UnixMilli()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var exists bool
		if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM people WHERE id = ?)`, t.PersonID); err != nil {
			return fmt.Errorf("store: add task: person %d: %w", t.PersonID, err)
		}
		if !exists {
			return fmt.Errorf("store: add task: person %d: %w", t.PersonID, ErrNotFound)
		}
		if err := checkAssignee(ctx, tx, t.AssigneeID); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &t.ID, `INSERT INTO tasks (person_id, assignee_id, title, due_at, done)
VALUES (?, ?, ?, ?, 0) RETURNING id`, t.PersonID, t.AssigneeID, t.Title, t.DueAt); err != nil {
			return fmt.Errorf("store: add task: %w", err)
		}
		t.Done, t.DoneAt = false, 0
		if t.DueAt <= at && t.AssigneeID == by {
			if err := markAlerted(ctx, tx, t.ID, t.DueAt); err != nil {
				return err
			}
		}
		return appendEvent(ctx, tx, core.EventTaskChanged, t.PersonID, 0, 0, at)
	})
	if err != nil {
		return core.Task{}, err
	}
	return t, nil
}

// UpdateTask changes a task's title, due time and assignee. A new due time arms its
// notification again (task_alerts remembers the due time it fired for).
func (s *Store) UpdateTask(ctx context.Context, t core.Task, now time.Time) (core.Task, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := checkAssignee(ctx, tx, t.AssigneeID); err != nil {
			return err
		}
		err := tx.GetContext(ctx, &t, `UPDATE tasks SET title = ?, due_at = ?, assignee_id = ? WHERE id = ?
RETURNING `+taskCols, t.Title, t.DueAt, t.AssigneeID, t.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: update task %d: %w", t.ID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: update task %d: %w", t.ID, err)
		}
		return appendEvent(ctx, tx, core.EventTaskChanged, t.PersonID, 0, 0, now.UnixMilli())
	})
	if err != nil {
		return core.Task{}, err
	}
	return t, nil
}

// SetTaskDone completes a task (done) or opens it again.
func (s *Store) SetTaskDone(ctx context.Context, id int64, done bool, now time.Time) (core.Task, error) {
	var t core.Task
	at := now.UnixMilli()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		doneAt := int64(0)
		if done {
			doneAt = at
		}
		err := tx.GetContext(ctx, &t, `UPDATE tasks SET done = ?, done_at = CASE WHEN done = ? THEN done_at ELSE ? END
WHERE id = ? RETURNING `+taskCols, done, done, doneAt, id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: complete task %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: complete task %d: %w", id, err)
		}
		return appendEvent(ctx, tx, core.EventTaskChanged, t.PersonID, 0, 0, at)
	})
	return t, err
}

// DeleteTask removes a task.
func (s *Store) DeleteTask(ctx context.Context, id int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var personID int64
		err := tx.GetContext(ctx, &personID, `DELETE FROM tasks WHERE id = ? RETURNING person_id`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: delete task %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: delete task %d: %w", id, err)
		}
		return appendEvent(ctx, tx, core.EventTaskChanged, personID, 0, 0, now.UnixMilli())
	})
}

func markAlerted(ctx context.Context, tx *sqlx.Tx, taskID, dueAt int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO task_alerts (task_id, due_at) VALUES (?, ?)
ON CONFLICT (task_id) DO UPDATE SET due_at = excluded.due_at`, taskID, dueAt); err != nil {
		return fmt.Errorf("store: mark task %d alerted: %w", taskID, err)
	}
	return nil
}

// TakeDueTasks returns assignee's open tasks whose due time has come and whose notification has
// not fired yet for that due time, and records in the same transaction that it has: each due
// time is handed out once, across restarts too. The walk is tasks_open's range of the
// assignee's tasks due by now.
func (s *Store) TakeDueTasks(ctx context.Context, assignee int64, now time.Time) ([]core.DueTask, error) {
	args := []any{assignee, now.UnixMilli()}
	// Most checks find nothing: a read answers them without taking the writer or waking the
	// event log's followers.
	var found bool
	if err := s.read.GetContext(ctx, &found, `SELECT EXISTS (`+dueTasksQuery+`)`, args...); err != nil {
		return nil, fmt.Errorf("store: due tasks: %w", err)
	}
	due := []core.DueTask{}
	if !found {
		return due, nil
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		due = due[:0]
		if err := tx.SelectContext(ctx, &due, dueTasksQuery, args...); err != nil {
			return fmt.Errorf("store: due tasks: %w", err)
		}
		for _, d := range due {
			if err := markAlerted(ctx, tx, d.ID, d.DueAt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return due, nil
}

const dueTasksQuery = `SELECT t.id, t.person_id, t.assignee_id, t.title, t.due_at, t.done, t.done_at,
  p.name AS person_name, p.last_chat_id AS chat_id
FROM tasks t JOIN people p ON p.id = t.person_id
WHERE t.assignee_id = ? AND t.done = 0 AND t.due_at <= ?
  AND NOT EXISTS (SELECT 1 FROM task_alerts a WHERE a.task_id = t.id AND a.due_at = t.due_at)
ORDER BY t.due_at, t.id`
