package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

// Dialogues: create, edit, status, close (with a one-tap rating request), reopen (a new cycle),
// the manager's rating of the client, and the admin's lists of types, reasons and components.

// ErrUnknownOption is refused for a dialogue type, reason or component that is not on the
// admin's lists (Settings → Dialogues).
var ErrUnknownOption = errors.New("not on the dialogue lists")

// DialogueOptions lists the admin's dialogue types, reasons and components.
func (s *Service) DialogueOptions(ctx context.Context) ([]core.DialogueOption, error) {
	return s.Store.DialogueOptions(ctx)
}

// SaveDialogueOption adds (ID 0) or renames an entry of a dialogue list.
// Errors: store.ErrOptionName, store.ErrOptionExists, store.ErrNotFound.
func (s *Service) SaveDialogueOption(ctx context.Context, o core.DialogueOption) (core.DialogueOption, error) {
	if s.Remote != nil {
		return s.remoteOption(ctx, o)
	}
	if o.ID == 0 && !core.ValidOptionKind(o.Kind) {
		return core.DialogueOption{}, invalid("dialogue list %q", o.Kind)
	}
	out, err := s.Store.SaveDialogueOption(ctx, o, s.now())
	if err != nil {
		return core.DialogueOption{}, fmt.Errorf("inbox: save dialogue list entry: %w", err)
	}
	return out, nil
}

// DeleteDialogueOption removes an entry; dialogues that chose it keep the name.
func (s *Service) DeleteDialogueOption(ctx context.Context, id int64) error {
	if s.Remote != nil {
		return s.remoteDeleteOption(ctx, id)
	}
	return s.Store.DeleteDialogueOption(ctx, id, s.now())
}

// ChatDialogues lists a chat's dialogues, newest first, each with its cycles.
func (s *Service) ChatDialogues(ctx context.Context, chatID int64) ([]core.Dialogue, error) {
	return s.Store.ChatDialogues(ctx, chatID)
}

// cleanNames trims, drops empties and repeats, and bounds a list of names.
func cleanNames(names []string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		if len([]rune(n)) > core.MaxDialogueName {
			return nil, invalid("dialogue list entry of %d characters", len([]rune(n)))
		}
		seen[n] = true
		out = append(out, n)
	}
	if len(out) > core.MaxDialogueNames {
		return nil, invalid("%d entries", len(out))
	}
	return out, nil
}

// checkDialogueInput cleans in and checks every name is on the admin's lists, or was already
// on the dialogue (kept): an entry the admin removed later does not block editing the rest.
func (s *Service) checkDialogueInput(ctx context.Context, me int64, in core.DialogueInput, kept core.Dialogue) (core.DialogueInput, error) {
	var err error
	in.Type = strings.TrimSpace(in.Type)
	if in.Reasons, err = cleanNames(in.Reasons); err != nil {
		return in, err
	}
	if in.Components, err = cleanNames(in.Components); err != nil {
		return in, err
	}
	opts, err := s.Store.DialogueOptions(ctx)
	if err != nil {
		return in, err
	}
	known := map[string]map[string]bool{core.OptionType: {kept.Type: true}, core.OptionReason: {}, core.OptionComponent: {}}
	for _, n := range kept.Reasons {
		known[core.OptionReason][n] = true
	}
	for _, n := range kept.Components {
		known[core.OptionComponent][n] = true
	}
	for _, o := range opts {
		known[o.Kind][o.Name] = true
	}
	check := func(kind string, names ...string) error {
		for _, n := range names {
			if n != "" && !known[kind][n] {
				return fmt.Errorf("inbox: dialogue %s %q: %w", kind, n, ErrUnknownOption)
			}
		}
		return nil
	}
	if err := errors.Join(check(core.OptionType, in.Type), check(core.OptionReason, in.Reasons...),
		check(core.OptionComponent, in.Components...)); err != nil {
		return in, err
	}
	managers := []int64{}
	seen := map[int64]bool{}
	for _, m := range in.Managers {
		if m <= 0 {
			return in, invalid("manager %d", m)
		}
		if !seen[m] {
			seen[m] = true
			managers = append(managers, m)
		}
	}
	if len(managers) == 0 {
		managers = []int64{me}
	}
	if len(managers) > core.MaxDialogueAdmins {
		return in, invalid("%d managers", len(managers))
	}
	in.Managers = managers
	return in, nil
}

// CreateDialogue opens a dialogue in a chat. Status is open (default), in_progress or waiting;
// managers default to me. Errors: ErrUnknownOption, store.ErrNotFound (chat or manager).
func (s *Service) CreateDialogue(ctx context.Context, chatID int64, in core.DialogueInput) (core.Dialogue, error) {
	if s.Remote != nil {
		d, err := s.remoteDialogue(ctx, teamwire.Mutation{Kind: teamwire.MutDialogueCreate, ChatID: chatID, CompanyFields: inputFields(in)})
		if err != nil {
			return core.Dialogue{}, err
		}
		// Shown at once, not only when the feed brings it (which then changes nothing).
		if err := s.Store.ApplyDialogueAnswer(ctx, d, s.now()); err != nil {
			slog.Warn("inbox: keep a new dialogue before the feed brings it", "dialogue", d.ID, "err", err)
		}
		return d, nil
	}
	return s.CreateDialogueAs(ctx, s.Me, chatID, in)
}

// CreateDialogueAs is CreateDialogue by manager me (the hub applies a desktop's).
func (s *Service) CreateDialogueAs(ctx context.Context, me, chatID int64, in core.DialogueInput) (core.Dialogue, error) {
	if chatID <= 0 {
		return core.Dialogue{}, invalid("chat %d", chatID)
	}
	if in.Status == "" {
		in.Status = core.DialogueOpen
	}
	if !core.ValidDialogueStatus(in.Status) || in.Status == core.DialogueClosed {
		return core.Dialogue{}, invalid("a new dialogue's status %q", in.Status)
	}
	in, err := s.checkDialogueInput(ctx, me, in, core.Dialogue{})
	if err != nil {
		return core.Dialogue{}, err
	}
	d, err := s.Store.CreateDialogue(ctx, chatID, me, in, s.now())
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: create dialogue: %w", err)
	}
	return d, nil
}

// EditDialogue changes a dialogue's type, reasons, components and managers.
func (s *Service) EditDialogue(ctx context.Context, id int64, in core.DialogueInput) (core.Dialogue, error) {
	if s.Remote != nil {
		f := inputFields(in)
		f.DialogueID, f.Status = id, ""
		return s.remoteDialogue(ctx, teamwire.Mutation{Kind: teamwire.MutDialogueEdit, CompanyFields: f})
	}
	return s.EditDialogueAs(ctx, s.Me, id, in)
}

// EditDialogueAs is EditDialogue by manager me.
func (s *Service) EditDialogueAs(ctx context.Context, me, id int64, in core.DialogueInput) (core.Dialogue, error) {
	old, err := s.Store.Dialogue(ctx, id)
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: edit dialogue: %w", err)
	}
	if in, err = s.checkDialogueInput(ctx, me, in, old); err != nil {
		return core.Dialogue{}, err
	}
	d, err := s.Store.EditDialogue(ctx, id, in, s.now())
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: edit dialogue: %w", err)
	}
	return d, nil
}

// SetDialogueStatus sets any status: closed closes the current cycle (without a rating request;
// CloseDialogue asks for one), and a closed dialogue set to another status is reopened first,
// which starts a new cycle.
func (s *Service) SetDialogueStatus(ctx context.Context, id int64, status string) (core.Dialogue, error) {
	if !core.ValidDialogueStatus(status) {
		return core.Dialogue{}, invalid("dialogue status %q", status)
	}
	if s.Remote != nil {
		return s.remoteDialogue(ctx, teamwire.Mutation{Kind: teamwire.MutDialogueStatus,
			CompanyFields: teamwire.CompanyFields{DialogueID: id, Status: status}})
	}
	return s.SetDialogueStatusAs(ctx, s.Me, id, status)
}

// SetDialogueStatusAs is SetDialogueStatus by manager me.
func (s *Service) SetDialogueStatusAs(ctx context.Context, me, id int64, status string) (core.Dialogue, error) {
	if !core.ValidDialogueStatus(status) {
		return core.Dialogue{}, invalid("dialogue status %q", status)
	}
	if status == core.DialogueClosed {
		return s.CloseDialogueAs(ctx, me, id, "")
	}
	d, err := s.Store.Dialogue(ctx, id)
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: set dialogue status: %w", err)
	}
	if d.Status == core.DialogueClosed {
		if d, err = s.Store.ReopenDialogue(ctx, id, me, s.now()); err != nil {
			return core.Dialogue{}, fmt.Errorf("inbox: set dialogue status: %w", err)
		}
	}
	if d.Status == status {
		return d, nil
	}
	d, err = s.Store.SetDialogueStatus(ctx, id, status, s.now())
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: set dialogue status: %w", err)
	}
	return d, nil
}

// CloseDialogue closes a dialogue's current cycle. A non-empty ratingText also sends the client
// a rating request: that text with buttons 1..5 (Telegram inline keyboard, VK keyboard); the
// client's tap becomes the cycle's client rating. Errors: core.ErrDialogueClosed,
// core.ErrTextTooLong.
func (s *Service) CloseDialogue(ctx context.Context, id int64, ratingText string) (core.Dialogue, error) {
	if s.Remote != nil {
		return s.remoteDialogue(ctx, teamwire.Mutation{Kind: teamwire.MutDialogueClose, Text: strings.TrimSpace(ratingText),
			CompanyFields: teamwire.CompanyFields{DialogueID: id}})
	}
	return s.CloseDialogueAs(ctx, s.Me, id, ratingText)
}

// CloseDialogueAs is CloseDialogue by manager me: the hub sends the rating request through its
// own outbox, and the client's tap reaches it through its own pollers.
func (s *Service) CloseDialogueAs(ctx context.Context, me, id int64, ratingText string) (core.Dialogue, error) {
	ratingText = strings.TrimSpace(ratingText)
	d, err := s.Store.CloseDialogue(ctx, id, me, ratingText, s.now())
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: close dialogue: %w", err)
	}
	if ratingText != "" {
		s.kick()
	}
	return d, nil
}

// ReopenDialogue starts a new cycle of a closed dialogue. Errors: core.ErrDialogueOpen.
func (s *Service) ReopenDialogue(ctx context.Context, id int64) (core.Dialogue, error) {
	if s.Remote != nil {
		return s.remoteDialogue(ctx, teamwire.Mutation{Kind: teamwire.MutDialogueReopen, CompanyFields: teamwire.CompanyFields{DialogueID: id}})
	}
	return s.ReopenDialogueAs(ctx, s.Me, id)
}

// ReopenDialogueAs is ReopenDialogue by manager me.
func (s *Service) ReopenDialogueAs(ctx context.Context, me, id int64) (core.Dialogue, error) {
	d, err := s.Store.ReopenDialogue(ctx, id, me, s.now())
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: reopen dialogue: %w", err)
	}
	return d, nil
}

// RateClient is the manager's rating of the client (1..5) for the dialogue's current cycle.
func (s *Service) RateClient(ctx context.Context, id int64, score int) (core.Dialogue, error) {
	if !core.ValidRating(score) {
		return core.Dialogue{}, invalid("rating %d", score)
	}
	if s.Remote != nil {
		return s.remoteDialogue(ctx, teamwire.Mutation{Kind: teamwire.MutDialogueRate,
			CompanyFields: teamwire.CompanyFields{DialogueID: id, Score: score}})
	}
	d, err := s.Store.RateClient(ctx, id, score, s.now())
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("inbox: rate client: %w", err)
	}
	return d, nil
}
