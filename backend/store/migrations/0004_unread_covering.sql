-- The unread partial indexes must cover the unread count too. SQLite does not treat the columns
-- of a partial index's WHERE as known, so counting unread people still read every unread
-- person's row; with archived, blacklisted and unread in the index the count stays inside it.
DROP INDEX people_unread_newest;
DROP INDEX people_unread_oldest;
CREATE INDEX people_unread_newest ON people (last_message_at DESC, id DESC,
    kinds, status, has_phone, has_email, source, tool, archived, blacklisted, unread)
    WHERE unread > 0 AND archived = 0 AND blacklisted = 0;
CREATE INDEX people_unread_oldest ON people (first_unread_at, id,
    kinds, status, has_phone, has_email, source, tool, archived, blacklisted, unread)
    WHERE unread > 0 AND archived = 0 AND blacklisted = 0;
