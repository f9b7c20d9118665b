-- The dialogues report (store/reports.go).
--
-- It takes the cycles opened in a period: this index finds them without reading every cycle.
CREATE INDEX dialogue_cycles_opened ON dialogue_cycles (opened_at);

-- Per cycle it seeks a chat's manager messages around the cycle's opening: the last one before
-- (the client's wait starts after it) and the first reply after the client's message. Through
-- messages_history that walk reads every client and bot message in between from the table;
-- managers write a fraction of a chat's messages, so this partial index is small and each
-- lookup is one seek. status rides along so "not refused by the messenger" is read from the
-- index too: only the chosen reply's row is read from the table.
CREATE INDEX messages_manager ON messages (chat_id, created_at, status) WHERE kind = 'message' AND sender = 'manager';
