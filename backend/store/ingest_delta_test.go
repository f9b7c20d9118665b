package store

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"switchboard/backend/core"
)

type listCols struct {
	ID            int64 `db:"id"`
	LastChatID    int64 `db:"last_chat_id"`
	LastMessageAt int64 `db:"last_message_at"`
	Unread        int64 `db:"unread"`
	FirstUnreadAt int64 `db:"first_unread_at"`
}

// listState reads every chat's and person's list columns.
func listState(t *testing.T, s *Store) (chats, people []listCols) {
	t.Helper()
	if err := s.write.Select(&chats, `SELECT id, 0 AS last_chat_id, last_message_at, unread, first_unread_at FROM chats ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if err := s.write.Select(&people, `SELECT id, last_chat_id, last_message_at, unread, first_unread_at FROM people ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return chats, people
}

// The incremental list columns of ingestion must equal a full recompute from the messages,
// whatever the batches hold: appends in and out of order, same-time messages, indicators,
// edits of the newest message, duplicates, blocks, new chats, shared phones that merge people,
// reads between batches and a second channel.
func TestIncrementalListColumnsEqualAFullRecompute(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { checkIncrementalAgainstRecompute(t, seed) })
	}
}

func checkIncrementalAgainstRecompute(t *testing.T, seed int64) {
	ctx := context.Background()
	s := openTest(t)
	tg := addTestChannel(t, s, core.Telegram, "1")
	vk := addTestChannel(t, s, core.VK, "2")
	rng := rand.New(rand.NewSource(seed))
	next := 0
	sent := map[string][]string{} // chat -> external ids
	lastAt := map[string]int64{}  // chat -> time of its last update, for same-time messages
	for batchNo := 0; batchNo < 60; batchNo++ {
		ch := tg
		if batchNo%3 == 2 {
			ch = vk
		}
		var b core.Batch
		for j := 0; j < 1+rng.Intn(30); j++ {
			chat := fmt.Sprint(rng.Intn(25))
			at := t0.UnixMilli() + int64(batchNo*1000+rng.Intn(3000)) // overlapping, out of order
			if last, ok := lastAt[chat]; ok && rng.Intn(4) == 0 {
				at = last // the same millisecond as the chat's previous update: ties break by id
			}
			lastAt[chat] = at
			switch r := rng.Intn(20); {
			case r < 12:
				next++
				id := fmt.Sprint(next)
				u := msgUpd(chat, id, fmt.Sprintf("text %d", next), at)
				if r == 0 {
					u.Sender = core.SenderAdmin
				}
				if r == 1 {
					u.From.Phone = fmt.Sprintf("+7 916 000-00-%02d", rng.Intn(6))
				}
				sent[chat] = append(sent[chat], id)
				b.Updates = append(b.Updates, u)
			case r < 14 && len(sent[chat]) > 0:
				ids := sent[chat]
				u := msgUpd(chat, ids[len(ids)-1-rng.Intn(min(3, len(ids)))], fmt.Sprintf("edited %d", rng.Intn(1000)), at)
				u.Kind = core.UpdEdit
				b.Updates = append(b.Updates, u)
			case r < 15 && len(sent[chat]) > 0:
				b.Updates = append(b.Updates, msgUpd(chat, sent[chat][0], "duplicate", at)) // already stored
			case r < 16:
				u := msgUpd(chat, "", "", at)
				u.Kind = core.UpdBlocked
				b.Updates = append(b.Updates, u)
			case r < 17:
				u := msgUpd(chat, "", "", at)
				u.Kind = core.UpdAllowed
				b.Updates = append(b.Updates, u)
			default:
				next++
				u := msgUpd(chat, fmt.Sprint(next), "/start promo", at)
				u.StartPayload = "promo"
				b.Updates = append(b.Updates, u)
			}
		}
		if _, err := s.ApplyBatch(ctx, ch.ID, b, t0); err != nil {
			t.Fatal(err)
		}
		if batchNo%7 == 3 { // a manager reads a few chats between batches
			var ids []int64
			s.write.Select(&ids, `SELECT id FROM chats WHERE unread > 0 ORDER BY id LIMIT 3`)
			for _, id := range ids {
				if err := s.MarkRead(ctx, id, t0); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	checkPreviews(t, s)
	incChats, incPeople := listState(t, s)
	// people_unread_oldest selects people by first_unread_at > 0 where the list asks unread > 0:
	// the two must always agree.
	for _, r := range append(append([]listCols{}, incChats...), incPeople...) {
		if (r.Unread > 0) != (r.FirstUnreadAt > 0) {
			t.Errorf("row %d: unread %d but first_unread_at %d", r.ID, r.Unread, r.FirstUnreadAt)
		}
	}
	if len(incChats) < 20 {
		t.Fatalf("only %d chats: the test did not exercise much", len(incChats))
	}
	if _, err := s.write.Exec(refreshChatsSQL); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.Exec(refreshPeopleSQL); err != nil {
		t.Fatal(err)
	}
	fullChats, fullPeople := listState(t, s)
	if !reflect.DeepEqual(incChats, fullChats) {
		for i := range incChats {
			if incChats[i] != fullChats[i] {
				t.Errorf("chat %d: incremental %+v, recomputed %+v", incChats[i].ID, incChats[i], fullChats[i])
			}
		}
	}
	if !reflect.DeepEqual(incPeople, fullPeople) {
		for i := range incPeople {
			if i < len(fullPeople) && incPeople[i] != fullPeople[i] {
				t.Errorf("person %d: incremental %+v, recomputed %+v", incPeople[i].ID, incPeople[i], fullPeople[i])
			}
		}
	}
}

// checkPreviews holds what the list and a chat show as the preview (read with them, previewOf)
// to its definition, worked out here from the messages: the first 200 characters of the
// chat's newest message, the later row of two at the same time, ” for a deleted one.
func checkPreviews(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	var msgs []struct {
		ChatID    int64  `db:"chat_id"`
		Kind      string `db:"kind"`
		Text      string `db:"text"`
		Deleted   bool   `db:"deleted"`
		CreatedAt int64  `db:"created_at"`
	}
	if err := s.write.Select(&msgs, `SELECT chat_id, kind, text, deleted, created_at FROM messages ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{}
	newest := map[int64]int64{}
	for _, m := range msgs {
		if at, ok := newest[m.ChatID]; m.Kind != string(core.KindMessage) || ok && m.CreatedAt < at {
			continue
		}
		newest[m.ChatID] = m.CreatedAt
		want[m.ChatID] = ""
		if !m.Deleted {
			r := []rune(m.Text)
			want[m.ChatID] = string(r[:min(len(r), 200)])
		}
	}
	var people []struct {
		ID         int64 `db:"id"`
		LastChatID int64 `db:"last_chat_id"`
	}
	if err := s.write.Select(&people, `SELECT id, last_chat_id FROM people`); err != nil {
		t.Fatal(err)
	}
	shown := map[int64]string{}
	page, err := s.ListPeople(ctx, core.ListQuery{Limit: 1000}, 0, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		shown[r.PersonID] = r.Preview
	}
	for _, p := range people {
		if got, ok := shown[p.ID]; !ok || got != want[p.LastChatID] {
			t.Errorf("person %d: the list shows preview %q (listed %v), the newest message of chat %d is %q",
				p.ID, got, ok, p.LastChatID, want[p.LastChatID])
		}
		if p.LastChatID == 0 {
			continue
		}
		c, err := s.Chat(ctx, p.LastChatID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Preview != want[p.LastChatID] {
			t.Errorf("chat %d: preview %q, its newest message is %q", c.ID, c.Preview, want[p.LastChatID])
		}
	}
}
