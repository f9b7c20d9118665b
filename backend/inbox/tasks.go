package inbox

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

var (
	// ErrTaskTitle: a task needs a title, of at most maxTaskTitle characters.
	ErrTaskTitle = errors.New("inbox: a task needs a title")
	// ErrTaskDue: the due date and time is missing or not a real date.
	ErrTaskDue = errors.New("inbox: invalid due date")
	// ErrAdminOnly: only an admin may do this (take over or release another manager's chat).
	ErrAdminOnly = errors.New("inbox: admins only")
)

const maxTaskTitle = 500

// Due times the UI can mean: from 2000 to 2100 (unix ms). Anything else is a broken date
// picker or a seconds-for-milliseconds mix-up, not a plan.
const (
	minDueAt = 946684800000
	maxDueAt = 4102444800000
)

// cleanTask trims and checks what manager me typed into the task form; an assignee of 0 is me.
func cleanTask(me int64, t core.Task) (core.Task, error) {
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" || utf8.RuneCountInString(t.Title) > maxTaskTitle {
		return t, ErrTaskTitle
	}
	if t.DueAt < minDueAt || t.DueAt > maxDueAt {
		return t, ErrTaskDue
	}
	if t.AssigneeID == 0 {
		t.AssigneeID = me
	}
	if t.AssigneeID < 0 {
		return t, invalid("bad assignee")
	}
	return t, nil
}

// Tasks lists a person's tasks, open ones first.
func (s *Service) Tasks(ctx context.Context, personID int64) ([]core.Task, error) {
	if personID <= 0 {
		return nil, invalid("no person")
	}
	return s.Store.Tasks(ctx, personID)
}

// AddTask creates a task on a person: a title, a due time, an assignee (me by default). On a
// replica the hub makes it at once (its id is the hub's); it comes back through the feed.
func (s *Service) AddTask(ctx context.Context, t core.Task) (core.Task, error) {
	if s.Remote != nil {
		if t.PersonID <= 0 {
			return core.Task{}, invalid("no person")
		}
		// The hub fills in the sender as the assignee of 0: it knows who signed in.
		t, err := cleanTask(0, t)
		if err != nil {
			return core.Task{}, err
		}
		return s.remoteTask(ctx, teamwire.Mutation{Kind: teamwire.MutTaskAdd, PersonID: t.PersonID, Text: t.Title, DueAt: t.DueAt, Assignee: t.AssigneeID})
	}
	return s.AddTaskAs(ctx, s.Me, t)
}

// AddTaskAs is AddTask by manager me (the hub applies a desktop's).
func (s *Service) AddTaskAs(ctx context.Context, me int64, t core.Task) (core.Task, error) {
	if t.PersonID <= 0 {
		return core.Task{}, invalid("no person")
	}
	t, err := cleanTask(me, t)
	if err != nil {
		return core.Task{}, err
	}
	return s.Store.AddTask(ctx, t, me, s.now())
}

// UpdateTask changes a task's title, due time and assignee.
func (s *Service) UpdateTask(ctx context.Context, t core.Task) (core.Task, error) {
	if s.Remote != nil {
		if t.ID <= 0 {
			return core.Task{}, invalid("no task")
		}
		t, err := cleanTask(0, t)
		if err != nil {
			return core.Task{}, err
		}
		return s.remoteTask(ctx, teamwire.Mutation{Kind: teamwire.MutTaskEdit, TaskID: t.ID, Text: t.Title, DueAt: t.DueAt, Assignee: t.AssigneeID})
	}
	return s.UpdateTaskAs(ctx, s.Me, t)
}

// UpdateTaskAs is UpdateTask by manager me.
func (s *Service) UpdateTaskAs(ctx context.Context, me int64, t core.Task) (core.Task, error) {
	if t.ID <= 0 {
		return core.Task{}, invalid("no task")
	}
	t, err := cleanTask(me, t)
	if err != nil {
		return core.Task{}, err
	}
	return s.Store.UpdateTask(ctx, t, s.now())
}

// SetTaskDone completes a task (true) or opens it again.
func (s *Service) SetTaskDone(ctx context.Context, id int64, done bool) (core.Task, error) {
	if id <= 0 {
		return core.Task{}, invalid("no task")
	}
	if s.Remote != nil {
		return s.remoteTask(ctx, teamwire.Mutation{Kind: teamwire.MutTaskDone, TaskID: id, On: done})
	}
	return s.Store.SetTaskDone(ctx, id, done, s.now())
}

// DeleteTask removes a task.
func (s *Service) DeleteTask(ctx context.Context, id int64) error {
	if id <= 0 {
		return invalid("no task")
	}
	if s.Remote != nil {
		_, err := postNow[core.Task](ctx, s.Remote, teamwire.Mutation{Kind: teamwire.MutTaskDelete, TaskID: id}, nil)
		return err
	}
	return s.Store.DeleteTask(ctx, id, s.now())
}

// remoteTask has the hub apply a task mutation now and answers its task.
func (s *Service) remoteTask(ctx context.Context, m teamwire.Mutation) (core.Task, error) {
	return postNow(ctx, s.Remote, m, func(r teamwire.MutationResult) *core.Task { return r.Task })
}

// isAdmin says whether I may take over or release other managers' chats. Solo mode has one
// manager, who is the admin; team mode sets Service.Admin from the signed-in account's role.
func (s *Service) isAdmin(ctx context.Context) bool {
	return s.Admin == nil || s.Admin(ctx)
}

// ClaimChat makes me the chat's owner if its owner is still expected (what the UI showed: 0 for
// unassigned). Two claims at once have one winner; the other gets a store.ClaimConflict naming
// the owner (code "claimed"). Taking over another manager's chat is for admins. On a replica the
// hub decides, at once (a compare-and-set cannot wait in a queue).
func (s *Service) ClaimChat(ctx context.Context, chatID, expected int64) error {
	if s.Remote != nil {
		_, err := s.Remote.PostNow(ctx, teamwire.Mutation{Kind: teamwire.MutClaim, ChatID: chatID, Owner: expected})
		return err
	}
	return s.ClaimChatAs(ctx, s.Me, s.isAdmin(ctx), chatID, expected)
}

// ClaimChatAs is ClaimChat for manager me, an admin or not (the hub applies a desktop's claim).
func (s *Service) ClaimChatAs(ctx context.Context, me int64, admin bool, chatID, expected int64) error {
	if chatID <= 0 || expected < 0 {
		return invalid("no chat")
	}
	if expected != 0 && expected != me && !admin {
		return ErrAdminOnly
	}
	return s.Store.SetChatOwner(ctx, chatID, me, expected, s.now())
}

// ReleaseChat leaves a chat unassigned if its owner is still expected. Managers release their
// own chats; admins anyone's.
func (s *Service) ReleaseChat(ctx context.Context, chatID, expected int64) error {
	if s.Remote != nil {
		_, err := s.Remote.PostNow(ctx, teamwire.Mutation{Kind: teamwire.MutRelease, ChatID: chatID, Owner: expected})
		return err
	}
	return s.ReleaseChatAs(ctx, s.Me, s.isAdmin(ctx), chatID, expected)
}

// ReleaseChatAs is ReleaseChat for manager me, an admin or not.
func (s *Service) ReleaseChatAs(ctx context.Context, me int64, admin bool, chatID, expected int64) error {
	if chatID <= 0 || expected <= 0 {
		return invalid("no chat or owner")
	}
	if expected != me && !admin {
		return ErrAdminOnly
	}
	return s.Store.SetChatOwner(ctx, chatID, 0, expected, s.now())
}
