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

// VK error messages as the API words them.
const (
	VKAuthFailed       = "User authorization failed: invalid access_token (4)."
	VKTooMany          = "Too many requests per second"
	VKFlood            = "Flood control"
	VKInternal         = "Internal server error"
	VKUnknownMethod    = "Unknown method passed"
	VKNoVersion        = "Invalid request: v (version) is required"
	VKRandomID         = "One of the parameters specified was missing or invalid: random_id is a required parameter"
	VKEmptyMessage     = "One of the parameters specified was missing or invalid: message is empty or invalid"
	VKNoMessage        = "One of the parameters specified was missing or invalid: message_id is undefined"
	VKCantSend         = "Can't send messages for users without permission"
	VKTooLong          = "Message is too long"
	VKEditTooOld       = "Can't edit this message, because it's too old"
	VKCantDeleteAll    = "Can't delete this message for everybody"
	VKRateLimitReached = "Rate limit reached"
	VKBadKeyboard      = "Keyboard format is invalid"
	vkDefaultToken     = "vk1.a.fake-community-token-0123456789abcdefABCDEF"
	vkDefaultGroupID   = 218000111
	vkMaxWait          = 90
	vkWindow           = 24 * time.Hour
)

var vkErrorText = map[int]string{5: VKAuthFailed, 6: VKTooMany, 9: VKFlood, 10: VKInternal, 29: VKRateLimitReached,
	901: VKCantSend, 909: VKEditTooOld, 924: VKCantDeleteAll, 914: VKTooLong, 911: VKBadKeyboard}

// VKMessage is a message the community sent through the fake.
type VKMessage struct {
	ID          int64
	CMID        int64 // conversation_message_id
	PeerID      int64
	RandomID    int64
	Text        string
	Attachments []string
	ReplyTo     int64
	Date        time.Time
	Edits       int
	Deleted     bool
	// Buttons is the keyboard sent with the message, rows of buttons (nil = none).
	Buttons [][]VKButton
	Inline  bool
}

// VKButton is one keyboard button as the community sent it.
type VKButton struct {
	Action struct {
		Type    string `json:"type"`
		Label   string `json:"label"`
		Payload string `json:"payload"`
	} `json:"action"`
	Color string `json:"color"`
}

type vkEvent struct {
	ts  int64
	raw json.RawMessage
}

// VK is a fake VK API plus Bots Long Poll and upload servers. Safe for concurrent use.
type VK struct {
	srv   *httptest.Server
	token string
	fails failures
	wake  broadcast

	mu        sync.Mutex
	groupID   int64
	groupName string
	screen    string
	users     map[int64][2]string
	key       string
	keyNo     int
	nextTS    int64 // number the next event gets
	firstTS   int64 // oldest event still in history
	events    []vkEvent
	callLog
	msgs      map[int64]*VKMessage
	byRandom  map[string]int64 // peer|random_id -> message id
	nextMsgID int64
	nextCMID  map[int64]int64
	denied    map[int64]bool
	uploads   map[string]File // upload token -> file
	nextUp    int
	nextDocID int64
	docs      map[int64]File
	now       func() time.Time
}

// NewVK starts a fake VK. c may be nil; then call Close.
func NewVK(c Cleaner) *VK {
	v := &VK{
		token:     vkDefaultToken,
		groupID:   vkDefaultGroupID,
		groupName: "Switchboard Test Shop",
		screen:    "switchboard_shop",
		users:     map[int64][2]string{},
		key:       "lpkey-1-0f9e8d7c6b5a",
		keyNo:     1,
		nextTS:    1,
		firstTS:   1,
		msgs:      map[int64]*VKMessage{},
		byRandom:  map[string]int64{},
		nextMsgID: 1000,
		nextCMID:  map[int64]int64{},
		denied:    map[int64]bool{},
		uploads:   map[string]File{},
		nextDocID: 660000000,
		docs:      map[int64]File{},
		now:       time.Now,
	}
	v.srv = httptest.NewServer(http.HandlerFunc(v.serve))
	if c != nil {
		c.Cleanup(v.Close)
	}
	return v
}

// URL is the method root to put in the client's APIURL (like https://api.vk.com/method).
func (v *VK) URL() string { return v.srv.URL + "/method" }

// Token is the community token the fake accepts.
func (v *VK) Token() string { return v.token }

// GroupID is the community id.
func (v *VK) GroupID() int64 { return v.groupID }

// Close stops the server.
func (v *VK) Close() {
	v.wake.notify()
	v.srv.CloseClientConnections()
	v.srv.Close()
}

// Fail makes the next n calls of method answer with f. Methods are API names
// ("messages.send"), "a_check" for the long poll, "upload.photo" and "upload.doc".
func (v *VK) Fail(method string, n int, f Failure) { v.fails.add(method, n, f) }

// SetUser names a user for users.get.
func (v *VK) SetUser(id int64, first, last string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.users[id] = [2]string{first, last}
}

// Deny makes messages.send to peer answer 901 (the user has not allowed messages).
func (v *VK) Deny(peer int64, denied bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.denied[peer] = denied
}

// ExpireKey rotates the long-poll key: a check with the old key answers {"failed":2}.
func (v *VK) ExpireKey() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.rotateKey()
}

func (v *VK) rotateKey() {
	v.keyNo++
	v.key = fmt.Sprintf("lpkey-%d-0f9e8d7c6b5a", v.keyNo)
}

// DropHistory forgets every queued event, as when a ts is too old: a check from an older ts
// answers {"failed":1,"ts":N}.
func (v *VK) DropHistory() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.events = nil
	v.firstTS = v.nextTS
}

// TS is the ts the next event will get (what groups.getLongPollServer answers).
func (v *VK) TS() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.nextTS
}

// Push queues one Bots Long Poll event of type typ with object (its JSON) and wakes polls.
func (v *VK) Push(typ, object string) {
	if !json.Valid([]byte(object)) {
		panic("fakeapi: VK Push: object is not JSON")
	}
	v.mu.Lock()
	ts := v.nextTS
	v.nextTS++
	ev := map[string]any{"group_id": v.groupID, "type": typ, "event_id": fmt.Sprintf("%040x", ts*7919), "v": "5.199", "object": json.RawMessage(object)}
	b, _ := json.Marshal(ev)
	v.events = append(v.events, vkEvent{ts: ts, raw: b})
	v.mu.Unlock()
	v.wake.notify()
}

// PushText queues a message_new from user to the community and returns its message id.
func (v *VK) PushText(from int64, text string) int64 { return v.PushPayload(from, text, "") }

// Press is user peer tapping the keyboard button labelled label under the community's message
// messageID: like VK, it sends the label as the user's message with the button's payload. It
// refuses a button the message does not have.
func (v *VK) Press(peer, messageID int64, label string) (int64, error) {
	v.mu.Lock()
	m := v.msgs[messageID]
	payload, found := "", false
	if m != nil && m.PeerID == peer && !m.Deleted {
		for _, row := range m.Buttons {
			for _, b := range row {
				if b.Action.Type == "text" && b.Action.Label == label {
					payload, found = b.Action.Payload, true
				}
			}
		}
	}
	v.mu.Unlock()
	if !found {
		return 0, fmt.Errorf("fakeapi: VK message %d to %d has no button %q", messageID, peer, label)
	}
	return v.PushPayload(peer, label, payload), nil
}

// PushPayload queues a message_new from user with a button payload ("" = none), as a tap on a
// keyboard button (or a hostile client) produces, and returns its message id.
func (v *VK) PushPayload(from int64, text, payload string) int64 {
	v.mu.Lock()
	v.nextMsgID++
	id := v.nextMsgID
	v.nextCMID[from]++
	cmid := v.nextCMID[from]
	date := v.now().Unix()
	v.mu.Unlock()
	msg := map[string]any{"date": date, "from_id": from, "id": id, "out": 0, "version": 10000000 + id, "attachments": []any{},
		"conversation_message_id": cmid, "fwd_messages": []any{}, "important": false, "is_hidden": false, "peer_id": from, "random_id": 0, "text": text}
	if payload != "" {
		msg["payload"] = payload
	}
	obj, _ := json.Marshal(map[string]any{"message": msg, "client_info": map[string]any{
		"button_actions": []string{"text", "vkpay", "open_app", "location", "open_link", "callback", "intent_subscribe", "intent_unsubscribe"},
		"keyboard":       true, "inline_keyboard": true, "carousel": true, "lang_id": 0}})
	v.Push("message_new", string(obj))
	return id
}

// Messages returns what the community sent to peer, oldest first.
func (v *VK) Messages(peer int64) []VKMessage {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []VKMessage
	for _, m := range v.msgs {
		if m.PeerID == peer {
			out = append(out, *m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// AgeMessage moves a sent message's date back by d (VK's 24 h delete window).
func (v *VK) AgeMessage(id int64, d time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if m := v.msgs[id]; m != nil {
		m.Date = m.Date.Add(-d)
	}
}

func vkErr(w http.ResponseWriter, code int, msg string, method string) {
	if msg == "" {
		msg = vkErrorText[code]
	}
	writeJSON(w, http.StatusOK, map[string]any{"error": map[string]any{"error_code": code, "error_msg": msg,
		"request_params": []map[string]string{{"key": "method", "value": method}, {"key": "v", "value": "5.199"}}}})
}

func vkOK(w http.ResponseWriter, resp any) {
	writeJSON(w, http.StatusOK, map[string]any{"response": resp})
}

func (v *VK) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/method/"):
		v.serveMethod(w, r, strings.TrimPrefix(r.URL.Path, "/method/"))
	case strings.HasPrefix(r.URL.Path, "/lp/"):
		v.serveLongPoll(w, r)
	case strings.HasPrefix(r.URL.Path, "/upload/"):
		v.serveUpload(w, r, strings.TrimPrefix(r.URL.Path, "/upload/"))
	case strings.HasPrefix(r.URL.Path, "/doc/"):
		v.serveDoc(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (v *VK) recordCall(method string, params map[string]string, files []File) {
	p := cloneParams(params)
	delete(p, "access_token")
	v.record(Call{Method: method, Params: p, Files: files, At: v.now()})
}

// injected answers an injected failure; false means answer normally.
func (v *VK) injected(w http.ResponseWriter, r *http.Request, method string, f Failure) bool {
	switch f.Kind {
	case FailRateLimit:
		vkErr(w, 6, "", method)
	case FailUnauthorized:
		vkErr(w, 5, "", method)
	case FailVKError:
		vkErr(w, f.Code, f.Message, method)
	case FailServerError, FailBadGateway:
		writeBadGateway(w)
	case FailMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"response":{"ts":"`))
	case FailLongPoll:
		body := map[string]any{"failed": f.Code}
		if f.Code == 1 {
			v.mu.Lock()
			body["ts"] = v.nextTS // a number, as VK sends it here
			v.mu.Unlock()
		}
		writeJSON(w, http.StatusOK, body)
	case FailDelay:
		sleepCtx(r, f.Delay)
		return r.Context().Err() != nil
	default:
		return false
	}
	return true
}

func (v *VK) serveMethod(w http.ResponseWriter, r *http.Request, method string) {
	params, files, err := readParams(r, 8<<20)
	if err != nil {
		vkErr(w, 100, "One of the parameters specified was missing or invalid: "+err.Error(), method)
		return
	}
	v.recordCall(method, params, files)
	if params["access_token"] != v.token {
		vkErr(w, 5, "", method)
		return
	}
	if params["v"] == "" {
		vkErr(w, 8, VKNoVersion, method)
		return
	}
	if f, ok := v.fails.take(method); ok && v.injected(w, r, method, f) {
		return
	}
	switch method {
	case "groups.getById":
		v.mu.Lock()
		g := map[string]any{"id": v.groupID, "name": v.groupName, "screen_name": v.screen, "is_closed": 0, "type": "group",
			"photo_50": "https://sun9-1.userapi.com/fake/c50.jpg", "photo_100": "https://sun9-1.userapi.com/fake/c100.jpg", "photo_200": "https://sun9-1.userapi.com/fake/c200.jpg"}
		v.mu.Unlock()
		if gid := strings.TrimPrefix(params["group_id"], "-"); gid != "" && gid != strconv.FormatInt(v.groupID, 10) && gid != v.screen {
			vkErr(w, 100, "One of the parameters specified was missing or invalid: group_id is undefined", method)
			return
		}
		vkOK(w, map[string]any{"groups": []any{g}, "profiles": []any{}})
	case "groups.getLongPollServer":
		if params["group_id"] != strconv.FormatInt(v.groupID, 10) {
			vkErr(w, 100, "One of the parameters specified was missing or invalid: group_id param is invalid", method)
			return
		}
		v.mu.Lock()
		resp := map[string]any{"key": v.key, "server": v.srv.URL + "/lp/whp/" + strconv.FormatInt(v.groupID, 10), "ts": strconv.FormatInt(v.nextTS, 10)}
		v.mu.Unlock()
		vkOK(w, resp)
	case "users.get":
		var out []any
		v.mu.Lock()
		for _, s := range splitComma(params["user_ids"]) {
			id, _ := strconv.ParseInt(s, 10, 64)
			if n, ok := v.users[id]; ok {
				out = append(out, map[string]any{"id": id, "first_name": n[0], "last_name": n[1], "screen_name": "id" + s, "can_access_closed": true, "is_closed": false})
			}
		}
		v.mu.Unlock()
		if out == nil {
			out = []any{}
		}
		vkOK(w, out)
	case "messages.send":
		v.send(w, params)
	case "messages.edit":
		v.edit(w, params)
	case "messages.delete":
		v.delete(w, params)
	case "photos.getMessagesUploadServer":
		vkOK(w, map[string]any{"album_id": -3, "upload_url": v.srv.URL + "/upload/photo?act=do_add&mid=0&aid=-3&gid=" + strconv.FormatInt(v.groupID, 10) + "&hash=fakehash", "user_id": 0, "group_id": v.groupID})
	case "docs.getMessagesUploadServer":
		typ := params["type"]
		if typ == "" {
			typ = "doc"
		}
		if typ != "doc" && typ != "audio_message" && typ != "graffiti" {
			vkErr(w, 100, "One of the parameters specified was missing or invalid: type is invalid", method)
			return
		}
		vkOK(w, map[string]any{"upload_url": v.srv.URL + "/upload/doc?act=add_doc&type=" + typ + "&mid=0&hash=fakehash"})
	case "photos.saveMessagesPhoto":
		v.savePhoto(w, params)
	case "docs.save":
		v.saveDoc(w, params)
	default:
		vkErr(w, 3, VKUnknownMethod, method)
	}
}

func (v *VK) send(w http.ResponseWriter, p map[string]string) {
	peer, err := strconv.ParseInt(p["peer_id"], 10, 64)
	if err != nil || peer == 0 {
		vkErr(w, 100, "One of the parameters specified was missing or invalid: peer_id is undefined", "messages.send")
		return
	}
	if p["random_id"] == "" {
		vkErr(w, 100, VKRandomID, "messages.send")
		return
	}
	random, _ := strconv.ParseInt(p["random_id"], 10, 64)
	text := p["message"]
	atts := splitComma(p["attachment"])
	if strings.TrimSpace(text) == "" && len(atts) == 0 {
		vkErr(w, 100, VKEmptyMessage, "messages.send")
		return
	}
	if utf8.RuneCountInString(text) > 9000 {
		vkErr(w, 914, "", "messages.send")
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.denied[peer] {
		vkErr(w, 901, "", "messages.send")
		return
	}
	key := fmt.Sprintf("%d|%d", peer, random)
	if id, ok := v.byRandom[key]; ok && random != 0 {
		// VK does not send the same random_id twice; it answers the first message's id.
		vkOK(w, id)
		return
	}
	var replyTo int64
	if s := p["reply_to"]; s != "" {
		replyTo, _ = strconv.ParseInt(s, 10, 64)
	}
	var kb struct {
		Inline  bool         `json:"inline"`
		Buttons [][]VKButton `json:"buttons"`
	}
	if raw := p["keyboard"]; raw != "" {
		if json.Unmarshal([]byte(raw), &kb) != nil || !validVKKeyboard(kb.Inline, kb.Buttons) {
			vkErr(w, 911, "", "messages.send")
			return
		}
	}
	v.nextMsgID++
	v.nextCMID[peer]++
	m := &VKMessage{ID: v.nextMsgID, CMID: v.nextCMID[peer], PeerID: peer, RandomID: random, Text: text, Attachments: atts, ReplyTo: replyTo, Date: v.now(),
		Buttons: kb.Buttons, Inline: kb.Inline}
	v.msgs[m.ID] = m
	if random != 0 {
		v.byRandom[key] = m.ID
	}
	vkOK(w, m.ID)
}

// validVKKeyboard checks VK's keyboard limits: an inline keyboard has at most 6 rows of at most
// 5 buttons and 10 in all; a button's payload is at most 255 characters of JSON.
func validVKKeyboard(inline bool, rows [][]VKButton) bool {
	total := 0
	for _, row := range rows {
		if len(row) > 5 {
			return false
		}
		for _, b := range row {
			total++
			if b.Action.Type == "" || len(b.Action.Payload) > 255 || (b.Action.Payload != "" && !json.Valid([]byte(b.Action.Payload))) {
				return false
			}
		}
	}
	if inline {
		return len(rows) <= 6 && total <= 10
	}
	return len(rows) <= 10 && total <= 40
}

func (v *VK) edit(w http.ResponseWriter, p map[string]string) {
	id, _ := strconv.ParseInt(p["message_id"], 10, 64)
	peer, _ := strconv.ParseInt(p["peer_id"], 10, 64)
	v.mu.Lock()
	defer v.mu.Unlock()
	m := v.msgs[id]
	if m == nil || m.PeerID != peer || m.Deleted {
		vkErr(w, 100, VKNoMessage, "messages.edit")
		return
	}
	if v.now().Sub(m.Date) >= vkWindow {
		vkErr(w, 909, "", "messages.edit")
		return
	}
	m.Text = p["message"]
	m.Attachments = splitComma(p["attachment"])
	m.Edits++
	vkOK(w, 1)
}

func (v *VK) delete(w http.ResponseWriter, p map[string]string) {
	peer, _ := strconv.ParseInt(p["peer_id"], 10, 64)
	forAll := p["delete_for_all"] == "1"
	var out []any
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, s := range splitComma(p["message_ids"]) {
		id, _ := strconv.ParseInt(s, 10, 64)
		item := map[string]any{"peer_id": peer, "message_id": id}
		m := v.msgs[id]
		switch {
		case m == nil || m.Deleted:
			item["error"] = map[string]any{"code": 100, "description": VKNoMessage}
		case forAll && v.now().Sub(m.Date) >= vkWindow:
			item["error"] = map[string]any{"code": 924, "description": VKCantDeleteAll}
		default:
			m.Deleted = true
			item["conversation_message_id"] = m.CMID
			item["response"] = 1
		}
		out = append(out, item)
	}
	if out == nil {
		vkErr(w, 100, "One of the parameters specified was missing or invalid: message_ids is undefined", "messages.delete")
		return
	}
	vkOK(w, out)
}

func (v *VK) serveUpload(w http.ResponseWriter, r *http.Request, kind string) {
	params, files, err := readParams(r, 64<<20)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"error": "invalid request"})
		return
	}
	v.recordCall("upload."+kind, params, files)
	if f, ok := v.fails.take("upload." + kind); ok && v.injected(w, r, "upload."+kind, f) {
		return
	}
	field := "file"
	if kind == "photo" {
		field = "photo"
	}
	var got *File
	for i := range files {
		if files[i].Field == field {
			got = &files[i]
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if kind == "photo" {
		if got == nil {
			// VK's photo upload server answers an empty list rather than an error.
			writeJSON(w, http.StatusOK, map[string]any{"server": 854321, "photo": "[]", "hash": "e3b0c44298fc1c149afbf4c8996fb924"})
			return
		}
		v.nextUp++
		tok := fmt.Sprintf(`[{"markers_restarted":true,"photo":"fakephoto%d:w","sizes":[],"latitude":0,"longitude":0,"kid":"k%d"}]`, v.nextUp, v.nextUp)
		v.uploads[tok] = *got
		writeJSON(w, http.StatusOK, map[string]any{"server": 854321, "photo": tok, "hash": fmt.Sprintf("hash%d", v.nextUp)})
		return
	}
	if got == nil {
		writeJSON(w, http.StatusOK, map[string]any{"error": "file not uploaded", "error_descr": "no file"})
		return
	}
	v.nextUp++
	tok := fmt.Sprintf("%d|0|0|%s|fakefile%d|%s", v.groupID, r.URL.Query().Get("type"), v.nextUp, got.Name)
	v.uploads[tok] = *got
	writeJSON(w, http.StatusOK, map[string]any{"file": tok})
}

func (v *VK) savePhoto(w http.ResponseWriter, p map[string]string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.uploads[p["photo"]]; !ok || p["hash"] == "" || p["server"] == "" {
		vkErr(w, 100, "One of the parameters specified was missing or invalid: photos_list is invalid", "photos.saveMessagesPhoto")
		return
	}
	delete(v.uploads, p["photo"]) // an upload can be saved once
	v.nextDocID++
	id := v.nextDocID
	vkOK(w, []any{map[string]any{"album_id": -3, "date": v.now().Unix(), "id": id, "owner_id": -v.groupID, "access_key": fmt.Sprintf("ak%d", id),
		"sizes": []any{map[string]any{"height": 75, "type": "s", "width": 75, "url": fmt.Sprintf("%s/doc/%d?size=s", v.srv.URL, id)}}, "text": "", "has_tags": false}})
}

func (v *VK) saveDoc(w http.ResponseWriter, p map[string]string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	f, ok := v.uploads[p["file"]]
	if !ok {
		vkErr(w, 100, "One of the parameters specified was missing or invalid: file is invalid", "docs.save")
		return
	}
	delete(v.uploads, p["file"])
	v.nextDocID++
	id := v.nextDocID
	v.docs[id] = f
	url := fmt.Sprintf("%s/doc/%d", v.srv.URL, id)
	if strings.Contains(p["file"], "|audio_message|") {
		vkOK(w, map[string]any{"type": "audio_message", "audio_message": map[string]any{"duration": 3, "id": id, "link_mp3": url + ".mp3", "link_ogg": url, "owner_id": -v.groupID, "access_key": fmt.Sprintf("ak%d", id), "waveform": []int{0, 3, 7, 12, 7, 3, 0}}})
		return
	}
	title := p["title"]
	if title == "" {
		title = f.Name
	}
	ext := ""
	if i := strings.LastIndex(title, "."); i >= 0 {
		ext = title[i+1:]
	}
	vkOK(w, map[string]any{"type": "doc", "doc": map[string]any{"id": id, "owner_id": -v.groupID, "title": title, "size": len(f.Data), "ext": ext, "date": v.now().Unix(), "type": 8, "url": url, "access_key": fmt.Sprintf("ak%d", id)}})
}

// AddDoc stores bytes downloadable at the returned URL, as VK's document links are.
func (v *VK) AddDoc(name string, data []byte) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.nextDocID++
	v.docs[v.nextDocID] = File{Name: name, Data: data}
	return fmt.Sprintf("%s/doc/%d", v.srv.URL, v.nextDocID)
}

func (v *VK) serveDoc(w http.ResponseWriter, r *http.Request) {
	idStr := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/doc/"), ".mp3")
	id, _ := strconv.ParseInt(idStr, 10, 64)
	v.recordCall("doc", map[string]string{"id": idStr}, nil)
	if f, ok := v.fails.take("doc"); ok && v.injected(w, r, "doc", f) {
		return
	}
	v.mu.Lock()
	f, ok := v.docs[id]
	v.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(f.Data)
}

func (v *VK) serveLongPoll(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v.recordCall("a_check", map[string]string{"act": q.Get("act"), "ts": q.Get("ts"), "wait": q.Get("wait"), "key_ok": strconv.FormatBool(q.Get("key") == v.currentKey())}, nil)
	if f, ok := v.fails.take("a_check"); ok && v.injected(w, r, "a_check", f) {
		return
	}
	if q.Get("act") != "a_check" {
		writeJSON(w, http.StatusOK, map[string]any{"failed": 2})
		return
	}
	if q.Get("key") != v.currentKey() {
		writeJSON(w, http.StatusOK, map[string]any{"failed": 2})
		return
	}
	ts, err := strconv.ParseInt(q.Get("ts"), 10, 64)
	wait, _ := strconv.Atoi(q.Get("wait"))
	if wait > vkMaxWait {
		wait = vkMaxWait
	}
	if wait < 0 {
		wait = 0
	}
	v.mu.Lock()
	if err != nil || ts < v.firstTS || ts > v.nextTS {
		body := map[string]any{"failed": 1, "ts": v.nextTS}
		v.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
		return
	}
	v.mu.Unlock()
	deadline := time.NewTimer(time.Duration(wait) * time.Second)
	defer deadline.Stop()
	for {
		woken := v.wake.wait()
		v.mu.Lock()
		var out []json.RawMessage
		next := ts
		for _, e := range v.events {
			if e.ts >= ts {
				out = append(out, e.raw)
				next = e.ts + 1
			}
		}
		v.mu.Unlock()
		if len(out) > 0 || wait == 0 {
			if out == nil {
				out = []json.RawMessage{}
			}
			writeJSON(w, http.StatusOK, map[string]any{"ts": strconv.FormatInt(next, 10), "updates": out})
			return
		}
		select {
		case <-woken:
		case <-deadline.C:
			writeJSON(w, http.StatusOK, map[string]any{"ts": strconv.FormatInt(ts, 10), "updates": []any{}})
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (v *VK) currentKey() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.key
}
