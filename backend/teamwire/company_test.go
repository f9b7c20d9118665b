package teamwire

import (
	"encoding/json"
	"strings"
	"testing"

	"switchboard/backend/core"
)

func TestDialogueAndSettingsMutationsAreChecked(t *testing.T) {
	long := strings.Repeat("x", MaxName+1)
	many := `[` + strings.TrimSuffix(strings.Repeat(`"a",`, MaxDialogueNames+1), ",") + `]`
	cases := []struct {
		body, reason string
	}{
		{`{"kind":"dialogue_create","chatId":3}`, ""},
		{`{"kind":"dialogue_create","chatId":3,"type":"Sales","reasons":["a","b"],"status":"waiting","managers":[1,2]}`, ""},
		{`{"kind":"dialogue_create"}`, "missing_chat"},
		{`{"kind":"dialogue_create","chatId":3,"status":"closed"}`, "invalid_status"},
		{`{"kind":"dialogue_create","chatId":3,"status":"deleted"}`, "invalid_status"},
		{`{"kind":"dialogue_create","chatId":3,"managers":[0]}`, "invalid_id"},
		{`{"kind":"dialogue_create","chatId":3,"type":"` + long + `"}`, "invalid_name"},
		{`{"kind":"dialogue_create","chatId":3,"reasons":` + many + `}`, "invalid_name"},
		{`{"kind":"dialogue_edit","type":"Sales"}`, "missing_dialogue"},
		{`{"kind":"dialogue_edit","dialogueId":-4}`, "invalid_id"},
		{`{"kind":"dialogue_status","dialogueId":4}`, "missing_status"},
		{`{"kind":"dialogue_status","dialogueId":4,"status":"in_progress"}`, ""},
		{`{"kind":"dialogue_close","dialogueId":4,"text":"Rate us"}`, ""},
		{`{"kind":"dialogue_reopen","dialogueId":4}`, ""},
		{`{"kind":"dialogue_rate","dialogueId":4}`, "missing_score"},
		{`{"kind":"dialogue_rate","dialogueId":4,"score":6}`, "invalid_score"},
		{`{"kind":"dialogue_rate","dialogueId":4,"score":1}`, ""},
		{`{"kind":"dialogue_option_save","name":"x"}`, "missing_list"},
		{`{"kind":"dialogue_option_save","list":"colour","name":"x"}`, "invalid_list"},
		{`{"kind":"dialogue_option_save","optionId":7,"name":"y"}`, ""},
		{`{"kind":"dialogue_option_delete"}`, "missing_option"},
		{`{"kind":"template_save","name":"hi","text":"Hello"}`, ""},
		{`{"kind":"template_delete"}`, "missing_template"},
		{`{"kind":"template_delete","templateId":2,"bogus":1}`, "unknown_field"},
		{`{"kind":"lead_link_add","leadLink":{"channelId":1,"source":"Instagram"}}`, ""},
		{`{"kind":"lead_link_add","leadLink":{"source":"Instagram"}}`, "missing_channel"},
		{`{"kind":"lead_link_add","leadLink":{"id":3,"channelId":1}}`, "missing_channel"},
		{`{"kind":"lead_link_add","leadLink":{"channelId":-1}}`, "invalid_lead_link"},
		{`{"kind":"lead_link_add","leadLink":{"channelId":1,"code":"` + long + `"}}`, "invalid_lead_link"},
		{`{"kind":"lead_link_delete"}`, "missing_lead_link"},
		{`{"kind":"lead_link_delete","leadLink":{"id":3}}`, ""},
		{`{"kind":"channel_add","channelKind":"telegram","token":"123:abc","apiUrl":"https://bots.example"}`, ""},
		{`{"kind":"channel_add","channelKind":"vk","token":"vk1.a.xyz","groupId":"42"}`, ""},
		{`{"kind":"channel_add","channelKind":"telegram"}`, "missing_token"},
		{`{"kind":"channel_add","token":"123:abc"}`, "missing_channel_kind"},
		{`{"kind":"channel_add","channelKind":"icq","token":"123:abc"}`, "invalid_channel"},
		{`{"kind":"channel_add","channelKind":"telegram","token":"123:abc\ndef"}`, "invalid_channel"},
		{`{"kind":"channel_add","channelKind":"telegram","token":"` + strings.Repeat("t", MaxToken+1) + `"}`, "invalid_channel"},
		{`{"kind":"channel_remove"}`, "missing_channel"},
		{`{"kind":"channel_remove","channelId":3}`, ""},
	}
	for _, c := range cases {
		_, err := ParseMutation([]byte(c.body))
		if got := Reason(err); got != c.reason {
			t.Errorf("%.120s: reason %q, want %q (err %v)", c.body, got, c.reason, err)
		}
	}
	for _, k := range []string{MutOptionSave, MutOptionDelete, MutTemplateSave, MutTemplateDelete, MutLeadLinkAdd, MutLeadLinkDelete, MutChannelAdd, MutChannelRemove, MutMarkAllRead} {
		if !AdminOnly(k) {
			t.Errorf("%s is not for admins only", k)
		}
	}
	for _, k := range []string{MutDialogueCreate, MutDialogueClose, MutDialogueRate, MutTaskAdd, MutSendText} {
		if AdminOnly(k) {
			t.Errorf("%s is for admins only", k)
		}
	}
	for _, k := range []string{MutDialogueCreate, MutDialogueEdit, MutDialogueStatus, MutDialogueClose, MutDialogueReopen,
		MutDialogueRate, MutOptionSave, MutOptionDelete, MutTemplateSave, MutTemplateDelete} {
		if !Immediate(k) {
			t.Errorf("%s is queued: the UI needs its answer", k)
		}
	}
}

func TestDialoguesAndSettingsRoundTrip(t *testing.T) {
	d := core.Dialogue{ID: 5, ChatID: 3, Type: "Delivery", Status: core.DialogueClosed, ClientRating: 4, Reasons: []string{"<i>Late</i>"},
		Components: []string{}, Managers: []int64{1, 2}, Cycles: []core.DialogueCycle{{ID: 6, DialogueID: 5, Number: 1, ClientRating: 4, RatingMessageID: 9}}}
	in := FeedMessage{Type: FeedChanges, Seq: 8, Rows: core.RowSet{
		Chats:     []core.ChatRow{{ID: 3, PersonID: 2, ChannelID: 1}},
		Dialogues: []core.Dialogue{d},
		Settings: &core.CompanySettings{DialogueOptions: []core.DialogueOption{{ID: 1, Kind: core.OptionReason, Name: "Late"}},
			Templates: []core.Template{{ID: 2, Name: "hi", Value: "Hello, {name}"}}},
	}}
	b, _ := json.Marshal(in)
	out, err := ParseFeedMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	got := out.Rows.Dialogues[0]
	if got.Reasons[0] != "<i>Late</i>" || got.Cycles[0].RatingMessageID != 9 || out.Rows.Settings.Templates[0].Value != "Hello, {name}" ||
		out.Rows.Settings.DialogueOptions[0].Kind != core.OptionReason {
		t.Fatalf("round trip: %+v", out.Rows)
	}
	// An empty settings set still says "the whole set" (everything was removed).
	empty, _ := json.Marshal(FeedMessage{Type: FeedChanges, Rows: core.RowSet{Settings: &core.CompanySettings{}}})
	if out, err := ParseFeedMessage(empty); err != nil || out.Rows.Settings == nil || out.Rows.Empty() {
		t.Fatalf("an emptied settings set: %s -> %+v %v", empty, out.Rows, err)
	}
	for _, bad := range []string{
		`{"type":"changes","rows":{"dialogues":[{"id":0,"chatId":3,"status":"open"}]}}`,
		`{"type":"changes","rows":{"dialogues":[{"id":5,"chatId":3,"status":"lost"}]}}`,
		`{"type":"changes","rows":{"dialogues":[{"id":5,"chatId":3,"status":"open","clientRating":9}]}}`,
		`{"type":"changes","rows":{"dialogues":[{"id":5,"chatId":3,"status":"open","managers":[-1]}]}}`,
		`{"type":"changes","rows":{"dialogues":[{"id":5,"chatId":3,"status":"open","cycles":[{"id":6,"dialogueId":7,"number":1}]}]}}`,
		`{"type":"changes","rows":{"dialogues":[{"id":5,"chatId":3,"status":"open","cycles":[{"id":6,"dialogueId":5,"number":1},{"id":7,"dialogueId":5,"number":1}]}]}}`,
		`{"type":"changes","rows":{"settings":{"dialogueOptions":[{"id":1,"kind":"colour","name":"x"}]}}}`,
		`{"type":"changes","rows":{"settings":{"templates":[{"id":0,"name":"x"}]}}}`,
		`{"type":"changes","rows":{"settings":{"leadLinks":[{"id":1,"channelId":0,"code":"abc"}]}}}`,
		`{"type":"changes","rows":{"settings":{"leadLinks":[{"id":1,"channelId":2,"code":""}]}}}`,
		`{"type":"changes","rows":{"settings":{"channelIds":[0]}}}`,
	} {
		if _, err := ParseFeedMessage([]byte(bad)); Reason(err) == "" {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := ParseMutationResult([]byte(`{"key":"k","dialogue":{"id":5,"chatId":0,"status":"open"}}`)); Reason(err) != "invalid_dialogue" {
		t.Errorf("a result with a broken dialogue: %v", err)
	}
}

// What the hub answers a mutation is parsed on the desktop like the feed: a reason or a valid
// value, never a panic.
func FuzzParseMutationResult(f *testing.F) {
	f.Add([]byte(`{"key":"c:1","dialogue":{"id":5,"chatId":3,"status":"open","cycles":[{"id":6,"dialogueId":5,"number":1}]}}`))
	f.Add([]byte(`{"key":"c:2","option":{"id":1,"kind":"type","name":"Sales"}}`))
	f.Add([]byte(`{"key":"c:3","template":{"id":1,"name":"hi","value":"Hello"}}`))
	f.Add([]byte(`{"key":"c:4","task":{"id":1,"personId":2,"assigneeId":3,"title":"call"}}`))
	f.Add([]byte(`{"key":"c:6","channel":{"id":2,"kind":"vk","name":"Shop"}}`))
	f.Add([]byte(`{"key":"c:5","leadLink":{"id":1,"channelId":2,"code":"abc","source":"Instagram"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseMutationResult(b)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		if err := r.CompanyResult.validate(); err != nil {
			t.Fatalf("accepted an invalid result: %v", err)
		}
		if r.Dialogue != nil && (r.Dialogue.ID <= 0 || !core.ValidDialogueStatus(r.Dialogue.Status)) {
			t.Fatalf("accepted %+v", r.Dialogue)
		}
	})
}
