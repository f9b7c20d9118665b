-- The store speaks data, the UI speaks words. Person logs were English sentences written by Go
-- ("Subscribed to Shop bot (tunnel "Main", source "", tool "")"), shown as they were in the
-- Russian UI too. They become a kind (core/logs.go) and its parameters as a JSON object in
-- person_logs.params; the UI words them. This converts every sentence earlier versions wrote
-- (the store's and the demo workspace's), then drops the text column. Indicators lose their
-- two English details ("Blocked the bot", "Card declined") for reason codes.
--
-- The text column is the scratch space while parsing: a converted row's text is emptied, so
-- whatever is left unrecognised at the end is kept as a "text" parameter rather than lost.

ALTER TABLE person_logs ADD COLUMN params TEXT NOT NULL DEFAULT '{}';

-- The switches and flags: the direction was in the sentence, now it is in the kind.
UPDATE person_logs SET kind = 'tunnel_on', text = '' WHERE kind = 'tunnel_off' AND text = 'Tunnel messages turned on';
UPDATE person_logs SET text = '' WHERE kind = 'tunnel_off' AND text = 'Tunnel messages turned off';
UPDATE person_logs SET kind = 'bot_on', text = '' WHERE kind = 'bot_off' AND text = 'Bot messages turned on';
UPDATE person_logs SET text = '' WHERE kind = 'bot_off' AND text = 'Bot messages turned off';
UPDATE person_logs SET kind = 'unarchived', text = '' WHERE kind = 'archived' AND text = 'Restored from the archive';
UPDATE person_logs SET text = '' WHERE kind = 'archived' AND text = 'Moved to the archive';
UPDATE person_logs SET kind = 'unblacklisted', text = '' WHERE kind = 'blacklisted' AND text = 'Removed from the blacklist';
UPDATE person_logs SET text = '' WHERE kind = 'blacklisted' AND text = 'Added to the blacklist';

-- Merged with "NAME" (Go's %q: \" and \\ escaped).
UPDATE person_logs
SET params = json_object('name', replace(replace(substr(text, 14, length(text) - 14), '\"', '"'), '\\', '\')), text = ''
WHERE kind = 'merge' AND text LIKE 'Merged with "%"';

-- Unsubscribed from CHANNEL (blocked the bot or denied messages)
UPDATE person_logs
SET params = json_object('channel', substr(text, 19, length(text) - 18 - 37)), text = ''
WHERE kind = 'unsubscription' AND text LIKE 'Unsubscribed from % (blocked the bot or denied messages)';

-- Allowed messages from CHANNEL again (was logged as a resubscription)
UPDATE person_logs
SET kind = 'messages_allowed', params = json_object('channel', substr(text, 23, length(text) - 22 - 6)), text = ''
WHERE kind = 'resubscription' AND text LIKE 'Allowed messages from % again';

-- Subscribed [again] to CHANNEL[ (tunnel "T", source "S", tool "U")]. The prefix goes first;
-- rows with the parenthesis are marked '~' in their kind while their tail is parsed.
UPDATE person_logs
SET params = json_object('channel', substr(text, 15, instr(text, ' (tunnel "') - 15)),
    text = substr(text, instr(text, ' (tunnel "') + 10), kind = kind || '~'
WHERE kind = 'subscription' AND text LIKE 'Subscribed to % (tunnel "%", source "%", tool "%")';
UPDATE person_logs
SET params = json_object('channel', substr(text, 21, instr(text, ' (tunnel "') - 21)),
    text = substr(text, instr(text, ' (tunnel "') + 10), kind = kind || '~'
WHERE kind = 'resubscription' AND text LIKE 'Subscribed again to % (tunnel "%", source "%", tool "%")';
UPDATE person_logs
SET params = json_object('channel', substr(text, 15)), text = ''
WHERE kind = 'subscription' AND text LIKE 'Subscribed to %';
UPDATE person_logs
SET params = json_object('channel', substr(text, 21)), text = ''
WHERE kind = 'resubscription' AND text LIKE 'Subscribed again to %';
-- The tail, one field at a time: T", source "S", tool "U")
UPDATE person_logs
SET params = json_set(params, '$.tunnel', replace(replace(substr(text, 1, instr(text, '", source "') - 1), '\"', '"'), '\\', '\')),
    text = substr(text, instr(text, '", source "') + 11)
WHERE kind IN ('subscription~', 'resubscription~');
UPDATE person_logs
SET params = json_set(params, '$.source', replace(replace(substr(text, 1, instr(text, '", tool "') - 1), '\"', '"'), '\\', '\')),
    text = substr(text, instr(text, '", tool "') + 9)
WHERE kind IN ('subscription~', 'resubscription~');
UPDATE person_logs
SET params = json_set(params, '$.tool', replace(replace(substr(text, 1, length(text) - 2), '\"', '"'), '\\', '\')),
    text = '', kind = rtrim(kind, '~')
WHERE kind IN ('subscription~', 'resubscription~');
UPDATE person_logs SET params = json_remove(params, '$.tunnel') WHERE json_extract(params, '$.tunnel') = '';
UPDATE person_logs SET params = json_remove(params, '$.source') WHERE json_extract(params, '$.source') = '';
UPDATE person_logs SET params = json_remove(params, '$.tool') WHERE json_extract(params, '$.tool') = '';

-- The demo workspace's: Subscribed via TOOL (SOURCE), Added to the sales plan PLAN.
UPDATE person_logs
SET kind = 'subscription',
    params = json_object('tool', substr(text, 16, instr(text, ' (') - 16),
                         'source', substr(text, instr(text, ' (') + 2, length(text) - instr(text, ' (') - 2)),
    text = ''
WHERE kind = 'subscribed' AND text LIKE 'Subscribed via % (%)';
UPDATE person_logs SET kind = 'plan_added', params = json_object('plan', substr(text, 25)), text = ''
WHERE kind = 'plan' AND text LIKE 'Added to the sales plan %';

-- Anything not recognised keeps what it said.
UPDATE person_logs SET params = json_object('text', text) WHERE text <> '';

ALTER TABLE person_logs DROP COLUMN text;

-- Indicators: a reason code instead of an English detail. Every unsubscription indicator comes
-- from a block (or VK's message_deny), which is what blocked_bot words.
UPDATE messages SET indicator = json_set(json_remove(indicator, '$.details'), '$.reason', 'blocked_bot')
WHERE kind = 'indicator' AND indicator LIKE '%"details":"Blocked the bot"%';
UPDATE messages SET indicator = json_set(json_remove(indicator, '$.details'), '$.reason', 'card_declined')
WHERE kind = 'indicator' AND indicator LIKE '%"details":"Card declined"%';
UPDATE messages SET indicator = json_set(indicator, '$.reason', 'blocked_bot')
WHERE kind = 'indicator' AND indicator LIKE '{"type":"unsubscription"%' AND json_extract(indicator, '$.reason') IS NULL;

-- A client with neither name nor username was named "Client <messenger id>"; now "#<id>".
UPDATE people_fts SET name = '#' || substr(name, 8)
WHERE rowid IN (SELECT id FROM people WHERE name GLOB 'Client [0-9-]*' AND substr(name, 8) NOT GLOB '*[^0-9-]*');
UPDATE people SET name = '#' || substr(name, 8)
WHERE name GLOB 'Client [0-9-]*' AND substr(name, 8) NOT GLOB '*[^0-9-]*';
