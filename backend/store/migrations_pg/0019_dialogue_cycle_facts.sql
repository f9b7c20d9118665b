-- PostgreSQL twin of migrations/0019_dialogue_cycle_facts.sql: each dialogue cycle keeps its
-- first-response facts (asked_at, replied_at, responder_id), defined once by the view
-- dialogue_cycle_facts and kept current by triggers on the cycles, the dialogues and the
-- messages. The SQLite file words the definition; this one says the same in PostgreSQL's terms
-- (GREATEST/LEAST for two-argument MAX/MIN, IS DISTINCT FROM for IS NOT, trigger functions).
ALTER TABLE dialogue_cycles
    ADD COLUMN asked_at     BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN replied_at   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN responder_id BIGINT NOT NULL DEFAULT 0;

CREATE INDEX dialogues_chat ON dialogues (chat_id);

CREATE VIEW dialogue_cycle_waits AS
SELECT cy.id, cy.closed_at, cy.rating_message_id, d.chat_id,
       GREATEST(cy.opened_at - 86400000,
           COALESCE((SELECT p.closed_at FROM dialogue_cycles p
                     WHERE p.dialogue_id = cy.dialogue_id AND p.number = cy.number - 1), 0),
           COALESCE((SELECT MAX(m.created_at) FROM messages m
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
  SELECT m.id FROM messages m
  WHERE m.chat_id = a.chat_id AND m.kind = 'message' AND m.sender = 'manager'
    AND m.created_at >= a.asked_at AND (a.closed_at = 0 OR m.created_at <= a.closed_at)
    AND m.status <> 'failed' AND m.id <> a.rating_message_id
  ORDER BY m.created_at, m.id LIMIT 1);

-- Every cycle stored so far.
UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
  (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id);

-- A cycle opened, closed, given its rating request, or renumbered: its facts and the next
-- cycle's. The UPDATE sets only the facts' columns, which none of these triggers watch.
CREATE FUNCTION dialogue_facts_cycle() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE (dialogue_id = NEW.dialogue_id AND number IN (NEW.number, NEW.number + 1))
     OR (TG_OP = 'UPDATE' AND dialogue_id = OLD.dialogue_id AND number = OLD.number + 1);
  RETURN NULL;
END $$;
CREATE TRIGGER dialogue_facts_cycle_insert AFTER INSERT ON dialogue_cycles
    FOR EACH ROW EXECUTE FUNCTION dialogue_facts_cycle();
CREATE TRIGGER dialogue_facts_cycle_update AFTER UPDATE OF dialogue_id, number, opened_at, closed_at, rating_message_id
    ON dialogue_cycles FOR EACH ROW EXECUTE FUNCTION dialogue_facts_cycle();

CREATE FUNCTION dialogue_facts_dialogue() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE dialogue_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER dialogue_facts_dialogue_update AFTER UPDATE OF chat_id ON dialogues
    FOR EACH ROW EXECUTE FUNCTION dialogue_facts_dialogue();

-- A client or manager message changes only the cycles of its chat that were open at its time
-- and not yet answered before it (a client's: not yet asked before it either); see the SQLite
-- file for why. An update recomputes over both the old and the new chat and time.
CREATE FUNCTION dialogue_facts_message() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
  chat_a BIGINT; chat_b BIGINT; at BIGINT; client_only BOOLEAN;
BEGIN
  IF TG_OP = 'INSERT' THEN
    chat_a := NEW.chat_id; chat_b := NEW.chat_id; at := NEW.created_at; client_only := NEW.sender = 'client';
  ELSIF TG_OP = 'DELETE' THEN
    chat_a := OLD.chat_id; chat_b := OLD.chat_id; at := OLD.created_at; client_only := OLD.sender = 'client';
  ELSE
    chat_a := OLD.chat_id; chat_b := NEW.chat_id; at := LEAST(OLD.created_at, NEW.created_at); client_only := FALSE;
  END IF;
  UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
    (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)
  WHERE dialogue_id IN (SELECT d.id FROM dialogues d WHERE d.chat_id IN (chat_a, chat_b))
    AND (closed_at = 0 OR at <= closed_at) AND (replied_at = 0 OR at <= replied_at)
    AND (NOT client_only OR asked_at = 0 OR at <= asked_at);
  RETURN NULL;
END $$;
CREATE TRIGGER dialogue_facts_message_insert AFTER INSERT ON messages FOR EACH ROW
    WHEN (NEW.kind = 'message' AND NEW.sender IN ('client', 'manager'))
    EXECUTE FUNCTION dialogue_facts_message();
CREATE TRIGGER dialogue_facts_message_delete AFTER DELETE ON messages FOR EACH ROW
    WHEN (OLD.kind = 'message' AND OLD.sender IN ('client', 'manager'))
    EXECUTE FUNCTION dialogue_facts_message();
CREATE TRIGGER dialogue_facts_message_update AFTER UPDATE OF chat_id, created_at, kind, sender, status, manager_id
    ON messages FOR EACH ROW
    WHEN ((OLD.status = 'failed') <> (NEW.status = 'failed') OR OLD.chat_id <> NEW.chat_id
      OR OLD.created_at <> NEW.created_at OR OLD.kind <> NEW.kind OR OLD.sender <> NEW.sender
      OR OLD.manager_id IS DISTINCT FROM NEW.manager_id)
    EXECUTE FUNCTION dialogue_facts_message();
