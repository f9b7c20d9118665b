// Package fakeapi holds httptest servers that answer like the Telegram Bot API and the VK API
// for the subset Switchboard uses: same URLs, JSON envelopes, status codes and error strings.
// Connector tests, engine tests and `make bench` point a real client at them, so they are
// ordinary (non-test) code with programmable state: queued updates, recorded calls and
// uploads, and injectable failures.
package fakeapi

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Cleaner is what testing.TB offers to close a fake when the test ends. Pass nil outside
// tests and call Close yourself (the package does not import testing).
type Cleaner interface{ Cleanup(func()) }

// File is one uploaded multipart file as the fake received it.
type File struct {
	Field       string // multipart field name: photo, document, voice, file…
	Name        string
	ContentType string
	Data        []byte
}

// Call is one API request the fake received. Params merge the query, urlencoded/multipart form
// values and JSON body fields; the token is never among them.
type Call struct {
	Method string
	Params map[string]string
	Files  []File
	At     time.Time
}

// callLog records the requests a fake server received; both fakes embed it, so tests read
// Calls and CallsTo the same way on either.
type callLog struct {
	mu    sync.Mutex
	calls []Call
}

func (l *callLog) record(c Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
}

// Calls returns every request received so far, oldest first.
func (l *callLog) Calls() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Call(nil), l.calls...)
}

// CallsTo returns the requests of one method.
func (l *callLog) CallsTo(method string) []Call {
	var out []Call
	for _, c := range l.Calls() {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// FailKind is an injectable failure.
type FailKind int

const (
	FailRateLimit    FailKind = iota + 1 // Telegram 429 with retry_after; VK error 6
	FailConflict                         // Telegram 409 terminated by other getUpdates
	FailWebhook                          // Telegram 409 webhook is active
	FailUnauthorized                     // Telegram 401; VK error 5
	FailServerError                      // HTTP 500 (Telegram JSON envelope) / VK 502 HTML
	FailBadGateway                       // HTTP 502 with an nginx HTML page, as proxies answer
	FailMalformed                        // HTTP 200 with a truncated JSON body
	FailDelay                            // answer normally after Delay (to test client timeouts)
	FailVKError                          // VK error envelope with Code and Message
	FailLongPoll                         // VK long poll {"failed":Code}
)

// Failure describes what to answer instead of the normal response.
type Failure struct {
	Kind       FailKind
	RetryAfter int           // seconds, for FailRateLimit (Telegram)
	Delay      time.Duration // for FailDelay
	Code       int           // VK error code (FailVKError) or long-poll failed value (FailLongPoll)
	Message    string        // VK error_msg (FailVKError); empty picks the real text for Code
}

type pendingFailure struct {
	method string // "" = any method
	left   int
	f      Failure
}

// failures is a FIFO of injected failures, consumed one call at a time.
type failures struct {
	mu    sync.Mutex
	queue []*pendingFailure
}

func (q *failures) add(method string, n int, f Failure) {
	if n <= 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, &pendingFailure{method: method, left: n, f: f})
}

// take returns the failure that applies to this call of method, if any, and consumes it.
func (q *failures) take(method string) (Failure, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.queue {
		if p.method != "" && p.method != method {
			continue
		}
		p.left--
		if p.left <= 0 {
			q.queue = append(q.queue[:i], q.queue[i+1:]...)
		}
		return p.f, true
	}
	return Failure{}, false
}

// readParams merges query, form (urlencoded or multipart) and JSON body fields into one map
// and returns the uploaded files. Nested JSON values are kept as their JSON text, as the Bot API
// accepts JSON-serialised objects in form fields.
func readParams(r *http.Request, maxMemory int64) (map[string]string, []File, error) {
	params := map[string]string{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	var files []File
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, nil, err
		}
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, err
		}
		for k, v := range vals {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxMemory); err != nil {
			return nil, nil, err
		}
		for k, v := range r.MultipartForm.Value {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
		for field, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				f, err := fh.Open()
				if err != nil {
					return nil, nil, err
				}
				data, err := io.ReadAll(f)
				f.Close()
				if err != nil {
					return nil, nil, err
				}
				files = append(files, File{Field: field, Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
			}
		}
	case "application/json":
		var obj map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&obj); err != nil {
			return nil, nil, err
		}
		for k, raw := range obj {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				params[k] = s
			} else {
				params[k] = string(raw)
			}
		}
	}
	return params, files, nil
}

// broadcast wakes every long-poll waiter when updates arrive: waiters grab the current channel
// and wait on it; notify closes it and installs a fresh one.
type broadcast struct {
	mu sync.Mutex
	ch chan struct{}
}

func (b *broadcast) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

func (b *broadcast) notify() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
	}
	b.ch = make(chan struct{})
}

// sleepCtx waits d or until the request is gone.
func sleepCtx(r *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

const badGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

func writeBadGateway(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	io.WriteString(w, badGatewayHTML)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func cloneParams(p map[string]string) map[string]string {
	out := make(map[string]string, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
