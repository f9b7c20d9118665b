-- Failure reasons are data: a message's error and an outbox row's last_error hold a code
-- (core.Fail*; "edit:<code>" / "delete:<code>" for a refused edit or delete) that the UI words in
-- the person's language. Before, they held English sentences written by Go or the messenger's own
-- description; this turns the rows already stored into codes. Patterns are tried in order.
CREATE TEMP TABLE failure_patterns (prio INTEGER PRIMARY KEY, pattern TEXT NOT NULL, code TEXT NOT NULL);
INSERT INTO failure_patterns (prio, pattern, code) VALUES
    (1, 'Not confirmed:%', 'not_confirmed'),
    (2, 'The channel is not connected%', 'not_connected'),
    (3, 'The channel''s token was rejected%', 'token_rejected'),
    (4, '%blocked%', 'blocked'),
    (5, 'Forbidden%', 'blocked'),
    (6, '%deactivated%', 'blocked'),
    (7, '%without permission%', 'blocked'),
    (8, '%privacy%', 'blocked'),
    (9, '%too long%', 'text_too_long'),
    (10, 'text is % characters; % allows %', 'text_too_long'),
    (11, '%can''t be edited%', 'not_editable'),
    (12, '%can''t be deleted%', 'delete_window'),
    (13, '%Too Many Requests%', 'rate_limited'),
    (14, 'Unauthorized%', 'token_rejected');

-- A refused edit or delete kept "Edit not delivered: <reason>" / "Not deleted: <reason>".
UPDATE messages SET error = 'edit:' || COALESCE(
        (SELECT code FROM failure_patterns WHERE substr(messages.error, 21) LIKE pattern ORDER BY prio LIMIT 1), 'rejected')
    WHERE error LIKE 'Edit not delivered: %';
UPDATE messages SET error = 'delete:' || COALESCE(
        (SELECT code FROM failure_patterns WHERE substr(messages.error, 14) LIKE pattern ORDER BY prio LIMIT 1), 'rejected')
    WHERE error LIKE 'Not deleted: %';
-- A failed send kept the reason itself: the messenger refused it, so anything unknown is "rejected".
UPDATE messages SET error = COALESCE(
        (SELECT code FROM failure_patterns WHERE messages.error LIKE pattern ORDER BY prio LIMIT 1), 'rejected')
    WHERE error <> '' AND error NOT LIKE 'edit:%' AND error NOT LIKE 'delete:%';

-- Outbox rows: the in-flight mark, then closed rows (refused: "rejected" unless known) and open
-- ones (waiting to retry after a network error or a slow-down: "offline" unless known).
UPDATE outbox SET last_error = 'in_flight' WHERE last_error = 'in flight';
UPDATE outbox SET last_error = COALESCE(
        (SELECT code FROM failure_patterns WHERE outbox.last_error LIKE pattern ORDER BY prio LIMIT 1),
        CASE WHEN done = 1 THEN 'rejected' ELSE 'offline' END)
    WHERE last_error <> '' AND last_error <> 'in_flight';

DROP TABLE failure_patterns;
