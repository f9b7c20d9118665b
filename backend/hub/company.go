package hub

import (
	"context"
	"fmt"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

// applyCompany applies a dialogue or company-settings mutation through the inbox's use cases,
// as the manager who sent it. mutate has already refused a settings change from a manager who
// is not an admin (teamwire.AdminOnly). Closing with a rating request queues it in this hub's
// outbox; the client's tap comes back through this hub's pollers; both reach every desktop
// through the feed.
func (s *Server) applyCompany(ctx context.Context, manager int64, m teamwire.Mutation) (teamwire.CompanyResult, error) {
	ib := s.cfg.Inbox
	f := m.CompanyFields
	in := core.DialogueInput{Type: f.Type, Reasons: f.Reasons, Components: f.Components, Status: f.Status, Managers: f.Managers}
	var res teamwire.CompanyResult
	dialogue := func(d core.Dialogue, err error) (teamwire.CompanyResult, error) {
		if err != nil {
			return res, err
		}
		res.Dialogue = &d
		return res, nil
	}
	switch m.Kind {
	case teamwire.MutDialogueCreate:
		return dialogue(ib.CreateDialogueAs(ctx, manager, m.ChatID, in))
	case teamwire.MutDialogueEdit:
		return dialogue(ib.EditDialogueAs(ctx, manager, f.DialogueID, in))
	case teamwire.MutDialogueStatus:
		return dialogue(ib.SetDialogueStatusAs(ctx, manager, f.DialogueID, f.Status))
	case teamwire.MutDialogueClose:
		return dialogue(ib.CloseDialogueAs(ctx, manager, f.DialogueID, m.Text))
	case teamwire.MutDialogueReopen:
		return dialogue(ib.ReopenDialogueAs(ctx, manager, f.DialogueID))
	case teamwire.MutDialogueRate:
		return dialogue(ib.RateClient(ctx, f.DialogueID, f.Score))
	case teamwire.MutOptionSave:
		o, err := ib.SaveDialogueOption(ctx, core.DialogueOption{ID: f.OptionID, Kind: f.List, Name: f.Name})
		if err != nil {
			return res, err
		}
		res.Option = &o
	case teamwire.MutOptionDelete:
		return res, ib.DeleteDialogueOption(ctx, f.OptionID)
	case teamwire.MutTemplateSave:
		t, err := s.cfg.Composer.SaveTemplate(ctx, core.Template{ID: f.TemplateID, Name: f.Name, Value: m.Text})
		if err != nil {
			return res, err
		}
		res.Template = &t
	case teamwire.MutTemplateDelete:
		return res, s.cfg.Composer.DeleteTemplate(ctx, f.TemplateID)
	case teamwire.MutLeadLinkAdd:
		v, err := ib.AddLeadLink(ctx, *f.LeadLink)
		if err != nil {
			return res, err
		}
		res.LeadLink = &v.Link
	case teamwire.MutLeadLinkDelete:
		return res, ib.DeleteLeadLink(ctx, f.LeadLink.ID)
	case teamwire.MutChannelAdd:
		// The token is checked, stored in this hub's secret store (never its database) and
		// polled from here; it is neither recorded with the answer nor logged.
		var ch core.Channel
		var err error
		if f.ChannelKind == string(core.VK) {
			ch, err = ib.AddVKChannel(ctx, f.Token, f.GroupID)
		} else {
			ch, err = ib.AddTelegramChannel(ctx, f.Token, f.APIURL)
		}
		if err != nil {
			return res, err
		}
		ch.APIURL, ch.Cursor = "", "" // what a desktop needs of a channel is its identity
		res.Channel = &ch
	case teamwire.MutChannelRemove:
		return res, ib.RemoveChannel(ctx, f.ChannelID)
	default:
		return res, fmt.Errorf("hub: mutation %q has no use case", m.Kind)
	}
	return res, nil
}
