package core

// The company's shared settings in team mode: what an admin edits and every desktop of the
// team reads (the dialogue lists, the chat templates and the channels' lead links). They are few and small, so a change
// to any of them travels as the whole set.

// Events of the settings: their rows are not a person's or a chat's, so they carry no ids.
const (
	EventDialogueOptions = "dialogue_options.changed"
	EventTemplates       = "templates.changed"
	EventLeadLinks       = "lead_links.changed"
	EventChannels        = "channels.changed" // added, removed, switched on or off
)

// CompanySettings is the whole of the company's shared settings, as a replica copies them.
type CompanySettings struct {
	DialogueOptions []DialogueOption `json:"dialogueOptions"`
	Templates       []Template       `json:"templates"`
	LeadLinks       []LeadLink       `json:"leadLinks"`
	// ChannelIDs are every channel the hub has (their rows travel beside, in RowSet.Channels):
	// a channel a desktop holds that is not listed was removed at the hub.
	ChannelIDs []int64 `json:"channelIds"`
}
