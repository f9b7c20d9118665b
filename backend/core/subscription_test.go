package core

import (
	"maps"
	"testing"
)

func TestSubscriptionDecidesTypeAndNames(t *testing.T) {
	link := &LeadLink{Code: "promo", Plan: "Main", Source: "Instagram", Tool: "Quiz"}
	noSource := &LeadLink{Code: "promo", Plan: "Main", Tool: "Quiz"}
	cases := []struct {
		name      string
		before    bool
		refSource string
		code      string
		link      *LeadLink
		want      Indicator
	}{
		{"a bare /start", false, "", "", nil, Indicator{Type: IndSubscription}},
		{"again on the same chat", true, "", "", nil, Indicator{Type: IndResubscription}},
		{"through a lead link", false, "", "promo", link, Indicator{Type: IndSubscription, Tunnel: "Main", Source: "Instagram", Tool: "Quiz"}},
		{"again through a lead link", true, "", "promo", link, Indicator{Type: IndResubscription, Tunnel: "Main", Source: "Instagram", Tool: "Quiz"}},
		{"the link's source wins over VK's ref_source", false, "wall", "promo", link, Indicator{Type: IndSubscription, Tunnel: "Main", Source: "Instagram", Tool: "Quiz"}},
		{"VK's ref_source when the link names none", false, "wall", "promo", noSource, Indicator{Type: IndSubscription, Tunnel: "Main", Source: "wall", Tool: "Quiz"}},
		{"a code that is not ours is kept as data", false, "", "x_42", nil, Indicator{Type: IndSubscription, Details: "x_42"}},
	}
	for _, c := range cases {
		if got := Subscription(c.before, c.refSource, c.code, c.link); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestSubscriptionLogCarriesOnlyTheNamesThereAre(t *testing.T) {
	cases := []struct {
		ind    Indicator
		kind   LogKind
		params LogParams
	}{
		{Indicator{Type: IndSubscription}, LogSubscribed, LogParams{ParamChannel: "Shop"}},
		{Indicator{Type: IndResubscription, Tool: "Quiz"}, LogResubscribed, LogParams{ParamChannel: "Shop", ParamTool: "Quiz"}},
		{Indicator{Type: IndSubscription, Tunnel: "Main", Source: "VK", Tool: "Quiz", Details: "x"}, LogSubscribed,
			LogParams{ParamChannel: "Shop", ParamTunnel: "Main", ParamSource: "VK", ParamTool: "Quiz"}},
	}
	for _, c := range cases {
		kind, params := SubscriptionLog(c.ind, "Shop")
		if kind != c.kind || !maps.Equal(params, c.params) {
			t.Errorf("%+v: %s %v, want %s %v", c.ind, kind, params, c.kind, c.params)
		}
	}
}

func TestStatusChangeOfBlockAndUnblock(t *testing.T) {
	cases := []struct {
		kind UpdateKind
		want StatusChange
		ok   bool
	}{
		{UpdBlocked, StatusChange{Unsubscribed, Indicator{Type: IndUnsubscription, Reason: ReasonBlockedBot}, LogUnsubscribed}, true},
		{UpdAllowed, StatusChange{Subscribed, Indicator{Type: IndResubscription}, LogMessagesAllowed}, true},
		{UpdMessage, StatusChange{}, false},
		{UpdEdit, StatusChange{}, false},
	}
	for _, c := range cases {
		if got, ok := StatusChangeOf(c.kind); got != c.want || ok != c.ok {
			t.Errorf("%s: %+v %v, want %+v %v", c.kind, got, ok, c.want, c.ok)
		}
	}
}
