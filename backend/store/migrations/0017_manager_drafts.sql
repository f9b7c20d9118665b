-- Team mode: a draft is one manager's own (issue 11). The hub keeps each manager's draft of
-- each chat here and sends it only to that manager's desktops; a desktop keeps its own manager's
-- drafts in the drafts table as before.
--
-- updated_at is when the manager wrote it, by the writing desktop's clock (the hub caps it at
-- its own): the newest write wins, whichever desktop delivers it last. A cleared draft stays as
-- an empty row, so its time still beats an older text arriving late from a desktop that was
-- offline.
CREATE TABLE manager_drafts (
    chat_id     INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    manager_id  INTEGER NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    constructor TEXT    NOT NULL DEFAULT '',
    reply_to_id INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, manager_id)
) WITHOUT ROWID;
