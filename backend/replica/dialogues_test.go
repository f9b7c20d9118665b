package replica_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/inbox"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// Dialogues and the company's settings in team mode: made at the hub through the inbox's use
// cases, by whichever desktop asked, and on every desktop through the feed.

// teamOnline starts an admin's (Alice) and a manager's (Bob) desktops on h and waits until both
// hold the client's chat.
func teamOnline(t *testing.T, h *teamHub, text string) (a, b *desk, chat int64) {
	t.Helper()
	a, b = onlineWith(t, h, "Alice", text), onlineWith(t, h, "Bob", text)
	return a, b, withText(everything(t, a.st), text)[0].ChatID
}

// startTeam starts a hub whose client Ann has said "hi", with Alice's and Bob's desktops online.
func startTeam(t *testing.T) (h *teamHub, a, b *desk, chat int64) {
	t.Helper()
	h = startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	a, b, chat = teamOnline(t, h, "hi")
	return h, a, b, chat
}

// dialogueOn reads dialogue id as desk d holds it (zero if it does not).
func dialogueOn(t *testing.T, d *desk, chat, id int64) core.Dialogue {
	t.Helper()
	ds, err := d.st.ChatDialogues(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ds {
		if x.ID == id {
			return x
		}
	}
	return core.Dialogue{}
}

// activeDialoguePeople lists the people the "active dialogues" filter shows on desk d.
func activeDialoguePeople(t *testing.T, d *desk) []int64 {
	t.Helper()
	return listedPeople(t, d, core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{ActiveDialogues: true}, Limit: 50}, d.eng.Replica().Me())
}

// listedPeople lists the people a list query shows manager me on desk d.
func listedPeople(t *testing.T, d *desk, q core.ListQuery, me int64) []int64 {
	t.Helper()
	page, err := d.st.ListPeople(context.Background(), q, me, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range page.Rows {
		ids = append(ids, r.PersonID)
	}
	return ids
}

func optionNames(t *testing.T, d *desk) map[string]string {
	t.Helper()
	opts, err := d.eng.Inbox.DialogueOptions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range opts {
		out[o.Name] = o.Kind
	}
	return out
}

func TestDialoguesTravelAndTheClientsTapShowsEverywhere(t *testing.T) {
	h := startHub(t)
	const client = 1001
	h.fake.PushText(client, "Ann", "my parcel is late")
	a, b, chat := teamOnline(t, h, "my parcel is late")
	ctx := context.Background()
	alice, bob := a.eng.Replica().Me(), b.eng.Replica().Me()

	// The admin fills in the lists from her desktop; they reach the manager's.
	for _, o := range []core.DialogueOption{{Kind: core.OptionType, Name: "Delivery"}, {Kind: core.OptionReason, Name: "Late"},
		{Kind: core.OptionComponent, Name: "Courier"}} {
		saved, err := a.eng.Inbox.SaveDialogueOption(ctx, o)
		if err != nil || saved.ID <= 0 || saved.Name != o.Name {
			t.Fatalf("the admin adds %q: %+v %v", o.Name, saved, err)
		}
	}
	waitFor(t, "the lists on Bob's desktop", 10*time.Second, func() bool { return len(optionNames(t, b)) == 3 })

	// The manager opens a dialogue with both of them on it: the hub's row, on both desktops.
	d, err := b.eng.Inbox.CreateDialogue(ctx, chat, core.DialogueInput{Type: "Delivery", Reasons: []string{"Late"},
		Components: []string{"Courier"}, Managers: []int64{bob, alice}})
	if err != nil || d.ID <= 0 || d.Status != core.DialogueOpen || len(d.Cycles) != 1 || d.Cycles[0].OpenedBy != bob {
		t.Fatalf("create on a replica: %+v %v", d, err)
	}
	if here := dialogueOn(t, b, chat, d.ID); here.ID != d.ID { // at once, without waiting for the feed
		t.Fatalf("the new dialogue is not on Bob's desktop at once: %+v", here)
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the dialogue on "+x.who, 10*time.Second, func() bool {
			got := dialogueOn(t, x, chat, d.ID)
			return got.Type == "Delivery" && len(got.Managers) == 2 && len(got.Reasons) == 1 && got.Reasons[0] == "Late"
		})
	}
	person := everything(t, a.st).Chats[0].PersonID
	if got := activeDialoguePeople(t, a); len(got) != 1 || got[0] != person {
		t.Fatalf("the active dialogues filter on Alice's desktop: %v, want [%d]", got, person)
	}
	// The hub checks the lists, whoever asks: a type not on them is refused in solo's words.
	if _, err := a.eng.Inbox.CreateDialogue(ctx, chat, core.DialogueInput{Type: "Teleportation"}); inbox.ErrorCode(err) != "dialogue_option_unknown" {
		t.Fatalf("an unknown type: %q %v", inbox.ErrorCode(err), err)
	}

	// Alice moves it along; Bob sees it.
	if d, err = a.eng.Inbox.SetDialogueStatus(ctx, d.ID, core.DialogueWaiting); err != nil || d.Status != core.DialogueWaiting {
		t.Fatalf("status on a replica: %+v %v", d, err)
	}
	waitFor(t, "the status on Bob's desktop", 10*time.Second, func() bool { return dialogueOn(t, b, chat, d.ID).Status == core.DialogueWaiting })
	// Alice hands it over to herself alone and drops the component; Bob sees it.
	if d, err = a.eng.Inbox.EditDialogue(ctx, d.ID, core.DialogueInput{Type: "Delivery", Reasons: []string{"Late"}, Managers: []int64{alice}}); err != nil ||
		len(d.Managers) != 1 || d.Managers[0] != alice || len(d.Components) != 0 {
		t.Fatalf("edit on a replica: %+v %v", d, err)
	}
	waitFor(t, "the edit on Bob's desktop", 10*time.Second, func() bool {
		got := dialogueOn(t, b, chat, d.ID)
		return len(got.Managers) == 1 && got.Managers[0] == alice && len(got.Components) == 0 && got.Status == core.DialogueWaiting
	})

	// Bob closes it asking for a rating: the hub's outbox sends the buttons to the client.
	if d, err = b.eng.Inbox.CloseDialogue(ctx, d.ID, "  How did we do?  "); err != nil || d.Status != core.DialogueClosed {
		t.Fatalf("close on a replica: %+v %v", d, err)
	}
	cycle := d.Cycles[0]
	if cycle.RatingMessageID <= 0 || cycle.ClosedBy != bob {
		t.Fatalf("the closed cycle: %+v", cycle)
	}
	var msgID int64
	waitFor(t, "the rating request at Telegram", 10*time.Second, func() bool {
		m, err := h.st.Message(ctx, cycle.RatingMessageID)
		if err != nil || m.Status != core.StatusSent {
			return false
		}
		msgID, _ = strconv.ParseInt(m.ExternalID, 10, 64)
		return true
	})
	var request []string
	for _, m := range h.fake.Messages(client) {
		if m.Text == "How did we do?" && len(m.Buttons) == 1 {
			for _, btn := range m.Buttons[0] {
				request = append(request, btn.CallbackData)
			}
		}
	}
	if len(request) != 5 || request[3] != core.RatingData(cycle.ID, 4) {
		t.Fatalf("the keyboard Telegram got: %v", request)
	}
	waitFor(t, "the closed dialogue and the request on both desktops", 10*time.Second, func() bool {
		for _, x := range []*desk{a, b} {
			if dialogueOn(t, x, chat, d.ID).Status != core.DialogueClosed || len(withText(everything(t, x.st), "How did we do?")) != 1 {
				return false
			}
		}
		return len(activeDialoguePeople(t, a)) == 0 && len(activeDialoguePeople(t, b)) == 0
	})

	// The client taps 4, then 1: the first tap wins, on the hub and on both desktops, and the
	// tap shows in the chat once.
	q1, err := h.fake.Press(client, msgID, core.RatingData(cycle.ID, 4))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the client's rating on "+x.who, 10*time.Second, func() bool {
			got := dialogueOn(t, x, chat, d.ID)
			return got.ClientRating == 4 && len(got.Cycles) == 1 && got.Cycles[0].ClientRating == 4
		})
	}
	q2, err := h.fake.Press(client, msgID, core.RatingData(cycle.ID, 1))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both taps answered", 10*time.Second, func() bool { return h.fake.Answered(q1) == 1 && h.fake.Answered(q2) == 1 })
	// Something after the repeated tap reaches both desktops: the tap has been through the feed.
	h.fake.PushText(client, "Ann", "thanks")
	for _, x := range []*desk{a, b} {
		waitFor(t, "the message after the repeated tap on "+x.who, 10*time.Second, func() bool { return len(withText(everything(t, x.st), "thanks")) == 1 })
		if got := dialogueOn(t, x, chat, d.ID); got.ClientRating != 4 || got.Cycles[0].ClientRating != 4 {
			t.Fatalf("after the repeated tap on %s: %+v", x.who, got)
		}
		if n := ratingIndicators(t, x, chat); n != 1 {
			t.Fatalf("%d rating indicators on %s, want 1", n, x.who)
		}
	}

	// The manager rates the client; reopening starts a new cycle; both show on both desktops.
	if d, err = a.eng.Inbox.RateClient(ctx, d.ID, 3); err != nil || d.ManagerRating != 3 {
		t.Fatalf("the manager's rating: %+v %v", d, err)
	}
	if d, err = b.eng.Inbox.ReopenDialogue(ctx, d.ID); err != nil || len(d.Cycles) != 2 || d.Status != core.DialogueOpen {
		t.Fatalf("reopen on a replica: %+v %v", d, err)
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the second cycle on "+x.who, 10*time.Second, func() bool {
			got := dialogueOn(t, x, chat, d.ID)
			return len(got.Cycles) == 2 && got.Cycles[0].ManagerRating == 3 && got.Cycles[0].ClientRating == 4 &&
				got.Status == core.DialogueOpen && got.Cycles[1].OpenedBy == bob
		})
		if got := activeDialoguePeople(t, x); len(got) != 1 {
			t.Fatalf("the reopened dialogue in the filter on %s: %v", x.who, got)
		}
	}
	if _, err := a.eng.Inbox.ReopenDialogue(ctx, d.ID); inbox.ErrorCode(err) != "dialogue_open" {
		t.Fatalf("reopening an open dialogue: %q %v", inbox.ErrorCode(err), err)
	}
	if st, _ := b.eng.ReplicaStatus(); st.Pending != 0 {
		t.Fatalf("dialogue writes were left queued: %+v", st)
	}
	// Both desktops hold exactly the hub's dialogues.
	want, _ := h.st.ChatDialogues(ctx, chat)
	for _, x := range []*desk{a, b} {
		got, _ := x.st.ChatDialogues(ctx, chat)
		wb, _ := json.Marshal(want)
		gb, _ := json.Marshal(got)
		if string(wb) != string(gb) {
			t.Fatalf("%s's dialogues differ from the hub's:\n%s\n%s", x.who, gb, wb)
		}
	}
}

// ratingIndicators counts the client-rating indicators in a chat's history on desk d.
func ratingIndicators(t *testing.T, d *desk, chat int64) int {
	t.Helper()
	page, err := d.eng.Inbox.History(context.Background(), core.HistoryQuery{ChatID: chat, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range page.Messages {
		if m.Indicator != nil && m.Indicator.Type == core.IndClientRating {
			n++
		}
	}
	return n
}

// The company's settings are an admin's: the hub itself refuses a manager's change (through the
// API too), and an admin's reaches every desktop.
func TestCompanySettingsAreTheAdminsAndTravel(t *testing.T) {
	h, a, b, _ := startTeam(t)
	ctx := context.Background()
	channel := everything(t, a.st).Channels[0].ID

	if _, err := b.eng.Inbox.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: "Sneaky"}); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager adds to a list: %q %v", inbox.ErrorCode(err), err)
	}
	if _, err := b.eng.Composer.SaveTemplate(ctx, core.Template{Name: "sig", Value: "Bob"}); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager adds a template: %q %v", inbox.ErrorCode(err), err)
	}

	tpl, err := a.eng.Composer.SaveTemplate(ctx, core.Template{Name: "greeting", Value: "Hello, {name}!"})
	if err != nil || tpl.ID <= 0 {
		t.Fatalf("the admin adds a template: %+v %v", tpl, err)
	}
	opt, err := a.eng.Inbox.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionReason, Name: "Refund"})
	if err != nil {
		t.Fatal(err)
	}
	templatesOn := func(d *desk) []core.Template {
		ts, err := d.eng.Composer.Templates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the template and the list on "+x.who, 10*time.Second, func() bool {
			ts := templatesOn(x)
			return len(ts) == 1 && ts[0].ID == tpl.ID && ts[0].Value == "Hello, {name}!" && optionNames(t, x)["Refund"] == core.OptionReason
		})
	}
	// Renamed and removed: the same on every desktop.
	if _, err := a.eng.Inbox.SaveDialogueOption(ctx, core.DialogueOption{ID: opt.ID, Name: "Money back"}); err != nil {
		t.Fatal(err)
	}
	if err := a.eng.Composer.DeleteTemplate(ctx, tpl.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the rename and the removal on Bob's desktop", 10*time.Second, func() bool {
		names := optionNames(t, b)
		return len(templatesOn(b)) == 0 && names["Money back"] == core.OptionReason && len(names) == 1
	})
	if err := b.eng.Inbox.DeleteDialogueOption(ctx, opt.ID); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager removes an entry: %q %v", inbox.ErrorCode(err), err)
	}

	// Through the API: every settings mutation of a manager's session is 403 forbidden, and
	// nothing changed at the hub.
	bob := signIn(t, h, "Bob")
	for i, body := range []string{
		`{"kind":"dialogue_option_save","list":"type","name":"Sneaky"}`,
		fmt.Sprintf(`{"kind":"dialogue_option_delete","optionId":%d}`, opt.ID),
		`{"kind":"template_save","name":"sig","text":"Bob"}`,
		`{"kind":"template_delete","templateId":1}`,
		fmt.Sprintf(`{"kind":"lead_link_add","leadLink":{"channelId":%d,"source":"x"}}`, channel),
		`{"kind":"lead_link_delete","leadLink":{"id":1}}`,
	} {
		key := map[string]string{teamwire.IdempotencyHeader: fmt.Sprintf("bob-api-client:%d", i+1)}
		if st, b := bob.call("POST", teamwire.PathMutations, key, body); st != 403 || !jsonHasCode(b, "forbidden") {
			t.Fatalf("a manager's %s: %d %s", body, st, b)
		}
	}
	opts, _ := h.st.DialogueOptions(ctx)
	if len(opts) != 1 || opts[0].Name != "Money back" {
		t.Fatalf("the hub's lists after a manager's attempts: %+v", opts)
	}
	// Lead links live at the hub, whose pollers meet the codes: an admin adds one from her
	// desktop, a manager reads it (with its URL) and cannot add one; a client coming through it
	// is attributed at the hub and on both desktops.
	if _, err := b.eng.Inbox.AddLeadLink(ctx, core.LeadLink{ChannelID: channel, Source: "Sneaky"}); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager adds a lead link: %q %v", inbox.ErrorCode(err), err)
	}
	link, err := a.eng.Inbox.AddLeadLink(ctx, core.LeadLink{ChannelID: channel, Plan: "Webinar", Source: "Instagram", Tool: "Bio link"})
	if err != nil || link.Link.ID <= 0 || link.Link.Code == "" || link.URL == "" {
		t.Fatalf("the admin adds a lead link: %+v %v", link, err)
	}
	waitFor(t, "the lead link on Bob's desktop", 10*time.Second, func() bool {
		ls, err := b.eng.Inbox.LeadLinks(ctx, channel)
		return err == nil && len(ls) == 1 && ls[0].Link == link.Link && ls[0].URL == link.URL
	})
	h.fake.PushText(2002, "Lena", "/start "+link.Link.Code)
	for _, x := range []*desk{a, b} {
		waitFor(t, "the attributed subscriber on "+x.who, 10*time.Second, func() bool {
			for _, p := range everything(t, x.st).People {
				if p.Name == "Lena" {
					return p.Source == "Instagram" && p.Tool == "Bio link"
				}
			}
			return false
		})
	}
	if err := b.eng.Inbox.DeleteLeadLink(ctx, link.Link.ID); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager removes a lead link: %q %v", inbox.ErrorCode(err), err)
	}
	if err := a.eng.Inbox.DeleteLeadLink(ctx, link.Link.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the removal on Bob's desktop", 10*time.Second, func() bool {
		ls, err := b.eng.Inbox.LeadLinks(ctx, channel)
		return err == nil && len(ls) == 0
	})

	// A new desktop gets the settings with its snapshot.
	c := openDesk(t, h, "Bob")
	c.start(t)
	waitFor(t, "the settings in a new desktop's snapshot", 10*time.Second, func() bool { return optionNames(t, c)["Money back"] == core.OptionReason })
}

func jsonHasCode(b []byte, code string) bool {
	var e struct{ Code string }
	return json.Unmarshal(b, &e) == nil && e.Code == code
}

// The rating request over VK, through the hub: a keyboard with a payload per button; the
// client's tap arrives as a message carrying the payload, the first one wins, on every desktop.
func TestVKRatingThroughTheHub(t *testing.T) {
	vk := fakeapi.NewVK(t)
	h := startHubWith(t, func(c *engine.Config) { c.VKAPI = vk.URL() }, nil)
	h.fake.PushText(1001, "Ann", "hi")
	a, b, _ := teamOnline(t, h, "hi")
	ctx := context.Background()
	if _, err := a.eng.Inbox.AddVKChannel(ctx, vk.Token(), strconv.FormatInt(vk.GroupID(), 10)); err != nil {
		t.Fatalf("the admin connects a VK community: %v", err)
	}
	const client = 5550001
	vk.SetUser(client, "Olga", "Petrova")
	// A new community starts from VK's current ts: push once the poller is listening from one.
	waitFor(t, "the hub's long poll listening", 10*time.Second, func() bool { return len(vk.CallsTo("a_check")) > 0 })
	vk.PushText(client, "Where is my parcel?")
	for _, x := range []*desk{a, b} {
		waitFor(t, "the VK client on "+x.who, 10*time.Second, func() bool { return len(withText(everything(t, x.st), "Where is my parcel?")) == 1 })
	}
	chat := withText(everything(t, b.st), "Where is my parcel?")[0].ChatID

	d, err := b.eng.Inbox.CreateDialogue(ctx, chat, core.DialogueInput{Status: core.DialogueInProgress})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = b.eng.Inbox.CloseDialogue(ctx, d.ID, "Rate us, please"); err != nil {
		t.Fatal(err)
	}
	var msgID int64
	waitFor(t, "the rating request at VK", 10*time.Second, func() bool {
		m, err := h.st.Message(ctx, d.Cycles[0].RatingMessageID)
		msgID, _ = strconv.ParseInt(m.ExternalID, 10, 64)
		return err == nil && m.Status == core.StatusSent
	})
	if sent := vk.Messages(client); len(sent) != 1 || !sent[0].Inline || len(sent[0].Buttons) != 1 || len(sent[0].Buttons[0]) != 5 {
		t.Fatalf("the keyboard VK got: %+v", sent)
	}
	if _, err := vk.Press(client, msgID, "5"); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the client's 5 on "+x.who, 10*time.Second, func() bool { return dialogueOn(t, x, chat, d.ID).ClientRating == 5 })
	}
	if _, err := vk.Press(client, msgID, "2"); err != nil { // a repeated tap
		t.Fatal(err)
	}
	clientMessages := func(x *desk) int {
		n := 0
		for _, m := range everything(t, x.st).Messages {
			if m.ChatID == chat && m.Kind == string(core.KindMessage) && m.Sender == string(core.SenderClient) {
				n++
			}
		}
		return n
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the repeated tap as a message on "+x.who, 10*time.Second, func() bool { return clientMessages(x) == 3 })
		if got := dialogueOn(t, x, chat, d.ID); got.ClientRating != 5 || got.Cycles[0].ClientRating != 5 {
			t.Fatalf("after the repeated tap on %s: %+v", x.who, got)
		}
		if n := ratingIndicators(t, x, chat); n != 1 {
			t.Fatalf("%d rating indicators on %s, want 1", n, x.who)
		}
	}
}

// Every refusal of a dialogue or settings mutation is the inbox's code (422), never a fault of
// the hub (5xx), and a replay gets the same answer.
func TestDialogueAndSettingsRefusalsAreTheInboxs(t *testing.T) {
	h, _, _, chat := startTeam(t)
	alice := signIn(t, h, "Alice")
	for i, c := range []struct{ body, reason string }{
		{fmt.Sprintf(`{"kind":"dialogue_create","chatId":%d,"type":"Nowhere"}`, chat), "dialogue_option_unknown"},
		{`{"kind":"dialogue_create","chatId":987654}`, "not_found"},
		{fmt.Sprintf(`{"kind":"dialogue_create","chatId":%d,"managers":[987654]}`, chat), "not_found"},
		{`{"kind":"dialogue_edit","dialogueId":987654}`, "not_found"},
		{`{"kind":"dialogue_status","dialogueId":987654,"status":"waiting"}`, "not_found"},
		{`{"kind":"dialogue_close","dialogueId":987654,"text":"Rate us"}`, "not_found"},
		{`{"kind":"dialogue_reopen","dialogueId":987654}`, "not_found"},
		{`{"kind":"dialogue_rate","dialogueId":987654,"score":3}`, "not_found"},
		{`{"kind":"dialogue_option_save","list":"type","name":"   "}`, "dialogue_option_name"},
		{`{"kind":"dialogue_option_save","optionId":987654,"name":"x"}`, "not_found"},
		{`{"kind":"template_save","name":"","text":"x"}`, "template_name"},
		{`{"kind":"lead_link_add","leadLink":{"channelId":987654,"source":"x"}}`, "not_found"},
		{`{"kind":"lead_link_add","leadLink":{"channelId":1}}`, "lead_link_empty"},
		{`{"kind":"lead_link_delete","leadLink":{"id":987654}}`, "not_found"},
		{fmt.Sprintf(`{"kind":"channel_add","channelKind":"telegram","token":"1:wrong","apiUrl":%q}`, h.fake.URL()), "token_rejected"},
		{`{"kind":"channel_remove","channelId":987654}`, "not_found"},
	} {
		key := map[string]string{teamwire.IdempotencyHeader: fmt.Sprintf("alice-api-client:%d", i+1)}
		st1, b1 := alice.call("POST", teamwire.PathMutations, key, c.body)
		st2, b2 := alice.call("POST", teamwire.PathMutations, key, c.body)
		var e struct {
			Code   string
			Params map[string]any
		}
		json.Unmarshal(b1, &e)
		if st1 != 422 || e.Code != "mutation_refused" || e.Params["reason"] != c.reason || st2 != st1 || string(b1) != string(b2) {
			t.Errorf("%s: %d %s (replay %d %s), want 422 %s", c.body, st1, b1, st2, b2, c.reason)
		}
	}
}

// "Read all" is a company action: an admin's from her desktop marks every chat read at the hub
// and on every desktop; a manager's is refused by the hub.
func TestReadAllIsTheAdminsAtTheHub(t *testing.T) {
	h, a, b, _ := startTeam(t)
	h.fake.PushText(1002, "Ben", "hello")
	unread := func(st *store.Store) int64 {
		n := int64(0)
		for _, c := range everything(t, st).Chats {
			n += c.Unread
		}
		return n
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "two unread chats on "+x.who, 10*time.Second, func() bool { return unread(x.st) == 2 })
	}
	ctx := context.Background()
	if _, err := b.eng.Inbox.MarkAllRead(ctx); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager's read-all: %q %v", inbox.ErrorCode(err), err)
	}
	if unread(b.st) != 2 || unread(h.st) != 2 {
		t.Fatal("a refused read-all marked something read")
	}
	n, err := a.eng.Inbox.MarkAllRead(ctx)
	if err != nil || n != 2 {
		t.Fatalf("the admin's read-all: %d %v", n, err)
	}
	waitFor(t, "everything read at the hub and on Bob's desktop", 10*time.Second, func() bool { return unread(h.st) == 0 && unread(b.st) == 0 })
}
