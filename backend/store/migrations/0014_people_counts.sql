-- Tab badges without walking the people list. Every count walked a covering list index (0003,
-- 0004): linear in people, ~25 ms at 100k and 150-400 ms at 1M. people_counts holds how many
-- people share each combination of the columns the filter panel can narrow by (a few thousand
-- combinations at any size), once for everyone (facet 0) and once per sales plan (facet 1) and
-- per tag (facet 2) a person has. A tab count under the column filters, or one plan or one tag,
-- is then a sum over at most that many rows (store.TabCounts).
--
-- The triggers below keep it in the same transaction as every write that changes one of those
-- columns or a person's plans and tags, whichever path makes it (ingestion, read, archive,
-- blacklist, status, merge, card edits, delete). A write that leaves the combination as it was
-- (most new messages: the person already had unread ones) runs no trigger body. Rows whose n
-- falls to 0 stay: a sum over them is unchanged and they are few. The bulk loader drops the
-- triggers and rebuilds the table once (store.Bulk, rebuildPeopleCountsSQL in counts.go says the
-- same as the INSERTs at the end of this file).
CREATE TABLE people_counts (
    facet       INTEGER NOT NULL, -- 0 everyone, 1 a sales plan, 2 a tag
    facet_id    INTEGER NOT NULL, -- the plan's or tag's id; 0 for everyone
    archived    INTEGER NOT NULL,
    blacklisted INTEGER NOT NULL,
    unread      INTEGER NOT NULL, -- 1 when the person has unread messages (the Unread tab)
    kinds       INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    has_phone   INTEGER NOT NULL,
    has_email   INTEGER NOT NULL,
    source      TEXT    NOT NULL,
    tool        TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool)
) WITHOUT ROWID;

-- Every change is an upsert of +1 or -1 on the group's row, found by its primary key (an
-- UPDATE ... WHERE (facet, facet_id) IN (...) scans the table instead). "WHERE true" is there
-- because an INSERT ... SELECT with an upsert needs a WHERE (SQLite's parser). A -1 that finds no
-- row would leave a row of -1: the store test checks for negative counts.
CREATE TRIGGER people_counts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT f.facet, f.facet_id, new.archived, new.blacklisted, new.unread > 0, new.kinds, new.status,
           new.phone <> '', new.email <> '', new.source, new.tool, 1
    FROM (SELECT 0 AS facet, 0 AS facet_id
          UNION ALL SELECT 1, plan_id FROM person_plans WHERE person_id = new.id
          UNION ALL SELECT 2, tag_id FROM person_tags WHERE person_id = new.id) AS f
    WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- BEFORE: the person's plans and tags are still there (ON DELETE CASCADE removes them after the
-- row, when the person_plans/person_tags triggers no longer find the person and change nothing).
CREATE TRIGGER people_counts_delete BEFORE DELETE ON people BEGIN
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT f.facet, f.facet_id, old.archived, old.blacklisted, old.unread > 0, old.kinds, old.status,
           old.phone <> '', old.email <> '', old.source, old.tool, -1
    FROM (SELECT 0 AS facet, 0 AS facet_id
          UNION ALL SELECT 1, plan_id FROM person_plans WHERE person_id = old.id
          UNION ALL SELECT 2, tag_id FROM person_tags WHERE person_id = old.id) AS f
    WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER people_counts_update AFTER UPDATE OF archived, blacklisted, unread, kinds, status, phone, email, source, tool ON people
WHEN (old.archived, old.blacklisted, old.unread > 0, old.kinds, old.status, old.phone <> '', old.email <> '', old.source, old.tool)
  <> (new.archived, new.blacklisted, new.unread > 0, new.kinds, new.status, new.phone <> '', new.email <> '', new.source, new.tool)
BEGIN
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT f.facet, f.facet_id, old.archived, old.blacklisted, old.unread > 0, old.kinds, old.status,
           old.phone <> '', old.email <> '', old.source, old.tool, -1
    FROM (SELECT 0 AS facet, 0 AS facet_id
          UNION ALL SELECT 1, plan_id FROM person_plans WHERE person_id = old.id
          UNION ALL SELECT 2, tag_id FROM person_tags WHERE person_id = old.id) AS f
    WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT f.facet, f.facet_id, new.archived, new.blacklisted, new.unread > 0, new.kinds, new.status,
           new.phone <> '', new.email <> '', new.source, new.tool, 1
    FROM (SELECT 0 AS facet, 0 AS facet_id
          UNION ALL SELECT 1, plan_id FROM person_plans WHERE person_id = new.id
          UNION ALL SELECT 2, tag_id FROM person_tags WHERE person_id = new.id) AS f
    WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER people_counts_plan_insert AFTER INSERT ON person_plans BEGIN
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT 1, new.plan_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, 1
    FROM people p WHERE p.id = new.person_id
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER people_counts_plan_delete AFTER DELETE ON person_plans BEGIN
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT 1, old.plan_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, -1
    FROM people p WHERE p.id = old.person_id
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER people_counts_tag_insert AFTER INSERT ON person_tags BEGIN
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT 2, new.tag_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, 1
    FROM people p WHERE p.id = new.person_id
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER people_counts_tag_delete AFTER DELETE ON person_tags BEGIN
    INSERT INTO people_counts (facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
    SELECT 2, old.tag_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, -1
    FROM people p WHERE p.id = old.person_id
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- The people already stored.
INSERT INTO people_counts
SELECT 0, 0, archived, blacklisted, unread > 0, kinds, status, phone <> '', email <> '', source, tool, COUNT(*)
FROM people GROUP BY 3, 4, 5, 6, 7, 8, 9, 10, 11;
INSERT INTO people_counts
SELECT 1, pp.plan_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, COUNT(*)
FROM person_plans pp JOIN people p ON p.id = pp.person_id GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
INSERT INTO people_counts
SELECT 2, pt.tag_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, COUNT(*)
FROM person_tags pt JOIN people p ON p.id = pt.person_id GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;

-- Quick search with prefix indexes. A search term is a prefix ("ann"*, "5551"*); FTS5 answers
-- one by reading the doclist of every word that starts with it and merging them, and
-- phone_digits holds every suffix of every phone (0001), so a short digit run starts thousands
-- of distinct words at a million people (~40 ms a search); a one-letter word ("emma.c") starts
-- a tenth of all words. prefix = '1 2 3 4' keeps one doclist for each 1- to 4-character prefix
-- as well: such a term is one read in order, which the tab counts can also stop early
-- (store.TabCounts); longer prefixes start few words. It costs ~12% more index (44 against
-- 39 MB at 100k people). FTS5 takes its options only when a table is made, so the table is made
-- again under its name.
CREATE VIRTUAL TABLE people_fts_prefixed USING fts5 (
    name, email, phone, phone_digits,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4'
);
INSERT INTO people_fts_prefixed (rowid, name, email, phone, phone_digits)
SELECT rowid, name, email, phone, phone_digits FROM people_fts;
DROP TABLE people_fts;
ALTER TABLE people_fts_prefixed RENAME TO people_fts;
INSERT INTO people_fts (people_fts) VALUES ('optimize');
