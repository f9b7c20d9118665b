package channel

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// UserAgent names Switchboard to the messengers' servers on every request.
const UserAgent = "Switchboard"

// The connectors' requests are these three shapes, sent straight through net/http (an HTTP
// client library would add a megabyte to the desktop binary for what these few lines do).
// The caller reads and closes the response body; a transport failure is net/http's *url.Error.

// Get fetches rawURL with query added to whatever query it already has.
func Get(ctx context.Context, hc *http.Client, rawURL string, query map[string]string) (*http.Response, error) {
	if len(query) > 0 {
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, err
		}
		q := make(url.Values, len(query))
		for k, v := range query {
			q.Set(k, v)
		}
		if u.RawQuery == "" {
			u.RawQuery = q.Encode()
		} else {
			u.RawQuery += "&" + q.Encode()
		}
		rawURL = u.String()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	return do(hc, req)
}

// PostForm posts form as application/x-www-form-urlencoded.
func PostForm(ctx context.Context, hc *http.Client, rawURL string, form map[string]string) (*http.Response, error) {
	values := make(url.Values, len(form))
	for k, v := range form {
		values.Set(k, v)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, strings.NewReader(values.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(hc, req)
}

// FilePart is the file of a multipart upload: Size bytes of Body under the form field Field.
type FilePart struct {
	Field, FileName, MIME string
	Body                  io.ReaderAt
	Size                  int64
}

// PostMultipart posts fields and file as multipart/form-data. The file is streamed from its
// ReaderAt rather than copied into memory (a 50 MB video would otherwise be held whole), and
// the body's length is known up front, so the request carries Content-Length and net/http can
// rewind it to retry on a connection that turned out to be closed.
func PostMultipart(ctx context.Context, hc *http.Client, rawURL string, fields map[string]string, file FilePart) (*http.Response, error) {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			return nil, err
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", multipart.FileContentDisposition(file.Field, file.FileName))
	h.Set("Content-Type", file.MIME)
	if _, err := w.CreatePart(h); err != nil {
		return nil, err
	}
	prefix := bytes.Clone(head.Bytes())
	head.Reset()
	if err := w.Close(); err != nil { // the closing boundary
		return nil, err
	}
	suffix := head.Bytes()
	body := func() io.Reader {
		return io.MultiReader(bytes.NewReader(prefix), io.NewSectionReader(file.Body, 0, file.Size), bytes.NewReader(suffix))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, body())
	if err != nil {
		return nil, err
	}
	req.ContentLength = int64(len(prefix)) + file.Size + int64(len(suffix))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(body()), nil }
	req.Header.Set("Content-Type", w.FormDataContentType())
	return do(hc, req)
}

func do(hc *http.Client, req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", UserAgent)
	if hc == nil {
		hc = http.DefaultClient
	}
	return hc.Do(req)
}
