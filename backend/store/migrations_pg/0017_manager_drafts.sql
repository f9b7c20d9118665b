-- PostgreSQL twin of migrations/0017_manager_drafts.sql: each manager's own draft of each chat,
-- kept by the hub and sent only to that manager's desktops; the newest write wins.
CREATE TABLE manager_drafts (
    chat_id     BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    manager_id  BIGINT NOT NULL,
    text        TEXT   NOT NULL DEFAULT '',
    constructor TEXT   NOT NULL DEFAULT '',
    reply_to_id BIGINT NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (chat_id, manager_id)
);
