package inbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchboard/backend/core"
)

// PartKind is one kind of block of the message constructor.
type PartKind string

const (
	PartText     PartKind = "text"
	PartImage    PartKind = "image"
	PartLink     PartKind = "link"
	PartVideo    PartKind = "video"
	PartTemplate PartKind = "template"
	PartFile     PartKind = "file"
)

// Part is one block of a constructor message. Text parts carry Text; a template part carries
// the already-expanded Text (the UI shows it before sending); a link carries URL (and an
// optional Name shown before it); image, video and file parts carry Path, a file staged by
// StageUpload or StageFiles, or, for image and video, a URL that is sent as a link.
type Part struct {
	Kind PartKind `json:"kind"`
	Text string   `json:"text"`
	Path string   `json:"path"`
	URL  string   `json:"url"`
	Name string   `json:"name"`
	MIME string   `json:"mime"`
	Size int64    `json:"size"`
}

// maxAttachmentsPerMessage is VK's limit of attachments on one message; Telegram sends each
// attachment as its own message anyway, so groups of ten suit both.
const maxAttachmentsPerMessage = 10

// VK's upload limits: photos 50 MB, documents (and audio messages) 200 MB.
const (
	vkPhotoLimit = 50 << 20
	vkDocLimit   = 200 << 20
	// maxStage is the largest file StageUpload/StageFiles accept at all: the largest any
	// channel takes. Per-channel limits are checked by SendParts.
	maxStage = vkDocLimit
	// maxPaste bounds pasted/dropped bytes that cross the IPC bridge as base64.
	maxPaste = core.TelegramUploadLimit
)

// UploadLimit is the largest file of kind a channel of kind ck accepts from a bot.
func UploadLimit(ck core.ChannelKind, kind core.AttachmentKind) int64 {
	if ck == core.VK {
		if kind == core.AttachPhoto {
			return vkPhotoLimit
		}
		return vkDocLimit
	}
	return core.TelegramUploadLimit
}

// outMessage is one message SendParts queues: text (the caption when there are attachments).
type outMessage struct {
	text []string
	atts []core.Attachment
}

// planParts turns constructor parts into messages, in order. Consecutive text-like parts join
// into one text; files that follow a text ride on it (media + caption, as both messengers
// allow); a text that follows files starts a new message so the client reads the parts in the
// order the manager put them.
func (c *Composer) planParts(ck core.ChannelKind, parts []Part) ([]outMessage, error) {
	var msgs []outMessage
	cur := outMessage{}
	flush := func() {
		if len(cur.text) > 0 || len(cur.atts) > 0 {
			msgs = append(msgs, cur)
		}
		cur = outMessage{}
	}
	addText := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if len(cur.atts) > 0 {
			flush()
		}
		cur.text = append(cur.text, s)
	}
	for i, p := range parts {
		switch p.Kind {
		case PartText, PartTemplate:
			addText(p.Text)
		case PartLink:
			u, err := checkURL(p.URL)
			if err != nil {
				return nil, fmt.Errorf("part %d: %w", i+1, err)
			}
			name := strings.TrimSpace(p.Name)
			if name != "" && name != u {
				addText(name + "\n" + u)
			} else {
				addText(u)
			}
		case PartImage, PartVideo, PartFile:
			if p.Path == "" && p.URL != "" && p.Kind != PartFile {
				// A picture or video on the web goes as its link: messengers show a preview.
				u, err := checkURL(p.URL)
				if err != nil {
					return nil, fmt.Errorf("part %d: %w", i+1, err)
				}
				addText(u)
				continue
			}
			a, err := c.stagedAttachment(ck, p)
			if err != nil {
				return nil, fmt.Errorf("part %d: %w", i+1, err)
			}
			if len(cur.atts) == maxAttachmentsPerMessage {
				flush()
			}
			cur.atts = append(cur.atts, a)
			if t := strings.TrimSpace(p.Text); t != "" {
				// A caption typed on the file itself belongs to this message.
				cur.text = append(cur.text, t)
			}
		default:
			return nil, fmt.Errorf("part %d (%q): %w", i+1, p.Kind, ErrBadPart)
		}
	}
	flush()
	if len(msgs) == 0 {
		return nil, core.ErrEmptyMessage
	}
	for _, m := range msgs {
		if err := core.CheckText(ck, strings.Join(m.text, "\n\n")); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}

// checkURL accepts http(s) links only: a javascript: or file: URL has no business in a
// message to a client.
func checkURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("link %q: %w", s, ErrBadPart)
	}
	return s, nil
}

// stagedAttachment checks that a part's file was staged by us (inside UploadsDir), exists and
// fits the channel, and describes it as an attachment. Sizes and types come from the file
// itself, never from the UI.
func (c *Composer) stagedAttachment(ck core.ChannelKind, p Part) (core.Attachment, error) {
	path, err := c.insideUploads(p.Path)
	if err != nil {
		return core.Attachment{}, err
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return core.Attachment{}, fmt.Errorf("%s: %w", filepath.Base(path), ErrBadAttachment)
	}
	kind := core.AttachDocument
	mt := sniffMIME(path, p.MIME)
	switch p.Kind {
	case PartImage:
		// Telegram's sendPhoto takes JPEG/PNG/WebP-like pictures; a GIF or SVG goes as a file.
		if mt == "image/jpeg" || mt == "image/png" || mt == "image/webp" {
			kind = core.AttachPhoto
		}
	case PartVideo:
		if strings.HasPrefix(mt, "video/") && ck == core.Telegram {
			kind = core.AttachVideo
		}
	}
	if limit := UploadLimit(ck, kind); st.Size() > limit {
		return core.Attachment{}, fmt.Errorf("%s is %d MB, the limit is %d MB: %w",
			displayName(p.Name, path), st.Size()>>20, limit>>20, ErrFileTooLarge)
	}
	return core.Attachment{Kind: kind, FileName: displayName(p.Name, path), MIME: mt, Size: st.Size(), LocalPath: path}, nil
}

// displayName is the name the client sees: the original (sanitised) name, else the staged one
// without its random prefix.
func displayName(name, path string) string {
	if strings.TrimSpace(name) != "" {
		return SanitizeFileName(name)
	}
	base := filepath.Base(path)
	if i := strings.IndexByte(base, '-'); i == 16 {
		return base[i+1:]
	}
	return base
}

// insideUploads resolves p and refuses anything outside UploadsDir (including through "..").
func (c *Composer) insideUploads(p string) (string, error) {
	if p == "" {
		return "", ErrBadAttachment
	}
	root, err := filepath.Abs(c.UploadsDir)
	if err != nil {
		return "", fmt.Errorf("uploads dir: %w", err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", ErrBadAttachment
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if realRoot, err := filepath.EvalSymlinks(root); err == nil {
		root = realRoot
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") || filepath.IsAbs(rel) {
		return "", fmt.Errorf("%s: %w", filepath.Base(p), ErrBadAttachment)
	}
	return abs, nil
}

// sniffMIME trusts the file's first bytes, then its extension; the UI's claim is a last resort
// for types the sniffer cannot tell (it says "application/octet-stream" for most binaries).
func sniffMIME(path, claimed string) string {
	f, err := os.Open(path)
	if err == nil {
		defer f.Close()
		buf := make([]byte, 512)
		n, _ := io.ReadFull(f, buf)
		if n > 0 {
			if mt, _, _ := mime.ParseMediaType(http.DetectContentType(buf[:n])); mt != "application/octet-stream" && mt != "text/plain" {
				return mt
			}
		}
	}
	if mt := mime.TypeByExtension(strings.ToLower(filepath.Ext(path))); mt != "" {
		if base, _, err := mime.ParseMediaType(mt); err == nil {
			return base
		}
	}
	if base, _, err := mime.ParseMediaType(claimed); err == nil && base != "" {
		return base
	}
	return "application/octet-stream"
}

// SendParts queues a constructor message through the outbox: one outbox row per planned
// message, in order. Everything is validated before the first row is written, so a bad part
// sends nothing. The constructor part of the chat's draft is cleared; its text is kept.
func (c *Composer) SendParts(ctx context.Context, chatID int64, parts []Part, replyToID int64) ([]core.Message, error) {
	if c.Remote != nil {
		return nil, ErrTeamUnsupported // attachments do not travel to a hub yet
	}
	chat, err := c.Store.Chat(ctx, chatID)
	if err != nil {
		return nil, fmt.Errorf("send parts: %w", err)
	}
	plan, err := c.planParts(chat.ChannelKind, parts)
	if err != nil {
		return nil, fmt.Errorf("send parts to chat %d: %w", chatID, err)
	}
	var out []core.Message
	for i, m := range plan {
		reply := int64(0)
		if i == 0 {
			reply = replyToID
		}
		msg, err := c.Store.QueueSend(ctx, chatID, c.Me, strings.Join(m.text, "\n\n"), m.atts, reply, c.now())
		if err != nil {
			return out, fmt.Errorf("send parts to chat %d: message %d of %d: %w", chatID, i+1, len(plan), err)
		}
		out = append(out, msg)
		c.kick()
	}
	if d, err := c.Store.Draft(ctx, chatID); err == nil && d.Constructor != "" {
		if err := c.Store.SaveDraft(ctx, core.Draft{ChatID: chatID, Text: d.Text, ReplyToID: d.ReplyToID}, c.now()); err != nil {
			return out, fmt.Errorf("send parts: clear constructor draft: %w", err)
		}
	}
	return out, nil
}

// SanitizeFileName keeps a name a person would recognise while making it safe as one path
// element on every OS: no directories, no control or reserved characters, no leading dots,
// at most 120 bytes (keeping the extension). Empty results become "file".
func SanitizeFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`<>:"|?*`, r):
			b.WriteRune('_')
		case unicode.Is(unicode.Bidi_Control, r):
			// U+202E and the like would let a name show another extension than it has.
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimSpace(b.String())
	s = strings.TrimLeft(s, ". ")
	s = strings.TrimRight(s, ". ") // Windows drops trailing dots and spaces
	if len(s) > 120 {
		ext := filepath.Ext(s)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		stem := s[:120-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		s = stem + ext
	}
	upper := strings.ToUpper(strings.TrimSuffix(s, filepath.Ext(s)))
	switch upper {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "LPT1", "LPT2", "LPT3":
		s = "_" + s
	}
	if s == "" {
		return "file"
	}
	return s
}

// stagePath returns a new unique path in UploadsDir for a file called name.
func (c *Composer) stagePath(name string) (string, error) {
	if err := os.MkdirAll(c.UploadsDir, 0o700); err != nil {
		return "", fmt.Errorf("create uploads dir: %w", err)
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	return filepath.Join(c.UploadsDir, hex.EncodeToString(rnd[:])+"-"+SanitizeFileName(name)), nil
}

// Staged is a file ready to be a constructor part or an attachment.
type Staged struct {
	Path string              `json:"path"`
	Name string              `json:"name"`
	MIME string              `json:"mime"`
	Size int64               `json:"size"`
	Kind core.AttachmentKind `json:"kind"` // photo / video / audio / document, for the preview
}

func stagedInfo(path, name string, size int64, claimed string) Staged {
	mt := sniffMIME(path, claimed)
	kind := core.AttachDocument
	switch {
	case strings.HasPrefix(mt, "image/"):
		kind = core.AttachPhoto
	case strings.HasPrefix(mt, "video/"):
		kind = core.AttachVideo
	case strings.HasPrefix(mt, "audio/"):
		kind = core.AttachAudio
	}
	return Staged{Path: path, Name: name, MIME: mt, Size: size, Kind: kind}
}

// StageUpload writes bytes the UI read from a pasted or dropped file into UploadsDir under a
// sanitised name. The UI's name is only a label: the path is always ours.
func (c *Composer) StageUpload(name, mimeType string, data []byte) (Staged, error) {
	if len(data) == 0 {
		return Staged{}, fmt.Errorf("stage %q: %w", SanitizeFileName(name), core.ErrEmptyMessage)
	}
	if len(data) > maxPaste {
		return Staged{}, fmt.Errorf("stage %q: %d MB: %w", SanitizeFileName(name), len(data)>>20, ErrFileTooLarge)
	}
	clean := SanitizeFileName(name)
	if filepath.Ext(clean) == "" && mimeType != "application/octet-stream" {
		// A pasted screenshot arrives as "image" + image/png: give it its extension back.
		if exts, _ := mime.ExtensionsByType(mimeType); len(exts) > 0 {
			clean += exts[0]
		}
	}
	path, err := c.stagePath(clean)
	if err != nil {
		return Staged{}, fmt.Errorf("stage %q: %w", clean, err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return Staged{}, fmt.Errorf("stage %q: %w", clean, err)
	}
	return stagedInfo(path, clean, int64(len(data)), mimeType), nil
}

// StageFiles copies files the manager picked or dropped (absolute paths from the OS dialog or
// the window's file drop) into UploadsDir, so a send still works after the original moves and
// the outbox reads only from our own directory.
func (c *Composer) StageFiles(paths []string) ([]Staged, error) {
	out := make([]Staged, 0, len(paths))
	for _, p := range paths {
		s, err := c.stageFile(p)
		if err != nil {
			for _, done := range out {
				os.Remove(done.Path)
			}
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (c *Composer) stageFile(src string) (Staged, error) {
	name := SanitizeFileName(filepath.Base(src))
	in, err := os.Open(src)
	if err != nil {
		return Staged{}, fmt.Errorf("stage %q: %w", name, err)
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return Staged{}, fmt.Errorf("stage %q: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		return Staged{}, fmt.Errorf("stage %q: not a regular file: %w", name, ErrBadAttachment)
	}
	if st.Size() > maxStage {
		return Staged{}, fmt.Errorf("stage %q: %d MB: %w", name, st.Size()>>20, ErrFileTooLarge)
	}
	dst, err := c.stagePath(name)
	if err != nil {
		return Staged{}, fmt.Errorf("stage %q: %w", name, err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Staged{}, fmt.Errorf("stage %q: %w", name, err)
	}
	n, err := io.Copy(out, io.LimitReader(in, maxStage+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxStage {
		err = ErrFileTooLarge
	}
	if err != nil {
		os.Remove(dst)
		return Staged{}, fmt.Errorf("stage %q: %w", name, err)
	}
	return stagedInfo(dst, name, n, ""), nil
}

// DiscardStaged deletes a staged file the manager removed from the constructor or tray before
// sending. Paths outside UploadsDir are refused.
func (c *Composer) DiscardStaged(path string) error {
	p, err := c.insideUploads(path)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("discard %s: %w", filepath.Base(p), err)
	}
	return nil
}

// SendAttachments queues the composer's text with the files of the attachment tray, as one
// message where the messenger allows (files with the text as caption).
func (c *Composer) SendAttachments(ctx context.Context, chatID int64, text string, files []Staged, replyToID int64) ([]core.Message, error) {
	parts := make([]Part, 0, len(files)+1)
	parts = append(parts, Part{Kind: PartText, Text: text})
	for _, f := range files {
		k := PartFile
		switch f.Kind {
		case core.AttachPhoto:
			k = PartImage
		case core.AttachVideo:
			k = PartVideo
		}
		parts = append(parts, Part{Kind: k, Path: f.Path, Name: f.Name, MIME: f.MIME})
	}
	return c.SendParts(ctx, chatID, parts, replyToID)
}
