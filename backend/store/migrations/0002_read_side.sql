-- Read side: events addressed to one manager (note.mention) and indexes the filter panel uses.
ALTER TABLE events ADD COLUMN manager_id INTEGER NOT NULL DEFAULT 0;
-- The filter panel lists distinct tools and sources; without these each listing reads every person.
CREATE INDEX people_tool ON people (tool) WHERE tool <> '';
CREATE INDEX people_source ON people (source) WHERE source <> '';
