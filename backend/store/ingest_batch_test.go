package store

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"switchboard/backend/core"
)

// randomUpdates is a mixed stream: plain messages (most), replies to earlier messages (also
// within one batch), copies of a message inside the same stream, edits, reactions, /start,
// shared phones (which merge people), blocks and unblocks.
func randomUpdates(rng *rand.Rand, n int) []core.Update {
	var ups []core.Update
	sent := map[string][]string{}
	next := 0
	for len(ups) < n {
		chat := fmt.Sprint(rng.Intn(12))
		at := t0.UnixMilli() + int64(rng.Intn(5000))
		ids := sent[chat]
		switch r := rng.Intn(20); {
		case r < 11 || len(ids) == 0:
			next++
			id := fmt.Sprint(next)
			u := msgUpd(chat, id, fmt.Sprintf("word%d текст %d", rng.Intn(7), next), at)
			if r == 0 {
				u.Sender = core.SenderAdmin
			}
			sent[chat] = append(ids, id)
			ups = append(ups, u)
		case r < 13:
			next++
			u := msgUpd(chat, fmt.Sprint(next), "a reply", at)
			u.ReplyToExtID = ids[rng.Intn(len(ids))]
			sent[chat] = append(ids, u.ExternalID)
			ups = append(ups, u)
		case r < 14:
			ups = append(ups, msgUpd(chat, ids[rng.Intn(len(ids))], "the same again", at))
		case r < 16:
			u := msgUpd(chat, ids[rng.Intn(len(ids))], fmt.Sprintf("edited %d", rng.Intn(100)), at)
			u.Kind = core.UpdEdit
			ups = append(ups, u)
		case r < 17:
			u := msgUpd(chat, ids[rng.Intn(len(ids))], "", at)
			u.Kind, u.Reactions = core.UpdReaction, []core.Reaction{{Emoji: "👍", Count: 1 + rng.Intn(3)}}
			ups = append(ups, u)
		case r < 18:
			next++
			u := msgUpd(chat, fmt.Sprint(next), "/start promo", at)
			u.StartPayload = "promo"
			ups = append(ups, u)
		case r < 19:
			next++
			u := msgUpd(chat, fmt.Sprint(next), "my phone", at)
			u.From.Phone = fmt.Sprintf("+7 916 000-00-%02d", rng.Intn(4))
			sent[chat] = append(ids, u.ExternalID)
			ups = append(ups, u)
		default:
			u := msgUpd(chat, "", "", at)
			u.Kind = core.UpdBlocked
			if rng.Intn(2) == 0 {
				u.Kind = core.UpdAllowed
			}
			ups = append(ups, u)
		}
	}
	return ups
}

// dump reads what ingestion wrote, ids included.
func dump(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, q := range map[string]string{
		"messages": `SELECT id, chat_id, kind, external_id, sender, text, attachments, indicator, reactions,
		                    reply_to_id, status, edited, created_at, edited_at FROM messages ORDER BY id`,
		// As a set: a merge of people logs its events at once, ahead of the batch's own.
		"events": `SELECT kind, person_id, chat_id, message_id FROM events ORDER BY 1, 2, 3, 4`,
		"people": `SELECT id, name, phone, status, last_chat_id, last_message_at, unread, first_unread_at FROM people ORDER BY id`,
		"chats":  `SELECT id, person_id, last_message_at, ` + previewOf("chats.id") + `, unread, first_unread_at FROM chats ORDER BY id`,
		"logs":   `SELECT person_id, kind, params FROM person_logs ORDER BY id`,
		"fts":    `SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'word3 OR текст OR edited' ORDER BY rowid`,
	} {
		rows, err := s.write.Queryx(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			cols, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			out[name] += fmt.Sprintln(cols...)
		}
		rows.Close()
	}
	// Rows are inserted in update order and so are their events: message.new ids only grow.
	var newIDs []int64
	if err := s.write.Select(&newIDs, `SELECT message_id FROM events WHERE kind = 'message.new' ORDER BY seq`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(newIDs); i++ {
		if newIDs[i] <= newIDs[i-1] {
			t.Fatalf("message.new events out of order: %d after %d", newIDs[i], newIDs[i-1])
		}
	}
	// The full-text index must hold exactly the messages' text (external content check). On
	// PostgreSQL search reads the messages themselves: there is no index to disagree.
	if s.Postgres() {
		return out
	}
	if _, err := s.write.Exec(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("messages_fts integrity: %v", err)
	}
	return out
}

// A batch stores exactly what the same updates store one per batch: plain messages wait and
// go in with one statement (insertMsgsSQL), everything else in update order, so ids, events,
// counts, replies and the full-text index must not tell the two apart.
func TestBatchAppliesLikeOneUpdateAtATime(t *testing.T) {
	ctx := context.Background()
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			ups := randomUpdates(rand.New(rand.NewSource(seed)), 300)
			batched, single := openTest(t), openTest(t)
			chB, chS := addTestChannel(t, batched, core.Telegram, "1"), addTestChannel(t, single, core.Telegram, "1")
			var resB, resS core.ApplyResult
			for i := 0; i < len(ups); i += 100 {
				part := append([]core.Update(nil), ups[i:min(i+100, len(ups))]...)
				r, err := batched.ApplyBatch(ctx, chB.ID, core.Batch{Updates: part}, t0)
				if err != nil {
					t.Fatal(err)
				}
				resB = resB.Plus(r)
			}
			for i := range ups {
				r, err := single.ApplyBatch(ctx, chS.ID, core.Batch{Updates: []core.Update{ups[i]}}, t0)
				if err != nil {
					t.Fatal(err)
				}
				resS = resS.Plus(r)
			}
			// The touched chats and people are listed per batch, so they are split differently.
			resB.ChatIDs, resB.PersonIDs, resS.ChatIDs, resS.PersonIDs = nil, nil, nil, nil
			if !reflect.DeepEqual(resB, resS) {
				t.Errorf("results differ:\nbatched %+v\nsingle  %+v", resB, resS)
			}
			if resB.Duplicates == 0 || resB.Edits == 0 || resB.Messages < 100 {
				t.Fatalf("the stream did not exercise much: %+v", resB)
			}
			db, ds := dump(t, batched), dump(t, single)
			for name := range db {
				if b, s := strings.Split(db[name], "\n"), strings.Split(ds[name], "\n"); db[name] != ds[name] {
					for i := range min(len(b), len(s)) {
						if b[i] != s[i] {
							t.Errorf("%s differ from row %d:\nbatched %v\nsingle  %v", name, i,
								b[max(0, i-2):min(len(b), i+3)], s[max(0, i-2):min(len(s), i+3)])
							break
						}
					}
				}
			}
		})
	}
}
