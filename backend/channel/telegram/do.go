package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// captionLimit is the Bot API's caption length; longer text goes out as its own message.
const captionLimit = 1024

// Do performs one outgoing action: send, edit or delete.
func (c *Client) Do(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	if _, err := strconv.ParseInt(out.ExternalChatID, 10, 64); err != nil {
		return core.Sent{}, fmt.Errorf("telegram %s: chat id %q: %w", out.Action, out.ExternalChatID, permanent("not a Telegram chat id"))
	}
	switch out.Action {
	case core.ActionSend:
		return c.send(ctx, out)
	case core.ActionEdit:
		return c.edit(ctx, out)
	case core.ActionDelete:
		return c.delete(ctx, out)
	}
	return core.Sent{}, fmt.Errorf("telegram: %w", permanent(fmt.Sprintf("unknown action %q", out.Action)))
}

func permanent(desc string) *channel.APIError {
	return &channel.APIError{Class: channel.ErrPermanent, Description: desc}
}

// uploadMethod maps an attachment kind to its send method and multipart field.
func uploadMethod(k core.AttachmentKind) (method, field string) {
	switch k {
	case core.AttachPhoto:
		return "sendPhoto", "photo"
	case core.AttachVideo:
		return "sendVideo", "video"
	case core.AttachAudio:
		return "sendAudio", "audio"
	case core.AttachVoice:
		return "sendVoice", "voice"
	}
	return "sendDocument", "document"
}

// send delivers text and attachments. Each attachment is its own message (caption = the text
// on the first one when it fits 1024 characters; otherwise the text is sent first as a
// message). Sent.ExternalID is the message that carries the text (or the first attachment when
// there is no text), so a later edit changes that message.
func (c *Client) send(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	if err := validateSend(out); err != nil {
		return core.Sent{}, err
	}
	reply := ""
	if out.ReplyToExtID != "" {
		id, err := strconv.ParseInt(out.ReplyToExtID, 10, 64)
		if err != nil {
			return core.Sent{}, fmt.Errorf("telegram send: reply to %q: %w", out.ReplyToExtID, permanent("not a Telegram message id"))
		}
		// allow_sending_without_reply: the quoted message may have been deleted meanwhile;
		// the answer still matters more than the quote.
		reply = fmt.Sprintf(`{"message_id":%d,"allow_sending_without_reply":true}`, id)
	}
	caption := out.Text
	var first *message
	if len(out.Attachments) == 0 || utf8.RuneCountInString(out.Text) > captionLimit {
		params := map[string]string{"chat_id": out.ExternalChatID, "text": out.Text}
		if reply != "" {
			params["reply_parameters"] = reply
		}
		if out.RatingCycle > 0 {
			params["reply_markup"] = RatingKeyboard(out.RatingCycle)
		}
		var m message
		if err := c.call(ctx, "sendMessage", params, c.requestTimeout, &m, nil); err != nil {
			return core.Sent{}, err
		}
		first, caption, reply = &m, "", ""
	}
	for _, a := range out.Attachments {
		m, err := c.upload(ctx, out.ExternalChatID, a, caption, reply)
		if err != nil {
			if first != nil {
				// Part of the send is already out: an automatic retry would deliver it twice,
				// so this is permanent and says what happened; resending is a human's decision.
				desc := err.Error()
				var ae *channel.APIError
				if errors.As(err, &ae) {
					desc = ae.Description
				}
				return core.Sent{}, fmt.Errorf("telegram send: %w", &channel.APIError{Class: channel.ErrPermanent,
					Description: fmt.Sprintf("message %d was delivered, but attachment %s failed: %s", first.MessageID, filepath.Base(a.LocalPath), desc)})
			}
			return core.Sent{}, err
		}
		if first == nil {
			first = m
		}
		caption, reply = "", ""
	}
	return core.Sent{ExternalID: strconv.FormatInt(first.MessageID, 10), At: sentAt(first.Date)}, nil
}

// RatingKeyboard is the reply_markup of a rating request: one row of buttons 1..5 whose
// callback_data names the dialogue cycle and the score (core.RatingData).
func RatingKeyboard(cycleID int64) string {
	type button struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	}
	row := make([]button, 0, core.MaxRating)
	for score := core.MinRating; score <= core.MaxRating; score++ {
		row = append(row, button{Text: strconv.Itoa(score), CallbackData: core.RatingData(cycleID, score)})
	}
	b, _ := json.Marshal(map[string][][]button{"inline_keyboard": {row}})
	return string(b)
}

// tapAnswerTimeout bounds one answerCallbackQuery: the answer only stops a spinner.
const tapAnswerTimeout = 10 * time.Second

// AnswerTaps answers callback queries (channel.TapAnswerer) without text or alert: whether the
// tap counted is shown to the manager, not argued with the client. A query Telegram no longer
// knows (too old, answered before a crash) is refused by the API; that is logged and ignored.
func (c *Client) AnswerTaps(ctx context.Context, tapIDs []string) {
	for _, id := range tapIDs {
		if ctx.Err() != nil {
			return
		}
		var ok bool
		if err := c.call(ctx, "answerCallbackQuery", map[string]string{"callback_query_id": id}, tapAnswerTimeout, &ok, nil); err != nil {
			slog.Debug("telegram: answerCallbackQuery refused", "err", err)
		}
	}
}

func sentAt(date int64) int64 {
	if date > 0 {
		return date * 1000
	}
	return time.Now().UnixMilli()
}

// validateSend rejects what Telegram would refuse, before any call: empty, too long, missing
// or too large files.
func validateSend(out core.Outgoing) error {
	if out.Text == "" && len(out.Attachments) == 0 {
		return fmt.Errorf("telegram send: %w", &channel.APIError{Class: channel.ErrPermanent, Description: core.ErrEmptyMessage.Error()})
	}
	if err := core.CheckText(core.Telegram, out.Text); err != nil {
		return fmt.Errorf("telegram send: %w", &channel.APIError{Class: channel.ErrPermanent, Reason: core.FailTooLong,
			Description: fmt.Sprintf("text is %d characters; Telegram allows %d", utf8.RuneCountInString(out.Text), core.TelegramTextLimit)})
	}
	for _, a := range out.Attachments {
		if a.LocalPath == "" {
			return fmt.Errorf("telegram send: %w", permanent("attachment has no local file to upload"))
		}
		st, err := os.Stat(a.LocalPath)
		if err != nil {
			return fmt.Errorf("telegram send: attachment: %w", &channel.APIError{Class: channel.ErrPermanent, Description: err.Error()})
		}
		if st.Size() > core.TelegramUploadLimit {
			return fmt.Errorf("telegram send: %w", permanent(fmt.Sprintf("file %s is %d MB; Telegram bots may upload at most 50 MB", filepath.Base(a.LocalPath), st.Size()>>20)))
		}
	}
	return nil
}

func (c *Client) upload(ctx context.Context, chatID string, a core.Attachment, caption, reply string) (*message, error) {
	method, field := uploadMethod(a.Kind)
	f, err := os.Open(a.LocalPath)
	if err != nil {
		return nil, fmt.Errorf("telegram %s: %w", method, &channel.APIError{Class: channel.ErrPermanent, Description: err.Error()})
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("telegram %s: %w", method, &channel.APIError{Class: channel.ErrPermanent, Description: err.Error()})
	}
	name := a.FileName
	if name == "" {
		name = filepath.Base(a.LocalPath)
	}
	params := map[string]string{"chat_id": chatID}
	if caption != "" {
		params["caption"] = caption
	}
	if reply != "" {
		params["reply_parameters"] = reply
	}
	if a.Duration > 0 && (method == "sendVoice" || method == "sendAudio" || method == "sendVideo") {
		params["duration"] = strconv.Itoa(a.Duration)
	}
	if method == "sendVideo" && a.Width > 0 && a.Height > 0 {
		params["width"], params["height"] = strconv.Itoa(a.Width), strconv.Itoa(a.Height)
	}
	mime := a.MIME
	if mime == "" {
		mime = "application/octet-stream"
	}
	var m message
	err = c.call(ctx, method, params, c.uploadTimeout, &m, &channel.FilePart{Field: field, FileName: name, MIME: mime, Body: f, Size: st.Size()})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// edit changes a sent message's text: editMessageText for a text message, editMessageCaption
// for media. Which one the message is follows from the attachments; when Telegram says we
// guessed wrong ("there is no text/caption in the message to edit") the other is tried.
func (c *Client) edit(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	if _, err := strconv.ParseInt(out.ExternalID, 10, 64); err != nil {
		return core.Sent{}, fmt.Errorf("telegram edit: message id %q: %w", out.ExternalID, permanent("not a Telegram message id"))
	}
	if err := core.CheckText(core.Telegram, out.Text); err != nil {
		return core.Sent{}, fmt.Errorf("telegram edit: %w", permanent(fmt.Sprintf("text is %d characters; Telegram allows %d", utf8.RuneCountInString(out.Text), core.TelegramTextLimit)))
	}
	methods := []string{"editMessageText", "editMessageCaption"}
	if len(out.Attachments) > 0 {
		methods[0], methods[1] = methods[1], methods[0]
	}
	var lastErr error
	for _, method := range methods {
		params := map[string]string{"chat_id": out.ExternalChatID, "message_id": out.ExternalID}
		if method == "editMessageText" {
			params["text"] = out.Text
		} else {
			if utf8.RuneCountInString(out.Text) > captionLimit {
				lastErr = fmt.Errorf("telegram edit: %w", permanent(fmt.Sprintf("a caption may have at most %d characters", captionLimit)))
				continue
			}
			params["caption"] = out.Text
		}
		var m message
		err := c.call(ctx, method, params, c.requestTimeout, &m, nil)
		if err == nil {
			at := m.EditDate
			if at == 0 {
				at = m.Date
			}
			return core.Sent{ExternalID: out.ExternalID, At: sentAt(at)}, nil
		}
		lastErr = err
		var ae *channel.APIError
		if errors.As(err, &ae) && strings.HasPrefix(ae.Description, "Bad Request: message is not modified") {
			// The message already reads like this (an earlier attempt got through): done.
			return core.Sent{ExternalID: out.ExternalID, At: time.Now().UnixMilli()}, nil
		}
		if !errors.As(err, &ae) || (ae.Description != "Bad Request: there is no text in the message to edit" &&
			ae.Description != "Bad Request: there is no caption in the message to edit") {
			return core.Sent{}, err
		}
	}
	return core.Sent{}, lastErr
}

func (c *Client) delete(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	if _, err := strconv.ParseInt(out.ExternalID, 10, 64); err != nil {
		return core.Sent{}, fmt.Errorf("telegram delete: message id %q: %w", out.ExternalID, permanent("not a Telegram message id"))
	}
	params := map[string]string{"chat_id": out.ExternalChatID, "message_id": out.ExternalID}
	if err := c.call(ctx, "deleteMessage", params, c.requestTimeout, nil, nil); err != nil {
		return core.Sent{}, err
	}
	return core.Sent{ExternalID: out.ExternalID, At: time.Now().UnixMilli()}, nil
}
