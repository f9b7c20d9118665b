package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// Composer holds the use cases of the rich composer: drafts, chat templates, composite sends
// from the message constructor, staged uploads and voice notes. It needs only the store and the
// manager's id, so the desktop app and the headless hub build it the same way.
type Composer struct {
	Store *store.Store
	// Me is the manager who sends (solo mode: the one manager of this machine).
	Me int64
	// UploadsDir is where staged attachments and recorded voice notes live until (and after)
	// they are sent: <data dir>/uploads. The outbox reads them from there.
	UploadsDir string
	// VoiceMax caps a voice note; 0 means voice.MaxDuration (5 minutes).
	VoiceMax time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Kick tells the outbox worker a row was queued; nil = rows wait for its next look.
	Kick func()
	// Remote takes drafts in replica mode (team.go); nil otherwise.
	Remote Remote

	voiceMu sync.Mutex
	voice   *voiceSession
	voiceWG sync.WaitGroup // the watcher goroutines of voice sessions
}

// NewComposer returns a composer over st for manager me, staging files under
// <directory of the database>/uploads.
func NewComposer(st *store.Store, me int64) *Composer {
	return &Composer{Store: st, Me: me, UploadsDir: filepath.Join(filepath.Dir(st.Path()), "uploads")}
}

// ComposerFor builds the composer of an inbox service: same store, manager, clock, and its
// outbox worker is kicked after every queued send.
func ComposerFor(s *Service) *Composer {
	c := NewComposer(s.Store, s.Me)
	c.Now = s.now
	c.Kick = s.kick
	return c
}

func (c *Composer) kick() {
	if c.Kick != nil {
		c.Kick()
	}
}

func (c *Composer) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Errors of the composer a manager can meet; app/errors.go gives them UI codes.
var (
	ErrFileTooLarge   = errors.New("file too large")
	ErrBadAttachment  = errors.New("attachment is not a staged file")
	ErrBadPart        = errors.New("unknown message part")
	ErrDraftTooLarge  = errors.New("draft too large")
	ErrVoiceBusy      = errors.New("a voice message is already being recorded")
	ErrNotRecording   = errors.New("no voice message is being recorded")
	ErrBadConstructor = errors.New("constructor draft is not valid JSON")
)

// maxDraftBytes bounds a draft row: a draft is typing, not a file store.
const maxDraftBytes = 1 << 20

// SaveDraft stores a chat's unsent text and unfinished constructor message (JSON, "" = none).
// The UI calls it debounced while the manager types and on chat switch and window unload.
// Empty text and constructor delete the draft.
func (c *Composer) SaveDraft(ctx context.Context, chatID int64, text, constructor string, replyToID int64) error {
	if len(text)+len(constructor) > maxDraftBytes {
		return fmt.Errorf("save draft of chat %d: %w", chatID, ErrDraftTooLarge)
	}
	if strings.TrimSpace(constructor) != "" && !json.Valid([]byte(constructor)) {
		return fmt.Errorf("save draft of chat %d: %w", chatID, ErrBadConstructor)
	}
	d := core.Draft{ChatID: chatID, Text: text, Constructor: constructor, ReplyToID: replyToID}
	if c.Remote != nil {
		return c.Remote.SaveDraft(ctx, d)
	}
	return c.Store.SaveDraft(ctx, d, c.now())
}

// Draft returns a chat's draft (empty when there is none).
func (c *Composer) Draft(ctx context.Context, chatID int64) (core.Draft, error) {
	return c.Store.Draft(ctx, chatID)
}

// Templates lists the chat templates by name.
func (c *Composer) Templates(ctx context.Context) ([]core.Template, error) {
	return c.Store.Templates(ctx)
}

// SaveTemplate creates (ID 0) or changes a chat template.
func (c *Composer) SaveTemplate(ctx context.Context, t core.Template) (core.Template, error) {
	if c.Remote != nil {
		return c.remoteTemplate(ctx, t)
	}
	return c.Store.SaveTemplate(ctx, t)
}

// DeleteTemplate removes a chat template.
func (c *Composer) DeleteTemplate(ctx context.Context, id int64) error {
	if c.Remote != nil {
		return c.remoteDeleteTemplate(ctx, id)
	}
	return c.Store.DeleteTemplate(ctx, id)
}

// ExpandTemplate returns template id's value with the chat's person and the manager filled in.
func (c *Composer) ExpandTemplate(ctx context.Context, chatID, templateID int64) (string, error) {
	t, err := c.Store.Template(ctx, templateID)
	if err != nil {
		return "", err
	}
	return c.expand(ctx, chatID, t.Value)
}

func (c *Composer) expand(ctx context.Context, chatID int64, value string) (string, error) {
	if !strings.Contains(value, "{") {
		return value, nil
	}
	p, err := c.Store.ChatPerson(ctx, chatID)
	if err != nil {
		return "", fmt.Errorf("expand template for chat %d: %w", chatID, err)
	}
	manager := ""
	if ms, err := c.Store.Managers(ctx); err == nil {
		for _, m := range ms {
			if m.ID == c.Me {
				manager = m.Name
			}
		}
	}
	return FillTemplate(value, p, manager), nil
}

// FillTemplate replaces {name} {first_name} {phone} {email} {manager} in value. It is one pass
// over the template: a client who calls themselves "{phone}" or "<b>x</b>" gets exactly that
// text inserted, never expanded again and never interpreted (the UI renders text as text).
// Unknown {words} stay as they are, so a template may still mention braces.
func FillTemplate(value string, p core.Person, manager string) string {
	first := strings.TrimSpace(p.Name)
	if i := strings.IndexFunc(first, unicode.IsSpace); i > 0 {
		first = first[:i]
	}
	r := strings.NewReplacer(
		"{name}", strings.TrimSpace(p.Name),
		"{first_name}", first,
		"{phone}", p.Phone,
		"{email}", p.Email,
		"{manager}", manager,
	)
	return r.Replace(value)
}
