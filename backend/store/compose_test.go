package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchboard/backend/core"
)

var composeT0 = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// composeChat opens a store at path with one Telegram chat of one client and returns the chat.
func composeChat(t *testing.T, s *Store, ext string) core.Chat {
	t.Helper()
	ctx := context.Background()
	ch, err := s.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Shop bot", ExternalID: "900" + ext, Username: "shopbot" + ext}, composeT0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "1", Updates: []core.Update{{
		Kind: core.UpdMessage, ExternalChatID: ext, ExternalID: "1", Text: "hi", At: composeT0.UnixMilli(),
		From: core.Sender{ExternalUserID: ext, Name: "Anna Petrova"}, Sender: core.SenderClient,
	}}}, composeT0)
	if err != nil {
		t.Fatal(err)
	}
	var chatID int64
	if err := s.read.Get(&chatID, `SELECT id FROM chats WHERE channel_id = ? AND external_chat_id = ?`, ch.ID, ext); err != nil {
		t.Fatal(err)
	}
	c, err := s.Chat(ctx, chatID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hasDraft(t *testing.T, s *Store, personID int64) bool {
	t.Helper()
	var v bool
	if err := s.read.Get(&v, `SELECT has_draft FROM people WHERE id = ?`, personID); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDraftSurvivesReopenAndDrivesHasDraft(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := composeChat(t, s, "501")
	if hasDraft(t, s, c.PersonID) {
		t.Fatal("has_draft before any draft")
	}
	seq0, _ := s.LastEventSeq(ctx)
	d := core.Draft{ChatID: c.ID, Text: "Hello, <b>Anna</b> 👋\nsecond line", Constructor: `{"parts":[{"kind":"text","text":"x"}]}`, ReplyToID: 0}
	if err := s.SaveDraft(ctx, d, composeT0); err != nil {
		t.Fatal(err)
	}
	if !hasDraft(t, s, c.PersonID) {
		t.Fatal("has_draft not set by SaveDraft")
	}
	// Typing on changes the text but not the mark: no further event.
	seq1, _ := s.LastEventSeq(ctx)
	if seq1 != seq0+1 {
		t.Fatalf("first save appended %d events, want 1", seq1-seq0)
	}
	d.Text += "!"
	if err := s.SaveDraft(ctx, d, composeT0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if seq2, _ := s.LastEventSeq(ctx); seq2 != seq1 {
		t.Fatalf("a second save appended %d events, want 0", seq2-seq1)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openSameDatabase(t, s)
	got, err := s2.Draft(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != d.Text || got.Constructor != d.Constructor || got.UpdatedAt != composeT0.Add(time.Second).UnixMilli() {
		t.Fatalf("draft after reopen = %+v, want text %q", got, d.Text)
	}
	chat, err := s2.Chat(ctx, c.ID)
	if err != nil || !chat.HasDraft {
		t.Fatalf("chat.HasDraft after reopen = %v, %v", chat.HasDraft, err)
	}
	if !hasDraft(t, s2, c.PersonID) {
		t.Fatal("has_draft lost on reopen")
	}
	page, err := s2.ListPeople(ctx, core.ListQuery{Tab: core.TabAll}, 0, composeT0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 1 || !page.Rows[0].HasDraft {
		t.Fatalf("people list rows = %+v, want one with the draft mark", page.Rows)
	}

	// Clearing text and constructor deletes the draft and the mark.
	if err := s2.SaveDraft(ctx, core.Draft{ChatID: c.ID, Text: "  ", Constructor: ""}, composeT0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if hasDraft(t, s2, c.PersonID) {
		t.Fatal("has_draft still set after clearing")
	}
	got, _ = s2.Draft(ctx, c.ID)
	if got.Text != "" || got.Constructor != "" || got.UpdatedAt != 0 {
		t.Fatalf("cleared draft = %+v", got)
	}
	var n int
	s2.read.Get(&n, `SELECT COUNT(*) FROM drafts`)
	if n != 0 {
		t.Fatalf("%d draft rows after clearing", n)
	}
}

func TestDraftOnlyConstructorKeepsMarkAndUnknownChatFails(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c := composeChat(t, s, "502")
	if err := s.SaveDraft(ctx, core.Draft{ChatID: c.ID, Constructor: `{"parts":[]}`}, composeT0); err != nil {
		t.Fatal(err)
	}
	if !hasDraft(t, s, c.PersonID) {
		t.Fatal("a constructor-only draft must mark the person")
	}
	err := s.SaveDraft(ctx, core.Draft{ChatID: 99999, Text: "x"}, composeT0)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("draft for a missing chat: %v, want ErrNotFound", err)
	}
}

func TestTemplateCRUD(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a, err := s.SaveTemplate(ctx, core.Template{Name: " Greeting ", Value: "Hello, {first_name}!"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Name != "Greeting" {
		t.Fatalf("created %+v", a)
	}
	if _, err := s.SaveTemplate(ctx, core.Template{Name: "Greeting", Value: "dup"}); !errors.Is(err, ErrTemplateExists) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := s.SaveTemplate(ctx, core.Template{Name: "  "}); !errors.Is(err, ErrTemplateName) {
		t.Fatalf("empty name: %v", err)
	}
	b, err := s.SaveTemplate(ctx, core.Template{Name: "Address", Value: "Moscow, Tverskaya 1"})
	if err != nil {
		t.Fatal(err)
	}
	a.Value = "Good morning, {name}"
	if _, err := s.SaveTemplate(ctx, a); err != nil {
		t.Fatal(err)
	}
	list, err := s.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "Address" || list[1].Value != "Good morning, {name}" {
		t.Fatalf("templates = %+v", list)
	}
	if err := s.DeleteTemplate(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Template(ctx, b.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted template: %v", err)
	}
	if _, err := s.SaveTemplate(ctx, core.Template{ID: b.ID, Name: "Gone"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of a missing template: %v", err)
	}
}
