package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"switchboard/backend/store/testpg"
)

// forEachBook runs fn against an account book in a fresh SQLite store and in a fresh
// PostgreSQL schema (skipped without SWITCHBOARD_TEST_PG, failed in CI without it).
func forEachBook(t *testing.T, fn func(t *testing.T, a *Accounts)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := Open(filepath.Join(t.TempDir(), "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s.Accounts())
	})
	t.Run("postgres", func(t *testing.T) {
		a, err := OpenAccountsPostgres(context.Background(), testpg.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		fn(t, a)
	})
}

func addAccount(t *testing.T, a *Accounts, email, role string) Account {
	t.Helper()
	acc, err := a.Add(context.Background(), NewAccount{Name: "N " + email, Email: email, Role: role, PasswordHash: "$argon2id$stub-" + email}, 1000)
	if err != nil {
		t.Fatalf("add %s: %v", email, err)
	}
	return acc
}

func TestAccountsAddGetListAndUniqueEmail(t *testing.T) {
	forEachBook(t, func(t *testing.T, a *Accounts) {
		ctx := context.Background()
		acc, err := a.Add(ctx, NewAccount{Name: "Anna", AvatarURL: "https://a/1.png", Email: "  Anna@Example.COM ", Role: RoleAdmin, PasswordHash: "$argon2id$h1"}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if acc.ManagerID == 0 || acc.Email != "anna@example.com" || acc.Role != RoleAdmin || acc.Disabled || acc.Name != "Anna" ||
			acc.AvatarURL != "https://a/1.png" || acc.CreatedAt != 1000 {
			t.Fatalf("added %+v", acc)
		}
		if _, err := a.Add(ctx, NewAccount{Name: "Other", Email: "ANNA@example.com", Role: RoleManager, PasswordHash: "x"}, 1001); !errors.Is(err, ErrEmailTaken) {
			t.Fatalf("same e-mail in another case: %v, want ErrEmailTaken", err)
		}
		if _, err := a.Add(ctx, NewAccount{Name: "Bad", Email: "b@example.com", Role: "owner", PasswordHash: "x"}, 1001); !errors.Is(err, ErrBadRole) {
			t.Fatalf("role owner: %v, want ErrBadRole", err)
		}
		bob := addAccount(t, a, "bob@example.com", RoleManager)
		got, hash, err := a.PasswordHash(ctx, "BOB@example.com ")
		if err != nil || got.ManagerID != bob.ManagerID || hash != "$argon2id$stub-bob@example.com" {
			t.Fatalf("by e-mail: %+v %q %v", got, hash, err)
		}
		if _, _, err := a.PasswordHash(ctx, "nobody@example.com"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown e-mail: %v", err)
		}
		if _, err := a.Get(ctx, 9999); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
		list, err := a.List(ctx)
		if err != nil || len(list) != 2 || list[0].Name != "Anna" || list[1].ManagerID != bob.ManagerID {
			t.Fatalf("list: %+v %v", list, err)
		}
		if n, err := a.Count(ctx); err != nil || n != 2 {
			t.Fatalf("count %d %v", n, err)
		}
		if err := a.SetProfile(ctx, bob.ManagerID, "Robert", "https://a/2.png"); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Get(ctx, bob.ManagerID); got.Name != "Robert" || got.AvatarURL != "https://a/2.png" {
			t.Fatalf("profile: %+v", got)
		}
	})
}

func TestAccountsKeepOneActiveAdmin(t *testing.T) {
	forEachBook(t, func(t *testing.T, a *Accounts) {
		ctx := context.Background()
		admin := addAccount(t, a, "admin@example.com", RoleAdmin)
		mgr := addAccount(t, a, "mgr@example.com", RoleManager)
		if err := a.SetRole(ctx, admin.ManagerID, RoleManager, 2000); !errors.Is(err, ErrLastAdmin) {
			t.Fatalf("demote the last admin: %v", err)
		}
		if _, err := a.SetDisabled(ctx, admin.ManagerID, true, 2000); !errors.Is(err, ErrLastAdmin) {
			t.Fatalf("disable the last admin: %v", err)
		}
		if err := a.SetRole(ctx, mgr.ManagerID, RoleAdmin, 2001); err != nil {
			t.Fatal(err)
		}
		if err := a.SetRole(ctx, admin.ManagerID, RoleManager, 2002); err != nil {
			t.Fatalf("demote with another admin: %v", err)
		}
		got, _ := a.Get(ctx, admin.ManagerID)
		if got.Role != RoleManager || got.UpdatedAt != 2002 {
			t.Fatalf("after demotion %+v", got)
		}
		if err := a.SetRole(ctx, 9999, RoleAdmin, 1); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
		if err := a.SetRole(ctx, mgr.ManagerID, "root", 1); !errors.Is(err, ErrBadRole) {
			t.Fatalf("bad role: %v", err)
		}
	})
}

// TestAccountsTwoAdminsDisablingEachOtherLeaveOne races two transactions that each disable the
// other admin: without the lock both would see "another admin remains" and both would commit.
func TestAccountsTwoAdminsDisablingEachOtherLeaveOne(t *testing.T) {
	forEachBook(t, func(t *testing.T, a *Accounts) {
		ctx := context.Background()
		var survivor int64
		for round := 0; round < 10; round++ {
			x := addAccount(t, a, fmt.Sprintf("x%d@example.com", round), RoleAdmin)
			y := addAccount(t, a, fmt.Sprintf("y%d@example.com", round), RoleAdmin)
			if survivor != 0 { // x and y must be the only active admins
				if err := a.SetRole(ctx, survivor, RoleManager, 3000); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, id := range []int64{x.ManagerID, y.ManagerID} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = a.SetDisabled(ctx, id, true, 3000)
				}()
			}
			wg.Wait()
			refused := 0
			for i, err := range errs {
				switch {
				case errors.Is(err, ErrLastAdmin):
					refused++
					survivor = []int64{x.ManagerID, y.ManagerID}[i]
				case err != nil:
					t.Fatal(err)
				}
			}
			if refused != 1 {
				t.Fatalf("round %d: %d of 2 disables refused, want exactly 1 (%v)", round, refused, errs)
			}
		}
	})
}

func TestSessionsLiveRevokedExpiredAndDisabled(t *testing.T) {
	forEachBook(t, func(t *testing.T, a *Accounts) {
		ctx := context.Background()
		admin := addAccount(t, a, "admin@example.com", RoleAdmin)
		mgr := addAccount(t, a, "mgr@example.com", RoleManager)
		s1, err := a.CreateSession(ctx, NewSession{ManagerID: mgr.ManagerID, TokenHash: "h1", Address: "10.0.0.1", UserAgent: "desk/1", ExpiresAt: 5000}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if s1.ID == 0 || s1.ManagerID != mgr.ManagerID || s1.CreatedAt != 1000 || s1.LastSeenAt != 1000 || s1.ExpiresAt != 5000 || s1.Address != "10.0.0.1" {
			t.Fatalf("created %+v", s1)
		}
		if _, err := a.CreateSession(ctx, NewSession{ManagerID: mgr.ManagerID, TokenHash: "h1", ExpiresAt: 5000}, 1000); err == nil {
			t.Fatal("a second session with the same token hash was stored")
		}
		s2, _ := a.CreateSession(ctx, NewSession{ManagerID: mgr.ManagerID, TokenHash: "h2", ExpiresAt: 9000}, 1100)
		sa, _ := a.CreateSession(ctx, NewSession{ManagerID: admin.ManagerID, TokenHash: "ha", ExpiresAt: 9000}, 1100)

		got, acc, err := a.SessionByTokenHash(ctx, "h1", 1500)
		if err != nil || got.ID != s1.ID || acc.ManagerID != mgr.ManagerID || acc.Role != RoleManager || acc.Email != "mgr@example.com" {
			t.Fatalf("by token: %+v %+v %v", got, acc, err)
		}
		if _, _, err := a.SessionByTokenHash(ctx, "h1", 5000); !errors.Is(err, ErrNotFound) {
			t.Fatalf("expired session: %v", err)
		}
		if _, _, err := a.SessionByTokenHash(ctx, "nope", 1500); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		if err := a.TouchSession(ctx, s1.ID, 1600); err != nil {
			t.Fatal(err)
		}
		list, err := a.Sessions(ctx, mgr.ManagerID, 1700)
		if err != nil || len(list) != 2 || list[0].ID != s2.ID || list[1].LastSeenAt != 1600 {
			t.Fatalf("sessions: %+v %v", list, err)
		}

		rev, err := a.RevokeSession(ctx, s1.ID, 2000)
		if err != nil || rev.RevokedAt != 2000 {
			t.Fatalf("revoke: %+v %v", rev, err)
		}
		if _, err := a.RevokeSession(ctx, s1.ID, 2001); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoke twice: %v", err)
		}
		if _, _, err := a.SessionByTokenHash(ctx, "h1", 2100); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoked session still valid: %v", err)
		}

		// Disabling revokes every live session at once and refuses new ones.
		ids, err := a.SetDisabled(ctx, mgr.ManagerID, true, 3000)
		if err != nil || len(ids) != 1 || ids[0] != s2.ID {
			t.Fatalf("disable revoked %v, %v; want [%d]", ids, err, s2.ID)
		}
		if _, _, err := a.SessionByTokenHash(ctx, "h2", 3100); !errors.Is(err, ErrNotFound) {
			t.Fatalf("disabled account's session: %v", err)
		}
		if _, err := a.CreateSession(ctx, NewSession{ManagerID: mgr.ManagerID, TokenHash: "h3", ExpiresAt: 9000}, 3100); !errors.Is(err, ErrNotFound) {
			t.Fatalf("session for a disabled account: %v", err)
		}
		since, err := a.RevokedSince(ctx, 2000)
		if err != nil || len(since) != 2 || since[0] != s1.ID || since[1] != s2.ID {
			t.Fatalf("revoked since 2000: %v %v", since, err)
		}
		if since, _ := a.RevokedSince(ctx, 2500); len(since) != 1 || since[0] != s2.ID {
			t.Fatalf("revoked since 2500: %v", since)
		}
		// Re-enabling does not bring old sessions back.
		if _, err := a.SetDisabled(ctx, mgr.ManagerID, false, 3200); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.SessionByTokenHash(ctx, "h2", 3300); !errors.Is(err, ErrNotFound) {
			t.Fatalf("re-enabled account's old session: %v", err)
		}

		// A new password ends the sessions signed in with the old one.
		ids, err = a.SetPassword(ctx, admin.ManagerID, "$argon2id$new", 4000)
		if err != nil || len(ids) != 1 || ids[0] != sa.ID {
			t.Fatalf("set password revoked %v, %v", ids, err)
		}
		if _, hash, _ := a.PasswordHash(ctx, "admin@example.com"); hash != "$argon2id$new" {
			t.Fatalf("hash %q", hash)
		}
		if _, err := a.SetPassword(ctx, 9999, "$argon2id$x", 4000); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
	})
}

func TestPostgresMigrationsRunOnce(t *testing.T) {
	dsn := testpg.DSN(t)
	ctx := context.Background()
	a, err := OpenAccountsPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, a, "keep@example.com", RoleAdmin)
	a.Close()
	// Several instances start at once on a migrated database: none fails, the rows stay.
	openAtOnce(t, dsn, 4)
	b, err := OpenAccountsPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n, err := b.Count(ctx); err != nil || n != 1 {
		t.Fatalf("count after reopening: %d %v", n, err)
	}
}

func TestPostgresMigrationsRaceOnAnEmptyDatabase(t *testing.T) {
	dsn := testpg.DSN(t)
	openAtOnce(t, dsn, 4)
}

// openAtOnce opens (and closes) the PostgreSQL book n times concurrently, as n hub instances
// starting together would; every open must succeed.
func openAtOnce(t *testing.T, dsn string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := OpenAccountsPostgres(context.Background(), dsn)
			if err == nil {
				b.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
