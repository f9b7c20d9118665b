package inbox

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

func dialogueService(t *testing.T) (*Service, *composeEnv) {
	t.Helper()
	e := newComposeEnv(t, core.Telegram, "Anna")
	s, err := New(e.st)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return composeNow }
	ctx := context.Background()
	for _, o := range []core.DialogueOption{{Kind: core.OptionType, Name: "Billing"}, {Kind: core.OptionReason, Name: "Double charge"},
		{Kind: core.OptionReason, Name: "Late refund"}, {Kind: core.OptionComponent, Name: "Checkout"}} {
		if _, err := s.SaveDialogueOption(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	return s, e
}

// What a manager picks must come from the admin's lists; names are trimmed and deduplicated,
// managers default to me, and a new dialogue cannot start closed.
func TestCreateDialogueChecksTheLists(t *testing.T) {
	ctx := context.Background()
	s, e := dialogueService(t)
	d, err := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{Type: " Billing ",
		Reasons: []string{"Double charge", " Double charge", "", "Late refund"}, Components: []string{"Checkout"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Type != "Billing" || strings.Join(d.Reasons, "|") != "Double charge|Late refund" || d.Status != core.DialogueOpen ||
		len(d.Managers) != 1 || d.Managers[0] != s.Me {
		t.Fatalf("created = %+v", d)
	}
	if _, err := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{Type: "Made up"}); !errors.Is(err, ErrUnknownOption) || ErrorCode(err) != "dialogue_option_unknown" {
		t.Fatalf("unknown type: %v", err)
	}
	if _, err := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{Components: []string{"Billing"}}); !errors.Is(err, ErrUnknownOption) {
		t.Fatalf("a type offered as a component: %v", err)
	}
	if _, err := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{Status: core.DialogueClosed}); ErrorCode(err) != "invalid" {
		t.Fatalf("created closed: %v", err)
	}
	if _, err := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{Managers: []int64{-1}}); ErrorCode(err) != "invalid" {
		t.Fatalf("bad manager: %v", err)
	}

	// An entry the admin removes later does not block editing a dialogue that holds it.
	opts, _ := s.DialogueOptions(ctx)
	for _, o := range opts {
		if o.Name == "Billing" {
			if err := s.DeleteDialogueOption(ctx, o.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if d, err = s.EditDialogue(ctx, d.ID, core.DialogueInput{Type: "Billing", Reasons: []string{"Late refund"}}); err != nil || d.Type != "Billing" {
		t.Fatalf("edit keeping a removed type: %+v, %v", d, err)
	}
	if _, err := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{Type: "Billing"}); !errors.Is(err, ErrUnknownOption) {
		t.Fatalf("a removed type for a new dialogue: %v", err)
	}
}

// Setting the status closes and reopens as needed; each reopen is a new cycle.
func TestSetDialogueStatusClosesAndReopens(t *testing.T) {
	ctx := context.Background()
	s, e := dialogueService(t)
	d, _ := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{})
	steps := []struct {
		status string
		cycles int
	}{{core.DialogueInProgress, 1}, {core.DialogueWaiting, 1}, {core.DialogueClosed, 1}, {core.DialogueInProgress, 2},
		{core.DialogueClosed, 2}, {core.DialogueOpen, 3}}
	for _, st := range steps {
		var err error
		if d, err = s.SetDialogueStatus(ctx, d.ID, st.status); err != nil || d.Status != st.status || len(d.Cycles) != st.cycles {
			t.Fatalf("-> %s: %+v, %v", st.status, d, err)
		}
	}
	if _, err := s.SetDialogueStatus(ctx, d.ID, "done"); ErrorCode(err) != "invalid" {
		t.Fatalf("unknown status: %v", err)
	}
	if _, err := s.ReopenDialogue(ctx, d.ID); ErrorCode(err) != "dialogue_open" {
		t.Fatalf("reopen an open dialogue: %v", err)
	}
	if _, err := s.CloseDialogue(ctx, d.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDialogue(ctx, d.ID, "rate us"); ErrorCode(err) != "dialogue_closed" {
		t.Fatalf("close a closed dialogue: %v", err)
	}
	for _, score := range []int{0, 6, -1} {
		if _, err := s.RateClient(ctx, d.ID, score); ErrorCode(err) != "invalid" {
			t.Fatalf("rating %d: %v", score, err)
		}
	}
	if d, err := s.RateClient(ctx, d.ID, 2); err != nil || d.ManagerRating != 2 || d.Cycles[2].ManagerRating != 2 {
		t.Fatalf("manager rating: %+v, %v", d, err)
	}
	if _, err := s.RateClient(ctx, 9999, 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing dialogue: %v", err)
	}
}

func TestDialogueListErrorsHaveCodes(t *testing.T) {
	ctx := context.Background()
	s, _ := dialogueService(t)
	if _, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: "Billing"}); ErrorCode(err) != "dialogue_option_exists" {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: " "}); ErrorCode(err) != "dialogue_option_name" {
		t.Fatalf("empty: %v", err)
	}
	if _, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: "mood", Name: "x"}); ErrorCode(err) != "invalid" {
		t.Fatalf("unknown list: %v", err)
	}
}
