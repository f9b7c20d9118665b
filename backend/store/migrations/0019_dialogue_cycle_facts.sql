-- The dialogues report keeps each cycle's first-response facts on the cycle (store/reports.go).
--
-- Measured per report, every cycle cost about seven index seeks into messages (the last manager
-- message before it opened, the client's first message after that, the first reply), ~6 µs a
-- cycle: at 1M people a 30-day report is ~47k cycles, 300-700 ms. Kept on the row, the report
-- reads cycles and their dialogues only.
--
-- dialogue_cycle_facts is the one definition of the facts; the report's README section words it:
--   - waiting_since: the latest of the previous cycle's close, the chat's last manager message
--     before the cycle opened (not refused by the messenger), and 24 h (store.ReportLookback)
--     before the opening: a client message after it had not been answered by a person when the
--     cycle began, so the wait counts from it even if the manager opened the dialogue later;
--   - asked_at: the client's first message after waiting_since and not after the close (0: none);
--   - the first reply: the first manager message at or after asked_at, up to the close, that was
--     not refused by the messenger and is not the cycle's own rating request; bot messages and
--     notes never count. replied_at is when, responder_id who (0, 0: nobody yet).
-- The triggers below recompute a cycle's facts whenever anything they read changes: the cycle
-- opening, closing or getting its rating request, and any client or manager message of its chat
-- arriving (late ones too: a replica catching up, a poller after an outage), changing status
-- (a reply the messenger refused after the cycle closed, a failed one sent again), moving or
-- going away. So the stored facts are always what the definition says now, whichever code
-- path wrote (inbox, ingest, outbox, the team replica, an older build's rows), and the bulk
-- loader (store/bulk.go) drops these triggers for a load and fills the facts once at its end.
ALTER TABLE dialogue_cycles ADD COLUMN asked_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dialogue_cycles ADD COLUMN replied_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dialogue_cycles ADD COLUMN responder_id INTEGER NOT NULL DEFAULT 0;

-- A message finds the dialogues of its chat, closed ones included (dialogues_active has only open).
CREATE INDEX dialogues_chat ON dialogues (chat_id);

CREATE VIEW dialogue_cycle_waits AS
SELECT cy.id, cy.closed_at, cy.rating_message_id, d.chat_id,
       MAX(cy.opened_at - 86400000,
           COALESCE((SELECT p.closed_at FROM dialogue_cycles p
                     WHERE p.dialogue_id = cy.dialogue_id AND p.number = cy.number - 1), 0),
           COALESCE((SELECT MAX(m.created_at) FROM messages m INDEXED BY messages_manager
                     WHERE m.chat_id = d.chat_id AND m.kind = 'message' AND m.sender = 'manager'
                       AND m.status <> 'failed' AND m.created_at < cy.opened_at), 0)) AS waiting_since
FROM dialogue_cycles cy JOIN dialogues d ON d.id = cy.dialogue_id;

CREATE VIEW dialogue_cycle_asks AS
SELECT w.id, w.chat_id, w.closed_at, w.rating_message_id,
       (SELECT MIN(m.created_at) FROM messages m
        WHERE m.chat_id = w.chat_id AND m.created_at > w.waiting_since
          AND (w.closed_at = 0 OR m.created_at <= w.closed_at)
          AND m.kind = 'message' AND m.sender = 'client') AS asked_at
FROM dialogue_cycle_waits w;

CREATE VIEW dialogue_cycle_facts AS
SELECT a.id, COALESCE(a.asked_at, 0) AS asked_at,
       COALESCE(r.created_at, 0) AS replied_at, COALESCE(r.manager_id, 0) AS responder_id
FROM dialogue_cycle_asks a
LEFT JOIN messages r ON r.id = (
  SELECT m.id FROM messages m INDEXED BY messages_manager
  WHERE m.chat_id = a.chat_id AND m.kind = 'message' AND m.sender = 'manager'
    AND m.created_at >= a.asked_at AND (a.closed_at = 0 OR m.created_at <= a.closed_at)
    AND m.status <> 'failed' AND m.id <> a.rating_message_id
  ORDER BY m.created_at, m.id LIMIT 1);

-- Every cycle stored so far.
UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
  (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id);

-- A cycle opened, closed, given its rating request (the request is not a reply), or renumbered:
-- its facts and the next cycle's (whose wait starts at this one's close).
CREATE TRIGGER dialogue_facts_cycle_insert AFTER INSERT ON dialogue_cycles BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE dialogue_id = new.dialogue_id AND number IN (new.number, new.number + 1);
END;
CREATE TRIGGER dialogue_facts_cycle_update AFTER UPDATE OF dialogue_id, number, opened_at, closed_at, rating_message_id ON dialogue_cycles BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE (dialogue_id = new.dialogue_id AND number IN (new.number, new.number + 1))
     OR (dialogue_id = old.dialogue_id AND number = old.number + 1);
END;
CREATE TRIGGER dialogue_facts_dialogue_update AFTER UPDATE OF chat_id ON dialogues BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE dialogue_id = new.id;
END;

-- A client or manager message at time t can change only the cycles of its chat that were open
-- at t (closed_at 0 or >= t) and had no reply before t (a later message is neither the first
-- question nor the first reply; the next cycle's wait is that cycle's own business, and its
-- reply, if any, comes after it opened, so after t); a client's message, only those that had no
-- question before t either (the question is the first client message, the wait is set by
-- managers' messages). Usually that is no cycle: the lookup through dialogues_chat finds the
-- chat has no dialogue, or one already answered, or a client writing on while they wait.
CREATE TRIGGER dialogue_facts_message_insert AFTER INSERT ON messages
WHEN new.kind = 'message' AND new.sender IN ('client', 'manager') BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE dialogue_id IN (SELECT d.id FROM dialogues d WHERE d.chat_id = new.chat_id)
    AND (closed_at = 0 OR new.created_at <= closed_at) AND (replied_at = 0 OR new.created_at <= replied_at)
    AND (new.sender = 'manager' OR asked_at = 0 OR new.created_at <= asked_at);
END;
CREATE TRIGGER dialogue_facts_message_delete AFTER DELETE ON messages
WHEN old.kind = 'message' AND old.sender IN ('client', 'manager') BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE dialogue_id IN (SELECT d.id FROM dialogues d WHERE d.chat_id = old.chat_id)
    AND (closed_at = 0 OR old.created_at <= closed_at) AND (replied_at = 0 OR old.created_at <= replied_at)
    AND (old.sender = 'manager' OR asked_at = 0 OR old.created_at <= asked_at);
END;
-- Sent, delivered and edited change nothing; refused (or sent again after a refusal), moved in
-- time or to another chat, another kind or sender, another author do.
CREATE TRIGGER dialogue_facts_message_update AFTER UPDATE OF chat_id, created_at, kind, sender, status, manager_id ON messages
WHEN (old.status = 'failed') <> (new.status = 'failed') OR old.chat_id <> new.chat_id OR old.created_at <> new.created_at
  OR old.kind <> new.kind OR old.sender <> new.sender OR old.manager_id IS NOT new.manager_id BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE dialogue_id IN (SELECT d.id FROM dialogues d WHERE d.chat_id IN (old.chat_id, new.chat_id))
    AND (closed_at = 0 OR MIN(old.created_at, new.created_at) <= closed_at)
    AND (replied_at = 0 OR MIN(old.created_at, new.created_at) <= replied_at);
END;
