-- Team mode: the hub's accounts and sessions. Credentials live here, not in `managers` (which
-- desktops replicate): a manager who can sign in to the hub has one accounts row. Only the hub
-- fills these tables; a desktop's copies stay empty. The same tables for PostgreSQL are in
-- migrations_pg/0009_accounts.sql.

CREATE TABLE accounts (
    manager_id    INTEGER PRIMARY KEY REFERENCES managers (id),
    email         TEXT    NOT NULL UNIQUE,               -- trimmed and lower-cased by the store
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'manager')),
    password_hash TEXT    NOT NULL,                      -- argon2id PHC string, never a password
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- A signed-in device. The token itself is never stored: token_hash is its SHA-256 (hex).
-- revoked_at > 0 ends the session; the hub closes its open sockets.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    manager_id   INTEGER NOT NULL REFERENCES accounts (manager_id),
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER NOT NULL DEFAULT 0,
    address      TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_manager ON sessions (manager_id, revoked_at);
CREATE INDEX sessions_by_revoked ON sessions (revoked_at) WHERE revoked_at > 0;
