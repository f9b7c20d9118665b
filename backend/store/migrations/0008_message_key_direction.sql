-- A messenger's message id is unique per chat on Telegram's own servers, but a custom Bot API
-- server that was reset or replaced hands out ids again: the answer to a send can carry the id
-- of a client's stored message. The key keeps what the client wrote and what we wrote apart, so
-- neither can replace (or delete) the other.
ALTER TABLE messages ADD COLUMN from_client INTEGER GENERATED ALWAYS AS (sender = 'client') VIRTUAL;
DROP INDEX messages_external;
CREATE UNIQUE INDEX messages_external ON messages (chat_id, external_id, from_client) WHERE external_id <> '';
