package core

// Subscription rules: what a /start (Telegram) or a ref (VK), a block and an unblock mean for
// a person. The store looks up what these need (an earlier subscription, the lead link of the
// code) and executes what they decide.

// Indicator reasons: why a client action happened, as a code the UI words.
const (
	ReasonBlockedBot   = "blocked_bot"   // unsubscription: the client blocked the bot / denied messages
	ReasonCardDeclined = "card_declined" // payment failed: the bank declined the card
)

// IndicatorReasons is every reason code; the UI words each one in both languages.
var IndicatorReasons = []string{ReasonBlockedBot, ReasonCardDeclined}

// Subscription decides the indicator of a subscription on a chat: a resubscription when the
// chat was subscribed before, named from the lead link of the code when there is one. A code
// that is not one of ours is kept as the client came with it (Details), as data. refSource
// is VK's ref_source; a lead link's own source wins over it.
func Subscription(subscribedBefore bool, refSource, code string, link *LeadLink) Indicator {
	ind := Indicator{Type: IndSubscription, Source: refSource}
	if subscribedBefore {
		ind.Type = IndResubscription
	}
	switch {
	case code == "":
	case link == nil:
		ind.Details = code
	default:
		ind.Tunnel, ind.Tool = link.Plan, link.Tool
		if link.Source != "" {
			ind.Source = link.Source
		}
	}
	return ind
}

// SubscriptionLog is the person log entry of a subscription indicator on channel.
func SubscriptionLog(ind Indicator, channel string) (LogKind, LogParams) {
	kind := LogSubscribed
	if ind.Type == IndResubscription {
		kind = LogResubscribed
	}
	p := LogParams{ParamChannel: channel}
	for k, v := range map[string]string{ParamTunnel: ind.Tunnel, ParamSource: ind.Source, ParamTool: ind.Tool} {
		if v != "" {
			p[k] = v
		}
	}
	return kind, p
}

// StatusChange is what a block or an unblock does to a person.
type StatusChange struct {
	Status    PersonStatus
	Indicator Indicator
	Log       LogKind
}

// StatusChangeOf decides the status change of an update; ok is false for updates that do not
// change a person's status.
func StatusChangeOf(kind UpdateKind) (StatusChange, bool) {
	switch kind {
	case UpdBlocked:
		return StatusChange{Unsubscribed, Indicator{Type: IndUnsubscription, Reason: ReasonBlockedBot}, LogUnsubscribed}, true
	case UpdAllowed:
		return StatusChange{Subscribed, Indicator{Type: IndResubscription}, LogMessagesAllowed}, true
	}
	return StatusChange{}, false
}
