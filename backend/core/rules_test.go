package core

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func sentAt(t time.Time) Message {
	return Message{Kind: KindMessage, Sender: SenderManager, ExternalID: "42", CreatedAt: t.UnixMilli()}
}

func TestDeleteWindowsAreTheMessengers(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		kind ChannelKind
		age  time.Duration
		want error
	}{
		{Telegram, 47 * time.Hour, nil},
		{Telegram, 48 * time.Hour, ErrDeleteWindowPassed},
		{VK, 23*time.Hour + 59*time.Minute, nil},
		{VK, 24 * time.Hour, ErrDeleteWindowPassed},
	}
	for _, c := range cases {
		if got := CanDelete(c.kind, sentAt(now.Add(-c.age)), now); !errors.Is(got, c.want) {
			t.Errorf("%s after %s: %v, want %v", c.kind, c.age, got, c.want)
		}
	}
}

func TestOnlyOurSentMessagesCanBeEditedOrDeleted(t *testing.T) {
	now := time.Now()
	client := sentAt(now)
	client.Sender = SenderClient
	queued := sentAt(now)
	queued.ExternalID = ""
	deleted := sentAt(now)
	deleted.Deleted = true
	note := sentAt(now)
	note.Kind = KindNote
	for name, m := range map[string]Message{"client": client, "queued": queued, "deleted": deleted, "note": note} {
		if CanEdit(m) == nil || CanDelete(Telegram, m, now) == nil {
			t.Errorf("%s message was editable or deletable", name)
		}
	}
	if err := CanEdit(sentAt(now.Add(-30 * 24 * time.Hour))); err != nil {
		t.Errorf("an old sent message must stay editable: %v", err)
	}
}

func TestTextLimitsCountCharactersNotBytes(t *testing.T) {
	ru := strings.Repeat("ж", TelegramTextLimit) // 2 bytes each
	if err := CheckText(Telegram, ru); err != nil {
		t.Fatalf("4096 Cyrillic characters rejected: %v", err)
	}
	if err := CheckText(Telegram, ru+"ж"); !errors.Is(err, ErrTextTooLong) {
		t.Fatalf("4097 characters: %v", err)
	}
	if err := CheckText(VK, ru+"ж"); err != nil {
		t.Fatalf("VK allows 9000: %v", err)
	}
}

func TestImportantIsMyOpenTaskDueByTonight(t *testing.T) {
	loc := time.FixedZone("MSK", 3*3600)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, loc)
	me := int64(1)
	task := func(due time.Time, assignee int64, done bool) Task {
		return Task{AssigneeID: assignee, DueAt: due.UnixMilli(), Done: done}
	}
	if !IsImportant(task(now.Add(-48*time.Hour), me, false), me, now) {
		t.Error("overdue task not important")
	}
	if !IsImportant(task(time.Date(2026, 11, 21, 23, 59, 0, 0, loc), me, false), me, now) {
		t.Error("task due late today not important")
	}
	if IsImportant(task(time.Date(2026, 11, 22, 0, 0, 0, 0, loc), me, false), me, now) {
		t.Error("tomorrow's task important")
	}
	if IsImportant(task(now, 2, false), me, now) || IsImportant(task(now, me, true), me, now) {
		t.Error("someone else's or a done task important")
	}
}

func TestDeepLinkPayloads(t *testing.T) {
	for _, ok := range []string{"a", "promo_2026-11", strings.Repeat("x", 64)} {
		if !ValidDeepLinkPayload(ok) {
			t.Errorf("%q rejected", ok)
		}
	}
	for _, bad := range []string{"", strings.Repeat("x", 65), "a b", "скидка", "a=b", "<script>"} {
		if ValidDeepLinkPayload(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestClampLimit(t *testing.T) {
	if ClampLimit(0) != DefaultPageSize || ClampLimit(-5) != DefaultPageSize || ClampLimit(1000) != MaxPageSize || ClampLimit(20) != 20 {
		t.Fatal("ClampLimit")
	}
}
