-- Switchboard's local store. Times are unix milliseconds (UTC). JSON columns hold small
-- structured values the UI shows as they are (attachments, indicator details, reactions).

CREATE TABLE managers (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    avatar_url TEXT    NOT NULL DEFAULT '',
    is_me      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE channels (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('telegram', 'vk')),
    name        TEXT    NOT NULL DEFAULT '',
    external_id TEXT    NOT NULL,
    username    TEXT    NOT NULL DEFAULT '',
    avatar_url  TEXT    NOT NULL DEFAULT '',
    api_url     TEXT    NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1,
    cursor      TEXT    NOT NULL DEFAULT '', -- acknowledged upstream position (offset / ts)
    created_at  INTEGER NOT NULL,
    UNIQUE (kind, external_id)
);

-- people carries denormalised list columns (last_*, unread, has_draft) kept up to date by the
-- same transaction that changes a chat, so the people list is one indexed range scan.
CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL DEFAULT '',
    phone           TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    avatar_url      TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'subscribed',
    archived        INTEGER NOT NULL DEFAULT 0,
    blacklisted     INTEGER NOT NULL DEFAULT 0,
    source          TEXT    NOT NULL DEFAULT '', -- traffic source of the first subscription
    tool            TEXT    NOT NULL DEFAULT '', -- lead-generation tool of the first subscription
    created_at      INTEGER NOT NULL,
    last_chat_id    INTEGER NOT NULL DEFAULT 0,
    last_message_at INTEGER NOT NULL DEFAULT 0,
    preview         TEXT    NOT NULL DEFAULT '',
    unread          INTEGER NOT NULL DEFAULT 0,
    first_unread_at INTEGER NOT NULL DEFAULT 0,
    has_draft       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX people_recent ON people (archived, blacklisted, last_message_at DESC, id DESC);
CREATE INDEX people_unread_newest ON people (last_message_at DESC, id DESC)
    WHERE unread > 0 AND archived = 0 AND blacklisted = 0;
CREATE INDEX people_unread_oldest ON people (first_unread_at, id)
    WHERE unread > 0 AND archived = 0 AND blacklisted = 0;

CREATE TABLE chats (
    id                   INTEGER PRIMARY KEY,
    person_id            INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel_id           INTEGER NOT NULL REFERENCES channels (id),
    external_chat_id     TEXT    NOT NULL, -- Telegram chat id / VK peer id
    username             TEXT    NOT NULL DEFAULT '',
    tunnel_off           INTEGER NOT NULL DEFAULT 0,
    bot_off              INTEGER NOT NULL DEFAULT 0,
    unread               INTEGER NOT NULL DEFAULT 0,
    first_unread_at      INTEGER NOT NULL DEFAULT 0,
    last_message_at      INTEGER NOT NULL DEFAULT 0,
    preview              TEXT    NOT NULL DEFAULT '',
    last_read_message_id INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    UNIQUE (channel_id, external_chat_id)
);
CREATE INDEX chats_person ON chats (person_id);

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'indicator', 'note')),
    external_id TEXT    NOT NULL DEFAULT '',
    sender      TEXT    NOT NULL,
    sender_name TEXT    NOT NULL DEFAULT '',
    manager_id  INTEGER NOT NULL DEFAULT 0,
    text        TEXT    NOT NULL DEFAULT '',
    attachments TEXT    NOT NULL DEFAULT '', -- JSON array of core.Attachment, '' = none
    indicator   TEXT    NOT NULL DEFAULT '', -- JSON core.Indicator for kind = 'indicator'
    mentions    TEXT    NOT NULL DEFAULT '', -- JSON array of manager ids for kind = 'note'
    reactions   TEXT    NOT NULL DEFAULT '', -- JSON array of core.Reaction
    reply_to_id INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL DEFAULT 'received',
    error       TEXT    NOT NULL DEFAULT '',
    edited      INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER NOT NULL DEFAULT 0
);
-- Idempotent ingestion: one row per (chat, messenger message id). Chats are per channel, so
-- this is unique per (channel, external id).
CREATE UNIQUE INDEX messages_external ON messages (chat_id, external_id) WHERE external_id <> '';
CREATE INDEX messages_history ON messages (chat_id, created_at, id);

CREATE TABLE sales_plans (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE person_plans (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    plan_id   INTEGER NOT NULL REFERENCES sales_plans (id) ON DELETE CASCADE,
    PRIMARY KEY (person_id, plan_id)
) WITHOUT ROWID;
CREATE INDEX person_plans_plan ON person_plans (plan_id, person_id);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE person_tags (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (person_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX person_tags_tag ON person_tags (tag_id, person_id);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    assignee_id INTEGER NOT NULL REFERENCES managers (id),
    title       TEXT    NOT NULL,
    due_at      INTEGER NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_open ON tasks (assignee_id, due_at) WHERE done = 0;
CREATE INDEX tasks_person ON tasks (person_id);

CREATE TABLE dialogues (
    id             INTEGER PRIMARY KEY,
    chat_id        INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    type           TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'open',
    reasons        TEXT    NOT NULL DEFAULT '', -- JSON array
    components     TEXT    NOT NULL DEFAULT '', -- JSON array
    client_rating  INTEGER NOT NULL DEFAULT 0,
    manager_rating INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    closed_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dialogues_active ON dialogues (chat_id) WHERE status <> 'closed';
CREATE TABLE dialogue_managers (
    dialogue_id INTEGER NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
    manager_id  INTEGER NOT NULL REFERENCES managers (id),
    PRIMARY KEY (dialogue_id, manager_id)
) WITHOUT ROWID;

CREATE TABLE drafts (
    chat_id     INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
    text        TEXT    NOT NULL DEFAULT '',
    constructor TEXT    NOT NULL DEFAULT '', -- JSON of an unfinished constructor message
    reply_to_id INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    action          TEXT    NOT NULL CHECK (action IN ('send', 'edit', 'delete')),
    payload         TEXT    NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    done            INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE done = 0;

CREATE TABLE templates (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL
);

CREATE TABLE saved_filters (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    filter TEXT NOT NULL -- JSON core.ListFilter
);

CREATE TABLE lead_links (
    id         INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    code       TEXT    NOT NULL,
    plan       TEXT    NOT NULL DEFAULT '',
    source     TEXT    NOT NULL DEFAULT '',
    tool       TEXT    NOT NULL DEFAULT '',
    UNIQUE (channel_id, code)
);

CREATE TABLE person_logs (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL,
    text      TEXT    NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX person_logs_person ON person_logs (person_id, at);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The append-only event log: every committed change appends a row in the same transaction.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    person_id  INTEGER NOT NULL DEFAULT 0,
    chat_id    INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER NOT NULL DEFAULT 0,
    at         INTEGER NOT NULL
);

-- Quick search over people: name, email, and the phone both as written and as bare digits.
CREATE VIRTUAL TABLE people_fts USING fts5 (
    name, email, phone, phone_digits,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Full-text search over message text; rowid = messages.id.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    text,
    content = 'messages', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.text <> '' BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.text <> '' BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) SELECT 'delete', old.id, old.text WHERE old.text <> '';
    INSERT INTO messages_fts (rowid, text) SELECT new.id, new.text WHERE new.text <> '';
END;
