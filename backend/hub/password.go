package hub

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's costs. The defaults are OWASP's first recommendation
// (19 MiB, two passes, one lane): a login costs tens of milliseconds, not a second.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultPasswordParams is what new hashes use.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Bounds on what a stored hash may ask for, so a tampered row cannot make a login allocate
// gigabytes or spin for minutes.
const (
	maxHashMemory  = 256 * 1024
	maxHashTime    = 16
	maxHashThreads = 16
	saltLen        = 16
	keyLen         = 32
)

// Password length limits, in characters and bytes.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 512
)

var errBadHash = errors.New("hub: not an argon2id hash")

// CheckPassword returns the error code of a password that may not be set (too short, too
// long), or "".
func CheckPassword(password string) (code string, params map[string]any) {
	if len(password) > MaxPasswordBytes {
		return CodePasswordTooLong, map[string]any{"max": MaxPasswordBytes}
	}
	if utf8.RuneCountInString(password) < MinPasswordChars {
		return CodePasswordTooShort, map[string]any{"min": MinPasswordChars}
	}
	return "", nil
}

// HashPassword returns the PHC string $argon2id$v=19$m=…,t=…,p=…$salt$key with a random salt.
func HashPassword(password string, p PasswordParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hub: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string, with the parameters the
// string carries (so raising the defaults keeps old hashes valid).
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, key, err := parseHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func parseHash(encoded string) (PasswordParams, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return PasswordParams{}, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return PasswordParams{}, nil, nil, errBadHash
	}
	var p PasswordParams
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || n != 3 ||
		p.Memory < 8 || p.Memory > maxHashMemory || p.Time < 1 || p.Time > maxHashTime || p.Threads < 1 || p.Threads > maxHashThreads {
		return PasswordParams{}, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return PasswordParams{}, nil, nil, errBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return PasswordParams{}, nil, nil, errBadHash
	}
	return p, salt, key, nil
}
