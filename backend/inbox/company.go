package inbox

import (
	"context"
	"fmt"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

// Dialogues and the company's settings (dialogue lists, templates, lead links, channels, "read
// all") on a replica: the hub applies each at once through the same use cases (dialogues.go,
// compose.go, channels.go, read.go) as the manager who asked, so the desktop gets the hub's row
// with the hub's id, or the hub's refusal in the same words as in solo; the rows reach every
// desktop through the feed. Settings are for admins: the hub refuses a manager's (admin_only).

// inputFields puts a dialogue form on the wire.
func inputFields(in core.DialogueInput) teamwire.CompanyFields {
	return teamwire.CompanyFields{Type: in.Type, Reasons: in.Reasons, Components: in.Components, Status: in.Status, Managers: in.Managers}
}

// postNow has the hub apply m now and answers what it made, as pick finds it in the answer.
func postNow[T any](ctx context.Context, remote Remote, m teamwire.Mutation, pick func(teamwire.MutationResult) *T) (T, error) {
	var zero T
	if err := m.Validate(); err != nil {
		return zero, invalid("%s: %s", m.Kind, teamwire.Reason(err))
	}
	res, err := remote.PostNow(ctx, m)
	if err != nil {
		return zero, err
	}
	if pick == nil {
		return zero, nil
	}
	got := pick(res)
	if got == nil {
		return zero, fmt.Errorf("inbox: the hub answered %s without what it made", m.Kind)
	}
	return *got, nil
}

func dialogueOf(r teamwire.MutationResult) *core.Dialogue     { return r.Dialogue }
func optionOf(r teamwire.MutationResult) *core.DialogueOption { return r.Option }
func templateOf(r teamwire.MutationResult) *core.Template     { return r.Template }

// remoteDialogue has the hub apply a dialogue mutation now and answers its dialogue.
func (s *Service) remoteDialogue(ctx context.Context, m teamwire.Mutation) (core.Dialogue, error) {
	return postNow(ctx, s.Remote, m, dialogueOf)
}

// remoteOption saves a dialogue list entry at the hub.
func (s *Service) remoteOption(ctx context.Context, o core.DialogueOption) (core.DialogueOption, error) {
	if o.ID == 0 && !core.ValidOptionKind(o.Kind) {
		return core.DialogueOption{}, invalid("dialogue list %q", o.Kind)
	}
	list := o.Kind
	if o.ID != 0 {
		list = "" // an entry keeps its own list
	}
	return postNow(ctx, s.Remote, teamwire.Mutation{Kind: teamwire.MutOptionSave,
		CompanyFields: teamwire.CompanyFields{OptionID: o.ID, List: list, Name: o.Name}}, optionOf)
}

// remoteDeleteOption removes a dialogue list entry at the hub.
func (s *Service) remoteDeleteOption(ctx context.Context, id int64) error {
	_, err := postNow[struct{}](ctx, s.Remote, teamwire.Mutation{Kind: teamwire.MutOptionDelete,
		CompanyFields: teamwire.CompanyFields{OptionID: id}}, nil)
	return err
}

// remoteTemplate saves a chat template at the hub (admins only).
func (c *Composer) remoteTemplate(ctx context.Context, t core.Template) (core.Template, error) {
	return postNow(ctx, c.Remote, teamwire.Mutation{Kind: teamwire.MutTemplateSave, Text: t.Value,
		CompanyFields: teamwire.CompanyFields{TemplateID: t.ID, Name: t.Name}}, templateOf)
}

// remoteDeleteTemplate removes a chat template at the hub (admins only).
func (c *Composer) remoteDeleteTemplate(ctx context.Context, id int64) error {
	_, err := postNow[struct{}](ctx, c.Remote, teamwire.Mutation{Kind: teamwire.MutTemplateDelete,
		CompanyFields: teamwire.CompanyFields{TemplateID: id}}, nil)
	return err
}

func leadLinkOf(r teamwire.MutationResult) *core.LeadLink { return r.LeadLink }

// remoteLeadLink adds a lead link of channel ch at the hub (admins only): its pollers are the
// ones that meet the code.
func (s *Service) remoteLeadLink(ctx context.Context, ch core.Channel, l core.LeadLink) (LeadLinkView, error) {
	l.ID = 0
	saved, err := postNow(ctx, s.Remote, teamwire.Mutation{Kind: teamwire.MutLeadLinkAdd, CompanyFields: teamwire.CompanyFields{LeadLink: &l}}, leadLinkOf)
	if err != nil {
		return LeadLinkView{}, err
	}
	return LeadLinkView{Link: saved, URL: DeepLink(ch, saved.Code)}, nil
}

// remoteDeleteLeadLink removes a lead link at the hub (admins only).
func (s *Service) remoteDeleteLeadLink(ctx context.Context, id int64) error {
	_, err := postNow[struct{}](ctx, s.Remote, teamwire.Mutation{Kind: teamwire.MutLeadLinkDelete,
		CompanyFields: teamwire.CompanyFields{LeadLink: &core.LeadLink{ID: id}}}, nil)
	return err
}

func channelOf(r teamwire.MutationResult) *core.Channel { return r.Channel }

// remoteChannel connects a channel at the hub (admins only): the token goes to the hub once, in
// this request, and is kept only in the hub's secret store; the hub checks it, starts polling,
// and the channel reaches every desktop through the feed.
func (s *Service) remoteChannel(ctx context.Context, f teamwire.CompanyFields) (core.Channel, error) {
	return postNow(ctx, s.Remote, teamwire.Mutation{Kind: teamwire.MutChannelAdd, CompanyFields: f}, channelOf)
}

// remoteRemoveChannel removes a channel at the hub (admins only): its poller stops there and
// its token is forgotten.
func (s *Service) remoteRemoveChannel(ctx context.Context, id int64) error {
	_, err := postNow[struct{}](ctx, s.Remote, teamwire.Mutation{Kind: teamwire.MutChannelRemove,
		CompanyFields: teamwire.CompanyFields{ChannelID: id}}, nil)
	return err
}
