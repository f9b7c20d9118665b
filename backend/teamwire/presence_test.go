package teamwire

import (
	"encoding/json"
	"testing"
)

func TestParsePresenceUpdate(t *testing.T) {
	cases := []struct {
		body, reason string
	}{
		{`{"type":"presence","chatId":3,"state":"typing"}`, ""},
		{`{"type":"presence","chatId":3,"state":"recording"}`, ""},
		{`{"type":"presence","chatId":3,"state":"viewing"}`, ""},
		{`{"type":"presence","state":"idle"}`, ""},
		{`{"type":"presence","chatId":3,"state":"idle"}`, ""},
		{`{"type":"presence","state":"typing"}`, "missing_chat"},
		{`{"type":"presence","chatId":-3,"state":"typing"}`, "missing_chat"},
		{`{"type":"presence","chatId":3,"state":"dancing"}`, "invalid_state"},
		{`{"type":"changes","chatId":3,"state":"typing"}`, "unknown_type"},
		{`{"type":"presence","chatId":3,"state":"typing","text":"secret"}`, "unknown_field"},
		{`{"type":"presence","chatId":3,"state":"typing"} {}`, "invalid_json"},
		{`{"type":"presence","chatId":3,"state":"typing","pad":"` + string(make([]byte, 300)) + `"}`, "too_large"},
	}
	for _, c := range cases {
		u, err := ParsePresenceUpdate([]byte(c.body))
		if got := Reason(err); got != c.reason {
			t.Errorf("%s: reason %q, want %q (err %v)", c.body, got, c.reason, err)
		}
		if err == nil && u.State == PresenceIdle && u.ChatID != 0 {
			t.Errorf("%s: idle keeps chat %d", c.body, u.ChatID)
		}
	}
}

func TestParsePresenceFrame(t *testing.T) {
	good := `{"type":"presence","full":true,"entries":[{"conn":1,"managerId":2,"chatId":3,"state":"typing","ttlMs":6000},{"conn":4,"managerId":2,"chatId":0,"state":"idle","ttlMs":0}]}`
	f, err := ParsePresenceFrame([]byte(good))
	if err != nil || !f.Full || len(f.Entries) != 2 || f.Entries[0].State != PresenceTyping {
		t.Fatalf("good frame: %+v, %v", f, err)
	}
	if !IsPresenceFrame([]byte(good)) || IsPresenceFrame([]byte(`{"type":"changes","seq":1}`)) {
		t.Fatal("IsPresenceFrame tells frames apart wrongly")
	}
	// What the hub writes is what a replica tells apart: the struct's encoding starts as expected.
	b, _ := json.Marshal(PresenceFrame{Type: FeedPresence})
	if !IsPresenceFrame(b) {
		t.Fatalf("an encoded frame %s is not recognised", b)
	}
	for _, bad := range []string{
		`{"type":"presence","entries":[{"conn":0,"managerId":2,"chatId":3,"state":"typing","ttlMs":1}]}`,
		`{"type":"presence","entries":[{"conn":1,"managerId":0,"chatId":3,"state":"typing","ttlMs":1}]}`,
		`{"type":"presence","entries":[{"conn":1,"managerId":2,"chatId":0,"state":"typing","ttlMs":1}]}`,
		`{"type":"presence","entries":[{"conn":1,"managerId":2,"chatId":3,"state":"shouting","ttlMs":1}]}`,
		`{"type":"presence","entries":[{"conn":1,"managerId":2,"chatId":3,"state":"typing","ttlMs":-1}]}`,
		`{"type":"presence","entries":[{"conn":1,"managerId":2,"chatId":3,"state":"typing","ttlMs":99999999}]}`,
	} {
		if _, err := ParsePresenceFrame([]byte(bad)); Reason(err) != "invalid_presence" {
			t.Errorf("%s: %v, want invalid_presence", bad, err)
		}
	}
}

func FuzzParsePresenceUpdate(f *testing.F) {
	f.Add([]byte(`{"type":"presence","chatId":3,"state":"typing"}`))
	f.Add([]byte(`{"type":"presence","state":"idle"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := ParsePresenceUpdate(b)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		if PresenceTTL(u.State) == 0 && u.State != PresenceIdle {
			t.Fatalf("accepted state %q without a TTL", u.State)
		}
		again, _ := json.Marshal(u)
		if _, err := ParsePresenceUpdate(again); err != nil {
			t.Fatalf("accepted %s but not its round trip %s: %v", b, again, err)
		}
	})
}

func FuzzParsePresenceFrame(f *testing.F) {
	f.Add([]byte(`{"type":"presence","full":true,"entries":[{"conn":1,"managerId":2,"chatId":3,"state":"typing","ttlMs":6000}]}`))
	f.Add([]byte(`{"type":"presence","entries":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := ParsePresenceFrame(b)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		for _, e := range fr.Entries {
			if e.Conn <= 0 || e.ManagerID <= 0 || (e.State != PresenceIdle && e.ChatID <= 0) {
				t.Fatalf("accepted a bad entry %+v", e)
			}
		}
	})
}
