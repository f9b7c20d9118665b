-- The "unread, oldest first" list walks people_unread_oldest. Its WHERE named unread, and SQLite
-- rewrites a row's entry in every index whose columns or partial-index WHERE an UPDATE sets, so
-- every new client message moved the person's entry even when their oldest unread message, the
-- key, stayed the same (the usual case: someone writing again before being answered).
--
-- first_unread_at > 0 says the same as unread > 0 (they are kept together: the oldest unread
-- time is 0 exactly when nothing is unread), so the index names that and leaves unread out, and
-- ingestion leaves it alone unless the oldest unread time changes. Counting the unread tab uses
-- people_unread_newest, so this index need not carry the count's columns either.
DROP INDEX people_unread_oldest;
CREATE INDEX people_unread_oldest ON people (first_unread_at, id,
    kinds, status, has_phone, has_email, source, tool)
    WHERE first_unread_at > 0 AND archived = 0 AND blacklisted = 0;
