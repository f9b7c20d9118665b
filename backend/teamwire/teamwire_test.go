package teamwire

import (
	"encoding/json"
	"testing"

	"switchboard/backend/core"
)

func TestParseMutationChecksEachKind(t *testing.T) {
	cases := []struct {
		body, reason string
	}{
		{`{"kind":"send_text","chatId":3,"text":"hi"}`, ""},
		{`{"kind":"send_text","chatId":3,"text":"  "}`, "empty_text"},
		{`{"kind":"send_text","text":"hi"}`, "missing_chat"},
		{`{"kind":"mark_read","chatId":3}`, ""},
		{`{"kind":"draft","chatId":3,"text":""}`, ""},
		{`{"kind":"draft","chatId":3,"constructor":"{nope"}`, "invalid_constructor"},
		{`{"kind":"edit","messageId":9,"text":"x"}`, ""},
		{`{"kind":"delete"}`, "missing_message"},
		{`{"kind":"archive","personId":2,"on":true}`, ""},
		{`{"kind":"blacklist"}`, "missing_person"},
		{`{"kind":"mark_all_read"}`, ""},
		{`{"kind":"note","chatId":3,"mentions":[2]}`, ""},
		{`{"kind":"note","chatId":3,"text":" "}`, "empty_text"},
		{`{"kind":"note","chatId":3,"mentions":[0]}`, "invalid_id"},
		{`{"kind":"drop_tables"}`, "unknown_kind"},
		{`{}`, "missing_kind"},
		{`{"kind":"mark_read","chatId":-1}`, "invalid_id"},
		{`{"kind":"mark_read","chatId":1,"extra":1}`, "unknown_field"},
		{`{"kind":"mark_read","chatId":1} {}`, "invalid_json"},
		{`[`, "invalid_json"},
	}
	for _, c := range cases {
		_, err := ParseMutation([]byte(c.body))
		if got := Reason(err); got != c.reason {
			t.Errorf("%s: reason %q, want %q (err %v)", c.body, got, c.reason, err)
		}
	}
}

func TestParseKey(t *testing.T) {
	k, err := ParseKey("client-1234:42")
	if err != nil || k.Client != "client-1234" || k.ID != 42 || k.String() != "client-1234:42" {
		t.Fatalf("got %+v, %v", k, err)
	}
	for _, bad := range []string{"", "short:1", "client-1234", "client-1234:0", "client-1234:-3", "client-1234:01",
		"client 1234:1", "client-1234:1:2", "client-1234:99999999999999999999"} {
		if _, err := ParseKey(bad); Reason(err) == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFeedMessageRoundTrips(t *testing.T) {
	in := FeedMessage{Type: FeedChanges, Seq: 7, Rows: core.RowSet{
		Channels: []core.Channel{{ID: 1, Kind: core.Telegram, Name: "Shop"}},
		People:   []core.PersonRow{{ID: 2, Name: "Ann", Unread: 1}},
		Chats:    []core.ChatRow{{ID: 3, PersonID: 2, ChannelID: 1}},
		Drafts:   []core.Draft{{ChatID: 3, Text: "x", UpdatedAt: 6}},
		Messages: []core.MessageRow{{ID: 4, ChatID: 3, Kind: "message", Sender: "client", Text: "<b>hi</b>", MutationKey: "c:1"}},
		Gone:     core.GoneRows{Messages: []int64{5}},
	}}
	b, _ := json.Marshal(in)
	out, err := ParseFeedMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	if out.Seq != 7 || out.Rows.Drafts[0].Text != "x" || out.Rows.Drafts[0].UpdatedAt != 6 || out.Rows.Messages[0].Text != "<b>hi</b>" ||
		out.Rows.Messages[0].MutationKey != "c:1" || out.Rows.Gone.Messages[0] != 5 {
		t.Fatalf("round trip: %+v", out)
	}
	for _, bad := range []string{`{"type":"nope"}`, `{"type":"changes","seq":-1}`,
		`{"type":"changes","rows":{"chats":[{"id":3,"personId":0,"channelId":1}]}}`,
		`{"type":"changes","rows":{"messages":[{"id":3,"chatId":1,"kind":"evil","sender":"client"}]}}`,
		`{"type":"changes","rows":{"gone":{"people":[0]}}}`,
		`{"type":"changes","rows":{"drafts":[{"chatId":0,"text":"x"}]}}`} {
		if _, err := ParseFeedMessage([]byte(bad)); Reason(err) == "" {
			t.Errorf("%s accepted", bad)
		}
	}
}

// The parsers take hostile bytes: they must answer a reason or a valid value, never panic, and
// whatever they accept must validate again after a round trip.
func FuzzParseMutation(f *testing.F) {
	f.Add([]byte(`{"kind":"send_text","chatId":3,"text":"hi"}`))
	f.Add([]byte(`{"kind":"draft","chatId":3,"constructor":"{}"}`))
	f.Add([]byte(`{"kind":"note","chatId":1,"text":"a","mentions":[1,2]}`))
	f.Add([]byte(`{"kind":"dialogue_create","chatId":1,"type":"Delivery","reasons":["Late"],"components":["Courier"],"managers":[2]}`))
	f.Add([]byte(`{"kind":"dialogue_rate","dialogueId":4,"score":5}`))
	f.Add([]byte(`{"kind":"dialogue_option_save","list":"reason","name":"Late"}`))
	f.Add([]byte(`{"kind":"template_save","templateId":2,"name":"hi","text":"Hello, {name}"}`))
	f.Add([]byte(`{"kind":"lead_link_add","leadLink":{"channelId":1,"code":"spring","plan":"Webinar"}}`))
	f.Add([]byte(`{"kind":"channel_add","channelKind":"telegram","token":"123:abc","apiUrl":"https://bots.example"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMutation(b)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		again, _ := json.Marshal(m)
		if _, err := ParseMutation(again); err != nil {
			t.Fatalf("accepted %s but not its round trip %s: %v", b, again, err)
		}
	})
}

func FuzzParseFeedMessage(f *testing.F) {
	f.Add([]byte(`{"type":"changes","seq":1,"rows":{"people":[{"id":1}],"gone":{}}}`))
	f.Add([]byte(`{"type":"bootstrap"}`))
	f.Add([]byte(`{"type":"changes","seq":2,"rows":{"chats":[{"id":3,"personId":2,"channelId":1}],"dialogues":[{"id":5,"chatId":3,"status":"closed","clientRating":4,"managers":[1],"cycles":[{"id":6,"dialogueId":5,"number":1,"clientRating":4}]}],"settings":{"dialogueOptions":[{"id":1,"kind":"type","name":"Sales"}],"templates":[{"id":1,"name":"hi","value":"Hello"}]},"gone":{}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseFeedMessage(b)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		if m.Type == FeedChanges {
			if err := ValidateRows(m.Rows); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func FuzzParseKey(f *testing.F) {
	f.Add("client-1234:42")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			return
		}
		if k.String() != s {
			t.Fatalf("%q parsed as %q", s, k.String())
		}
	})
}

func FuzzParseSnapshotPage(f *testing.F) {
	f.Add([]byte(`{"seq":3,"totals":{"people":1},"rows":{"people":[{"id":1}],"gone":{}},"next":0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := ParseSnapshotPage(b); err != nil && Reason(err) == "" {
			t.Fatalf("error without a reason: %v", err)
		}
	})
}
