package telegram

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// Only private chats are client conversations: a bot added to a group or channel sees many
// people at once and the inbox has no place for that, so group, supergroup and channel updates
// are skipped (their update_id still advances the cursor).
const privateChat = "private"

// ParseUpdates turns a getUpdates response body into a batch. cursor is the offset the
// request was made with; the returned Cursor is the last update_id+1, or cursor itself when
// nothing came. An error envelope comes back as a classified *channel.APIError; a body that
// is not JSON is ErrTemporary (a proxy's HTML page, a cut connection). Updates that cannot be
// decoded or are of no interest are skipped but still advance the cursor: re-reading them
// would never succeed.
//
// The usual answer ({"ok":true,"result":[…]} of well-formed updates) is decoded with one
// Unmarshal. Anything else takes parseEachLevel, which decodes the envelope, the list and each
// update on its own to tell what was wrong and to keep the updates that can be read; for any
// body both give the same batch and error (FuzzParseUpdates checks). The one Unmarshal is
// encoding/json's: github.com/goccy/go-json decoded it 2.5 times as fast (BenchmarkParseUpdates,
// 100 updates: ~0.21 ms against ~0.52 ms, 3 µs per update) but linked 0.94 MB more into the
// desktop binary, which the app's memory pays for nearly in full (README, "Memory, fifth
// round"); ingestion spends ~38 µs per update, so the 3 µs is what it gives back.
func ParseUpdates(body []byte, cursor string) (core.Batch, error) {
	var env struct {
		envelope
		Result []update `json:"result"` // shadows envelope.Result
	}
	if json.Unmarshal(body, &env) != nil || !env.OK || env.Result == nil {
		return parseEachLevel(body, cursor)
	}
	batch := core.Batch{Cursor: cursor}
	var next int64
	if cursor != "" {
		next, _ = strconv.ParseInt(cursor, 10, 64)
	}
	for _, u := range env.Result {
		if u.UpdateID <= 0 {
			continue // without an id there is nothing to confirm it by
		}
		if u.UpdateID+1 > next {
			next = u.UpdateID + 1
		}
		if up, ok := mapUpdate(u); ok {
			if batch.Updates == nil {
				batch.Updates = make([]core.Update, 0, len(env.Result))
			}
			batch.Updates = append(batch.Updates, up)
		}
	}
	if next > 0 {
		batch.Cursor = strconv.FormatInt(next, 10)
	}
	return batch, nil
}

// updateID is the update_id of a raw update, or 0 when it has none that can confirm it.
func updateID(raw json.RawMessage) int64 {
	var id struct {
		UpdateID int64 `json:"update_id"`
	}
	if json.Unmarshal(raw, &id) != nil || id.UpdateID <= 0 {
		return 0
	}
	return id.UpdateID
}

// parseEachLevel is ParseUpdates decoding the envelope, the result list and each update
// separately, so a malformed body gets the right error and a malformed update is skipped
// while the others are kept.
func parseEachLevel(body []byte, cursor string) (core.Batch, error) {
	batch := core.Batch{Cursor: cursor}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return batch, &channel.APIError{Class: channel.ErrTemporary, Description: "malformed getUpdates response: " + err.Error()}
	}
	if !env.OK {
		return batch, envelopeError(0, env)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(env.Result, &raws); err != nil {
		return batch, &channel.APIError{Class: channel.ErrTemporary, Description: "malformed getUpdates result: " + err.Error()}
	}
	var next int64
	if cursor != "" {
		next, _ = strconv.ParseInt(cursor, 10, 64)
	}
	for _, raw := range raws {
		id := updateID(raw)
		if id == 0 {
			continue // without an id there is nothing to confirm it by
		}
		if id+1 > next {
			next = id + 1
		}
		var u update
		if json.Unmarshal(raw, &u) != nil {
			continue
		}
		if up, ok := mapUpdate(u); ok {
			batch.Updates = append(batch.Updates, up)
		}
	}
	if next > 0 {
		batch.Cursor = strconv.FormatInt(next, 10)
	}
	return batch, nil
}

func mapUpdate(u update) (core.Update, bool) {
	switch {
	case u.Message != nil:
		return mapMessage(core.UpdMessage, u.Message)
	case u.EditedMessage != nil:
		return mapMessage(core.UpdEdit, u.EditedMessage)
	case u.MyChatMember != nil:
		return mapMember(u.MyChatMember)
	case u.MessageReaction != nil:
		return mapReaction(u.MessageReaction)
	case u.MessageReactionCount != nil:
		return mapReactionCount(u.MessageReactionCount)
	case u.CallbackQuery != nil:
		return mapCallback(u.CallbackQuery)
	}
	return core.Update{}, false
}

// mapCallback maps a tap on an inline keyboard button in a private chat (we only send keyboards
// there; a tap in inline mode or a group is not ours and is skipped). Its data is the client's
// word, so only data that parses as a rating (core.ParseRatingData) becomes a tap, and the store
// then checks the cycle belongs to this chat. A tap with other data (another keyboard, a forged
// one) still comes back, without a tap, so the spinner on the client's button is answered.
func mapCallback(q *callbackQuery) (core.Update, bool) {
	m := q.Message
	if q.ID == "" || len(q.ID) > 64 || m == nil || m.Chat.Type != privateChat || m.Chat.ID == 0 || m.MessageID <= 0 {
		return core.Update{}, false
	}
	up := core.Update{Kind: core.UpdTap, TapID: q.ID, From: senderOf(&q.From, chat{}),
		ExternalChatID: strconv.FormatInt(m.Chat.ID, 10), ExternalID: strconv.FormatInt(m.MessageID, 10)}
	if tap, ok := core.ParseRatingData(q.Data); ok {
		up.Tap = &tap
	}
	return up, true
}

func senderOf(u *user, c chat) core.Sender {
	if u == nil {
		return core.Sender{ExternalUserID: strconv.FormatInt(c.ID, 10), Name: fullName(c.FirstName, c.LastName), Username: c.Username}
	}
	return core.Sender{ExternalUserID: strconv.FormatInt(u.ID, 10), Name: fullName(u.FirstName, u.LastName), Username: u.Username}
}

func fullName(first, last string) string {
	return strings.TrimSpace(first + " " + last)
}

func mapMessage(kind core.UpdateKind, m *message) (core.Update, bool) {
	if m.Chat.Type != privateChat || m.Chat.ID == 0 || m.MessageID == 0 {
		return core.Update{}, false
	}
	up := core.Update{
		Kind:           kind,
		ExternalChatID: strconv.FormatInt(m.Chat.ID, 10),
		ExternalID:     strconv.FormatInt(m.MessageID, 10),
		From:           senderOf(m.From, m.Chat),
		Sender:         core.SenderClient,
		Text:           m.Text,
		At:             m.Date * 1000,
	}
	if m.From != nil && m.From.IsBot && m.From.ID != m.Chat.ID {
		// Messages the bot itself sent never come through getUpdates; a bot author here is
		// another bot speaking in the private chat (e.g. via inline mode).
		up.Sender = core.SenderBot
	}
	if kind == core.UpdEdit && m.EditDate > 0 {
		up.At = m.EditDate * 1000
	}
	if up.Text == "" {
		up.Text = m.Caption
	}
	if m.ReplyToMessage != nil && m.ReplyToMessage.MessageID > 0 {
		up.ReplyToExtID = strconv.FormatInt(m.ReplyToMessage.MessageID, 10)
	}
	if kind == core.UpdMessage {
		up.StartPayload = startPayload(m.Text)
	}
	up.Attachments = attachments(m)
	if m.Contact != nil && m.From != nil && m.Contact.UserID == m.From.ID && m.Contact.PhoneNumber != "" {
		// The client shared their own number (the "share my contact" button): that is their phone.
		up.From.Phone = m.Contact.PhoneNumber
	}
	return up, true
}

// startPayload returns PAYLOAD of "/start PAYLOAD" (also "/start@bot PAYLOAD") when it is a
// valid deep-link payload.
func startPayload(text string) string {
	cmd, rest, ok := strings.Cut(text, " ")
	if !ok {
		return ""
	}
	if name, _, _ := strings.Cut(cmd, "@"); name != "/start" {
		return ""
	}
	p := strings.TrimSpace(rest)
	if !core.ValidDeepLinkPayload(p) {
		return ""
	}
	return p
}

func attachments(m *message) []core.Attachment {
	var out []core.Attachment
	if len(m.Photo) > 0 {
		// The Bot API lists sizes smallest first, but pick by area rather than trust order.
		best := m.Photo[0]
		for _, p := range m.Photo[1:] {
			if p.Width*p.Height > best.Width*best.Height {
				best = p
			}
		}
		out = append(out, core.Attachment{Kind: core.AttachPhoto, FileID: best.FileID, Size: best.FileSize, Width: best.Width, Height: best.Height, MIME: "image/jpeg"})
	}
	addMedia := func(kind core.AttachmentKind, md *media) {
		if md == nil || md.FileID == "" {
			return
		}
		a := core.Attachment{Kind: kind, FileID: md.FileID, FileName: md.FileName, MIME: md.MimeType, Size: md.FileSize, Width: md.Width, Height: md.Height, Duration: md.Duration}
		if md.Length > 0 {
			a.Width, a.Height = md.Length, md.Length
		}
		if kind == core.AttachAudio {
			a.Title = strings.TrimSpace(strings.Trim(md.Performer+" – "+md.Title, " –"))
		}
		out = append(out, a)
	}
	addMedia(core.AttachVideo, m.Video)
	addMedia(core.AttachVideo, m.VideoNote)
	if m.Animation != nil {
		// An animation message also carries the same file as document; show it once.
		addMedia(core.AttachVideo, m.Animation)
	} else {
		addMedia(core.AttachDocument, m.Document)
	}
	addMedia(core.AttachAudio, m.Audio)
	addMedia(core.AttachVoice, m.Voice)
	if m.Sticker != nil && m.Sticker.FileID != "" {
		mime := "image/webp"
		switch {
		case m.Sticker.IsAnimated:
			mime = "application/x-tgsticker"
		case m.Sticker.IsVideo:
			mime = "video/webm"
		}
		out = append(out, core.Attachment{Kind: core.AttachSticker, FileID: m.Sticker.FileID, Width: m.Sticker.Width, Height: m.Sticker.Height, Title: m.Sticker.Emoji, Size: m.Sticker.FileSize, MIME: mime})
	}
	switch {
	case m.Venue != nil:
		out = append(out, core.Attachment{Kind: core.AttachLocation, Lat: m.Venue.Location.Latitude, Lon: m.Venue.Location.Longitude, Title: strings.TrimSpace(m.Venue.Title + ", " + m.Venue.Address)})
	case m.Location != nil:
		out = append(out, core.Attachment{Kind: core.AttachLocation, Lat: m.Location.Latitude, Lon: m.Location.Longitude})
	}
	if m.Contact != nil {
		out = append(out, core.Attachment{Kind: core.AttachContact, Phone: m.Contact.PhoneNumber, Title: fullName(m.Contact.FirstName, m.Contact.LastName)})
	}
	return out
}

// mapMember turns a private chat's my_chat_member into blocked/allowed: member -> kicked is
// "the client blocked the bot", kicked -> member is "unblocked it" (Telegram sends the latter
// when the client presses Restart).
func mapMember(cm *chatMemberUpdated) (core.Update, bool) {
	if cm.Chat.Type != privateChat || cm.Chat.ID == 0 {
		return core.Update{}, false
	}
	up := core.Update{
		ExternalChatID: strconv.FormatInt(cm.Chat.ID, 10),
		From:           senderOf(&cm.From, cm.Chat),
		Sender:         core.SenderClient,
		At:             cm.Date * 1000,
	}
	switch oldS, newS := cm.OldChatMember.Status, cm.NewChatMember.Status; {
	case newS == "kicked" && oldS != "kicked":
		up.Kind = core.UpdBlocked
	case oldS == "kicked" && newS == "member":
		up.Kind = core.UpdAllowed
	default:
		return core.Update{}, false
	}
	return up, true
}

func reactionEmoji(r reactionType) string {
	switch r.Type {
	case "emoji":
		return r.Emoji
	case "custom_emoji":
		return "custom:" + r.CustomEmojiID
	case "paid":
		return "⭐"
	}
	return ""
}

// mapReaction reports the client's new set of reactions on a message (each counted once:
// in a private chat one person reacts).
func mapReaction(r *messageReactionUpdated) (core.Update, bool) {
	if r.Chat.Type != privateChat || r.Chat.ID == 0 || r.MessageID == 0 {
		return core.Update{}, false
	}
	up := core.Update{
		Kind:           core.UpdReaction,
		ExternalChatID: strconv.FormatInt(r.Chat.ID, 10),
		ExternalID:     strconv.FormatInt(r.MessageID, 10),
		From:           senderOf(r.User, r.Chat),
		Sender:         core.SenderClient,
		Reactions:      []core.Reaction{},
		At:             r.Date * 1000,
	}
	for _, rt := range r.NewReaction {
		if e := reactionEmoji(rt); e != "" {
			up.Reactions = append(up.Reactions, core.Reaction{Emoji: e, Count: 1})
		}
	}
	return up, true
}

func mapReactionCount(r *messageReactionCountUpdated) (core.Update, bool) {
	if r.Chat.Type != privateChat || r.Chat.ID == 0 || r.MessageID == 0 {
		return core.Update{}, false
	}
	up := core.Update{
		Kind:           core.UpdReaction,
		ExternalChatID: strconv.FormatInt(r.Chat.ID, 10),
		ExternalID:     strconv.FormatInt(r.MessageID, 10),
		From:           senderOf(nil, r.Chat),
		Sender:         core.SenderClient,
		Reactions:      []core.Reaction{},
		At:             r.Date * 1000,
	}
	for _, rc := range r.Reactions {
		if e := reactionEmoji(rc.Type); e != "" && rc.TotalCount > 0 {
			up.Reactions = append(up.Reactions, core.Reaction{Emoji: e, Count: rc.TotalCount})
		}
	}
	return up, true
}

// envelopeError classifies an {"ok":false,…} answer. status is the HTTP status when known;
// error_code wins because the Bot API sets both the same.
func envelopeError(status int, env envelope) *channel.APIError {
	code := env.ErrorCode
	if code == 0 {
		code = status
	}
	e := &channel.APIError{Code: code, Description: env.Description}
	if e.Description == "" {
		e.Description = fmt.Sprintf("error %d", code)
	}
	switch {
	case code == 401:
		e.Class = channel.ErrUnauthorized
	case code == 404 && env.Description == "Not Found":
		// The Bot API answers 404 "Not Found" for a token that is not even token-shaped.
		e.Class = channel.ErrUnauthorized
	case code == 409 && strings.Contains(strings.ToLower(env.Description), "webhook"):
		e.Class = channel.ErrWebhook
	case code == 409:
		e.Class = channel.ErrConflict
	case code == 429:
		e.Class = channel.ErrRateLimited
		if env.Parameters != nil && env.Parameters.RetryAfter > 0 {
			e.RetryAfter = secondsDuration(env.Parameters.RetryAfter)
		} else {
			e.RetryAfter = secondsDuration(1)
		}
	case code >= 500 || code == 0:
		e.Class = channel.ErrTemporary
	default:
		e.Class = channel.ErrPermanent
		e.Reason = refusalReason(code, env.Description)
	}
	return e
}

// refusalReason singles out the refusals a manager can act on. Telegram answers 403 only when
// the bot may not write to the user (blocked, deactivated, never started the bot); the 400s are
// told apart by their description, the only thing that names them.
func refusalReason(code int, desc string) string {
	d := strings.ToLower(desc)
	switch {
	case code == 403:
		return core.FailBlocked
	case strings.Contains(d, "message is too long"), strings.Contains(d, "caption is too long"):
		return core.FailTooLong
	case strings.Contains(d, "message can't be edited"):
		return core.FailNotEditable
	case strings.Contains(d, "message can't be deleted"):
		return core.FailDeleteWindow
	}
	return ""
}
