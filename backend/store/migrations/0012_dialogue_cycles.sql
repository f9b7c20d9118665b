-- Dialogues: cycles and the lists an admin edits.
--
-- A dialogue is opened once and may be closed and reopened many times; each open..close span is
-- a cycle, so the report can measure every one of them (its own first response, resolution time
-- and both ratings) instead of only the last. The dialogue's own status, client_rating and
-- manager_rating keep describing its current (latest) cycle, which the list filter and the bulk
-- loader already read.
CREATE TABLE dialogue_cycles (
    id                  INTEGER PRIMARY KEY,
    dialogue_id         INTEGER NOT NULL REFERENCES dialogues (id) ON DELETE CASCADE,
    number              INTEGER NOT NULL,              -- 1 for the first, +1 per reopen
    opened_at           INTEGER NOT NULL,
    opened_by           INTEGER NOT NULL DEFAULT 0,    -- manager id; 0 = unknown (older rows)
    closed_at           INTEGER NOT NULL DEFAULT 0,    -- 0 = still open
    closed_by           INTEGER NOT NULL DEFAULT 0,
    rating_requested_at INTEGER NOT NULL DEFAULT 0,    -- the rating request was queued
    rating_message_id   INTEGER NOT NULL DEFAULT 0,    -- the message carrying the 1..5 buttons
    client_rating       INTEGER NOT NULL DEFAULT 0 CHECK (client_rating BETWEEN 0 AND 5),
    client_rated_at     INTEGER NOT NULL DEFAULT 0,
    manager_rating      INTEGER NOT NULL DEFAULT 0 CHECK (manager_rating BETWEEN 0 AND 5),
    manager_rated_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (dialogue_id, number)
);
CREATE INDEX dialogue_cycles_closed ON dialogue_cycles (closed_at) WHERE closed_at <> 0;

-- Every dialogue stored before cycles existed is its own first cycle.
INSERT INTO dialogue_cycles (dialogue_id, number, opened_at, closed_at, client_rating, manager_rating)
SELECT id, 1, created_at, CASE WHEN status = 'closed' THEN closed_at ELSE 0 END,
       MIN(MAX(client_rating, 0), 5), MIN(MAX(manager_rating, 0), 5)
FROM dialogues;

-- The admin's lists: dialogue types, reasons and components (Settings → Dialogues). Dialogues
-- keep the chosen names themselves, so renaming or removing an entry never rewrites history.
CREATE TABLE dialogue_options (
    id       INTEGER PRIMARY KEY,
    kind     TEXT    NOT NULL CHECK (kind IN ('type', 'reason', 'component')),
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, name)
);
