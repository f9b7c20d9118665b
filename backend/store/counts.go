package store

// people_counts (migration 0014) holds, per combination of the columns the filter panel narrows
// by, how many people have it: once for everyone (facet 0), per sales plan (facet 1) and per tag
// (facet 2). Triggers keep it in step with every write; the bulk loader drops them and rebuilds
// the table once at the end (Bulk.Finish), as the migration did for the rows already stored.

// peopleCountsTriggers selects the triggers that keep people_counts, for the bulk loader.
const peopleCountsTriggers = `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'people\_counts\_%' ESCAPE '\'`

// rebuildPeopleCountsSQL recomputes people_counts from people, person_plans and person_tags
// (the same statements as the end of migration 0014).
const rebuildPeopleCountsSQL = `
DELETE FROM people_counts;
INSERT INTO people_counts
SELECT 0, 0, archived, blacklisted, unread > 0, kinds, status, phone <> '', email <> '', source, tool, COUNT(*)
FROM people GROUP BY 3, 4, 5, 6, 7, 8, 9, 10, 11;
INSERT INTO people_counts
SELECT 1, pp.plan_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, COUNT(*)
FROM person_plans pp JOIN people p ON p.id = pp.person_id GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
INSERT INTO people_counts
SELECT 2, pt.tag_id, p.archived, p.blacklisted, p.unread > 0, p.kinds, p.status, p.phone <> '', p.email <> '', p.source, p.tool, COUNT(*)
FROM person_tags pt JOIN people p ON p.id = pt.person_id GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
`
