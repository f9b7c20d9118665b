-- PostgreSQL twin of migrations/0015_dialogue_report.sql: the dialogues report's indexes.
CREATE INDEX dialogue_cycles_opened ON dialogue_cycles (opened_at);
CREATE INDEX messages_manager ON messages (chat_id, created_at, status) WHERE kind = 'message' AND sender = 'manager';
