package hub

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/store"
)

// TestStoredSecretsAreArgon2idAndHashesOnly signs people up and in through the API with the
// default argon2id costs, then reads every byte of the database files (main file and WAL): no
// password and no token appears, each stored hash is an argon2id PHC string with the defaults.
func TestStoredSecretsAreArgon2idAndHashesOnly(t *testing.T) {
	h := newTestHub(t, "sqlite", func(c *Config) { c.Password = PasswordParams{} }) // defaults
	ctx := context.Background()
	// The first admin comes from the CLI in real use; here through the same hash function.
	first := "Correct horse battery staple 1"
	hash, err := HashPassword(first, DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.accounts.Add(ctx, store.NewAccount{Name: "Admin", Email: "admin@example.com", Role: store.RoleAdmin, PasswordHash: hash}, 1); err != nil {
		t.Fatal(err)
	}
	adminToken, _ := h.login("admin@example.com", first)
	passwords := []string{first, "Vera's secret passphrase", "Boris's secret passphrase"}
	tokens := []string{adminToken}
	for i, email := range []string{"vera@example.com", "boris@example.com"} {
		a := h.do("POST", "/api/v1/users", adminToken, map[string]string{"email": email, "name": email, "role": "manager", "password": passwords[i+1]})
		if a.status != 201 {
			t.Fatalf("add: %d %s", a.status, a.body)
		}
		tok, _ := h.login(email, passwords[i+1])
		tokens = append(tokens, tok)
	}
	newPassword := "Vera's second passphrase"
	h.do("PUT", "/api/v1/users/2/password", adminToken, map[string]string{"password": newPassword})
	passwords = append(passwords, newPassword)

	accs, err := h.accounts.List(ctx)
	if err != nil || len(accs) != 3 {
		t.Fatalf("accounts: %v %v", accs, err)
	}
	for _, acc := range accs {
		_, stored, err := h.accounts.PasswordHash(ctx, acc.Email)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("%s: stored hash %q is not argon2id with the default costs", acc.Email, stored)
		}
	}

	var files []byte
	matches, _ := filepath.Glob(h.st.Path() + "*") // the database, its -wal and -shm
	for _, p := range matches {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b...)
	}
	if len(matches) < 2 || len(files) == 0 {
		t.Fatalf("database files: %v", matches)
	}
	// The check itself works: the e-mails are there.
	if !bytes.Contains(files, []byte("vera@example.com")) {
		t.Fatal("the e-mail is not in the database files: the scan reads the wrong files")
	}
	for _, secret := range append(passwords, tokens...) {
		if bytes.Contains(files, []byte(secret)) {
			t.Errorf("%q is stored in plain text", secret[:6]+"…")
		}
	}
	for _, tok := range tokens {
		if !bytes.Contains(files, []byte(hashToken(tok))) {
			t.Errorf("a session's token hash is not stored")
		}
	}
}

func TestPasswordHashes(t *testing.T) {
	a, err := HashPassword("the same password", testParams)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := HashPassword("the same password", testParams)
	if a == b {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, c := range []struct {
		password, hash string
		ok             bool
	}{
		{"the same password", a, true},
		{"the same password", b, true},
		{"the same passwordX", a, false},
		{"", a, false},
	} {
		ok, err := VerifyPassword(c.password, c.hash)
		if err != nil || ok != c.ok {
			t.Errorf("verify %q: %v %v, want %v", c.password, ok, err, c.ok)
		}
	}
	// A stored hash that asks for absurd costs, or is not argon2id, is refused unevaluated.
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=1024,t=1000,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$!!$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$",
	} {
		if ok, err := VerifyPassword("x", bad); ok || err == nil {
			t.Errorf("hash %q: %v %v", bad, ok, err)
		}
	}
	if code, params := CheckPassword("short"); code != CodePasswordTooShort || params["min"] != MinPasswordChars {
		t.Errorf("short: %s %v", code, params)
	}
	if code, _ := CheckPassword("пароль-кириллицей"); code != "" { // 17 characters, 32 bytes
		t.Errorf("cyrillic: %s", code)
	}
	if code, _ := CheckPassword(strings.Repeat("я", 300)); code != CodePasswordTooLong { // 600 bytes
		t.Errorf("long: %s", code)
	}
}
