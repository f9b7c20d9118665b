-- Team mode's sync, both sides of it (backend/hub, backend/replica).
--
-- A message made by a desktop's mutation carries that mutation's Idempotency-Key: on the hub
-- the unique index makes a replayed send a no-op even if the hub died before recording its
-- answer, and on the desktop it lets the hub's row replace the local copy shown meanwhile.
ALTER TABLE messages ADD COLUMN mutation_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX messages_mutation_key ON messages (mutation_key) WHERE mutation_key <> '';

-- Hub: every mutation applied, with the answer it got, so a replay gets the same answer.
CREATE TABLE applied_mutations (
    manager_id INTEGER NOT NULL,
    key        TEXT    NOT NULL, -- "<client id>:<mutation id>"
    status     INTEGER NOT NULL, -- the HTTP status answered
    result     TEXT    NOT NULL, -- the JSON body answered
    created_at INTEGER NOT NULL,
    PRIMARY KEY (manager_id, key)
) WITHOUT ROWID;

-- Replica: the desktop's writes waiting for the hub, oldest first. AUTOINCREMENT: the id is the
-- mutation id of the key, which must never be handed out twice.
CREATE TABLE pending_mutations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL,
    chat_id          INTEGER NOT NULL DEFAULT 0,
    body             TEXT    NOT NULL,           -- teamwire.Mutation as JSON
    local_message_id INTEGER NOT NULL DEFAULT 0, -- a negative-id message shown until the hub's row comes
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '', -- a code
    created_at       INTEGER NOT NULL
);
