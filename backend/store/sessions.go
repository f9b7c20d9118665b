package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Session is one signed-in device of an account. Its token is never stored, only the token's
// hash, which is not a field either: nothing reads it back.
type Session struct {
	ID         int64  `db:"id" json:"id"`
	ManagerID  int64  `db:"manager_id" json:"managerId"`
	CreatedAt  int64  `db:"created_at" json:"createdAt"`
	LastSeenAt int64  `db:"last_seen_at" json:"lastSeenAt"`
	ExpiresAt  int64  `db:"expires_at" json:"expiresAt"`
	RevokedAt  int64  `db:"revoked_at" json:"revokedAt,omitempty"`
	Address    string `db:"address" json:"address"`
	UserAgent  string `db:"user_agent" json:"userAgent"`
}

// NewSession is what CreateSession stores. TokenHash is the hex SHA-256 of the token.
type NewSession struct {
	ManagerID int64
	TokenHash string
	Address   string
	UserAgent string
	ExpiresAt int64
}

const sessionColumns = `s.id, s.manager_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, s.address, s.user_agent`

// CreateSession stores a new session for an enabled account (ErrNotFound otherwise).
func (a *Accounts) CreateSession(ctx context.Context, n NewSession, now int64) (Session, error) {
	if n.TokenHash == "" {
		return Session{}, errors.New("store: create session: no token hash")
	}
	var id int64
	err := a.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &id, a.q(`INSERT INTO sessions (manager_id, token_hash, created_at, last_seen_at, expires_at, address, user_agent)
SELECT manager_id, ?, ?, ?, ?, ?, ? FROM accounts WHERE manager_id = ? AND disabled = 0
RETURNING id`), n.TokenHash, now, now, n.ExpiresAt, n.Address, n.UserAgent, n.ManagerID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return nil
	})
	if err != nil {
		return Session{}, err
	}
	return a.session(ctx, id)
}

func (a *Accounts) session(ctx context.Context, id int64) (Session, error) {
	var s Session
	err := a.read.GetContext(ctx, &s, a.q(`SELECT `+sessionColumns+` FROM sessions s WHERE s.id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session %d: %w", id, err)
	}
	return s, nil
}

// SessionByTokenHash returns the live session with this token hash and its account: not
// revoked, not expired at now, the account enabled. Anything else is ErrNotFound, so a caller
// cannot tell a revoked token from a made-up one (and neither can whoever holds it).
func (a *Accounts) SessionByTokenHash(ctx context.Context, tokenHash string, now int64) (Session, Account, error) {
	var s Session
	err := a.read.GetContext(ctx, &s, a.q(`SELECT `+sessionColumns+`
FROM sessions s JOIN accounts a ON a.manager_id = s.manager_id
WHERE s.token_hash = ? AND s.revoked_at = 0 AND s.expires_at > ? AND a.disabled = 0`), tokenHash, now)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, Account{}, ErrNotFound
	}
	if err != nil {
		return Session{}, Account{}, fmt.Errorf("store: session by token: %w", err)
	}
	acc, err := a.Get(ctx, s.ManagerID)
	if err != nil {
		return Session{}, Account{}, err
	}
	return s, acc, nil
}

// TouchSession records that a session was used at now.
func (a *Accounts) TouchSession(ctx context.Context, id, now int64) error {
	return a.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, a.q(`UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`), now, id, now)
		if err != nil {
			return fmt.Errorf("store: touch session: %w", err)
		}
		return nil
	})
}

// RevokeSession ends a session at now and returns it; ErrNotFound when there is no such live
// session.
func (a *Accounts) RevokeSession(ctx context.Context, id, now int64) (Session, error) {
	err := a.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, a.q(`UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at = 0`), now, id)
		return oneRow(res, err, "revoke session")
	})
	if err != nil {
		return Session{}, err
	}
	return a.session(ctx, id)
}

// Sessions lists an account's live sessions (not revoked, not expired at now), newest first.
func (a *Accounts) Sessions(ctx context.Context, managerID, now int64) ([]Session, error) {
	ss := []Session{}
	if err := a.read.SelectContext(ctx, &ss, a.q(`SELECT `+sessionColumns+` FROM sessions s
WHERE s.manager_id = ? AND s.revoked_at = 0 AND s.expires_at > ? ORDER BY s.id DESC`), managerID, now); err != nil {
		return nil, fmt.Errorf("store: sessions of %d: %w", managerID, err)
	}
	return ss, nil
}

// RevokedSince returns the ids of sessions revoked at or after since (unix ms). A hub polls it
// to close the sockets of sessions another process revoked (the CLI, another hub instance).
func (a *Accounts) RevokedSince(ctx context.Context, since int64) ([]int64, error) {
	ids := []int64{}
	if err := a.read.SelectContext(ctx, &ids, a.q(`SELECT id FROM sessions WHERE revoked_at >= ? AND revoked_at > 0 ORDER BY id`), since); err != nil {
		return nil, fmt.Errorf("store: sessions revoked since %d: %w", since, err)
	}
	return ids, nil
}

// revokeAll ends every live session of an account inside tx and returns their ids.
func (a *Accounts) revokeAll(ctx context.Context, tx *sqlx.Tx, managerID, now int64) ([]int64, error) {
	ids := []int64{}
	if err := tx.SelectContext(ctx, &ids, a.q(`SELECT id FROM sessions WHERE manager_id = ? AND revoked_at = 0 ORDER BY id`), managerID); err != nil {
		return nil, fmt.Errorf("store: sessions to revoke: %w", err)
	}
	if _, err := tx.ExecContext(ctx, a.q(`UPDATE sessions SET revoked_at = ? WHERE manager_id = ? AND revoked_at = 0`), now, managerID); err != nil {
		return nil, fmt.Errorf("store: revoke sessions: %w", err)
	}
	return ids, nil
}
