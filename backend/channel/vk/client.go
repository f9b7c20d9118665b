// Package vk is Switchboard's VK community connector: API calls (version 5.199) through net/http,
// Bots Long Poll, uploads, and the mapping of events to core types.
//
// The community token travels in the POST body, never in a URL, and every error leaving this
// package is scrubbed of it and of the long-poll key.
package vk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

const (
	// DefaultAPIURL is VK's method root.
	DefaultAPIURL = "https://api.vk.com/method"
	// APIVersion is the VK API version every call asks for.
	APIVersion = "5.199"
)

// Config configures a Client. Token is a community token with messages (and photos, docs)
// rights; GroupID may be empty, then Check learns it from the token.
type Config struct {
	Token      string
	GroupID    string
	APIURL     string
	HTTPClient *http.Client
	// Wait is the long poll's wait (default 25 s; VK allows up to 90).
	Wait time.Duration
	// RequestTimeout bounds ordinary calls (default 30 s); uploads and downloads get
	// UploadTimeout (default 5 min).
	RequestTimeout time.Duration
	UploadTimeout  time.Duration
	// DownloadLimit caps Download (default 200 MB, VK's document limit).
	DownloadLimit int64
	Logger        *slog.Logger
}

// Client is one VK community. It implements channel.Connector and is safe for concurrent use.
type Client struct {
	token          string
	api            string
	http           *http.Client
	download       *http.Client // for files only: follows redirects within VK's file hosts
	wait           time.Duration
	requestTimeout time.Duration
	uploadTimeout  time.Duration
	downloadLimit  int64
	log            *slog.Logger

	mu      sync.Mutex
	groupID string
	lp      *longPollServer // cached Bots Long Poll server; nil = ask again
	names   map[int64]core.Sender
	uploads map[string]string // local file (path, size, mtime) -> attachment handle
}

var _ channel.Connector = (*Client)(nil)

// New builds a client; it does no I/O.
func New(cfg Config) *Client {
	c := &Client{
		token:          cfg.Token,
		groupID:        strings.TrimPrefix(cfg.GroupID, "-"),
		api:            strings.TrimRight(cfg.APIURL, "/"),
		wait:           cfg.Wait,
		requestTimeout: cfg.RequestTimeout,
		uploadTimeout:  cfg.UploadTimeout,
		downloadLimit:  cfg.DownloadLimit,
		log:            cfg.Logger,
		names:          map[int64]core.Sender{},
		uploads:        map[string]string{},
	}
	if c.api == "" {
		c.api = DefaultAPIURL
	}
	if c.wait <= 0 {
		c.wait = 25 * time.Second
	}
	if c.requestTimeout <= 0 {
		c.requestTimeout = 30 * time.Second
	}
	if c.uploadTimeout <= 0 {
		c.uploadTimeout = 5 * time.Minute
	}
	if c.downloadLimit <= 0 {
		c.downloadLimit = 200 << 20
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	c.log = c.log.With("connector", "vk")
	c.http = channel.NoRedirects(cfg.HTTPClient)
	// Downloads carry no token, and VK's document links redirect to its file servers: those
	// redirects are followed, but only to VK's file hosts (isFileHost), never elsewhere.
	dl := channel.NoRedirects(cfg.HTTPClient)
	dl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 || !c.isFileHost(req.URL.String()) {
			return http.ErrUseLastResponse
		}
		return nil
	}
	c.download = dl
	return c
}

// GroupID is the community's id (known after Check when not configured).
func (c *Client) GroupID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.groupID
}

// redact removes the token and the long-poll key from s.
func (c *Client) redact(s string) string {
	if c.token != "" {
		s = strings.ReplaceAll(s, c.token, "<token>")
		s = strings.ReplaceAll(s, url.QueryEscape(c.token), "<token>")
	}
	c.mu.Lock()
	lp := c.lp
	c.mu.Unlock()
	if lp != nil && lp.Key != "" {
		s = strings.ReplaceAll(s, lp.Key, "<key>")
	}
	return s
}

func (c *Client) transportError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("vk %s: %w", op, ctx.Err())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	desc := c.redact(err.Error())
	var t interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &t) && t.Timeout()) {
		desc = "timeout: " + desc
	}
	return fmt.Errorf("vk %s: %w", op, &channel.APIError{Class: channel.ErrTemporary, Description: desc})
}

// classify maps a VK error code to an error class.
func classify(code int, msg string) *channel.APIError {
	e := &channel.APIError{Code: code, Description: msg}
	if e.Description == "" {
		e.Description = fmt.Sprintf("VK error %d", code)
	}
	switch code {
	case 5:
		e.Class = channel.ErrUnauthorized
	case 6: // too many requests per second
		e.Class, e.RetryAfter = channel.ErrRateLimited, time.Second
	case 9: // flood control: same action repeated too often
		e.Class, e.RetryAfter = channel.ErrRateLimited, 30*time.Second
	case 29: // the method's daily quota
		e.Class, e.RetryAfter = channel.ErrRateLimited, 10*time.Minute
	case 1, 10:
		e.Class = channel.ErrTemporary
	default:
		e.Class = channel.ErrPermanent
		switch code {
		case 7, 900, 901, 902: // no permission; blacklisted; messages not allowed; privacy
			e.Reason = core.FailBlocked
		case 914: // message is too long
			e.Reason = core.FailTooLong
		case 909: // can't edit: too late or not ours
			e.Reason = core.FailNotEditable
		case 924: // can't delete for everybody
			e.Reason = core.FailDeleteWindow
		}
	}
	return e
}

// httpStatusError classifies an answer that is not VK JSON: 5xx and proxies' pages are
// temporary, 4xx permanent.
func httpStatusError(status int) *channel.APIError {
	class := channel.ErrTemporary
	if status >= 400 && status < 500 && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout {
		class = channel.ErrPermanent
	}
	return &channel.APIError{Class: class, Code: status, Description: fmt.Sprintf("HTTP %d", status)}
}

// call runs one API method (POST form with access_token and v) and decodes response into out.
func (c *Client) call(ctx context.Context, method string, params map[string]string, out any) error {
	form := map[string]string{"access_token": c.token, "v": APIVersion}
	for k, v := range params {
		form[k] = v
	}
	rctx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	resp, err := channel.PostForm(rctx, c.http, c.api+"/"+method, form)
	if err != nil {
		return c.transportError(ctx, method, err)
	}
	body := resp.Body
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, 16<<20))
	if err != nil {
		return c.transportError(ctx, method, err)
	}
	var env apiEnvelope
	if err := json.Unmarshal(data, &env); err != nil {
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("vk %s: %w", method, httpStatusError(resp.StatusCode))
		}
		return fmt.Errorf("vk %s: %w", method, &channel.APIError{Class: channel.ErrTemporary, Code: resp.StatusCode, Description: "malformed response: " + err.Error()})
	}
	if env.Error != nil {
		e := classify(env.Error.ErrorCode, c.redact(env.Error.ErrorMsg))
		return fmt.Errorf("vk %s: %w", method, e)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("vk %s: %w", method, httpStatusError(resp.StatusCode))
	}
	if out == nil {
		return nil
	}
	if len(env.Response) == 0 {
		return fmt.Errorf("vk %s: %w", method, &channel.APIError{Class: channel.ErrTemporary, Description: "no response in answer"})
	}
	if err := json.Unmarshal(env.Response, out); err != nil {
		return fmt.Errorf("vk %s: %w", method, &channel.APIError{Class: channel.ErrTemporary, Description: "malformed response: " + err.Error()})
	}
	return nil
}

// Check validates the token with groups.getById and returns the community. Without a
// configured GroupID, the token's own community is used.
func (c *Client) Check(ctx context.Context) (core.BotInfo, error) {
	params := map[string]string{"fields": "photo_200,screen_name"}
	if gid := c.GroupID(); gid != "" {
		params["group_id"] = gid
	}
	var raw json.RawMessage
	if err := c.call(ctx, "groups.getById", params, &raw); err != nil {
		return core.BotInfo{}, err
	}
	// 5.194+ answers {"groups":[…],"profiles":[…]}; older versions a bare array.
	var groups []group
	var wrapped struct {
		Groups []group `json:"groups"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && wrapped.Groups != nil {
		groups = wrapped.Groups
	} else if err := json.Unmarshal(raw, &groups); err != nil {
		return core.BotInfo{}, fmt.Errorf("vk groups.getById: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "malformed response"})
	}
	if len(groups) == 0 {
		return core.BotInfo{}, fmt.Errorf("vk groups.getById: %w", &channel.APIError{Class: channel.ErrPermanent, Description: "no community for this token"})
	}
	g := groups[0]
	id := strconv.FormatInt(g.ID, 10)
	c.mu.Lock()
	if c.groupID == "" {
		c.groupID = id
	}
	c.mu.Unlock()
	return core.BotInfo{ExternalID: id, Name: g.Name, Username: g.ScreenName, AvatarURL: g.Photo200}, nil
}

func (c *Client) needGroup(ctx context.Context) (string, error) {
	if gid := c.GroupID(); gid != "" {
		return gid, nil
	}
	if _, err := c.Check(ctx); err != nil {
		return "", err
	}
	return c.GroupID(), nil
}

// longPollServer returns the cached server, asking groups.getLongPollServer when there is none.
func (c *Client) longPollServer(ctx context.Context) (longPollServer, error) {
	c.mu.Lock()
	if c.lp != nil {
		lp := *c.lp
		c.mu.Unlock()
		return lp, nil
	}
	c.mu.Unlock()
	gid, err := c.needGroup(ctx)
	if err != nil {
		return longPollServer{}, err
	}
	var lp longPollServer
	if err := c.call(ctx, "groups.getLongPollServer", map[string]string{"group_id": gid}, &lp); err != nil {
		return longPollServer{}, err
	}
	if lp.Server == "" || lp.Key == "" {
		return longPollServer{}, fmt.Errorf("vk groups.getLongPollServer: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "no server or key in answer"})
	}
	if !strings.Contains(lp.Server, "://") {
		lp.Server = "https://" + lp.Server
	}
	c.mu.Lock()
	c.lp = &lp
	c.mu.Unlock()
	return lp, nil
}

func (c *Client) dropLongPollServer() {
	c.mu.Lock()
	c.lp = nil
	c.mu.Unlock()
}

// cursor is what Poll hands out: the long poll's ts, as JSON for room to grow.
type cursor struct {
	TS string `json:"ts"`
}

func decodeCursor(s string) string {
	if s == "" {
		return ""
	}
	var cur cursor
	if json.Unmarshal([]byte(s), &cur) == nil {
		return cur.TS
	}
	return s // a bare ts
}

func encodeCursor(ts string) string {
	b, _ := json.Marshal(cursor{TS: ts})
	return string(b)
}

// Poll long-polls once from cursor ("" = from now). failed 2 (key expired) is handled inside
// by asking for a new key and polling again; failed 1 and 3 return an empty batch whose
// cursor carries the new ts (VK lost the events in between; nothing can bring them back).
func (c *Client) Poll(ctx context.Context, cur string) (core.Batch, error) {
	ts := decodeCursor(cur)
	for attempt := 0; attempt < 3; attempt++ {
		lp, err := c.longPollServer(ctx)
		if err != nil {
			return core.Batch{Cursor: cur}, err
		}
		if ts == "" {
			ts = string(lp.TS)
		}
		res, err := c.check(ctx, lp, ts)
		if err != nil {
			return core.Batch{Cursor: cur}, err
		}
		switch res.Failed {
		case 0:
			if res.TS == "" {
				res.TS = ts
			}
			c.fillNames(ctx, res.Updates)
			now := time.Now().UnixMilli()
			for i := range res.Updates {
				if res.Updates[i].At == 0 {
					res.Updates[i].At = now // allow/deny/typing carry no date
				}
			}
			return core.Batch{Updates: res.Updates, Cursor: encodeCursor(res.TS)}, nil
		case 1:
			c.log.Warn("long poll history lost; continuing from the server's ts")
			return core.Batch{Cursor: encodeCursor(res.TS)}, nil
		case 2:
			c.dropLongPollServer()
			continue
		case 3:
			c.dropLongPollServer()
			lp, err := c.longPollServer(ctx)
			if err != nil {
				return core.Batch{Cursor: cur}, err
			}
			c.log.Warn("long poll session expired; continuing from the new ts")
			return core.Batch{Cursor: encodeCursor(string(lp.TS))}, nil
		default:
			return core.Batch{Cursor: cur}, fmt.Errorf("vk long poll: %w", &channel.APIError{Class: channel.ErrPermanent, Code: res.Failed, Description: fmt.Sprintf("long poll failed %d", res.Failed)})
		}
	}
	return core.Batch{Cursor: cur}, fmt.Errorf("vk long poll: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "long poll key keeps expiring"})
}

func (c *Client) check(ctx context.Context, lp longPollServer, ts string) (PollResult, error) {
	rctx, cancel := context.WithTimeout(ctx, c.wait+c.requestTimeout)
	defer cancel()
	resp, err := channel.Get(rctx, c.http, lp.Server, map[string]string{
		"act": "a_check", "key": lp.Key, "ts": ts, "wait": strconv.Itoa(int(c.wait / time.Second)),
	})
	if err != nil {
		return PollResult{}, c.transportError(ctx, "long poll", err)
	}
	body := resp.Body
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, 64<<20))
	if err != nil {
		return PollResult{}, c.transportError(ctx, "long poll", err)
	}
	if resp.StatusCode != http.StatusOK {
		return PollResult{}, fmt.Errorf("vk long poll: %w", httpStatusError(resp.StatusCode))
	}
	res, err := ParseUpdates(data)
	if err != nil {
		return PollResult{}, fmt.Errorf("vk long poll: %w", err)
	}
	return res, nil
}

// fillNames puts users' names on updates (long-poll events carry only ids). It is best
// effort: without names the inbox shows ids, and a failure here must not lose the batch.
func (c *Client) fillNames(ctx context.Context, ups []core.Update) {
	var missing []string
	seen := map[int64]bool{}
	c.mu.Lock()
	for _, u := range ups {
		id, err := strconv.ParseInt(u.From.ExternalUserID, 10, 64)
		if err != nil || id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		if _, ok := c.names[id]; !ok {
			missing = append(missing, strconv.FormatInt(id, 10))
		}
	}
	c.mu.Unlock()
	if len(missing) > 0 {
		var users []vkUser
		err := c.call(ctx, "users.get", map[string]string{"user_ids": strings.Join(missing, ","), "fields": "screen_name"}, &users)
		if err != nil {
			c.log.Debug("users.get failed; names stay empty", "err", err)
		}
		c.mu.Lock()
		if len(c.names) > 10000 {
			c.names = map[int64]core.Sender{} // a simple bound; names are cheap to ask again
		}
		for _, u := range users {
			c.names[u.ID] = core.Sender{ExternalUserID: strconv.FormatInt(u.ID, 10), Name: strings.TrimSpace(u.FirstName + " " + u.LastName), Username: u.ScreenName}
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range ups {
		id, _ := strconv.ParseInt(ups[i].From.ExternalUserID, 10, 64)
		if s, ok := c.names[id]; ok {
			ups[i].From.Name, ups[i].From.Username = s.Name, s.Username
		}
	}
}
