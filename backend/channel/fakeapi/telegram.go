package fakeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Telegram error descriptions exactly as the Bot API words them.
const (
	TGUnauthorized     = "Unauthorized"
	TGNotFound         = "Not Found"
	TGConflictPolling  = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	TGConflictWebhook  = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	TGBlocked          = "Forbidden: bot was blocked by the user"
	TGChatNotFound     = "Bad Request: chat not found"
	TGTextEmpty        = "Bad Request: message text is empty"
	TGTextTooLong      = "Bad Request: message is too long"
	TGCaptionTooLong   = "Bad Request: message caption is too long"
	TGEditNotFound     = "Bad Request: message to edit not found"
	TGNoTextToEdit     = "Bad Request: there is no text in the message to edit"
	TGNoCaptionToEdit  = "Bad Request: there is no caption in the message to edit"
	TGNotModified      = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
	TGDeleteNotFound   = "Bad Request: message to delete not found"
	TGCantDelete       = "Bad Request: message can't be deleted for everyone"
	TGInvalidFileID    = "Bad Request: invalid file_id"
	TGFileTooBig       = "Bad Request: file is too big"
	TGReplyNotFound    = "Bad Request: message to be replied not found"
	TGInternal         = "Internal Server Error"
	TGEntityTooLarge   = "Request Entity Too Large"
	TGButtonData       = "Bad Request: BUTTON_DATA_INVALID"
	TGReplyMarkup      = "Bad Request: can't parse reply keyboard markup JSON object"
	TGQueryTooOld      = "Bad Request: query is too old and response timeout expired or query ID is invalid"
	tgDownloadLimit    = 20 << 20
	tgUploadLimit      = 50 << 20
	tgMaxPollTimeout   = 50
	tgDeleteWindow     = 48 * time.Hour
	tgDefaultToken     = "123456789:AAE-fake-Telegram-token_0123456789ab"
	tgDefaultBotID     = 123456789
	tgDefaultFirstName = "Switchboard Test Bot"
	tgDefaultUsername  = "switchboard_test_bot"
)

// TGMessage is a message the bot sent (or edited) through the fake, kept to answer edits and
// deletes as the real server would.
type TGMessage struct {
	ChatID    int64
	MessageID int64
	Method    string // sendMessage, sendPhoto…
	Text      string // text, or caption for media
	HasMedia  bool
	ReplyTo   int64
	Date      time.Time
	Deleted   bool
	Edits     int
	// Buttons is the inline keyboard sent with the message: rows of buttons.
	Buttons [][]TGButton
}

// TGButton is one inline keyboard button as the bot sent it.
type TGButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

type tgUpdate struct {
	id   int64
	kind string // message, edited_message, my_chat_member…
	raw  json.RawMessage
}

type tgFile struct {
	path string
	data []byte
	size int64 // reported size (may exceed len(data) to test the 20 MB refusal)
}

// Telegram is a fake Bot API server. Safe for concurrent use.
type Telegram struct {
	srv   *httptest.Server
	token string
	fails failures
	wake  broadcast

	mu         sync.Mutex
	botID      int64
	botName    string
	botUser    string
	webhookURL string
	updates    []tgUpdate     // pending, oldest first (ids ascending)
	kinds      map[string]int // pending updates by type
	nextUpdID  int64
	allowed    map[string]bool // nil = the server default (no reactions, no chat_member)
	pollGen    int64
	callLog
	msgs       map[int64]map[int64]*TGMessage
	nextMsgID  map[int64]int64
	blocked    map[int64]bool
	files      map[string]tgFile
	nextFileNo int
	now        func() time.Time
	avatar     []byte         // the bot's profile photo; nil = none
	queries    map[string]int // callback query id -> times answered
	nextQuery  int64
}

// NewTelegram starts a fake Bot API server. c may be nil; then call Close.
func NewTelegram(c Cleaner) *Telegram {
	t := &Telegram{
		token:     tgDefaultToken,
		botID:     tgDefaultBotID,
		botName:   tgDefaultFirstName,
		botUser:   tgDefaultUsername,
		nextUpdID: 100000001,
		msgs:      map[int64]map[int64]*TGMessage{},
		nextMsgID: map[int64]int64{},
		blocked:   map[int64]bool{},
		files:     map[string]tgFile{},
		queries:   map[string]int{},
		nextQuery: 4382961540012345,
		now:       time.Now,
	}
	t.srv = httptest.NewServer(http.HandlerFunc(t.serve))
	if c != nil {
		c.Cleanup(t.Close)
	}
	return t
}

// URL is the API root to put in the client's APIURL (like https://api.telegram.org).
func (t *Telegram) URL() string { return t.srv.URL }

// Token is the one token the fake accepts.
func (t *Telegram) Token() string { return t.token }

// Close stops the server (waking long polls first so Close does not wait for them).
func (t *Telegram) Close() {
	t.wake.notify()
	t.srv.CloseClientConnections()
	t.srv.Close()
}

// SetBot changes what getMe answers.
func (t *Telegram) SetBot(id int64, firstName, username string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.botID, t.botName, t.botUser = id, firstName, username
}

// SetWebhook sets (non-empty) or clears the webhook URL; while set, getUpdates answers 409.
func (t *Telegram) SetWebhook(url string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.webhookURL = url
}

// Webhook returns the current webhook URL.
func (t *Telegram) Webhook() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.webhookURL
}

// SetNow replaces the fake's clock (message dates, the 48 h delete window).
func (t *Telegram) SetNow(now func() time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.now = now
}

// Fail makes the next n calls of method ("" = any method) answer with f.
func (t *Telegram) Fail(method string, n int, f Failure) { t.fails.add(method, n, f) }

// Block makes sends to chatID answer 403 "Forbidden: bot was blocked by the user".
func (t *Telegram) Block(chatID int64, blocked bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.blocked[chatID] = blocked
}

// PushUpdate queues one update. raw is a real Update object's JSON without (or with, then
// replaced) update_id, e.g. {"message":{…}}. It returns the assigned update_id and wakes
// long polls.
func (t *Telegram) PushUpdate(raw string) int64 {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		panic(fmt.Sprintf("fakeapi: PushUpdate: not a JSON object: %v", err))
	}
	t.mu.Lock()
	id := t.nextUpdID
	t.nextUpdID++
	obj["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
	kind := ""
	for k := range obj {
		if k != "update_id" {
			kind = k
		}
	}
	b, _ := json.Marshal(obj)
	t.updates = append(t.updates, tgUpdate{id: id, kind: kind, raw: b})
	if t.kinds == nil {
		t.kinds = map[string]int{}
	}
	t.kinds[kind]++
	t.mu.Unlock()
	t.wake.notify()
	return id
}

// PushText queues a private text message from user fromID (chat id = user id), as a client
// writing to the bot produces.
func (t *Telegram) PushText(fromID int64, firstName, text string) int64 {
	msg := map[string]any{
		"message_id": t.clientMessageID(fromID),
		"from":       map[string]any{"id": fromID, "is_bot": false, "first_name": firstName, "language_code": "en"},
		"chat":       map[string]any{"id": fromID, "first_name": firstName, "type": "private"},
		"date":       t.clock().Unix(),
		"text":       text,
	}
	if strings.HasPrefix(text, "/") {
		cmd := strings.SplitN(text, " ", 2)[0]
		msg["entities"] = []map[string]any{{"offset": 0, "length": utf8.RuneCountInString(cmd), "type": "bot_command"}}
	}
	b, _ := json.Marshal(map[string]any{"message": msg})
	return t.PushUpdate(string(b))
}

// clientMessageID allocates a message id in chatID's sequence, shared with the bot's messages
// as in a real private chat.
func (t *Telegram) clientMessageID(chatID int64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.allocMsgID(chatID)
}

func (t *Telegram) allocMsgID(chatID int64) int64 {
	t.nextMsgID[chatID]++
	return t.nextMsgID[chatID]
}

func (t *Telegram) clock() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.now()
}

// Pending is the number of updates not yet confirmed by an offset.
func (t *Telegram) Pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.updates)
}

// AddFile registers a file for getFile/download. size is what getFile reports (0 = len(data)).
// It returns the file_path.
func (t *Telegram) AddFile(fileID string, data []byte, size int64) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.nextFileNo++
	path := fmt.Sprintf("documents/file_%d.bin", t.nextFileNo)
	if size == 0 {
		size = int64(len(data))
	}
	t.files[fileID] = tgFile{path: path, data: data, size: size}
	return path
}

// Messages returns what the bot has sent into chatID, by message id.
func (t *Telegram) Messages(chatID int64) []TGMessage {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []TGMessage
	for _, m := range t.msgs[chatID] {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MessageID < out[j].MessageID })
	return out
}

// AgeMessage moves a sent message's date back by d (to test the 48 h delete window).
func (t *Telegram) AgeMessage(chatID, messageID int64, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if m := t.msgs[chatID][messageID]; m != nil {
		m.Date = m.Date.Add(-d)
	}
}

type tgErr struct {
	code int
	desc string
	// retryAfter > 0 adds parameters.retry_after.
	retryAfter int
}

func (t *Telegram) writeErr(w http.ResponseWriter, e tgErr) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	writeJSON(w, e.code, body)
}

func writeOK(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (t *Telegram) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		t.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		t.writeErr(w, tgErr{404, TGNotFound, 0})
		return
	}
	token, method, ok := strings.Cut(rest, "/")
	if !ok || !strings.Contains(token, ":") {
		t.writeErr(w, tgErr{404, TGNotFound, 0})
		return
	}
	params, files, err := readParams(r, 64<<20)
	if err != nil {
		t.writeErr(w, tgErr{400, "Bad Request: " + err.Error(), 0})
		return
	}
	t.record(Call{Method: method, Params: cloneParams(params), Files: files, At: t.now()})
	if token != t.token {
		t.writeErr(w, tgErr{401, TGUnauthorized, 0})
		return
	}
	if f, ok := t.fails.take(method); ok {
		if t.injected(w, r, f) {
			return
		}
	}
	switch method {
	case "getMe":
		t.mu.Lock()
		me := map[string]any{"id": t.botID, "is_bot": true, "first_name": t.botName, "username": t.botUser,
			"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
			"can_connect_to_business": false, "has_main_web_app": false}
		t.mu.Unlock()
		writeOK(w, me)
	case "getWebhookInfo":
		t.mu.Lock()
		info := map[string]any{"url": t.webhookURL, "has_custom_certificate": false, "pending_update_count": len(t.updates)}
		if t.webhookURL != "" {
			info["max_connections"] = 40
			info["ip_address"] = "203.0.113.10"
		}
		t.mu.Unlock()
		writeOK(w, info)
	case "deleteWebhook":
		t.mu.Lock()
		t.webhookURL = ""
		if params["drop_pending_updates"] == "true" {
			t.updates, t.kinds = nil, nil
		}
		t.mu.Unlock()
		writeOK(w, true)
	case "setWebhook":
		t.SetWebhook(params["url"])
		writeOK(w, true)
	case "getUpdates":
		t.getUpdates(w, r, params)
	case "sendMessage", "sendPhoto", "sendVideo", "sendDocument", "sendAudio", "sendVoice":
		t.send(w, method, params, files)
	case "editMessageText", "editMessageCaption":
		t.edit(w, method, params)
	case "deleteMessage":
		t.delete(w, params)
	case "answerCallbackQuery":
		t.answerCallback(w, params)
	case "getFile":
		t.getFile(w, params)
	case "getUserProfilePhotos":
		t.profilePhotos(w, params)
	default:
		t.writeErr(w, tgErr{404, TGNotFound, 0})
	}
}

// injected answers an injected failure; false means "answer normally" (after a delay).
func (t *Telegram) injected(w http.ResponseWriter, r *http.Request, f Failure) bool {
	switch f.Kind {
	case FailRateLimit:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = 1
		}
		t.writeErr(w, tgErr{429, fmt.Sprintf("Too Many Requests: retry after %d", ra), ra})
	case FailConflict:
		t.writeErr(w, tgErr{409, TGConflictPolling, 0})
	case FailWebhook:
		t.writeErr(w, tgErr{409, TGConflictWebhook, 0})
	case FailUnauthorized:
		t.writeErr(w, tgErr{401, TGUnauthorized, 0})
	case FailServerError:
		t.writeErr(w, tgErr{500, TGInternal, 0})
	case FailBadGateway:
		writeBadGateway(w)
	case FailMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"ok":true,"result":[{"update_id":1,"message":{"message_id":`))
	case FailDelay:
		sleepCtx(r, f.Delay)
		return r.Context().Err() != nil
	default:
		return false
	}
	return true
}

func (t *Telegram) getUpdates(w http.ResponseWriter, r *http.Request, p map[string]string) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	limit := 100
	if v, err := strconv.Atoi(p["limit"]); err == nil && v >= 1 && v <= 100 {
		limit = v
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	if timeout > tgMaxPollTimeout {
		timeout = tgMaxPollTimeout
	}
	if timeout < 0 {
		timeout = 0
	}
	t.mu.Lock()
	if t.webhookURL != "" {
		t.mu.Unlock()
		t.writeErr(w, tgErr{409, TGConflictWebhook, 0})
		return
	}
	if raw, ok := p["allowed_updates"]; ok {
		var list []string
		if json.Unmarshal([]byte(raw), &list) == nil {
			if len(list) == 0 {
				t.allowed = nil
			} else {
				t.allowed = map[string]bool{}
				for _, k := range list {
					t.allowed[k] = true
				}
			}
		}
	}
	// A new getUpdates terminates the one still waiting, as the real server does.
	t.pollGen++
	gen := t.pollGen
	t.mu.Unlock()
	t.wake.notify()

	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		woken := t.wake.wait()
		t.mu.Lock()
		if t.pollGen != gen {
			t.mu.Unlock()
			t.writeErr(w, tgErr{409, TGConflictPolling, 0})
			return
		}
		out := t.collect(offset, limit)
		t.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			writeUpdates(w, out)
			return
		}
		select {
		case <-woken:
		case <-deadline.C:
			writeUpdates(w, nil)
			return
		case <-r.Context().Done():
			return
		}
	}
}

// writeUpdates answers getUpdates with {"ok":true,"result":[…]}: the same bytes writeOK would
// write, without encoding/json re-validating every stored update on every poll. The updates
// are stored as encoding/json wrote them (PushUpdate), so they go out as they are. The fake
// runs inside the ingestion benchmark's process, where that re-encoding took CPU from the
// engine it measures.
func writeUpdates(w http.ResponseWriter, updates []json.RawMessage) {
	size := len(`{"ok":true,"result":[]}`) + 1
	for _, u := range updates {
		size += len(u) + 1
	}
	body := append(make([]byte, 0, size), `{"ok":true,"result":[`...)
	for i, u := range updates {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, u...)
	}
	body = append(body, "]}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// collect confirms updates below offset and returns up to limit deliverable ones. Updates of
// types not allowed are dropped, as the server never delivers them. Caller holds t.mu.
//
// The confirmed updates are the head of the queue, and whether any pending update is of a
// type to drop is known from t.kinds, so a poll costs what it returns, not the whole backlog
// (the ingestion benchmark queues 20,000 updates in this process).
func (t *Telegram) collect(offset int64, limit int) []json.RawMessage {
	n := 0
	for n < len(t.updates) && offset > 0 && t.updates[n].id < offset {
		t.kinds[t.updates[n].kind]--
		n++
	}
	t.updates = t.updates[n:]
	for kind, c := range t.kinds {
		if c > 0 && !t.isAllowed(kind) {
			kept := t.updates[:0]
			for _, u := range t.updates {
				if t.isAllowed(u.kind) {
					kept = append(kept, u)
				} else {
					t.kinds[u.kind]--
				}
			}
			t.updates = kept
			break
		}
	}
	out := make([]json.RawMessage, 0, min(limit, len(t.updates))) // an empty batch is [] on the wire, never null
	for _, u := range t.updates[:min(limit, len(t.updates))] {
		out = append(out, u.raw)
	}
	return out
}

func (t *Telegram) isAllowed(kind string) bool {
	if t.allowed == nil {
		// The Bot API default: everything except these.
		return kind != "message_reaction" && kind != "message_reaction_count" && kind != "chat_member"
	}
	return t.allowed[kind]
}

var tgUploadField = map[string]string{
	"sendPhoto": "photo", "sendVideo": "video", "sendDocument": "document", "sendAudio": "audio", "sendVoice": "voice",
}

func (t *Telegram) send(w http.ResponseWriter, method string, p map[string]string, files []File) {
	chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		t.writeErr(w, tgErr{400, TGChatNotFound, 0})
		return
	}
	text := p["text"]
	field := tgUploadField[method]
	var upload *File
	if field != "" {
		text = p["caption"]
		for i := range files {
			if files[i].Field == field {
				upload = &files[i]
			}
		}
		if upload == nil && p[field] == "" {
			t.writeErr(w, tgErr{400, "Bad Request: there is no " + field + " in the request", 0})
			return
		}
		if upload != nil && len(upload.Data) > tgUploadLimit {
			t.writeErr(w, tgErr{413, TGEntityTooLarge, 0})
			return
		}
		if utf8.RuneCountInString(text) > 1024 {
			t.writeErr(w, tgErr{400, TGCaptionTooLong, 0})
			return
		}
	} else {
		if strings.TrimSpace(text) == "" {
			t.writeErr(w, tgErr{400, TGTextEmpty, 0})
			return
		}
		if utf8.RuneCountInString(text) > 4096 {
			t.writeErr(w, tgErr{400, TGTextTooLong, 0})
			return
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.blocked[chatID] {
		t.writeErr(w, tgErr{403, TGBlocked, 0})
		return
	}
	var replyTo int64
	if rp := p["reply_parameters"]; rp != "" {
		var r struct {
			MessageID                int64 `json:"message_id"`
			AllowSendingWithoutReply bool  `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(rp), &r); err != nil {
			t.writeErr(w, tgErr{400, "Bad Request: can't parse reply parameters JSON object", 0})
			return
		}
		replyTo = r.MessageID
		if replyTo >= t.nextMsgID[chatID]+1 && !r.AllowSendingWithoutReply {
			t.writeErr(w, tgErr{400, TGReplyNotFound, 0})
			return
		}
	} else if v := p["reply_to_message_id"]; v != "" {
		replyTo, _ = strconv.ParseInt(v, 10, 64)
	}
	var buttons [][]TGButton
	if rm := p["reply_markup"]; rm != "" {
		var markup struct {
			InlineKeyboard [][]TGButton `json:"inline_keyboard"`
		}
		if err := json.Unmarshal([]byte(rm), &markup); err != nil {
			t.writeErr(w, tgErr{400, TGReplyMarkup, 0})
			return
		}
		for _, row := range markup.InlineKeyboard {
			for _, b := range row {
				// The Bot API takes 1..64 bytes of callback_data.
				if b.CallbackData == "" || len(b.CallbackData) > 64 {
					t.writeErr(w, tgErr{400, TGButtonData, 0})
					return
				}
			}
		}
		buttons = markup.InlineKeyboard
	}
	id := t.allocMsgID(chatID)
	now := t.now()
	m := &TGMessage{ChatID: chatID, MessageID: id, Method: method, Text: text, HasMedia: field != "", ReplyTo: replyTo, Date: now,
		Buttons: buttons}
	if t.msgs[chatID] == nil {
		t.msgs[chatID] = map[int64]*TGMessage{}
	}
	t.msgs[chatID][id] = m
	res := t.messageJSON(m)
	if upload != nil {
		fileID := fmt.Sprintf("FAKE-%s-%d-%d", field, chatID, id)
		t.nextFileNo++
		t.files[fileID] = tgFile{path: fmt.Sprintf("%ss/file_%d", field, t.nextFileNo), data: upload.Data, size: int64(len(upload.Data))}
		media := map[string]any{"file_id": fileID, "file_unique_id": fmt.Sprintf("U%d_%d", chatID, id), "file_size": len(upload.Data)}
		switch field {
		case "photo":
			res["photo"] = []any{map[string]any{"file_id": fileID, "file_unique_id": fmt.Sprintf("U%d_%d", chatID, id), "file_size": len(upload.Data), "width": 1280, "height": 960}}
		case "voice", "audio", "video":
			d, _ := strconv.Atoi(p["duration"])
			media["duration"] = d
			if upload.ContentType != "" {
				media["mime_type"] = upload.ContentType
			}
			res[field] = media
		default:
			media["file_name"] = upload.Name
			res[field] = media
		}
	}
	writeOK(w, res)
}

// Press is the client of chat chatID tapping the inline button with callbackData under the bot's
// message messageID: it queues a callback_query update exactly as Telegram delivers one and
// returns the query's id. Like Telegram, it refuses a button that message does not have.
func (t *Telegram) Press(chatID, messageID int64, callbackData string) (string, error) {
	t.mu.Lock()
	m := t.msgs[chatID][messageID]
	var found bool
	if m != nil && !m.Deleted {
		for _, row := range m.Buttons {
			for _, b := range row {
				found = found || b.CallbackData == callbackData
			}
		}
	}
	if !found {
		t.mu.Unlock()
		return "", fmt.Errorf("fakeapi: message %d in chat %d has no button with data %q", messageID, chatID, callbackData)
	}
	msg := t.messageJSON(m)
	msg["reply_markup"] = map[string]any{"inline_keyboard": m.Buttons}
	t.mu.Unlock()
	return t.PushCallback(chatID, msg, callbackData), nil
}

// PushCallback queues a callback_query from user chatID about message (its JSON object, nil for
// none) with any data, as a hostile client could make one. It returns the query's id.
func (t *Telegram) PushCallback(chatID int64, message map[string]any, data string) string {
	t.mu.Lock()
	t.nextQuery++
	id := strconv.FormatInt(t.nextQuery, 10)
	t.queries[id] = 0
	t.mu.Unlock()
	q := map[string]any{
		"id":            id,
		"from":          map[string]any{"id": chatID, "is_bot": false, "first_name": "Client", "language_code": "en"},
		"chat_instance": fmt.Sprintf("-%d", 5000000000000000000+chatID%1000000),
		"data":          data,
	}
	if message != nil {
		q["message"] = message
	}
	b, _ := json.Marshal(map[string]any{"callback_query": q})
	t.PushUpdate(string(b))
	return id
}

// Answered is how many answers the bot sent for callback query id (Telegram accepts the first
// and refuses the rest).
func (t *Telegram) Answered(id string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.queries[id]
}

func (t *Telegram) answerCallback(w http.ResponseWriter, p map[string]string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, ok := t.queries[p["callback_query_id"]]
	if !ok || n > 0 {
		if ok {
			t.queries[p["callback_query_id"]]++
		}
		t.writeErr(w, tgErr{400, TGQueryTooOld, 0})
		return
	}
	t.queries[p["callback_query_id"]] = 1
	writeOK(w, true)
}

func (t *Telegram) messageJSON(m *TGMessage) map[string]any {
	res := map[string]any{
		"message_id": m.MessageID,
		"from":       map[string]any{"id": t.botID, "is_bot": true, "first_name": t.botName, "username": t.botUser},
		"chat":       map[string]any{"id": m.ChatID, "type": "private"},
		"date":       m.Date.Unix(),
	}
	if m.HasMedia {
		if m.Text != "" {
			res["caption"] = m.Text
		}
	} else {
		res["text"] = m.Text
	}
	if m.Edits > 0 {
		res["edit_date"] = t.now().Unix()
	}
	if m.ReplyTo > 0 {
		res["reply_to_message"] = map[string]any{"message_id": m.ReplyTo, "chat": map[string]any{"id": m.ChatID, "type": "private"}, "date": m.Date.Unix()}
	}
	return res
}

func (t *Telegram) edit(w http.ResponseWriter, method string, p map[string]string) {
	chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		t.writeErr(w, tgErr{400, TGChatNotFound, 0})
		return
	}
	msgID, _ := strconv.ParseInt(p["message_id"], 10, 64)
	text := p["text"]
	if method == "editMessageCaption" {
		text = p["caption"]
	} else if strings.TrimSpace(text) == "" {
		t.writeErr(w, tgErr{400, TGTextEmpty, 0})
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.msgs[chatID][msgID]
	if m == nil || m.Deleted {
		t.writeErr(w, tgErr{400, TGEditNotFound, 0})
		return
	}
	if method == "editMessageText" && m.HasMedia {
		t.writeErr(w, tgErr{400, TGNoTextToEdit, 0})
		return
	}
	if method == "editMessageCaption" && !m.HasMedia {
		t.writeErr(w, tgErr{400, TGNoCaptionToEdit, 0})
		return
	}
	if m.Text == text {
		t.writeErr(w, tgErr{400, TGNotModified, 0})
		return
	}
	m.Text = text
	m.Edits++
	writeOK(w, t.messageJSON(m))
}

func (t *Telegram) delete(w http.ResponseWriter, p map[string]string) {
	chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		t.writeErr(w, tgErr{400, TGChatNotFound, 0})
		return
	}
	msgID, _ := strconv.ParseInt(p["message_id"], 10, 64)
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.msgs[chatID][msgID]
	if m == nil || m.Deleted {
		t.writeErr(w, tgErr{400, TGDeleteNotFound, 0})
		return
	}
	if t.now().Sub(m.Date) >= tgDeleteWindow {
		t.writeErr(w, tgErr{400, TGCantDelete, 0})
		return
	}
	m.Deleted = true
	writeOK(w, true)
}

func (t *Telegram) getFile(w http.ResponseWriter, p map[string]string) {
	t.mu.Lock()
	f, ok := t.files[p["file_id"]]
	t.mu.Unlock()
	if !ok {
		t.writeErr(w, tgErr{400, TGInvalidFileID, 0})
		return
	}
	if f.size > tgDownloadLimit {
		t.writeErr(w, tgErr{400, TGFileTooBig, 0})
		return
	}
	writeOK(w, map[string]any{"file_id": p["file_id"], "file_unique_id": "U" + p["file_id"], "file_size": f.size, "file_path": f.path})
}

func (t *Telegram) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != t.token {
		t.writeErr(w, tgErr{404, TGNotFound, 0})
		return
	}
	t.record(Call{Method: "file", Params: map[string]string{"file_path": path}, At: t.now()})
	t.mu.Lock()
	var data []byte
	found := false
	for _, f := range t.files {
		if f.path == path {
			data, found = f.data, true
			break
		}
	}
	t.mu.Unlock()
	if !found {
		t.writeErr(w, tgErr{404, TGNotFound, 0})
		return
	}
	if f, ok := t.fails.take("file"); ok && t.injected(w, r, f) {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// SetBotPhoto sets (or with nil clears) the bot's profile photo served by getUserProfilePhotos.
func (t *Telegram) SetBotPhoto(data []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.avatar = data
	if data != nil {
		t.files["FAKE-avatar-640"] = tgFile{path: "profile_photos/file_0.jpg", data: data, size: int64(len(data))}
	}
}

func (t *Telegram) profilePhotos(w http.ResponseWriter, p map[string]string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	uid, err := strconv.ParseInt(p["user_id"], 10, 64)
	if err != nil {
		t.writeErr(w, tgErr{400, "Bad Request: user not found", 0})
		return
	}
	if uid != t.botID || t.avatar == nil {
		writeOK(w, map[string]any{"total_count": 0, "photos": []any{}})
		return
	}
	writeOK(w, map[string]any{"total_count": 1, "photos": []any{[]any{
		map[string]any{"file_id": "FAKE-avatar-160", "file_unique_id": "AQADav1", "file_size": 4000, "width": 160, "height": 160},
		map[string]any{"file_id": "FAKE-avatar-640", "file_unique_id": "AQADav3", "file_size": len(t.avatar), "width": 640, "height": 640},
	}}})
}
