package teamwire

import (
	"unicode/utf8"

	"switchboard/backend/core"
)

// Dialogues and the company's settings on the wire: the mutations' fields, their checks, and
// the results and rows that answer them. The inbox applies its own rules at the hub (the
// lists, the statuses, who may be added); the wire only keeps what it carries bounded and
// well-formed.

// Bounds of the dialogue fields (generous: the inbox's own limits, core.MaxDialogue*, are
// applied at the hub after cleaning; these only keep a body bounded).
const (
	MaxDialogueNames = 100       // reasons or components in one mutation
	MaxName          = 1000      // bytes of one name: a dialogue type, reason, component, list entry or template name
	maxRowID         = 1<<53 - 1 // ids a JavaScript UI reads exactly
)

// CompanyFields are a mutation's fields for dialogues and the company's settings.
type CompanyFields struct {
	DialogueID int64    `json:"dialogueId,omitempty"`
	Type       string   `json:"type,omitempty"`       // a dialogue's type
	Reasons    []string `json:"reasons,omitempty"`    // a dialogue's reasons
	Components []string `json:"components,omitempty"` // a dialogue's components
	Status     string   `json:"status,omitempty"`     // a dialogue's status (core.DialogueStatuses)
	Managers   []int64  `json:"managers,omitempty"`   // the managers of a dialogue
	Score      int      `json:"score,omitempty"`      // a rating, 1..5
	OptionID   int64    `json:"optionId,omitempty"`   // an entry of a dialogue list
	List       string   `json:"list,omitempty"`       // which dialogue list: core.OptionType, OptionReason, OptionComponent
	Name       string   `json:"name,omitempty"`       // a list entry's or a template's name
	TemplateID int64    `json:"templateId,omitempty"` // a chat template
	// LeadLink is a lead link to add (ID 0, a channel, what it records, an optional code) or,
	// with its ID only, to delete.
	LeadLink *core.LeadLink `json:"leadLink,omitempty"`
	// A channel to connect at the hub: its kind, its token (a secret: the hub keeps it in its own
	// secret store, a desktop never stores or logs it), and its Bot API server or VK group id.
	ChannelID   int64  `json:"channelId,omitempty"`
	ChannelKind string `json:"channelKind,omitempty"`
	Token       string `json:"token,omitempty"`
	APIURL      string `json:"apiUrl,omitempty"`
	GroupID     string `json:"groupId,omitempty"`
}

// CompanyResult is what a dialogue or settings mutation made or changed.
type CompanyResult struct {
	Dialogue *core.Dialogue       `json:"dialogue,omitempty"`
	Option   *core.DialogueOption `json:"option,omitempty"`
	Template *core.Template       `json:"template,omitempty"`
	LeadLink *core.LeadLink       `json:"leadLink,omitempty"`
	Channel  *core.Channel        `json:"channel,omitempty"` // without its API server and cursor
	Marked   int                  `json:"marked,omitempty"`  // how many chats "read all" marked read
}

// companyKind: a dialogue or settings mutation, or "read all" (posted at once: the UI shows what
// it made, or that only an admin may).
func companyKind(kind string) bool {
	switch kind {
	case MutMarkAllRead:
		return true
	case MutDialogueCreate, MutDialogueEdit, MutDialogueStatus, MutDialogueClose, MutDialogueReopen, MutDialogueRate:
		return true
	}
	return settingsKind(kind)
}

// settingsKind: a change to the company's settings, which only admins make.
func settingsKind(kind string) bool {
	switch kind {
	case MutOptionSave, MutOptionDelete, MutTemplateSave, MutTemplateDelete, MutLeadLinkAdd, MutLeadLinkDelete,
		MutChannelAdd, MutChannelRemove:
		return true
	}
	return false
}

// MaxToken bounds a channel token's bytes (Telegram's are under 50, VK's under 250).
const MaxToken = 1024

// printable: ASCII without spaces or control characters, what tokens, URLs and ids are made of.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func validName(s string) bool { return len(s) <= MaxName && utf8.ValidString(s) }

func validNames(names []string) bool {
	if len(names) > MaxDialogueNames {
		return false
	}
	for _, n := range names {
		if !validName(n) {
			return false
		}
	}
	return true
}

// validateCompany checks the fields of a dialogue or settings mutation.
func (m Mutation) validateCompany() error {
	f := m.CompanyFields
	if f.DialogueID < 0 || f.OptionID < 0 || f.TemplateID < 0 {
		return refuse("invalid_id")
	}
	if !validName(f.Type) || !validName(f.Name) || !validNames(f.Reasons) || !validNames(f.Components) {
		return refuse("invalid_name")
	}
	if f.Status != "" && !core.ValidDialogueStatus(f.Status) {
		return refuse("invalid_status")
	}
	if len(f.Managers) > MaxMentions {
		return refuse("too_many_managers")
	}
	for _, id := range f.Managers {
		if id <= 0 {
			return refuse("invalid_id")
		}
	}
	if f.Score != 0 && !core.ValidRating(f.Score) {
		return refuse("invalid_score")
	}
	if f.List != "" && !core.ValidOptionKind(f.List) {
		return refuse("invalid_list")
	}
	if f.ChannelID < 0 || len(f.Token) > MaxToken || len(f.APIURL) > MaxName || len(f.GroupID) > MaxName ||
		!printable(f.Token) || !printable(f.APIURL) || !printable(f.GroupID) {
		return refuse("invalid_channel")
	}
	if f.ChannelKind != "" && f.ChannelKind != string(core.Telegram) && f.ChannelKind != string(core.VK) {
		return refuse("invalid_channel")
	}
	if l := f.LeadLink; l != nil && (l.ID < 0 || l.ChannelID < 0 || !validName(l.Code) || !validName(l.Plan) || !validName(l.Source) || !validName(l.Tool)) {
		return refuse("invalid_lead_link")
	}
	need := func(ok bool, reason string) error {
		if !ok {
			return refuse(reason)
		}
		return nil
	}
	switch m.Kind {
	case MutDialogueCreate:
		if err := need(m.ChatID > 0, "missing_chat"); err != nil {
			return err
		}
		return need(f.Status != core.DialogueClosed, "invalid_status")
	case MutDialogueEdit, MutDialogueClose, MutDialogueReopen:
		return need(f.DialogueID > 0, "missing_dialogue")
	case MutDialogueStatus:
		if err := need(f.DialogueID > 0, "missing_dialogue"); err != nil {
			return err
		}
		return need(f.Status != "", "missing_status")
	case MutDialogueRate:
		if err := need(f.DialogueID > 0, "missing_dialogue"); err != nil {
			return err
		}
		return need(f.Score != 0, "missing_score")
	case MutOptionSave:
		return need(f.OptionID > 0 || f.List != "", "missing_list")
	case MutOptionDelete:
		return need(f.OptionID > 0, "missing_option")
	case MutTemplateSave:
		return nil // the inbox refuses an empty name in its own words
	case MutTemplateDelete:
		return need(f.TemplateID > 0, "missing_template")
	case MutChannelAdd:
		if err := need(f.ChannelKind != "", "missing_channel_kind"); err != nil {
			return err
		}
		return need(f.Token != "", "missing_token")
	case MutChannelRemove:
		return need(f.ChannelID > 0, "missing_channel")
	case MutLeadLinkAdd:
		return need(f.LeadLink != nil && f.LeadLink.ChannelID > 0 && f.LeadLink.ID == 0, "missing_channel")
	case MutLeadLinkDelete:
		return need(f.LeadLink != nil && f.LeadLink.ID > 0, "missing_lead_link")
	}
	return refuse("unknown_kind")
}

// validate checks what a dialogue or settings mutation answered.
func (r CompanyResult) validate() error {
	if r.Dialogue != nil {
		if err := validateDialogue(*r.Dialogue); err != nil {
			return err
		}
	}
	if r.Option != nil && !validOption(*r.Option) {
		return refuse("invalid_option")
	}
	if r.Template != nil && !validTemplate(*r.Template) {
		return refuse("invalid_template")
	}
	if r.LeadLink != nil && !validLeadLink(*r.LeadLink) {
		return refuse("invalid_lead_link")
	}
	if r.Marked < 0 {
		return refuse("invalid_count")
	}
	if c := r.Channel; c != nil && (c.ID <= 0 || (c.Kind != core.Telegram && c.Kind != core.VK)) {
		return refuse("invalid_channel")
	}
	return nil
}

func validOption(o core.DialogueOption) bool {
	return o.ID > 0 && o.ID <= maxRowID && core.ValidOptionKind(o.Kind) && utf8.ValidString(o.Name)
}

func validLeadLink(l core.LeadLink) bool {
	return l.ID > 0 && l.ID <= maxRowID && l.ChannelID > 0 && l.Code != "" && utf8.ValidString(l.Code) &&
		utf8.ValidString(l.Plan) && utf8.ValidString(l.Source) && utf8.ValidString(l.Tool)
}

func validTemplate(t core.Template) bool {
	return t.ID > 0 && t.ID <= maxRowID && utf8.ValidString(t.Name) && utf8.ValidString(t.Value)
}

// validateDialogue checks a dialogue row as the hub sends it: ids, a known status, ratings in
// range, cycles of this dialogue numbered from 1 up.
func validateDialogue(d core.Dialogue) error {
	bad := refuse("invalid_dialogue")
	if d.ID <= 0 || d.ChatID <= 0 || !core.ValidDialogueStatus(d.Status) || !utf8.ValidString(d.Type) ||
		d.ClientRating < 0 || d.ClientRating > core.MaxRating || d.ManagerRating < 0 || d.ManagerRating > core.MaxRating {
		return bad
	}
	for _, names := range [][]string{d.Reasons, d.Components} {
		for _, n := range names {
			if !utf8.ValidString(n) {
				return bad
			}
		}
	}
	for _, m := range d.Managers {
		if m <= 0 {
			return bad
		}
	}
	numbers := map[int]bool{}
	for _, c := range d.Cycles {
		if c.ID <= 0 || c.DialogueID != d.ID || c.Number <= 0 || numbers[c.Number] ||
			c.ClientRating < 0 || c.ClientRating > core.MaxRating || c.ManagerRating < 0 || c.ManagerRating > core.MaxRating {
			return bad
		}
		numbers[c.Number] = true
	}
	return nil
}

// validateCompanyRows checks the dialogues and settings of a feed message or a snapshot page.
func validateCompanyRows(r core.RowSet) error {
	for _, d := range r.Dialogues {
		if err := validateDialogue(d); err != nil {
			return err
		}
	}
	if r.Settings == nil {
		return nil
	}
	for _, o := range r.Settings.DialogueOptions {
		if !validOption(o) {
			return refuse("invalid_option")
		}
	}
	for _, t := range r.Settings.Templates {
		if !validTemplate(t) {
			return refuse("invalid_template")
		}
	}
	for _, id := range r.Settings.ChannelIDs {
		if id <= 0 {
			return refuse("invalid_channel")
		}
	}
	for _, l := range r.Settings.LeadLinks {
		if !validLeadLink(l) {
			return refuse("invalid_lead_link")
		}
	}
	return nil
}
