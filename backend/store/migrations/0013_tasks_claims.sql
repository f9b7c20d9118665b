-- Tasks and claims (issue 12).
--
-- A chat can be claimed by one manager: owner_id (0 = unassigned) changes only by
-- compare-and-set (store.SetChatOwner). The list's "mine" and "unassigned" filters ask for the
-- people with a chat owned by someone; this partial index holds exactly the owned chats, so both
-- are one walk over it however many chats there are.
ALTER TABLE chats ADD COLUMN owner_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX chats_owner ON chats (owner_id, person_id) WHERE owner_id <> 0;

-- When a task was completed, so the card lists the done ones newest first.
ALTER TABLE tasks ADD COLUMN done_at INTEGER NOT NULL DEFAULT 0;

-- The due notifications already raised: one row per task, for the due time it fired at. A task
-- moved to a new due time fires again then; a restart fires nothing twice. Local to this
-- machine on purpose: a replica's tasks rows are overwritten by the hub, these are not.
CREATE TABLE task_alerts (
    task_id INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    due_at  INTEGER NOT NULL
);
-- Tasks already overdue when this version first runs are not news: they do not fire.
INSERT INTO task_alerts (task_id, due_at)
SELECT id, due_at FROM tasks WHERE done = 0 AND due_at <= CAST(strftime('%s', 'now') AS INTEGER) * 1000;
