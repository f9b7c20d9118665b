package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Roles of a hub account. The CHECK constraint in migration 0009 allows only these.
const (
	RoleAdmin   = "admin"
	RoleManager = "manager"
)

var (
	// ErrEmailTaken: another account already signs in with this e-mail.
	ErrEmailTaken = errors.New("store: e-mail already taken")
	// ErrLastAdmin: the change would leave the company without an active admin.
	ErrLastAdmin = errors.New("store: the last active admin")
	// ErrBadRole: a role other than RoleAdmin or RoleManager.
	ErrBadRole = errors.New("store: unknown role")
)

// Account is a manager who can sign in to the hub. The password hash is deliberately not a
// field: it is read only by PasswordHash, for the one place that checks a password.
type Account struct {
	ManagerID int64  `db:"manager_id" json:"id"`
	Name      string `db:"name" json:"name"`
	AvatarURL string `db:"avatar_url" json:"avatarUrl"`
	Email     string `db:"email" json:"email"`
	Role      string `db:"role" json:"role"`
	Disabled  bool   `db:"disabled" json:"disabled"`
	CreatedAt int64  `db:"created_at" json:"createdAt"`
	UpdatedAt int64  `db:"updated_at" json:"updatedAt"`
}

// NewAccount is what Accounts.Add needs. PasswordHash is an encoded hash (the hub's argon2id
// PHC string); the store never sees a password.
type NewAccount struct {
	Name         string
	AvatarURL    string
	Email        string
	Role         string
	PasswordHash string
}

// NormalizeEmail is the form e-mails are stored and looked up in: trimmed, lower-case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidRole reports whether role is one the store accepts.
func ValidRole(role string) bool { return role == RoleAdmin || role == RoleManager }

const accountColumns = `a.manager_id, m.name, m.avatar_url, a.email, a.role, a.disabled, a.created_at, a.updated_at`

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Add creates a manager and their account in one transaction.
func (a *Accounts) Add(ctx context.Context, n NewAccount, now int64) (Account, error) {
	if !ValidRole(n.Role) {
		return Account{}, ErrBadRole
	}
	if n.PasswordHash == "" {
		return Account{}, errors.New("store: add account: no password hash")
	}
	email := NormalizeEmail(n.Email)
	var id int64
	err := a.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &id, a.q(`INSERT INTO managers (name, avatar_url) VALUES (?, ?) RETURNING id`), n.Name, n.AvatarURL); err != nil {
			return fmt.Errorf("store: add manager: %w", err)
		}
		_, err := tx.ExecContext(ctx, a.q(`INSERT INTO accounts (manager_id, email, role, password_hash, disabled, created_at, updated_at)
VALUES (?, ?, ?, ?, 0, ?, ?)`), id, email, n.Role, n.PasswordHash, now, now)
		if isUniqueViolation(err) {
			return ErrEmailTaken
		}
		if err != nil {
			return fmt.Errorf("store: add account: %w", err)
		}
		return nil
	})
	if err != nil {
		return Account{}, err
	}
	return a.Get(ctx, id)
}

// Get returns one account, or ErrNotFound.
func (a *Accounts) Get(ctx context.Context, managerID int64) (Account, error) {
	var acc Account
	err := a.read.GetContext(ctx, &acc, a.q(`SELECT `+accountColumns+`
FROM accounts a JOIN managers m ON m.id = a.manager_id WHERE a.manager_id = ?`), managerID)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("store: account %d: %w", managerID, err)
	}
	return acc, nil
}

// List returns every account, enabled first, by name.
func (a *Accounts) List(ctx context.Context) ([]Account, error) {
	accs := []Account{}
	if err := a.read.SelectContext(ctx, &accs, `SELECT `+accountColumns+`
FROM accounts a JOIN managers m ON m.id = a.manager_id ORDER BY a.disabled, m.name, a.manager_id`); err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	return accs, nil
}

// Count is the number of accounts (the CLI offers to make the first one an admin).
func (a *Accounts) Count(ctx context.Context) (int, error) {
	var n int
	if err := a.read.GetContext(ctx, &n, `SELECT COUNT(*) FROM accounts`); err != nil {
		return 0, fmt.Errorf("store: count accounts: %w", err)
	}
	return n, nil
}

// PasswordHash returns the account that signs in with email and its stored password hash, or
// ErrNotFound. Disabled accounts are returned too: the caller decides (and answers alike).
func (a *Accounts) PasswordHash(ctx context.Context, email string) (Account, string, error) {
	var row struct {
		Account
		Hash string `db:"password_hash"`
	}
	err := a.read.GetContext(ctx, &row, a.q(`SELECT `+accountColumns+`, a.password_hash
FROM accounts a JOIN managers m ON m.id = a.manager_id WHERE a.email = ?`), NormalizeEmail(email))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, "", ErrNotFound
	}
	if err != nil {
		return Account{}, "", fmt.Errorf("store: account by e-mail: %w", err)
	}
	return row.Account, row.Hash, nil
}

// SetRole changes an account's role. Demoting the last active admin fails with ErrLastAdmin.
func (a *Accounts) SetRole(ctx context.Context, managerID int64, role string, now int64) error {
	if !ValidRole(role) {
		return ErrBadRole
	}
	return a.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := a.lockAccounts(ctx, tx); err != nil {
			return fmt.Errorf("store: set role: %w", err)
		}
		if role != RoleAdmin {
			if err := a.keepAnAdmin(ctx, tx, managerID); err != nil {
				return err
			}
		}
		return a.updateAccount(ctx, tx, managerID, `role = ?, updated_at = ?`, role, now)
	})
}

// SetDisabled disables or enables an account. Disabling revokes every session of the account
// in the same transaction and returns their ids, so the hub can close their sockets; disabling
// the last active admin fails with ErrLastAdmin.
func (a *Accounts) SetDisabled(ctx context.Context, managerID int64, disabled bool, now int64) ([]int64, error) {
	var revoked []int64
	err := a.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := a.lockAccounts(ctx, tx); err != nil {
			return fmt.Errorf("store: disable account: %w", err)
		}
		if disabled {
			if err := a.keepAnAdmin(ctx, tx, managerID); err != nil {
				return err
			}
		}
		if err := a.updateAccount(ctx, tx, managerID, `disabled = ?, updated_at = ?`, boolInt(disabled), now); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		var err error
		revoked, err = a.revokeAll(ctx, tx, managerID, now)
		return err
	})
	return revoked, err
}

// SetPassword replaces an account's password hash and revokes its sessions (a reset is what
// follows a leaked password), returning their ids.
func (a *Accounts) SetPassword(ctx context.Context, managerID int64, hash string, now int64) ([]int64, error) {
	if hash == "" {
		return nil, errors.New("store: set password: no hash")
	}
	var revoked []int64
	err := a.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := a.updateAccount(ctx, tx, managerID, `password_hash = ?, updated_at = ?`, hash, now); err != nil {
			return err
		}
		var err error
		revoked, err = a.revokeAll(ctx, tx, managerID, now)
		return err
	})
	return revoked, err
}

// SetProfile changes the name and avatar a manager shows with.
func (a *Accounts) SetProfile(ctx context.Context, managerID int64, name, avatarURL string) error {
	return a.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, a.q(`UPDATE managers SET name = ?, avatar_url = ?
WHERE id = ? AND EXISTS (SELECT 1 FROM accounts WHERE manager_id = ?)`), name, avatarURL, managerID, managerID)
		return oneRow(res, err, "set profile")
	})
}

func (a *Accounts) updateAccount(ctx context.Context, tx *sqlx.Tx, managerID int64, set string, args ...any) error {
	res, err := tx.ExecContext(ctx, a.q(`UPDATE accounts SET `+set+` WHERE manager_id = ?`), append(args, managerID)...)
	return oneRow(res, err, "update account")
}

func oneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// keepAnAdmin fails with ErrLastAdmin when managerID is the only enabled admin.
func (a *Accounts) keepAnAdmin(ctx context.Context, tx *sqlx.Tx, managerID int64) error {
	var others int
	if err := tx.GetContext(ctx, &others, a.q(`SELECT COUNT(*) FROM accounts
WHERE role = 'admin' AND disabled = 0 AND manager_id <> ?`), managerID); err != nil {
		return fmt.Errorf("store: count admins: %w", err)
	}
	var isAdmin int
	if err := tx.GetContext(ctx, &isAdmin, a.q(`SELECT COUNT(*) FROM accounts
WHERE manager_id = ? AND role = 'admin' AND disabled = 0`), managerID); err != nil {
		return fmt.Errorf("store: count admins: %w", err)
	}
	if isAdmin > 0 && others == 0 {
		return ErrLastAdmin
	}
	return nil
}
