package replica_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

// What a manager may see in team mode: every chat of the company (a claim assigns a chat, it
// does not hide it, so a colleague can step in), and of what is personal only their own: their
// drafts and the events addressed to them (a mention of them, their drafts). A mutation naming
// a chat, person, message, task or manager that does not exist, or a message of another chat,
// is refused with not_found (mutation_refused) and changes nothing; every kind is tried here.
func TestMutationsNamingWhatIsNotThereAreRefused(t *testing.T) {
	h := startHub(t)
	ctx := context.Background()
	h.fake.PushText(1001, "Ann", "in the first chat")
	h.fake.PushText(1002, "Boris", "in the other chat")
	var chat, person, otherMsg int64
	waitFor(t, "both chats on the hub", 10*time.Second, func() bool {
		rs := everything(t, h.st)
		a, b := withText(rs, "in the first chat"), withText(rs, "in the other chat")
		if len(a) == 1 && len(b) == 1 {
			chat, otherMsg = a[0].ChatID, b[0].ID
			for _, c := range rs.Chats {
				if c.ID == chat {
					person = c.PersonID
				}
			}
		}
		return chat != 0 && otherMsg != 0
	})
	const missing = 987654
	due := time.Now().Add(time.Hour).UnixMilli()
	before := everything(t, h.st)
	bob := signIn(t, h, "Bob")
	for i, c := range []struct{ body, reason string }{
		{fmt.Sprintf(`{"kind":"send_text","chatId":%d,"text":"x"}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"send_text","chatId":%d,"text":"x","replyToId":%d}`, chat, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"send_text","chatId":%d,"text":"x","replyToId":%d}`, chat, otherMsg), "not_found"},
		{fmt.Sprintf(`{"kind":"mark_read","chatId":%d}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"draft","chatId":%d,"text":"x"}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"draft","chatId":%d,"text":"x","replyToId":%d}`, chat, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"draft","chatId":%d,"text":"x","replyToId":%d}`, chat, otherMsg), "not_found"},
		{fmt.Sprintf(`{"kind":"edit","messageId":%d,"text":"x"}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"delete","messageId":%d}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"archive","personId":%d,"on":true}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"blacklist","personId":%d,"on":true}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"note","chatId":%d,"text":"x"}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"note","chatId":%d,"text":"x","mentions":[%d]}`, chat, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"tunnel_off","chatId":%d,"on":true}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"bot_off","chatId":%d,"on":true}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"claim","chatId":%d}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"release","chatId":%d,"owner":%d}`, missing, h.ids["Bob"]), "not_found"},
		{fmt.Sprintf(`{"kind":"task_add","personId":%d,"text":"x","dueAt":%d}`, missing, due), "not_found"},
		{fmt.Sprintf(`{"kind":"task_add","personId":%d,"text":"x","dueAt":%d,"assignee":%d}`, person, due, missing), "unknown_assignee"},
		{fmt.Sprintf(`{"kind":"task_edit","taskId":%d,"text":"x","dueAt":%d}`, missing, due), "not_found"},
		{fmt.Sprintf(`{"kind":"task_done","taskId":%d,"on":true}`, missing), "not_found"},
		{fmt.Sprintf(`{"kind":"task_delete","taskId":%d}`, missing), "not_found"},
	} {
		key := map[string]string{teamwire.IdempotencyHeader: fmt.Sprintf("foreign-client:%d", i+1)}
		st, b := bob.call("POST", teamwire.PathMutations, key, c.body)
		var ans struct {
			Code   string
			Params map[string]string
		}
		json.Unmarshal(b, &ans)
		if st != http.StatusUnprocessableEntity || ans.Code != "mutation_refused" || ans.Params["reason"] != c.reason {
			t.Errorf("%s: %d %s, want 422 mutation_refused %s", c.body, st, b, c.reason)
		}
		if st2, b2 := bob.call("POST", teamwire.PathMutations, key, c.body); st2 != st || !bytes.Equal(b, b2) {
			t.Errorf("%s: a replay answered %d %s", c.body, st2, b2)
		}
	}
	// Nothing changed: no message, no task, no switch, nothing at Telegram.
	after := everything(t, h.st)
	if diff := sameMessages(before, after); diff != "" {
		t.Fatalf("a refused mutation changed messages: %s", diff)
	}
	if len(after.Tasks) != 0 || len(h.fake.Messages(1001))+len(h.fake.Messages(1002)) != 0 {
		t.Fatalf("a refused mutation left tasks %+v or sent %d messages", after.Tasks, len(h.fake.Messages(1001)))
	}
	for _, c := range after.Chats {
		if c.OwnerID != 0 || c.TunnelOff || c.BotOff {
			t.Fatalf("a refused mutation changed chat %+v", c)
		}
	}
	if ds, _ := h.st.ManagerDrafts(ctx, h.ids["Bob"], []int64{chat}); len(ds) != 0 {
		t.Fatalf("a refused draft was kept: %+v", ds)
	}

	// Addressed events reach their manager only. Bob mentions Alice in a note and writes a
	// draft: Alice's feed has the mention and not Bob's draft; Bob's has his draft, not the
	// mention of Alice.
	key := map[string]string{teamwire.IdempotencyHeader: "foreign-client:100"}
	if st, b := bob.call("POST", teamwire.PathMutations, key,
		fmt.Sprintf(`{"kind":"note","chatId":%d,"text":"look","mentions":[%d]}`, chat, h.ids["Alice"])); st != 200 {
		t.Fatalf("note: %d %s", st, b)
	}
	key = map[string]string{teamwire.IdempotencyHeader: "foreign-client:101"}
	if st, b := bob.call("POST", teamwire.PathMutations, key, fmt.Sprintf(`{"kind":"draft","chatId":%d,"text":"mine"}`, chat)); st != 200 {
		t.Fatalf("draft: %d %s", st, b)
	}
	alice := signIn(t, h, "Alice")
	addressed := func(c *apiClient) map[string]int64 {
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.url, "http")+"/api/v1/feed?seq=0",
			&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}}})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.CloseNow()
		conn.SetReadLimit(teamwire.MaxFeedMessage)
		last, _ := h.st.LastSeq(ctx)
		out := map[string]int64{}
		for seq := int64(0); seq < last; {
			_, data, err := conn.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var msg struct {
				Seq    int64
				Events []core.Event
			}
			if err := json.Unmarshal(data, &msg); err != nil {
				t.Fatal(err)
			}
			for _, e := range msg.Events {
				if e.ManagerID != 0 {
					out[e.Kind] = e.ManagerID
				}
			}
			seq = msg.Seq
		}
		return out
	}
	if got := addressed(alice); got[core.EventNoteMention] != h.ids["Alice"] || got[core.EventDraftChanged] != 0 || len(got) != 1 {
		t.Fatalf("Alice's feed carries addressed events %v", got)
	}
	if got := addressed(bob); got[core.EventDraftChanged] != h.ids["Bob"] || got[core.EventNoteMention] != 0 || len(got) != 1 {
		t.Fatalf("Bob's feed carries addressed events %v", got)
	}
}
