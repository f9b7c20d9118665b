package vk

import (
	"encoding/json"
	"mime"
	"strconv"
	"strings"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// Conversations with peer_id >= chatPeerBase are group chats the community was added to; the
// inbox is one client per chat, so they are skipped like Telegram groups.
const chatPeerBase = 2000000000

// PollResult is one parsed Bots Long Poll answer.
type PollResult struct {
	// TS is the ts to ask for next (for failed 1 it is the server's new ts).
	TS string
	// Failed is VK's failed code: 0 = fine, 1 = history lost (take TS), 2 = key expired,
	// 3 = key and ts expired.
	Failed  int
	Updates []core.Update
}

// ParseUpdates parses a long-poll a_check body. Unknown or malformed events are skipped: the
// ts still moves past them, since asking again would never make them readable. A body that is
// not JSON is ErrTemporary.
//
// ExternalID is the message's id (not conversation_message_id): it is what messages.send
// returns for a peer_id send and what reply_to, messages.edit and messages.delete take, so
// replies, edits and deletes all use the one id. Users' names are not in long-poll events;
// Poll fills them with users.get.
func ParseUpdates(body []byte) (PollResult, error) {
	var lp longPollResponse
	if err := json.Unmarshal(body, &lp); err != nil {
		return PollResult{}, &channel.APIError{Class: channel.ErrTemporary, Description: "malformed long poll response: " + err.Error()}
	}
	res := PollResult{TS: string(lp.TS), Failed: lp.Failed}
	if lp.Failed != 0 {
		return res, nil
	}
	for _, ev := range lp.Updates {
		if up, ok := mapEvent(ev); ok {
			res.Updates = append(res.Updates, up)
		}
	}
	return res, nil
}

func mapEvent(ev longPollEvent) (core.Update, bool) {
	switch ev.Type {
	case "message_new":
		var obj messageNew
		if json.Unmarshal(ev.Object, &obj) != nil {
			return core.Update{}, false
		}
		if obj.Message == nil {
			// API versions before 5.103 sent the message itself as the object.
			var m message
			if json.Unmarshal(ev.Object, &m) != nil {
				return core.Update{}, false
			}
			obj.Message = &m
		}
		return mapMessage(core.UpdMessage, obj.Message, false)
	case "message_reply":
		var m message
		if json.Unmarshal(ev.Object, &m) != nil {
			return core.Update{}, false
		}
		return mapMessage(core.UpdMessage, &m, true)
	case "message_edit":
		var m message
		if json.Unmarshal(ev.Object, &m) != nil {
			return core.Update{}, false
		}
		return mapMessage(core.UpdEdit, &m, false)
	case "message_allow", "message_deny":
		var u userEvent
		if json.Unmarshal(ev.Object, &u) != nil || u.UserID <= 0 || u.UserID >= chatPeerBase {
			return core.Update{}, false
		}
		id := strconv.FormatInt(u.UserID, 10)
		up := core.Update{Kind: core.UpdAllowed, ExternalChatID: id, From: core.Sender{ExternalUserID: id}, Sender: core.SenderClient}
		if ev.Type == "message_deny" {
			up.Kind = core.UpdBlocked
		}
		return up, true
	case "message_typing_state":
		var ty typingEvent
		if json.Unmarshal(ev.Object, &ty) != nil || ty.FromID <= 0 || ty.FromID >= chatPeerBase || ty.State != "typing" {
			return core.Update{}, false
		}
		id := strconv.FormatInt(ty.FromID, 10)
		return core.Update{Kind: core.UpdTyping, ExternalChatID: id, From: core.Sender{ExternalUserID: id}, Sender: core.SenderClient}, true
	}
	return core.Update{}, false
}

// mapMessage maps a message in a private dialog. Outgoing ones (out=1, message_reply, edits
// of our messages) are the community's: written by an admin in VK (admin_author_id set) or by
// a program through the API (Switchboard's own sends echo back this way; match them by
// ExternalID).
func mapMessage(kind core.UpdateKind, m *message, reply bool) (core.Update, bool) {
	if m.PeerID <= 0 || m.PeerID >= chatPeerBase || m.ID <= 0 {
		return core.Update{}, false
	}
	peer := strconv.FormatInt(m.PeerID, 10)
	up := core.Update{
		Kind:           kind,
		ExternalChatID: peer,
		ExternalID:     strconv.FormatInt(m.ID, 10),
		From:           core.Sender{ExternalUserID: peer},
		Sender:         core.SenderClient,
		Text:           m.Text,
		At:             m.Date * 1000,
	}
	if reply || m.Out == 1 {
		up.Sender = core.SenderBot
		if m.AdminAuthorID > 0 {
			up.Sender = core.SenderAdmin
		}
	}
	if kind == core.UpdEdit && m.UpdateTime > 0 {
		up.At = m.UpdateTime * 1000
	}
	if m.ReplyMessage != nil && m.ReplyMessage.ID > 0 {
		up.ReplyToExtID = strconv.FormatInt(m.ReplyMessage.ID, 10)
	}
	if kind == core.UpdMessage && up.Sender == core.SenderClient && m.Ref != "" {
		up.StartPayload = m.Ref
		up.RefSource = m.RefSource
	}
	if kind == core.UpdMessage && up.Sender == core.SenderClient {
		// A tap on a rating button: the payload is the client's word, checked by the store.
		if tap, ok := core.ParseRatingPayload(m.Payload); ok {
			up.Tap = &tap
		}
	}
	up.Attachments = attachments(m)
	return up, true
}

func attachments(m *message) []core.Attachment {
	var out []core.Attachment
	for _, a := range m.Attachments {
		switch {
		case a.Type == "photo" && a.Photo != nil:
			p := a.Photo
			best := largest(p.Sizes)
			out = append(out, core.Attachment{Kind: core.AttachPhoto, FileID: attachmentID("photo", p.OwnerID, p.ID, p.AccessKey), URL: best.URL, Width: best.Width, Height: best.Height, MIME: "image/jpeg"})
		case a.Type == "graffiti" && a.Graffiti != nil:
			g := a.Graffiti
			out = append(out, core.Attachment{Kind: core.AttachPhoto, FileID: attachmentID("doc", g.OwnerID, g.ID, ""), URL: g.URL, Width: g.Width, Height: g.Height, MIME: "image/png"})
		case a.Type == "video" && a.Video != nil:
			v := a.Video
			// VK gives no file URL for videos to a community token; link the video page.
			out = append(out, core.Attachment{Kind: core.AttachVideo, FileID: attachmentID("video", v.OwnerID, v.ID, v.AccessKey), URL: "https://vk.com/video" + strconv.FormatInt(v.OwnerID, 10) + "_" + strconv.FormatInt(v.ID, 10), Title: v.Title, Duration: v.Duration, Width: v.Width, Height: v.Height})
		case a.Type == "doc" && a.Doc != nil:
			d := a.Doc
			out = append(out, core.Attachment{Kind: core.AttachDocument, FileID: attachmentID("doc", d.OwnerID, d.ID, d.AccessKey), URL: d.URL, FileName: d.Title, Size: d.Size, MIME: mimeOf(d.Ext)})
		case a.Type == "audio" && a.Audio != nil:
			au := a.Audio
			out = append(out, core.Attachment{Kind: core.AttachAudio, FileID: attachmentID("audio", au.OwnerID, au.ID, au.AccessKey), URL: au.URL, Title: strings.Trim(au.Artist+" – "+au.Title, " –"), Duration: au.Duration, MIME: "audio/mpeg"})
		case a.Type == "audio_message" && a.AudioMessage != nil:
			am := a.AudioMessage
			url, mimeType := am.LinkOgg, "audio/ogg"
			if url == "" {
				url, mimeType = am.LinkMp3, "audio/mpeg"
			}
			out = append(out, core.Attachment{Kind: core.AttachVoice, FileID: attachmentID("doc", am.OwnerID, am.ID, am.AccessKey), URL: url, Duration: am.Duration, MIME: mimeType})
		case a.Type == "sticker" && a.Sticker != nil:
			imgs := a.Sticker.ImagesWithBackground
			if len(imgs) == 0 {
				imgs = a.Sticker.Images
			}
			var best stickerImage
			for _, im := range imgs {
				if im.Width*im.Height >= best.Width*best.Height {
					best = im
				}
			}
			out = append(out, core.Attachment{Kind: core.AttachSticker, FileID: strconv.FormatInt(a.Sticker.StickerID, 10), URL: best.URL, Width: best.Width, Height: best.Height, MIME: "image/png"})
		case a.Type == "link" && a.Link != nil:
			out = append(out, core.Attachment{Kind: core.AttachLink, URL: a.Link.URL, Title: a.Link.Title})
		}
	}
	if m.Geo != nil {
		g := core.Attachment{Kind: core.AttachLocation, Lat: m.Geo.Coordinates.Latitude, Lon: m.Geo.Coordinates.Longitude}
		if m.Geo.Place != nil {
			g.Title = m.Geo.Place.Title
		}
		out = append(out, g)
	}
	return out
}

// largest picks the biggest photo size by area; sizes without dimensions (old photos) fall
// back to the last listed, which VK orders smallest to largest.
func largest(sizes []photoSize) photoSize {
	var best photoSize
	for _, s := range sizes {
		if s.Width*s.Height >= best.Width*best.Height {
			best = s
		}
	}
	return best
}

func mimeOf(ext string) string {
	if ext == "" {
		return ""
	}
	if t := mime.TypeByExtension("." + strings.ToLower(ext)); t != "" {
		return t
	}
	return "application/octet-stream"
}
