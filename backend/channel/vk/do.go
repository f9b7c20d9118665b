package vk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// Upload limits VK documents: photos up to 50 MB, documents up to 200 MB.
const (
	photoUploadLimit = 50 << 20
	docUploadLimit   = 200 << 20
	// maxAttachments is how many attachments one messages.send takes.
	maxAttachments = 10
)

func permanent(desc string) *channel.APIError {
	return &channel.APIError{Class: channel.ErrPermanent, Description: desc}
}

// RandomID derives messages.send's random_id from an outbox id. VK drops a send whose
// random_id it has already seen from this community, so a retry of the same outbox row can
// never deliver twice. The mapping is a bijection onto 1..2^31-1 for outbox ids below 2^31.
func RandomID(outboxID int64) int64 {
	return (outboxID-1)%(1<<31-1) + 1
}

// Do performs one outgoing action: send, edit or delete.
func (c *Client) Do(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	peer, err := strconv.ParseInt(out.ExternalChatID, 10, 64)
	if err != nil || peer == 0 {
		return core.Sent{}, fmt.Errorf("vk %s: peer %q: %w", out.Action, out.ExternalChatID, permanent("not a VK peer id"))
	}
	switch out.Action {
	case core.ActionSend:
		return c.send(ctx, out)
	case core.ActionEdit:
		return c.edit(ctx, out)
	case core.ActionDelete:
		return c.delete(ctx, out)
	}
	return core.Sent{}, fmt.Errorf("vk: %w", permanent(fmt.Sprintf("unknown action %q", out.Action)))
}

func textError(text string) error {
	if err := core.CheckText(core.VK, text); err != nil {
		return fmt.Errorf("vk: %w", permanent(fmt.Sprintf("text is %d characters; VK allows %d", utf8.RuneCountInString(text), core.VKTextLimit)))
	}
	return nil
}

// send uploads the attachments and sends one message with all of them.
func (c *Client) send(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	if out.OutboxID <= 0 {
		return core.Sent{}, fmt.Errorf("vk send: %w", permanent("no outbox id to derive random_id from"))
	}
	if out.Text == "" && len(out.Attachments) == 0 {
		return core.Sent{}, fmt.Errorf("vk send: %w", permanent(core.ErrEmptyMessage.Error()))
	}
	if err := textError(out.Text); err != nil {
		return core.Sent{}, err
	}
	if len(out.Attachments) > maxAttachments {
		return core.Sent{}, fmt.Errorf("vk send: %w", permanent(fmt.Sprintf("%d attachments; VK allows %d per message", len(out.Attachments), maxAttachments)))
	}
	for _, a := range out.Attachments {
		if err := checkUpload(a); err != nil {
			return core.Sent{}, err
		}
	}
	var handles []string
	for _, a := range out.Attachments {
		h, err := c.upload(ctx, out.ExternalChatID, a)
		if err != nil {
			return core.Sent{}, err
		}
		handles = append(handles, h)
	}
	params := map[string]string{
		"peer_id":   out.ExternalChatID,
		"random_id": strconv.FormatInt(RandomID(out.OutboxID), 10),
		"message":   out.Text,
	}
	if len(handles) > 0 {
		params["attachment"] = strings.Join(handles, ",")
	}
	if out.RatingCycle > 0 {
		params["keyboard"] = RatingKeyboard(out.RatingCycle)
	}
	if out.ReplyToExtID != "" {
		if _, err := strconv.ParseInt(out.ReplyToExtID, 10, 64); err != nil {
			return core.Sent{}, fmt.Errorf("vk send: reply to %q: %w", out.ReplyToExtID, permanent("not a VK message id"))
		}
		params["reply_to"] = out.ReplyToExtID
	}
	var raw json.RawMessage
	if err := c.call(ctx, "messages.send", params, &raw); err != nil {
		return core.Sent{}, err
	}
	id, err := sentID(raw)
	if err != nil {
		return core.Sent{}, fmt.Errorf("vk messages.send: %w", err)
	}
	return core.Sent{ExternalID: strconv.FormatInt(id, 10), At: time.Now().UnixMilli()}, nil
}

// RatingKeyboard is the keyboard of a rating request: an inline keyboard (it stays with the
// message) of text buttons 1..5. A tap sends the button's label as the client's message with
// the button's payload (core.RatingPayload), which names the dialogue cycle and the score.
func RatingKeyboard(cycleID int64) string {
	type action struct {
		Type    string `json:"type"`
		Label   string `json:"label"`
		Payload string `json:"payload"`
	}
	type button struct {
		Action action `json:"action"`
		Color  string `json:"color"`
	}
	row := make([]button, 0, core.MaxRating)
	for score := core.MinRating; score <= core.MaxRating; score++ {
		row = append(row, button{Action: action{Type: "text", Label: strconv.Itoa(score), Payload: core.RatingPayload(cycleID, score)},
			Color: "secondary"})
	}
	b, _ := json.Marshal(map[string]any{"inline": true, "buttons": [][]button{row}})
	return string(b)
}

// sentID reads messages.send's answer: a message id for a peer_id send, or (peer_ids form)
// an array of {peer_id, message_id, error}.
func sentID(raw json.RawMessage) (int64, error) {
	var id int64
	if json.Unmarshal(raw, &id) == nil && id > 0 {
		return id, nil
	}
	var items []struct {
		MessageID int64 `json:"message_id"`
		Error     *struct {
			Code        int    `json:"code"`
			Description string `json:"description"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &items) == nil && len(items) > 0 {
		if items[0].Error != nil {
			return 0, classify(items[0].Error.Code, items[0].Error.Description)
		}
		if items[0].MessageID > 0 {
			return items[0].MessageID, nil
		}
	}
	return 0, &channel.APIError{Class: channel.ErrTemporary, Description: "no message id in answer"}
}

func checkUpload(a core.Attachment) error {
	if a.LocalPath == "" {
		return fmt.Errorf("vk send: %w", permanent("attachment has no local file to upload"))
	}
	st, err := os.Stat(a.LocalPath)
	if err != nil {
		return fmt.Errorf("vk send: attachment: %w", permanent(err.Error()))
	}
	limit, what := int64(docUploadLimit), "200 MB for a document"
	if a.Kind == core.AttachPhoto {
		limit, what = photoUploadLimit, "50 MB for a photo"
	}
	if st.Size() > limit {
		return fmt.Errorf("vk send: %w", permanent(fmt.Sprintf("file %s is %d MB; VK allows %s", filepath.Base(a.LocalPath), st.Size()>>20, what)))
	}
	return nil
}

// upload turns a local file into an attachment handle: photos through the message photo
// server, everything else as a document (voice as audio_message). Handles are remembered per
// file so that a retried send does not upload again.
func (c *Client) upload(ctx context.Context, peer string, a core.Attachment) (string, error) {
	st, err := os.Stat(a.LocalPath)
	if err != nil {
		return "", fmt.Errorf("vk upload: %w", permanent(err.Error()))
	}
	key := fmt.Sprintf("%s|%s|%d|%d|%s", peer, a.LocalPath, st.Size(), st.ModTime().UnixNano(), a.Kind)
	c.mu.Lock()
	h, ok := c.uploads[key]
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	if a.Kind == core.AttachPhoto {
		h, err = c.uploadPhoto(ctx, peer, a)
	} else {
		h, err = c.uploadDoc(ctx, peer, a)
	}
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if len(c.uploads) > 256 {
		c.uploads = map[string]string{}
	}
	c.uploads[key] = h
	c.mu.Unlock()
	return h, nil
}

func (c *Client) uploadPhoto(ctx context.Context, peer string, a core.Attachment) (string, error) {
	var srv struct {
		UploadURL string `json:"upload_url"`
	}
	if err := c.call(ctx, "photos.getMessagesUploadServer", map[string]string{"peer_id": peer}, &srv); err != nil {
		return "", err
	}
	var up struct {
		Server json.Number `json:"server"`
		Photo  string      `json:"photo"`
		Hash   string      `json:"hash"`
		Error  string      `json:"error"`
	}
	if err := c.postFile(ctx, srv.UploadURL, "photo", a, &up); err != nil {
		return "", err
	}
	if up.Error != "" || up.Photo == "" || up.Photo == "[]" {
		return "", fmt.Errorf("vk photo upload: %w", permanent("VK did not accept the photo"+suffix(up.Error)))
	}
	var saved []photo
	if err := c.call(ctx, "photos.saveMessagesPhoto", map[string]string{"photo": up.Photo, "server": up.Server.String(), "hash": up.Hash}, &saved); err != nil {
		return "", err
	}
	if len(saved) == 0 {
		return "", fmt.Errorf("vk photos.saveMessagesPhoto: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "no photo in answer"})
	}
	return attachmentID("photo", saved[0].OwnerID, saved[0].ID, saved[0].AccessKey), nil
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

func (c *Client) uploadDoc(ctx context.Context, peer string, a core.Attachment) (string, error) {
	typ := "doc"
	if a.Kind == core.AttachVoice {
		typ = "audio_message"
	}
	var srv struct {
		UploadURL string `json:"upload_url"`
	}
	if err := c.call(ctx, "docs.getMessagesUploadServer", map[string]string{"type": typ, "peer_id": peer}, &srv); err != nil {
		return "", err
	}
	var up struct {
		File  string `json:"file"`
		Error string `json:"error"`
	}
	if err := c.postFile(ctx, srv.UploadURL, "file", a, &up); err != nil {
		return "", err
	}
	if up.Error != "" || up.File == "" {
		return "", fmt.Errorf("vk document upload: %w", permanent("VK did not accept the file"+suffix(up.Error)))
	}
	title := a.FileName
	if title == "" {
		title = filepath.Base(a.LocalPath)
	}
	var saved struct {
		Type         string        `json:"type"`
		Doc          *doc          `json:"doc"`
		AudioMessage *audioMessage `json:"audio_message"`
	}
	if err := c.call(ctx, "docs.save", map[string]string{"file": up.File, "title": title}, &saved); err != nil {
		return "", err
	}
	switch {
	case saved.Doc != nil:
		return attachmentID("doc", saved.Doc.OwnerID, saved.Doc.ID, saved.Doc.AccessKey), nil
	case saved.AudioMessage != nil:
		return attachmentID("doc", saved.AudioMessage.OwnerID, saved.AudioMessage.ID, saved.AudioMessage.AccessKey), nil
	}
	return "", fmt.Errorf("vk docs.save: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "no document in answer"})
}

// postFile uploads one file as multipart field to an upload server and decodes its JSON.
func (c *Client) postFile(ctx context.Context, uploadURL, field string, a core.Attachment, out any) error {
	if uploadURL == "" {
		return fmt.Errorf("vk upload: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "no upload_url"})
	}
	f, err := os.Open(a.LocalPath)
	if err != nil {
		return fmt.Errorf("vk upload: %w", permanent(err.Error()))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("vk upload: %w", permanent(err.Error()))
	}
	name := a.FileName
	if name == "" {
		name = filepath.Base(a.LocalPath)
	}
	mime := a.MIME
	if mime == "" {
		mime = "application/octet-stream"
	}
	rctx, cancel := context.WithTimeout(ctx, c.uploadTimeout)
	defer cancel()
	resp, err := channel.PostMultipart(rctx, c.http, uploadURL, nil, channel.FilePart{Field: field, FileName: name, MIME: mime, Body: f, Size: st.Size()})
	if err != nil {
		return c.transportError(ctx, "upload", err)
	}
	body := resp.Body
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, 1<<20))
	if err != nil {
		return c.transportError(ctx, "upload", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("vk upload: %w", httpStatusError(resp.StatusCode))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("vk upload: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "malformed upload answer"})
	}
	return nil
}

// edit changes a sent message's text. VK drops attachments not named in the edit, so the
// attachments' handles (FileID) are passed back; keep_forward_messages and keep_snippets keep
// the rest as it was.
func (c *Client) edit(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	if _, err := strconv.ParseInt(out.ExternalID, 10, 64); err != nil {
		return core.Sent{}, fmt.Errorf("vk edit: message id %q: %w", out.ExternalID, permanent("not a VK message id"))
	}
	if err := textError(out.Text); err != nil {
		return core.Sent{}, err
	}
	params := map[string]string{
		"peer_id":               out.ExternalChatID,
		"message_id":            out.ExternalID,
		"message":               out.Text,
		"keep_forward_messages": "1",
		"keep_snippets":         "1",
	}
	var handles []string
	for _, a := range out.Attachments {
		if isAttachmentID(a.FileID) {
			handles = append(handles, a.FileID)
		}
	}
	if len(handles) > 0 {
		params["attachment"] = strings.Join(handles, ",")
	}
	if out.RatingCycle > 0 {
		params["keyboard"] = RatingKeyboard(out.RatingCycle)
	}
	if err := c.call(ctx, "messages.edit", params, nil); err != nil {
		return core.Sent{}, err
	}
	return core.Sent{ExternalID: out.ExternalID, At: time.Now().UnixMilli()}, nil
}

// delete removes a message for everyone (VK allows it within 24 hours: error 924 after).
func (c *Client) delete(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	if _, err := strconv.ParseInt(out.ExternalID, 10, 64); err != nil {
		return core.Sent{}, fmt.Errorf("vk delete: message id %q: %w", out.ExternalID, permanent("not a VK message id"))
	}
	var raw json.RawMessage
	err := c.call(ctx, "messages.delete", map[string]string{"peer_id": out.ExternalChatID, "message_ids": out.ExternalID, "delete_for_all": "1"}, &raw)
	if err != nil {
		return core.Sent{}, err
	}
	// Answers are either {"<id>":1} or, in newer versions, [{message_id, response, error}].
	var items []struct {
		MessageID int64 `json:"message_id"`
		Response  int   `json:"response"`
		Error     *struct {
			Code        int    `json:"code"`
			Description string `json:"description"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &items) == nil {
		for _, it := range items {
			if it.Error != nil {
				return core.Sent{}, fmt.Errorf("vk messages.delete: %w", classify(it.Error.Code, it.Error.Description))
			}
		}
	} else {
		var m map[string]int
		if json.Unmarshal(raw, &m) == nil {
			if v, ok := m[out.ExternalID]; ok && v != 1 {
				return core.Sent{}, fmt.Errorf("vk messages.delete: %w", permanent("VK did not delete the message"))
			}
		}
	}
	return core.Sent{ExternalID: out.ExternalID, At: time.Now().UnixMilli()}, nil
}

// Download fetches an attachment's direct URL into dst (atomically) with the size limit.
func (c *Client) Download(ctx context.Context, a core.Attachment, dst string) error {
	if a.Kind == core.AttachVideo {
		return fmt.Errorf("vk download: %w", permanent("VK does not give communities video files; open the video in VK"))
	}
	if a.Kind == core.AttachLink || !c.isFileHost(a.URL) {
		// A link is the client's own URL, and any URL in an attachment comes from the client's
		// message: fetching it would make the manager's machine visit it.
		return fmt.Errorf("vk download: %w", permanent(fmt.Sprintf("a %s attachment has no file on VK to download", a.Kind)))
	}
	if a.Size > c.downloadLimit {
		return fmt.Errorf("vk download: %w", permanent(fmt.Sprintf("the file is %d MB; the limit is %d MB", a.Size>>20, c.downloadLimit>>20)))
	}
	rctx, cancel := context.WithTimeout(ctx, c.uploadTimeout)
	defer cancel()
	resp, err := channel.Get(rctx, c.download, a.URL, nil)
	if err != nil {
		return c.transportError(ctx, "download", err)
	}
	body := resp.Body
	defer body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("vk download: %w", httpStatusError(resp.StatusCode))
	}
	return c.writeAtomic(ctx, dst, body)
}

// vkFileHosts are the domains VK serves attachment files from.
var vkFileHosts = []string{"userapi.com", "vk.com", "vk.me", "vkuser.net", "vk-cdn.net", "vkuseraudio.net", "vkuservideo.net", "mycdn.me"}

// isFileHost says whether raw is a file on VK's servers: https on one of vkFileHosts (or their
// subdomains), or the configured API server's own host (a custom or test server).
func (c *Client) isFileHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Hostname() == "" {
		return false
	}
	if api, err := url.Parse(c.api); err == nil && u.Scheme == api.Scheme && u.Host == api.Host {
		return true
	}
	if u.Scheme != "https" || (u.Port() != "" && u.Port() != "443") {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	for _, d := range vkFileHosts {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// writeAtomic keeps at most the download limit of r at dst (channel.SaveDownload), in this
// client's words and error classes.
func (c *Client) writeAtomic(ctx context.Context, dst string, r io.Reader) error {
	_, err := channel.SaveDownload(dst, r, c.downloadLimit)
	var re *channel.DownloadReadError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re):
		return c.transportError(ctx, "download", re.Err)
	case errors.Is(err, channel.ErrDownloadTooLarge):
		return fmt.Errorf("vk download: %w", permanent(fmt.Sprintf("the file is over the %d MB limit", c.downloadLimit>>20)))
	}
	return fmt.Errorf("vk download: %w", err)
}
