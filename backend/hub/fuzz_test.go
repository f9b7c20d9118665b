package hub

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"switchboard/backend/store"
)

// checkRejection: a parser's refusal is a client error with a known code, never a 5xx.
func checkRejection(t *testing.T, e *apiError) {
	t.Helper()
	if e.Status < 400 || e.Status >= 500 || !slices.Contains(ErrorCodes, e.Code) {
		t.Fatalf("rejection %d %q", e.Status, e.Code)
	}
}

var requestSeeds = []string{
	``, `{}`, `null`, `[]`, `"x"`, `{"email":"a@b.c","password":"pw"}`,
	`{"email":"a@b.c","password":"pw"} trailing`, `{"email":"a@b.c","password":"pw"}{}`,
	`{"email":"A@B.C ","name":" N ","role":"manager","password":"long enough password","avatarUrl":"https://x/y.png"}`,
	`{"email":"X <x@y.z>","name":"n","role":"admin","password":"long enough password"}`,
	`{"email":"x@y.z","name":"\u0000","role":"admin","password":"long enough password"}`,
	`{"role":"admin"}`, `{"role":"owner"}`, `{"disabled":true}`, `{"disabled":null}`, `{"disabled":"yes"}`,
	`{"password":"пароль-кириллицей"}`, `{"password":"\ud800\udc00 surrogate pair"}`, `{"email":1}`,
	`{"extra":1}`, `{"email":"a@b.c","email":"d@e.f","password":"x"}`, "\xff\xfe", `{"password":"` + strings.Repeat("a", 600) + `"}`,
}

func seed(f *testing.F) {
	for _, s := range requestSeeds {
		f.Add([]byte(s))
	}
}

func FuzzParseLogin(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := parseLogin(body)
		if e != nil {
			checkRejection(t, e)
			return
		}
		if req.Email == "" || req.Password == "" || len(req.Email) > maxEmailBytes || len(req.Password) > MaxPasswordBytes {
			t.Fatalf("accepted %+v", req)
		}
	})
}

func FuzzParseAddUser(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := parseAddUser(body)
		if e != nil {
			checkRejection(t, e)
			return
		}
		if req.Email != store.NormalizeEmail(req.Email) || !strings.Contains(req.Email, "@") || len(req.Email) > maxEmailBytes {
			t.Fatalf("accepted e-mail %q", req.Email)
		}
		if req.Name == "" || req.Name != strings.TrimSpace(req.Name) || !utf8.ValidString(req.Name) || utf8.RuneCountInString(req.Name) > maxNameChars {
			t.Fatalf("accepted name %q", req.Name)
		}
		if !store.ValidRole(req.Role) {
			t.Fatalf("accepted role %q", req.Role)
		}
		if code, _ := CheckPassword(req.Password); code != "" {
			t.Fatalf("accepted password of %d bytes", len(req.Password))
		}
		if req.AvatarURL != "" && !strings.HasPrefix(req.AvatarURL, "https://") {
			t.Fatalf("accepted avatar %q", req.AvatarURL)
		}
	})
}

func FuzzParseRole(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := parseRole(body)
		if e != nil {
			checkRejection(t, e)
			return
		}
		if !store.ValidRole(req.Role) {
			t.Fatalf("accepted role %q", req.Role)
		}
	})
}

func FuzzParseDisabled(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		disabled, e := parseDisabled(body)
		if e != nil {
			checkRejection(t, e)
			return
		}
		// Only a JSON object with a boolean "disabled" gets here; the value round-trips.
		want := strings.Contains(string(body), "true")
		if disabled && !want {
			t.Fatalf("disabled from %q", body)
		}
	})
}

func FuzzParsePassword(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := parsePassword(body)
		if e != nil {
			checkRejection(t, e)
			return
		}
		if code, _ := CheckPassword(req.Password); code != "" {
			t.Fatalf("accepted password of %d bytes", len(req.Password))
		}
	})
}

// FuzzVerifyPassword feeds arbitrary stored hashes: never a panic, never costs beyond the bounds.
func FuzzVerifyPassword(f *testing.F) {
	good, _ := HashPassword("a password here", testParams)
	for _, s := range []string{good, "", "$argon2id$", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		p, _, _, err := parseHash(encoded)
		if err == nil && (p.Memory > maxHashMemory || p.Time > maxHashTime || p.Threads > maxHashThreads) {
			t.Fatalf("accepted costs %+v", p)
		}
		if err == nil && p.Memory <= 4096 && p.Time <= 2 {
			VerifyPassword("x", encoded)
		}
	})
}

// TestParsersAnswerBadRequestAsData checks the status and code of a few refusals exactly.
func TestParsersAnswerBadRequestAsData(t *testing.T) {
	for _, c := range []struct {
		body   string
		status int
		code   string
		reason string
	}{
		{`{"email":"a@b.c","password":"x","extra":1}`, http.StatusBadRequest, CodeBadRequest, "unknown_field"},
		{`{"email":`, http.StatusBadRequest, CodeBadRequest, "invalid_json"},
		{`{"email":"a@b.c","password":"x"} {}`, http.StatusBadRequest, CodeBadRequest, "invalid_json"},
		{`{"email":"","password":"x"}`, http.StatusUnauthorized, CodeLoginFailed, ""},
		{strings.Repeat(" ", maxBody+1), http.StatusRequestEntityTooLarge, CodeRequestTooLarge, ""},
	} {
		_, e := parseLogin([]byte(c.body))
		if e == nil || e.Status != c.status || e.Code != c.code || (c.reason != "" && e.Params["reason"] != c.reason) {
			t.Errorf("%.40q: %+v", c.body, e)
		}
	}
}
