package store

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
)

// TestMigration7TurnsLogSentencesIntoKindsAndParams writes the English sentences every earlier
// version stored (the store's and the demo's) into a version-6 database and checks 0007 turns
// each into a kind and its parameters, keeps what it cannot parse, and gives indicators
// reason codes instead of English details.
func TestMigration7TurnsLogSentencesIntoKindsAndParams(t *testing.T) {
	path, db := migratedBelow(t, 7)
	old := []struct{ kind, text string }{
		{"subscription", `Subscribed to Shop bot`},
		{"subscription", `Subscribed to Shop (main) bot (tunnel "Вебинар «Продажи»", source "VK \"ads\"", tool "")`},
		{"resubscription", `Subscribed again to Shop bot (tunnel "", source "", tool "Квиз")`},
		{"resubscription", `Subscribed again to Shop bot`},
		{"unsubscription", `Unsubscribed from Shop bot (blocked the bot or denied messages)`},
		{"resubscription", `Allowed messages from Shop bot again`},
		{"tunnel_off", `Tunnel messages turned off`},
		{"tunnel_off", `Tunnel messages turned on`},
		{"bot_off", `Bot messages turned off`},
		{"bot_off", `Bot messages turned on`},
		{"archived", `Moved to the archive`},
		{"archived", `Restored from the archive`},
		{"blacklisted", `Added to the blacklist`},
		{"blacklisted", `Removed from the blacklist`},
		{"merge", `Merged with "Анна \"Аня\" Иванова"`},
		{"subscribed", `Subscribed via Квиз (Реклама ВКонтакте)`},
		{"plan", `Added to the sales plan Основная воронка`},
		{"custom", `Something nobody wrote`},
	}
	for _, q := range []string{
		`INSERT INTO channels (id, kind, name, external_id, created_at) VALUES (1, 'telegram', 'Shop bot', 't', 0)`,
		`INSERT INTO people (id, name, created_at) VALUES (1, 'Anna', 0), (2, 'Client 12345', 0), (3, 'Client of ours', 0)`,
		`INSERT INTO people_fts (rowid, name) VALUES (2, 'Client 12345')`,
		`INSERT INTO chats (id, person_id, channel_id, external_chat_id, created_at) VALUES (1, 1, 1, 'a', 0)`,
		`INSERT INTO messages (chat_id, kind, external_id, sender, indicator, created_at) VALUES
		   (1, 'indicator', 'i1', 'system', '{"type":"unsubscription","tunnel":"Main","details":"Blocked the bot"}', 1),
		   (1, 'indicator', 'i2', 'system', '{"type":"payment_failed","offer":"Pro","details":"Card declined"}', 2),
		   (1, 'indicator', 'i3', 'system', '{"type":"unsubscription"}', 3),
		   (1, 'indicator', 'i4', 'system', '{"type":"subscription","details":"promo_42"}', 4)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	for i, l := range old {
		if _, err := db.Exec(`INSERT INTO person_logs (person_id, kind, text, at) VALUES (1, ?, ?, ?)`, l.kind, l.text, i); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	logs, err := s.personLogs(context.Background(), 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind   core.LogKind
		params core.LogParams
	}{
		{core.LogSubscribed, core.LogParams{"channel": "Shop bot"}},
		{core.LogSubscribed, core.LogParams{"channel": "Shop (main) bot", "tunnel": "Вебинар «Продажи»", "source": `VK "ads"`}},
		{core.LogResubscribed, core.LogParams{"channel": "Shop bot", "tool": "Квиз"}},
		{core.LogResubscribed, core.LogParams{"channel": "Shop bot"}},
		{core.LogUnsubscribed, core.LogParams{"channel": "Shop bot"}},
		{core.LogMessagesAllowed, core.LogParams{"channel": "Shop bot"}},
		{core.LogTunnelOff, core.LogParams{}},
		{core.LogTunnelOn, core.LogParams{}},
		{core.LogBotOff, core.LogParams{}},
		{core.LogBotOn, core.LogParams{}},
		{core.LogArchived, core.LogParams{}},
		{core.LogUnarchived, core.LogParams{}},
		{core.LogBlacklisted, core.LogParams{}},
		{core.LogUnblacklisted, core.LogParams{}},
		{core.LogMerged, core.LogParams{"name": `Анна "Аня" Иванова`}},
		{core.LogSubscribed, core.LogParams{"tool": "Квиз", "source": "Реклама ВКонтакте"}},
		{core.LogPlanAdded, core.LogParams{"plan": "Основная воронка"}},
		{"custom", core.LogParams{"text": "Something nobody wrote"}},
	}
	if len(logs) != len(want) {
		t.Fatalf("%d logs after the migration, want %d", len(logs), len(want))
	}
	for i, w := range want {
		got := logs[len(logs)-1-i] // newest first
		if got.Kind != w.kind || !maps.Equal(got.Params, w.params) {
			t.Errorf("%q → %s %v, want %s %v", old[i].text, got.Kind, got.Params, w.kind, w.params)
		}
	}
	var inds []string
	if err := s.read.Select(&inds, `SELECT indicator FROM messages ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	wantInds := []core.Indicator{
		{Type: core.IndUnsubscription, Tunnel: "Main", Reason: core.ReasonBlockedBot},
		{Type: core.IndPaymentFailed, Offer: "Pro", Reason: core.ReasonCardDeclined},
		{Type: core.IndUnsubscription, Reason: core.ReasonBlockedBot},
		{Type: core.IndSubscription, Details: "promo_42"}, // the client's own code stays as data
	}
	for i, raw := range inds {
		var got core.Indicator
		if err := json.Unmarshal([]byte(raw), &got); err != nil || got != wantInds[i] {
			t.Errorf("indicator %d = %s (%v), want %+v", i, raw, err, wantInds[i])
		}
	}
	var names []string
	if err := s.read.Select(&names, `SELECT name FROM people ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, "|") != "Anna|#12345|Client of ours" {
		t.Errorf("names = %q", names)
	}
	var fts string
	if err := s.read.Get(&fts, `SELECT name FROM people_fts WHERE rowid = 2`); err != nil || fts != "#12345" {
		t.Errorf("indexed name = %q, %v", fts, err)
	}
}

// TestLogsAreKindsAndParams checks what the store writes for each logged action: a kind and
// the data the UI needs to word it, never a sentence.
func TestLogsAreKindsAndParams(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	now := time.UnixMilli(1_700_000_000_000)
	ch, err := s.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Shop bot", ExternalID: "1", Enabled: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{ChannelID: ch.ID, Updates: []core.Update{
		{Kind: core.UpdMessage, ExternalChatID: "c1", ExternalID: "1", From: core.Sender{ExternalUserID: "u1", Name: "Ann"}, Text: "/start", At: 1},
		{Kind: core.UpdBlocked, ExternalChatID: "c1", From: core.Sender{ExternalUserID: "u1"}, At: 2},
		{Kind: core.UpdAllowed, ExternalChatID: "c1", From: core.Sender{ExternalUserID: "u1"}, At: 3},
		{Kind: core.UpdMessage, ExternalChatID: "c1", ExternalID: "2", From: core.Sender{ExternalUserID: "u1", Name: "Ann"}, Text: "/start", At: 4},
	}}, now); err != nil {
		t.Fatal(err)
	}
	chat, err := s.ChatByExternal(ctx, ch.ID, "c1")
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { return s.SetTunnelOff(ctx, chat.ID, true, now) },
		func() error { return s.SetTunnelOff(ctx, chat.ID, false, now) },
		func() error { return s.SetBotOff(ctx, chat.ID, true, now) },
		func() error { return s.SetBotOff(ctx, chat.ID, false, now) },
		func() error { return s.SetArchived(ctx, chat.PersonID, true, now) },
		func() error { return s.SetArchived(ctx, chat.PersonID, false, now) },
		func() error { return s.SetBlacklisted(ctx, chat.PersonID, true, now) },
		func() error { return s.SetBlacklisted(ctx, chat.PersonID, false, now) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	logs, err := s.personLogs(ctx, chat.PersonID, 100)
	if err != nil {
		t.Fatal(err)
	}
	shop := core.LogParams{"channel": "Shop bot"}
	want := []struct {
		kind   core.LogKind
		params core.LogParams
	}{
		{core.LogSubscribed, shop}, {core.LogUnsubscribed, shop}, {core.LogMessagesAllowed, shop}, {core.LogResubscribed, shop},
		{core.LogTunnelOff, shop}, {core.LogTunnelOn, shop}, {core.LogBotOff, shop}, {core.LogBotOn, shop},
		{core.LogArchived, core.LogParams{}}, {core.LogUnarchived, core.LogParams{}},
		{core.LogBlacklisted, core.LogParams{}}, {core.LogUnblacklisted, core.LogParams{}},
	}
	if len(logs) != len(want) {
		t.Fatalf("logs = %+v", logs)
	}
	for i, w := range want {
		got := logs[len(logs)-1-i]
		if got.Kind != w.kind || !maps.Equal(got.Params, w.params) {
			t.Errorf("log %d = %s %v, want %s %v", i, got.Kind, got.Params, w.kind, w.params)
		}
	}
}

// TestNamelessClientIsNamedByID: a client with neither name nor username is shown by the
// messenger's id, not by an English word of ours.
func TestNamelessClientIsNamedByID(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	now := time.UnixMilli(1_700_000_000_000)
	ch, err := s.AddChannel(ctx, core.Channel{Kind: core.VK, Name: "Shop", ExternalID: "2", Enabled: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Updates: []core.Update{
		{Kind: core.UpdMessage, ExternalChatID: "77", ExternalID: "1", From: core.Sender{ExternalUserID: "77"}, Text: "hi", At: 1},
	}}, now); err != nil {
		t.Fatal(err)
	}
	chat, err := s.ChatByExternal(ctx, ch.ID, "77")
	if err != nil {
		t.Fatal(err)
	}
	card, err := s.ClientCard(ctx, chat.PersonID)
	if err != nil || card.Person.Name != "#77" {
		t.Errorf("name = %q, %v", card.Person.Name, err)
	}
}
