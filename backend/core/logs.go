package core

// Person logs are data, not sentences: a kind and its parameters, worded by the UI in the
// manager's language (frontend/src/features/card/card-i18n.ts has one phrase per kind). Nothing
// here or in the store writes an English or Russian sentence into the database or an event.

// LogKind names one system event of a person.
type LogKind string

const (
	// LogSubscribed: the client subscribed to a bot. Params: channel, and when a lead link
	// named them, tunnel, source, tool.
	LogSubscribed LogKind = "subscription"
	// LogResubscribed: the client subscribed again to a bot they had subscribed to before.
	LogResubscribed LogKind = "resubscription"
	// LogUnsubscribed: the client blocked the bot or denied messages. Params: channel.
	LogUnsubscribed LogKind = "unsubscription"
	// LogMessagesAllowed: the client unblocked the bot or allowed messages again. Params: channel.
	LogMessagesAllowed LogKind = "messages_allowed"
	// LogPlanAdded: the person was added to a sales plan. Params: plan.
	LogPlanAdded LogKind = "plan_added"
	// The chat switches. Params: channel.
	LogTunnelOff LogKind = "tunnel_off"
	LogTunnelOn  LogKind = "tunnel_on"
	LogBotOff    LogKind = "bot_off"
	LogBotOn     LogKind = "bot_on"
	// The person's flags. No params.
	LogArchived      LogKind = "archived"
	LogUnarchived    LogKind = "unarchived"
	LogBlacklisted   LogKind = "blacklisted"
	LogUnblacklisted LogKind = "unblacklisted"
	// LogMerged: another person record was merged into this one. Params: name (of the other).
	LogMerged LogKind = "merge"
)

// LogKinds is every kind the backend writes; the UI words each one in both languages
// (TestEveryLogKindIsWorded reads the UI's words file to check).
var LogKinds = []LogKind{LogSubscribed, LogResubscribed, LogUnsubscribed, LogMessagesAllowed, LogPlanAdded,
	LogTunnelOff, LogTunnelOn, LogBotOff, LogBotOn, LogArchived, LogUnarchived, LogBlacklisted, LogUnblacklisted,
	LogMerged}

// Parameter names of log entries.
const (
	ParamChannel = "channel" // the bot's (channel's) name
	ParamTunnel  = "tunnel"  // sales plan / tunnel
	ParamSource  = "source"  // traffic source
	ParamTool    = "tool"    // lead-generation tool
	ParamPlan    = "plan"    // sales plan
	ParamName    = "name"    // a person's name
)

// LogParams are a log entry's parameters: data the UI puts into its phrase (names of bots,
// plans, people), never words of ours.
type LogParams map[string]string

// ChatSwitchLog is the log kind of turning a chat's tunnel messages (tunnel) or bot replies
// (bot) off or on.
func ChatSwitchLog(bot, off bool) LogKind {
	switch {
	case bot && off:
		return LogBotOff
	case bot:
		return LogBotOn
	case off:
		return LogTunnelOff
	default:
		return LogTunnelOn
	}
}

// PersonFlag is one of a person's two list-hiding flags.
type PersonFlag string

const (
	FlagArchived    PersonFlag = "archived"
	FlagBlacklisted PersonFlag = "blacklisted"
)

// PersonFlagLog is the log kind of setting or clearing a person's flag.
func PersonFlagLog(flag PersonFlag, on bool) LogKind {
	switch {
	case flag == FlagBlacklisted && on:
		return LogBlacklisted
	case flag == FlagBlacklisted:
		return LogUnblacklisted
	case on:
		return LogArchived
	default:
		return LogUnarchived
	}
}
