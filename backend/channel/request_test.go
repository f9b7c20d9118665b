package channel

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The multipart body is streamed from the file with its length announced: the server must get
// every field and the file's exact bytes, a Content-Length equal to what it read, and a
// GetBody that yields the same body again (net/http uses it to resend on a closed connection).
func TestPostMultipartStreamsFileWithLength(t *testing.T) {
	content := strings.Repeat("voice\x00bytes\r\n--not-a-boundary\r\n", 5000)
	path := filepath.Join(t.TempDir(), "note.ogg")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var gotLength, readLength int64
	var gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotLength, gotUA = r.ContentLength, r.UserAgent()
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		readLength = int64(len(body))
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Errorf("parse: %v", err)
			return
		}
		if r.FormValue("chat_id") != "42" || r.FormValue("caption") != `a "quoted" caption` {
			t.Errorf("fields: %v", r.MultipartForm.Value)
		}
		file, hdr, err := r.FormFile("voice")
		if err != nil {
			t.Errorf("file: %v", err)
			return
		}
		got, _ := io.ReadAll(file)
		if string(got) != content || hdr.Filename != `my "note".ogg` || hdr.Header.Get("Content-Type") != "audio/ogg" {
			t.Errorf("file part: %d bytes (want %d), name %q, type %q", len(got), len(content), hdr.Filename, hdr.Header.Get("Content-Type"))
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	resp, err := PostMultipart(context.Background(), nil, srv.URL, map[string]string{"chat_id": "42", "caption": `a "quoted" caption`},
		FilePart{Field: "voice", FileName: `my "note".ogg`, MIME: "audio/ogg", Body: f, Size: int64(len(content))})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if gotLength <= int64(len(content)) || gotLength != readLength {
		t.Fatalf("Content-Length %d, body %d bytes (file %d)", gotLength, readLength, len(content))
	}
	if gotUA != UserAgent {
		t.Fatalf("User-Agent %q", gotUA)
	}
	// The rewound body is the body sent.
	req := resp.Request
	again, err := req.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(again)
	if int64(len(b)) != gotLength || !strings.Contains(string(b), content) {
		t.Fatalf("GetBody gave %d bytes, sent %d", len(b), gotLength)
	}
}

// Get adds its query to the one the URL already carries (VK's long-poll server address may
// have its own); PostForm sends a urlencoded form.
func TestGetAndPostForm(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		switch r.Method {
		case http.MethodGet:
			if r.URL.Query().Get("server") != "own" || r.URL.Query().Get("act") != "a_check" || r.URL.Query().Get("key") != "k&=1" {
				t.Errorf("query %q", r.URL.RawQuery)
			}
		case http.MethodPost:
			if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.PostForm.Get("text") != "привет & <b>" {
				t.Errorf("form %v (%s)", r.PostForm, r.Header.Get("Content-Type"))
			}
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	resp, err := Get(context.Background(), srv.Client(), srv.URL+"/lp?server=own", map[string]string{"act": "a_check", "key": "k&=1"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = PostForm(context.Background(), srv.Client(), srv.URL+"/method", map[string]string{"text": "привет & <b>"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
