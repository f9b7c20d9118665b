package core

import (
	"strings"
	"testing"
)

func TestRatingDataRoundTrips(t *testing.T) {
	for _, c := range []struct {
		cycle int64
		score int
	}{{1, 1}, {7, 5}, {1<<53 - 1, 3}} {
		data := RatingData(c.cycle, c.score)
		if got, ok := ParseRatingData(data); !ok || got != (RatingTap{c.cycle, c.score}) {
			t.Errorf("ParseRatingData(%q) = %+v, %v", data, got, ok)
		}
		payload := RatingPayload(c.cycle, c.score)
		if got, ok := ParseRatingPayload(payload); !ok || got != (RatingTap{c.cycle, c.score}) {
			t.Errorf("ParseRatingPayload(%q) = %+v, %v", payload, got, ok)
		}
	}
}

// Button data comes back from the client's device: anything but the exact form is refused.
func TestParseRatingDataRefusesTheRest(t *testing.T) {
	for _, s := range []string{"", "sbr1:", "sbr1:7", "sbr1:7:", "sbr1:7:0", "sbr1:7:6", "sbr1:7:55", "sbr1:0:5",
		"sbr1:07:5", "sbr1:-7:5", "sbr1:+7:5", "sbr1: 7:5", "sbr1:7:5 ", "sbr2:7:5", "SBR1:7:5", "sbr1:7:5:1",
		"sbr1:99999999999999999:5", "sbr1:9223372036854775808:5", "sbr1:٧:5", "buy_1", "sbr1:7:" + strings.Repeat("5", 70)} {
		if tap, ok := ParseRatingData(s); ok {
			t.Errorf("ParseRatingData(%q) = %+v, want refused", s, tap)
		}
	}
	for _, p := range []string{"", `{"command":"start"}`, `{"sb_rating":5}`, `{"sb_rating":"sbr1:7:6"}`, `"sbr1:7:5"`,
		`{"sb_rating":"sbr1:7:5","more":1}`, `[{"sb_rating":"sbr1:7:5"}]`, `{"sb_rating":"sbr1:7:5"`,
		`{"sb_rating":"sbr1:7:5"}` + strings.Repeat(" ", 256)} {
		if tap, ok := ParseRatingPayload(p); ok {
			t.Errorf("ParseRatingPayload(%q) = %+v, want refused", p, tap)
		}
	}
}

func TestDialogueStatuses(t *testing.T) {
	for _, s := range DialogueStatuses {
		if !ValidDialogueStatus(s) {
			t.Errorf("%q not valid", s)
		}
	}
	for _, s := range []string{"", "Closed", "done", "waiting_for_client"} {
		if ValidDialogueStatus(s) {
			t.Errorf("%q valid", s)
		}
	}
}

// FuzzParseRatingData: whatever the client sends, a parsed tap names a positive cycle and a
// score 1..5, and is the one canonical spelling of itself.
func FuzzParseRatingData(f *testing.F) {
	for _, s := range []string{"sbr1:7:5", "sbr1:07:5", "sbr1:7:6", `{"sb_rating":"sbr1:7:5"}`, "buy_1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tap, ok := ParseRatingData(s); ok {
			if tap.CycleID <= 0 || !ValidRating(tap.Score) || RatingData(tap.CycleID, tap.Score) != s {
				t.Fatalf("ParseRatingData(%q) = %+v", s, tap)
			}
		}
		if tap, ok := ParseRatingPayload(s); ok {
			if tap.CycleID <= 0 || !ValidRating(tap.Score) {
				t.Fatalf("ParseRatingPayload(%q) = %+v", s, tap)
			}
		}
	})
}
