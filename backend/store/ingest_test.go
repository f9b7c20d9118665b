package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
)

func openTest(t testing.TB) *Store {
	t.Helper()
	if onPostgres {
		return openTestPostgres(t)
	}
	s, err := Open(filepath.Join(t.TempDir(), "sb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func addTestChannel(t testing.TB, s *Store, kind core.ChannelKind, ext string) core.Channel {
	t.Helper()
	ch, err := s.AddChannel(context.Background(), core.Channel{Kind: kind, Name: "Bot " + ext, ExternalID: ext, Username: "bot" + ext}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func msgUpd(chat, id, text string, at int64) core.Update {
	return core.Update{Kind: core.UpdMessage, ExternalChatID: chat, ExternalID: id, Text: text, At: at,
		From: core.Sender{ExternalUserID: chat, Name: "Client " + chat, Username: "u" + chat}, Sender: core.SenderClient}
}

type counts struct {
	People, Chats, Messages, Indicators, Events, Logs int
}

func countRows(t testing.TB, s *Store) counts {
	t.Helper()
	var c counts
	for q, dst := range map[string]*int{
		`SELECT COUNT(*) FROM people`:                            &c.People,
		`SELECT COUNT(*) FROM chats`:                             &c.Chats,
		`SELECT COUNT(*) FROM messages WHERE kind = 'message'`:   &c.Messages,
		`SELECT COUNT(*) FROM messages WHERE kind = 'indicator'`: &c.Indicators,
		`SELECT COUNT(*) FROM events`:                            &c.Events,
		`SELECT COUNT(*) FROM person_logs`:                       &c.Logs,
	} {
		if err := s.read.Get(dst, q); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestApplyBatchIsExactlyOnceAndStoresCursor(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "100")
	b := core.Batch{Cursor: "43", Updates: []core.Update{
		msgUpd("1", "10", "hello", t0.UnixMilli()),
		msgUpd("1", "11", "second", t0.UnixMilli()+1000),
		msgUpd("2", "10", "other client", t0.UnixMilli()+2000),
		{Kind: core.UpdTyping, ExternalChatID: "1"},
	}}
	res, err := s.ApplyBatch(ctx, ch.ID, b, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Messages != 3 || res.NewPeople != 2 || res.Duplicates != 0 || len(res.NewClientMessages) != 3 {
		t.Fatalf("first apply: %+v", res)
	}
	first := countRows(t, s)
	var evs []core.Event
	if err := s.read.Select(&evs, `SELECT seq, kind, person_id, chat_id, message_id, at FROM events ORDER BY seq`); err != nil {
		t.Fatal(err)
	}
	var newMsgs []int64
	for _, e := range evs {
		if e.Kind == core.EventMessageNew {
			newMsgs = append(newMsgs, e.MessageID)
			if e.ChatID == 0 || e.PersonID == 0 || e.At != t0.UnixMilli() {
				t.Fatalf("event without its ids: %+v", e)
			}
		}
	}
	if fmt.Sprint(newMsgs) != fmt.Sprint(res.NewClientMessages) {
		t.Fatalf("message.new events %v, new messages %v", newMsgs, res.NewClientMessages)
	}
	got, _ := s.Channel(ctx, ch.ID)
	if got.Cursor != "43" {
		t.Fatalf("cursor = %q, want 43", got.Cursor)
	}
	res, err = s.ApplyBatch(ctx, ch.ID, b, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res.Messages != 0 || res.NewPeople != 0 || res.Duplicates != 3 {
		t.Fatalf("second apply changed rows: %+v", res)
	}
	if again := countRows(t, s); again != first {
		t.Fatalf("re-applying changed the rows: %+v -> %+v", first, again)
	}
	if first.People != 2 || first.Chats != 2 || first.Messages != 3 {
		t.Fatalf("rows: %+v", first)
	}
	// The list columns follow the batch: unread and preview of client 1.
	var p struct {
		Unread  int    `db:"unread"`
		Preview string `db:"preview"`
		Name    string `db:"name"`
	}
	if err := s.read.Get(&p, `SELECT p.unread, `+previewOf("p.last_chat_id")+` AS preview, p.name FROM people p JOIN chats c ON c.person_id = p.id WHERE c.external_chat_id = '1'`); err != nil {
		t.Fatal(err)
	}
	if p.Unread != 2 || p.Preview != "second" || p.Name != "Client 1" {
		t.Fatalf("person columns: %+v", p)
	}
}

func TestApplyBatchFailureStoresNeitherRowsNorCursor(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "100")
	before := countRows(t, s).Events // adding the channel logged its own
	// Make the second row of the batch fail inside SQLite, after the first was written.
	boom := []string{`CREATE TEMP TRIGGER boom BEFORE INSERT ON messages WHEN NEW.text = 'boom'
		BEGIN SELECT RAISE(ABORT, 'disk said no'); END`}
	if s.Postgres() {
		boom = []string{`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'disk said no'; END $$`,
			`CREATE TRIGGER boom BEFORE INSERT ON messages FOR EACH ROW WHEN (NEW.text = 'boom') EXECUTE FUNCTION boom()`}
	}
	for _, q := range boom {
		if _, err := s.write.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	bad := core.Batch{Cursor: "9", Updates: []core.Update{msgUpd("1", "1", "kept?", t0.UnixMilli()), msgUpd("1", "2", "boom", t0.UnixMilli())}}
	if _, err := s.ApplyBatch(ctx, ch.ID, bad, t0); err == nil || !strings.Contains(err.Error(), "disk said no") {
		t.Fatalf("failing batch: %v", err)
	}
	if c := countRows(t, s); c.Messages != 0 || c.People != 0 || c.Events != before {
		t.Fatalf("a failed batch left rows: %+v", c)
	}
	got, _ := s.Channel(ctx, ch.ID)
	if got.Cursor != "" {
		t.Fatalf("a failed batch moved the cursor to %q", got.Cursor)
	}
}

func TestUnstorableUpdatesAreSkippedNotFatal(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "100")
	b := core.Batch{Cursor: "4", Updates: []core.Update{
		{Kind: core.UpdMessage, ExternalID: "1", Text: "no chat"},
		{Kind: "poll_answer", ExternalChatID: "1", ExternalID: "2"},
		msgUpd("1", "3", "fine", t0.UnixMilli()),
	}}
	res, err := s.ApplyBatch(ctx, ch.ID, b, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != 2 || res.Messages != 1 {
		t.Fatalf("result: %+v", res)
	}
	if got, _ := s.Channel(ctx, ch.ID); got.Cursor != "4" {
		t.Fatalf("cursor %q: the channel must move past what cannot be stored", got.Cursor)
	}
}

func historyOf(t testing.TB, s *Store, extChat string) []core.Message {
	t.Helper()
	var ids []int64
	if err := s.read.Select(&ids, `SELECT m.id FROM messages m JOIN chats c ON c.id = m.chat_id
		WHERE c.external_chat_id = ? ORDER BY m.created_at, m.id`, extChat); err != nil {
		t.Fatal(err)
	}
	out := make([]core.Message, 0, len(ids))
	for _, id := range ids {
		m, err := getMessage(context.Background(), s.read, id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestApplyEditsReactionsReplies(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "100")
	at := t0.UnixMilli()
	reply := msgUpd("1", "2", "answering", at+10)
	reply.ReplyToExtID = "1"
	photo := msgUpd("1", "3", "caption", at+20)
	photo.Attachments = []core.Attachment{{Kind: core.AttachPhoto, FileID: "AgAD", Width: 800, Height: 600}}
	edit := core.Update{Kind: core.UpdEdit, ExternalChatID: "1", ExternalID: "1", Text: "hello (fixed)", At: at + 30,
		From: core.Sender{ExternalUserID: "1", Name: "Client 1"}}
	react := core.Update{Kind: core.UpdReaction, ExternalChatID: "1", ExternalID: "2", At: at + 40,
		Reactions: []core.Reaction{{Emoji: "👍", Count: 1}}}
	unknownReact := core.Update{Kind: core.UpdReaction, ExternalChatID: "999", ExternalID: "5", At: at + 50,
		Reactions: []core.Reaction{{Emoji: "🔥", Count: 1}}}
	b := core.Batch{Cursor: "5", Updates: []core.Update{msgUpd("1", "1", "hello", at), reply, photo, edit, react, unknownReact}}
	res, err := s.ApplyBatch(ctx, ch.ID, b, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Edits != 1 || res.Reactions != 1 || res.Messages != 3 {
		t.Fatalf("result: %+v", res)
	}
	h := historyOf(t, s, "1")
	if len(h) != 3 {
		t.Fatalf("history has %d rows", len(h))
	}
	if h[0].Text != "hello (fixed)" || !h[0].Edited || h[0].EditedAt != at+30 {
		t.Fatalf("edit not applied: %+v", h[0])
	}
	if h[1].ReplyToID != h[0].ID {
		t.Fatalf("reply_to_id = %d, want %d", h[1].ReplyToID, h[0].ID)
	}
	if len(h[1].Reactions) != 1 || h[1].Reactions[0].Emoji != "👍" {
		t.Fatalf("reactions: %+v", h[1].Reactions)
	}
	if len(h[2].Attachments) != 1 || h[2].Attachments[0].FileID != "AgAD" {
		t.Fatalf("attachments: %+v", h[2].Attachments)
	}
	var chats int
	s.read.Get(&chats, `SELECT COUNT(*) FROM chats`)
	if chats != 1 {
		t.Fatalf("a reaction in an unknown chat created a chat (%d chats)", chats)
	}
	// Re-applying: the edit and reaction are already in place, nothing changes.
	res, err = s.ApplyBatch(ctx, ch.ID, b, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Edits != 0 || res.Reactions != 0 || res.Messages != 0 {
		t.Fatalf("re-apply: %+v", res)
	}
	// Removing every reaction is a change too.
	clear := core.Update{Kind: core.UpdReaction, ExternalChatID: "1", ExternalID: "2", At: at + 60}
	if res, err = s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "6", Updates: []core.Update{clear}}, t0); err != nil || res.Reactions != 1 {
		t.Fatalf("clear reactions: %+v %v", res, err)
	}
	if h := historyOf(t, s, "1"); len(h[1].Reactions) != 0 {
		t.Fatalf("reactions after clearing: %+v", h[1].Reactions)
	}
	// An edit of a message from before our history stores it as an edited message.
	old := core.Update{Kind: core.UpdEdit, ExternalChatID: "1", ExternalID: "0", Text: "older", At: at - 1000}
	if res, err = s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "7", Updates: []core.Update{old}}, t0); err != nil || res.Messages != 1 {
		t.Fatalf("edit of unknown message: %+v %v", res, err)
	}
	if h := historyOf(t, s, "1"); h[0].Text != "older" || !h[0].Edited {
		t.Fatalf("unknown edited message: %+v", h[0])
	}
}

func personOf(t testing.TB, s *Store, extChat string) (id int64, status string) {
	t.Helper()
	var r struct {
		ID     int64  `db:"id"`
		Status string `db:"status"`
	}
	if err := s.read.Get(&r, `SELECT p.id, p.status FROM people p JOIN chats c ON c.person_id = p.id WHERE c.external_chat_id = ?`, extChat); err != nil {
		t.Fatal(err)
	}
	return r.ID, r.Status
}

func TestBlockedAllowedChangeStatusWithIndicatorsAndLogs(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.VK, "200")
	at := t0.UnixMilli()
	b := core.Batch{Cursor: "ts1", Updates: []core.Update{
		msgUpd("7", "1", "hi", at),
		{Kind: core.UpdBlocked, ExternalChatID: "7", At: at + 10, From: core.Sender{ExternalUserID: "7"}},
	}}
	if _, err := s.ApplyBatch(ctx, ch.ID, b, t0); err != nil {
		t.Fatal(err)
	}
	if _, st := personOf(t, s, "7"); st != string(core.Unsubscribed) {
		t.Fatalf("status after block = %s", st)
	}
	if _, err := s.ApplyBatch(ctx, ch.ID, b, t0); err != nil { // replay
		t.Fatal(err)
	}
	allow := core.Batch{Cursor: "ts2", Updates: []core.Update{{Kind: core.UpdAllowed, ExternalChatID: "7", At: at + 20, From: core.Sender{ExternalUserID: "7"}}}}
	if _, err := s.ApplyBatch(ctx, ch.ID, allow, t0); err != nil {
		t.Fatal(err)
	}
	if _, st := personOf(t, s, "7"); st != string(core.Subscribed) {
		t.Fatalf("status after allow = %s", st)
	}
	h := historyOf(t, s, "7")
	if len(h) != 3 || h[1].Kind != core.KindIndicator || h[1].Indicator.Type != core.IndUnsubscription ||
		h[2].Indicator.Type != core.IndResubscription || h[1].Sender != core.SenderSystem {
		t.Fatalf("history: %+v", h)
	}
	if c := countRows(t, s); c.Logs != 2 {
		t.Fatalf("person_logs = %d, want 2 (replay must not log twice)", c.Logs)
	}
	// An indicator is not a client message: it does not count as unread nor become the preview.
	var p struct {
		Unread  int    `db:"unread"`
		Preview string `db:"preview"`
	}
	s.read.Get(&p, `SELECT unread, `+previewOf("last_chat_id")+` AS preview FROM people`)
	if p.Unread != 1 || p.Preview != "hi" {
		t.Fatalf("list columns: %+v", p)
	}
}

func TestSubscriptionWithLeadLinkAndResubscription(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "100")
	link, err := s.AddLeadLink(ctx, core.LeadLink{ChannelID: ch.ID, Plan: "Webinar", Source: "Instagram", Tool: "Bio link"})
	if err != nil {
		t.Fatal(err)
	}
	if !core.ValidDeepLinkPayload(link.Code) {
		t.Fatalf("generated code %q is not a valid payload", link.Code)
	}
	at := t0.UnixMilli()
	start := msgUpd("5", "1", "/start "+link.Code, at)
	start.StartPayload = link.Code
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "2", Updates: []core.Update{start}}, t0); err != nil {
		t.Fatal(err)
	}
	h := historyOf(t, s, "5")
	if len(h) != 2 || h[0].Kind != core.KindIndicator {
		t.Fatalf("history: %+v", h)
	}
	ind := h[0].Indicator
	if ind.Type != core.IndSubscription || ind.Tunnel != "Webinar" || ind.Source != "Instagram" || ind.Tool != "Bio link" {
		t.Fatalf("indicator: %+v", ind)
	}
	pid, _ := personOf(t, s, "5")
	var plans []string
	s.read.Select(&plans, `SELECT sp.name FROM person_plans pp JOIN sales_plans sp ON sp.id = pp.plan_id WHERE pp.person_id = ?`, pid)
	if len(plans) != 1 || plans[0] != "Webinar" {
		t.Fatalf("plans: %v", plans)
	}
	var src struct {
		Source string `db:"source"`
		Tool   string `db:"tool"`
	}
	s.read.Get(&src, `SELECT source, tool FROM people WHERE id = ?`, pid)
	if src.Source != "Instagram" || src.Tool != "Bio link" {
		t.Fatalf("person source/tool: %+v", src)
	}
	// Blocks, then comes back through a link we do not know: a resubscription with the payload.
	again := msgUpd("5", "3", "/start other_code", at+100)
	again.StartPayload = "other_code"
	b := core.Batch{Cursor: "4", Updates: []core.Update{
		{Kind: core.UpdBlocked, ExternalChatID: "5", At: at + 50},
		again,
	}}
	for i := 0; i < 2; i++ { // applied twice: still one resubscription
		if _, err := s.ApplyBatch(ctx, ch.ID, b, t0); err != nil {
			t.Fatal(err)
		}
	}
	h = historyOf(t, s, "5")
	var types []string
	for _, m := range h {
		if m.Indicator != nil {
			types = append(types, string(m.Indicator.Type))
		}
	}
	if strings.Join(types, ",") != "subscription,unsubscription,resubscription" {
		t.Fatalf("indicator sequence: %v", types)
	}
	if last := h[len(h)-2].Indicator; last.Details != "other_code" {
		t.Fatalf("unknown payload not kept: %+v", last)
	}
	if _, st := personOf(t, s, "5"); st != string(core.Subscribed) {
		t.Fatalf("status after resubscribing: %s", st)
	}
}

func TestSharedPhoneJoinsOnePerson(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	tg := addTestChannel(t, s, core.Telegram, "100")
	vk := addTestChannel(t, s, core.VK, "200")
	at := t0.UnixMilli()
	// On Telegram the client shares their contact.
	withPhone := msgUpd("1", "1", "", at)
	withPhone.From.Phone = "+7 916 123-45-67"
	if _, err := s.ApplyBatch(ctx, tg.ID, core.Batch{Cursor: "1", Updates: []core.Update{msgUpd("1", "0", "hi", at-1), withPhone}}, t0); err != nil {
		t.Fatal(err)
	}
	// On VK a chat already exists for them, and later they share the same number as 8 916….
	if _, err := s.ApplyBatch(ctx, vk.ID, core.Batch{Cursor: "a", Updates: []core.Update{msgUpd("55", "1", "vk hi", at+1)}}, t0); err != nil {
		t.Fatal(err)
	}
	if c := countRows(t, s); c.People != 2 {
		t.Fatalf("people before sharing: %d", c.People)
	}
	share := msgUpd("55", "2", "my number", at+2)
	share.From.Phone = "89161234567"
	if _, err := s.ApplyBatch(ctx, vk.ID, core.Batch{Cursor: "b", Updates: []core.Update{share}}, t0); err != nil {
		t.Fatal(err)
	}
	tgPerson, _ := personOf(t, s, "1")
	vkPerson, _ := personOf(t, s, "55")
	if tgPerson != vkPerson {
		t.Fatalf("same phone, two people: %d and %d", tgPerson, vkPerson)
	}
	if c := countRows(t, s); c.People != 1 || c.Chats != 2 {
		t.Fatalf("rows after merge: %+v", c)
	}
	var unread int
	s.read.Get(&unread, `SELECT unread FROM people WHERE id = ?`, tgPerson)
	if unread != 4 { // hi, (contact), vk hi, my number: the contact message has no text but counts
		t.Fatalf("merged person's unread = %d", unread)
	}
	// A brand-new chat on a third channel with the same phone attaches to them directly.
	tg2 := addTestChannel(t, s, core.Telegram, "300")
	first := msgUpd("9", "1", "from the second bot", at+3)
	first.From.Phone = "79161234567"
	if _, err := s.ApplyBatch(ctx, tg2.ID, core.Batch{Cursor: "1", Updates: []core.Update{first}}, t0); err != nil {
		t.Fatal(err)
	}
	if p, _ := personOf(t, s, "9"); p != tgPerson {
		t.Fatalf("new chat with a known phone went to person %d, want %d", p, tgPerson)
	}
	// Quick search by phone digits still finds the one person.
	var hits []int64
	s.read.Select(&hits, `SELECT rowid FROM people_fts WHERE people_fts MATCH 'phone_digits:"9161234567"'`)
	if len(hits) != 1 || hits[0] != tgPerson {
		t.Fatalf("fts hits: %v", hits)
	}
}

func TestMergePeopleMovesEverything(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "100")
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "1", Updates: []core.Update{
		msgUpd("1", "1", "a", t0.UnixMilli()), msgUpd("2", "1", "b", t0.UnixMilli()+5)}}, t0); err != nil {
		t.Fatal(err)
	}
	keep, _ := personOf(t, s, "1")
	merge, _ := personOf(t, s, "2")
	s.write.Exec(`INSERT INTO managers (id, name, is_me) VALUES (1, 'Me', 1)`)
	s.write.Exec(`INSERT INTO tags (id, name) VALUES (1, 'vip')`)
	s.write.Exec(`INSERT INTO person_tags (person_id, tag_id) VALUES (?, 1)`, merge)
	s.write.Exec(`INSERT INTO tasks (person_id, assignee_id, title, due_at) VALUES (?, 1, 'call', 0)`, merge)
	if err := s.MergePeople(ctx, keep, merge, t0); err != nil {
		t.Fatal(err)
	}
	var n int
	s.read.Get(&n, `SELECT COUNT(*) FROM chats WHERE person_id = ?`, keep)
	if n != 2 {
		t.Fatalf("chats of kept person: %d", n)
	}
	s.read.Get(&n, `SELECT COUNT(*) FROM person_tags WHERE person_id = ?`, keep)
	if n != 1 {
		t.Fatal("tag not moved")
	}
	s.read.Get(&n, `SELECT COUNT(*) FROM tasks WHERE person_id = ?`, keep)
	if n != 1 {
		t.Fatal("task not moved")
	}
	s.read.Get(&n, `SELECT COUNT(*) FROM people WHERE id = ?`, merge)
	if n != 0 {
		t.Fatal("merged person still exists")
	}
	var p struct {
		Unread  int    `db:"unread"`
		Preview string `db:"preview"`
	}
	s.read.Get(&p, `SELECT unread, `+previewOf("last_chat_id")+` AS preview FROM people WHERE id = ?`, keep)
	if p.Unread != 2 || p.Preview != "b" {
		t.Fatalf("kept person's columns: %+v", p)
	}
	if err := s.MergePeople(ctx, keep, merge, t0); err == nil {
		t.Fatal("merging a gone person succeeded")
	}
}

func TestChannelsAndLeadLinks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "100")
	again := addTestChannel(t, s, core.Telegram, "100")
	if again.ID != ch.ID {
		t.Fatalf("re-adding the same bot made a new channel %d != %d", again.ID, ch.ID)
	}
	if _, err := s.AddLeadLink(ctx, core.LeadLink{ChannelID: ch.ID, Code: "bad code!"}); err == nil {
		t.Fatal("an invalid code was accepted")
	}
	l, err := s.AddLeadLink(ctx, core.LeadLink{ChannelID: ch.ID, Code: "spring_sale", Plan: "Sale"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddLeadLink(ctx, core.LeadLink{ChannelID: ch.ID, Code: "spring_sale"}); err == nil {
		t.Fatal("a duplicate code was accepted")
	}
	links, _ := s.LeadLinks(ctx, ch.ID)
	if len(links) != 1 || links[0].Plan != "Sale" {
		t.Fatalf("links: %+v", links)
	}
	if err := s.DeleteLeadLink(ctx, l.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetChannelCursor(ctx, ch.ID, "77"); err != nil {
		t.Fatal(err)
	}
	// With no chats the channel is deleted; with chats it is only disabled.
	if err := s.RemoveChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Channel(ctx, ch.ID); err == nil {
		t.Fatal("channel without chats still exists")
	}
	ch2 := addTestChannel(t, s, core.VK, "5")
	s.ApplyBatch(ctx, ch2.ID, core.Batch{Cursor: "x", Updates: []core.Update{msgUpd("1", "1", "a", 1)}}, t0)
	if err := s.RemoveChannel(ctx, ch2.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Channel(ctx, ch2.ID)
	if err != nil || got.Enabled || got.Cursor != "x" {
		t.Fatalf("removed channel with chats: %+v %v", got, err)
	}
	all, _ := s.Channels(ctx)
	if len(all) != 1 {
		t.Fatalf("channels: %+v", all)
	}
}

// BenchmarkApplyBatch measures ingestion: batches of 100 new client messages over 500 chats.
func BenchmarkApplyBatch(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	ch := addTestChannel(b, s, core.Telegram, "100")
	cpuStart = 0
	cpuStart = cpuSeconds(b)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		batch := core.Batch{Cursor: fmt.Sprint(i)}
		for j := 0; j < 100; j++ {
			n++
			batch.Updates = append(batch.Updates, msgUpd(fmt.Sprint(n%500), fmt.Sprint(n), "message text number "+fmt.Sprint(n), int64(n)))
		}
		if _, err := s.ApplyBatch(ctx, ch.ID, batch, t0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "updates/s")
	// CPU time per update is what the machine's load does not distort: on an idle machine
	// the single writer's throughput is about 1e6 / cpu-µs/update.
	b.ReportMetric(cpuSeconds(b)*1e6/float64(b.N*100), "cpu-µs/update")
}

var cpuStart float64

func cpuSeconds(b *testing.B) float64 {
	used, err := processCPUSeconds()
	if err != nil {
		b.Fatal(err)
	}
	return used - cpuStart
}
