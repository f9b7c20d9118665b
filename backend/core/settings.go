package core

// The company's shared settings in team mode: what an admin edits and every desktop of the
// team reads (the dialogue lists, the chat templates and the channels' lead links). They are few and small, so a change
// to any of them travels as the whole set.

// Events of the settings: their rows are not a person's or a chat's, so they carry no ids.
const (
	EventDialogueOptions = "dialogue_options.changed"
	EventTemplates       = "templates.changed"
	EventLeadLinks       = "lead_links.changed"
)

// CompanySettings is the whole of the company's shared settings, as a replica copies them.
type CompanySettings struct {
	DialogueOptions []DialogueOption `json:"dialogueOptions"`
	Templates       []Template       `json:"templates"`
	LeadLinks       []LeadLink       `json:"leadLinks"`
}
