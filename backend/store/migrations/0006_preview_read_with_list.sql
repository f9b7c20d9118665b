-- The list's preview (the first 200 characters of a chat's newest message) is read with the
-- list from messages_history (store.previewOf) instead of being kept in the people and chats
-- rows. Every new message copied its text into both rows, so the rows ingestion rewrites for
-- each message were about half again as wide as they need be: more pages to change and to
-- write to the WAL in every batch. A list page reads the preview of its 50 rows, one short
-- walk of messages_history each.
ALTER TABLE people DROP COLUMN preview;
ALTER TABLE chats DROP COLUMN preview;
