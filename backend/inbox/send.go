package inbox

import (
	"context"
	"fmt"
	"strings"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

// kick tells the outbox worker a row was queued; without an engine the row waits on disk.
func (s *Service) kick() {
	if s.Channels != nil {
		s.Channels.Outbox.Kick()
	}
}

// SendText queues a text message to a chat (optionally replying to one of its messages). The
// message is on disk as 'queued' when this returns, whatever the network does.
// Errors: core.ErrEmptyMessage, core.ErrTextTooLong, store.ErrNotFound.
func (s *Service) SendText(ctx context.Context, chatID int64, text string, replyToID int64) (core.Message, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return core.Message{}, fmt.Errorf("inbox: send: %w", core.ErrEmptyMessage)
	}
	if chatID <= 0 || replyToID < 0 {
		return core.Message{}, invalid("chat %d / reply %d", chatID, replyToID)
	}
	if s.Remote != nil {
		return s.Remote.SendText(ctx, chatID, text, replyToID)
	}
	m, err := s.Store.QueueSend(ctx, chatID, s.Me, text, nil, replyToID, s.now())
	if err != nil {
		return core.Message{}, fmt.Errorf("inbox: send: %w", err)
	}
	s.kick()
	return m, nil
}

// RetryMessage queues a failed send again (the Retry button). Errors: store.ErrNotFailed.
func (s *Service) RetryMessage(ctx context.Context, messageID int64) (core.Message, error) {
	if err := s.remoteOnly(); err != nil {
		return core.Message{}, err
	}
	m, err := s.Store.RetryMessage(ctx, messageID, s.now())
	if err != nil {
		return core.Message{}, fmt.Errorf("inbox: retry: %w", err)
	}
	s.kick()
	return m, nil
}

// EditMessage changes a sent message's text, locally at once and then in the messenger.
// Errors: core.ErrNotEditable, core.ErrTextTooLong, core.ErrEmptyMessage.
func (s *Service) EditMessage(ctx context.Context, messageID int64, text string) (core.Message, error) {
	text = strings.TrimSpace(text)
	if s.Remote != nil {
		return s.remoteChange(ctx, teamwire.Mutation{Kind: teamwire.MutEdit, MessageID: messageID, Text: text})
	}
	m, err := s.Store.QueueEdit(ctx, messageID, text, s.now())
	if err != nil {
		return core.Message{}, fmt.Errorf("inbox: edit: %w", err)
	}
	s.kick()
	return m, nil
}

// DeleteMessage deletes a sent message for the client too, within the messenger's window.
// Errors: core.ErrDeleteWindowPassed, core.ErrNotEditable.
func (s *Service) DeleteMessage(ctx context.Context, messageID int64) (core.Message, error) {
	if s.Remote != nil {
		return s.remoteChange(ctx, teamwire.Mutation{Kind: teamwire.MutDelete, MessageID: messageID})
	}
	m, err := s.Store.QueueDelete(ctx, messageID, s.now())
	if err != nil {
		return core.Message{}, fmt.Errorf("inbox: delete: %w", err)
	}
	s.kick()
	return m, nil
}

// remoteChange queues an edit or a delete for the hub (replica mode) and returns the message as
// it is: the hub's changed row comes back through the feed.
func (s *Service) remoteChange(ctx context.Context, m teamwire.Mutation) (core.Message, error) {
	if m.MessageID <= 0 {
		return core.Message{}, invalid("message %d", m.MessageID)
	}
	if m.Kind == teamwire.MutEdit && m.Text == "" {
		return core.Message{}, fmt.Errorf("inbox: edit: %w", core.ErrEmptyMessage)
	}
	cur, err := s.Store.Message(ctx, m.MessageID)
	if err != nil {
		return core.Message{}, fmt.Errorf("inbox: %s: %w", m.Kind, err)
	}
	if err := s.Remote.Mutate(ctx, m); err != nil {
		return core.Message{}, fmt.Errorf("inbox: %s: %w", m.Kind, err)
	}
	return cur, nil
}
