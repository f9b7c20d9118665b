// Package telegram is Switchboard's Telegram Bot API connector: a net/http client for the
// methods the inbox uses, the wire types, and the mapping of updates to core types.
//
// The token is part of every Bot API URL (/bot<token>/method), so every error leaving this
// package is scrubbed of it: transport errors are rebuilt without the URL and any remaining
// occurrence of the token is replaced.
package telegram

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// DefaultAPIURL is the public Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// AllowedUpdates are the update types Poll asks for. message_reaction must be listed
// explicitly or Telegram never sends reactions.
var AllowedUpdates = []string{"message", "edited_message", "my_chat_member", "message_reaction", "message_reaction_count", "callback_query"}

// Config configures a Client. Only Token is required.
type Config struct {
	Token string
	// APIURL is the Bot API server root: empty for api.telegram.org, or a self-hosted
	// telegram-bot-api server (tests point it at fakeapi).
	APIURL     string
	HTTPClient *http.Client
	// PollTimeout is getUpdates' long-poll timeout (default 50 s, the server's maximum).
	PollTimeout time.Duration
	// RequestTimeout bounds ordinary calls (default 30 s); uploads get UploadTimeout
	// (default 5 min) and the long poll gets PollTimeout plus RequestTimeout.
	RequestTimeout time.Duration
	UploadTimeout  time.Duration
	Logger         *slog.Logger
}

// Client is one bot. It implements channel.Connector and is safe for concurrent use.
type Client struct {
	token          string
	api            string
	http           *http.Client
	pollTimeout    time.Duration
	requestTimeout time.Duration
	uploadTimeout  time.Duration
	log            *slog.Logger
}

var _ channel.Connector = (*Client)(nil)

// New builds a client; it does no I/O.
func New(cfg Config) *Client {
	c := &Client{
		token:          cfg.Token,
		api:            strings.TrimRight(cfg.APIURL, "/"),
		pollTimeout:    cfg.PollTimeout,
		requestTimeout: cfg.RequestTimeout,
		uploadTimeout:  cfg.UploadTimeout,
		log:            cfg.Logger,
	}
	if c.api == "" {
		c.api = DefaultAPIURL
	}
	if c.pollTimeout <= 0 {
		c.pollTimeout = 50 * time.Second
	}
	if c.requestTimeout <= 0 {
		c.requestTimeout = 30 * time.Second
	}
	if c.uploadTimeout <= 0 {
		c.uploadTimeout = 5 * time.Minute
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	c.log = c.log.With("connector", "telegram")
	if err := channel.CheckAPIURL(c.api); err != nil {
		c.log.Warn("the Bot API server address is unsafe; the token travels to it", "err", err)
	}
	c.http = channel.NoRedirects(cfg.HTTPClient)
	return c
}

func (c *Client) methodURL(method string) string { return c.api + "/bot" + c.token + "/" + method }

// redact removes the token from s.
func (c *Client) redact(s string) string {
	if c.token == "" {
		return s
	}
	s = strings.ReplaceAll(s, c.token, "<token>")
	// Also the URL-escaped form, as url.Error may print it.
	if esc := url.PathEscape(c.token); esc != c.token {
		s = strings.ReplaceAll(s, esc, "<token>")
	}
	return s
}

// transportError classifies a failure to get any HTTP answer. The caller's own cancellation
// is returned as is (the supervisor is stopping, not backing off); everything else is
// ErrTemporary with the URL dropped, since it holds the token.
func (c *Client) transportError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("telegram %s: %w", op, ctx.Err())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	desc := c.redact(err.Error())
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		desc = "timeout: " + desc
	}
	reason := channel.ReasonUnreachable
	if isTLSFailure(err) {
		reason = channel.ReasonTLS
	}
	return fmt.Errorf("telegram %s: %w", op, &channel.APIError{Class: channel.ErrTemporary, Description: desc, Reason: reason})
}

// isTLSFailure: the server was reached but TLS failed (a bad or self-signed certificate, a
// plain-HTTP server on an https:// address), which no waiting fixes by itself.
func isTLSFailure(err error) bool {
	var (
		unknown   x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		recordHdr tls.RecordHeaderError
		alert     tls.AlertError
	)
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verify) || errors.As(err, &recordHdr) || errors.As(err, &alert)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// call performs one Bot API method with form params (multipart with file when there is one)
// and decodes result into out. It classifies every failure.
func (c *Client) call(ctx context.Context, method string, params map[string]string, timeout time.Duration, out any, file *channel.FilePart) error {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var resp *http.Response
	var err error
	if file != nil {
		resp, err = channel.PostMultipart(rctx, c.http, c.methodURL(method), params, *file)
	} else {
		resp, err = channel.PostForm(rctx, c.http, c.methodURL(method), params)
	}
	if err != nil {
		return c.transportError(ctx, method, err)
	}
	body := resp.Body
	defer body.Close()
	// Bot API answers are small; the cap keeps a broken proxy from filling memory.
	data, err := io.ReadAll(io.LimitReader(body, 16<<20))
	if err != nil {
		return c.transportError(ctx, method, err)
	}
	return c.decode(method, resp.StatusCode, data, out)
}

func (c *Client) decode(method string, status int, data []byte, out any) error {
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil || (!env.OK && env.ErrorCode == 0 && env.Description == "") {
		return fmt.Errorf("telegram %s: %w", method, c.notAnEnvelope(status, data))
	}
	if !env.OK {
		ae := envelopeError(status, env)
		ae.Description = c.redact(ae.Description)
		return fmt.Errorf("telegram %s: %w", method, ae)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("telegram %s: %w", method, &channel.APIError{Class: channel.ErrTemporary, Code: status, Description: "malformed result: " + c.redact(err.Error())})
	}
	return nil
}

// Check validates the token with getMe and reports whether a webhook blocks polling.
// AvatarURL stays empty: a Bot API file URL embeds the token, so it must never be stored;
// use DownloadAvatar to cache the picture locally instead.
func (c *Client) Check(ctx context.Context) (core.BotInfo, error) {
	var me user
	if err := c.call(ctx, "getMe", nil, c.requestTimeout, &me, nil); err != nil {
		return core.BotInfo{}, err
	}
	info := core.BotInfo{ExternalID: strconv.FormatInt(me.ID, 10), Name: fullName(me.FirstName, me.LastName), Username: me.Username}
	var wh webhookInfo
	if err := c.call(ctx, "getWebhookInfo", nil, c.requestTimeout, &wh, nil); err != nil {
		return core.BotInfo{}, err
	}
	info.Webhook = wh.URL != ""
	return info, nil
}

// DeleteWebhook removes the bot's webhook (keeping pending updates) so getUpdates works.
func (c *Client) DeleteWebhook(ctx context.Context) error {
	return c.call(ctx, "deleteWebhook", map[string]string{"drop_pending_updates": "false"}, c.requestTimeout, nil, nil)
}

// Poll long-polls getUpdates once from cursor (the next offset; "" = from the oldest pending).
// It does not acknowledge: the offset in the returned cursor confirms the batch only when the
// next Poll sends it.
func (c *Client) Poll(ctx context.Context, cursor string) (core.Batch, error) {
	allowed, _ := json.Marshal(AllowedUpdates)
	secs := int(c.pollTimeout / time.Second)
	params := map[string]string{
		"timeout":         strconv.Itoa(secs),
		"limit":           "100",
		"allowed_updates": string(allowed),
	}
	if cursor != "" {
		if _, err := strconv.ParseInt(cursor, 10, 64); err != nil {
			return core.Batch{Cursor: cursor}, fmt.Errorf("telegram getUpdates: bad cursor %q: %w", cursor, &channel.APIError{Class: channel.ErrPermanent, Description: "cursor is not an offset"})
		}
		params["offset"] = cursor
	}
	rctx, cancel := context.WithTimeout(ctx, c.pollTimeout+c.requestTimeout)
	defer cancel()
	resp, err := channel.PostForm(rctx, c.http, c.methodURL("getUpdates"), params)
	if err != nil {
		return core.Batch{Cursor: cursor}, c.transportError(ctx, "getUpdates", err)
	}
	body := resp.Body
	defer body.Close()
	data, err := readAll(body, resp.ContentLength, 64<<20)
	if err != nil {
		return core.Batch{Cursor: cursor}, c.transportError(ctx, "getUpdates", err)
	}
	batch, err := ParseUpdates(data, cursor)
	if err != nil {
		var env envelope
		if json.Unmarshal(data, &env) != nil || (!env.OK && env.ErrorCode == 0 && env.Description == "") {
			return batch, fmt.Errorf("telegram getUpdates: %w", c.notAnEnvelope(resp.StatusCode, data))
		}
		var ae *channel.APIError
		if errors.As(err, &ae) {
			ae.Description = c.redact(ae.Description)
		}
		return batch, fmt.Errorf("telegram getUpdates: %w", err)
	}
	if n := len(batch.Updates); n > 0 {
		c.log.Debug("polled", "updates", n, "cursor", batch.Cursor)
	}
	return batch, nil
}

// notAnEnvelope classifies an HTTP answer that is not a Bot API envelope: an error page (5xx:
// "the server answered HTTP 500: <its words>") or something that is not a Bot API server at all.
func (c *Client) notAnEnvelope(status int, body []byte) *channel.APIError {
	words := c.redact(channel.ServerWords(body))
	e := &channel.APIError{Class: channel.ErrTemporary, Code: status, Reason: channel.ReasonNotBotAPI,
		Description: fmt.Sprintf("HTTP %d, not a Bot API answer", status)}
	if status >= 500 {
		e.Reason = channel.ReasonServerError
		e.Description = fmt.Sprintf("HTTP %d", status)
	}
	if words != "" {
		e.Description += ": " + words
	}
	return e
}

// secondsDuration is a server's retry_after, bounded (channel.MaxRetryAfter) before it can
// overflow a Duration.
func secondsDuration(s int) time.Duration {
	return time.Duration(min(s, int(channel.MaxRetryAfter/time.Second))) * time.Second
}

// readAll reads a body of at most limit bytes. When the server said how long it is (the Bot
// API does) the buffer is allocated once at that size; io.ReadAll starts at 512 bytes and
// copies a 30 KB getUpdates answer through seven growing buffers.
func readAll(r io.Reader, length, limit int64) ([]byte, error) {
	if length <= 0 || length > limit {
		return io.ReadAll(io.LimitReader(r, limit))
	}
	buf := bytes.NewBuffer(make([]byte, 0, length+bytes.MinRead)) // MinRead: room to read EOF
	_, err := buf.ReadFrom(io.LimitReader(r, limit))
	return buf.Bytes(), err
}
