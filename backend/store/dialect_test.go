package store

import (
	"context"
	"database/sql/driver"
	"testing"

	"switchboard/backend/store/testpg"
)

// onPostgres makes openTest and openTemp open the store on PostgreSQL. TestOnPostgres sets it
// while it runs the store's own tests a second time (the tests do not run in parallel).
var onPostgres bool

func openTestPostgres(t testing.TB) *Store {
	t.Helper()
	s, err := OpenPostgres(context.Background(), testpg.DSN(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// postgresTests are the store's tests that pass on PostgreSQL too, run again by TestOnPostgres
// against a fresh schema each. A test missing here still runs on SQLite only (see DESIGN.md).
var postgresTests = []struct {
	name string
	fn   func(*testing.T)
}{
	{"TestBatchAppliesLikeOneUpdateAtATime", TestBatchAppliesLikeOneUpdateAtATime},
	{"TestIncrementalListColumnsEqualAFullRecompute", TestIncrementalListColumnsEqualAFullRecompute},
	{"TestApplyBatchIsExactlyOnceAndStoresCursor", TestApplyBatchIsExactlyOnceAndStoresCursor},
	{"TestApplyBatchFailureStoresNeitherRowsNorCursor", TestApplyBatchFailureStoresNeitherRowsNorCursor},
	{"TestUnstorableUpdatesAreSkippedNotFatal", TestUnstorableUpdatesAreSkippedNotFatal},
	{"TestApplyEditsReactionsReplies", TestApplyEditsReactionsReplies},
	{"TestBlockedAllowedChangeStatusWithIndicatorsAndLogs", TestBlockedAllowedChangeStatusWithIndicatorsAndLogs},
	{"TestSubscriptionWithLeadLinkAndResubscription", TestSubscriptionWithLeadLinkAndResubscription},
	{"TestSharedPhoneJoinsOnePerson", TestSharedPhoneJoinsOnePerson},
	{"TestMergePeopleMovesEverything", TestMergePeopleMovesEverything},
	{"TestChannelsAndLeadLinks", TestChannelsAndLeadLinks},
	{"TestNextOutboxKeepsPerChatOrder", TestNextOutboxKeepsPerChatOrder},
	{"TestEchoOfOurSendIsOneMessage", TestEchoOfOurSendIsOneMessage},
	{"TestQueueRulesAreCheckedBeforeQueueing", TestQueueRulesAreCheckedBeforeQueueing},
	{"TestRecoverOutboxRetriesWhatIsSafeToRepeat", TestRecoverOutboxRetriesWhatIsSafeToRepeat},
	{"TestSendAnsweredWithAClientMessagesIDKeepsBoth", TestSendAnsweredWithAClientMessagesIDKeepsBoth},
	{"TestHistoryPagesFiltersAndQuotes", TestHistoryPagesFiltersAndQuotes},
	{"TestHistoryPagingWithTiesWalksEverything", TestHistoryPagingWithTiesWalksEverything},
	{"TestSearchMessages", TestSearchMessages},
	{"TestMarkReadAndUnreadTab", TestMarkReadAndUnreadTab},
	{"TestMarkAllReadBatches", TestMarkAllReadBatches},
	{"TestNotesDoNotTouchUnreadAndMentionEvents", TestNotesDoNotTouchUnreadAndMentionEvents},
	{"TestSwitchesLogAndEvent", TestSwitchesLogAndEvent},
	{"TestClientCard", TestClientCard},
	{"TestApplyRowsKeepsHubIdsAndSearch", TestApplyRowsKeepsHubIdsAndSearch},
	{"TestLocalSendIsReplacedByTheHubsRow", TestLocalSendIsReplacedByTheHubsRow},
	{"TestReplicaAppliesTasksLogsAndMentions", TestReplicaAppliesTasksLogsAndMentions},
	{"TestBatchedReplicaApplyEqualsRowAtATime", TestBatchedReplicaApplyEqualsRowAtATime},
	{"TestCommitSignalsAndEventLog", TestCommitSignalsAndEventLog},
	{"TestSettingsFiltersFacetsManagers", TestSettingsFiltersFacetsManagers},
	{"TestWalkedCountsMatchCountStar", TestWalkedCountsMatchCountStar},
	{"TestPeopleCountsFollowEveryWrite", TestPeopleCountsFollowEveryWrite},
	{"TestCountsPastTheWorkBoundAreLowerBounds", TestCountsPastTheWorkBoundAreLowerBounds},
	{"TestListTabsAndOrder", TestListTabsAndOrder},
	{"TestListFilters", TestListFilters},
	{"TestListSearch", TestListSearch},
	{"TestListPaginationWalk", TestListPaginationWalk},
	{"TestBroadSetsGiveTheSameAnswers", TestBroadSetsGiveTheSameAnswers},
	{"TestListWalkAndDriveGiveTheSameAnswers", TestListWalkAndDriveGiveTheSameAnswers},
	{"TestListPlanChoosesTheClearCases", TestListPlanChoosesTheClearCases},
	{"TestListCursorIsChecked", TestListCursorIsChecked},
	{"TestLogsAreKindsAndParams", TestLogsAreKindsAndParams},
	{"TestNamelessClientIsNamedByID", TestNamelessClientIsNamedByID},
	{"TestDialogueOptionsAreUniquePerKind", TestDialogueOptionsAreUniquePerKind},
	{"TestDialogueCyclesCloseAndReopen", TestDialogueCyclesCloseAndReopen},
	{"TestClientRatingTaps", TestClientRatingTaps},
	{"TestClientRatingFromAMessage", TestClientRatingFromAMessage},
	{"TestCloseWithATooLongRequestKeepsTheDialogueOpen", TestCloseWithATooLongRequestKeepsTheDialogueOpen},
	{"TestTaskLifecycleDrivesImportant", TestTaskLifecycleDrivesImportant},
	{"TestTaskAssigneeMustExistAndBeEnabled", TestTaskAssigneeMustExistAndBeEnabled},
	{"TestTakeDueTasksOncePerDueTime", TestTakeDueTasksOncePerDueTime},
	{"TestClaimRaceHasOneWinner", TestClaimRaceHasOneWinner},
	{"TestClaimCompareAndSet", TestClaimCompareAndSet},
	{"TestOwnerFilter", TestOwnerFilter},
	{"TestDraftSurvivesReopenAndDrivesHasDraft", TestDraftSurvivesReopenAndDrivesHasDraft},
	{"TestDraftOnlyConstructorKeepsMarkAndUnknownChatFails", TestDraftOnlyConstructorKeepsMarkAndUnknownChatFails},
	{"TestTemplateCRUD", TestTemplateCRUD},
	{"TestPruneEventsKeepsAnUnbrokenTail", TestPruneEventsKeepsAnUnbrokenTail},
	{"TestReportCases", TestReportCases},
	{"TestReportOutboundDialogueWaitsFromTheClientsAnswer", TestReportOutboundDialogueWaitsFromTheClientsAnswer},
	{"TestReportWaitLooksBackADayAtMost", TestReportWaitLooksBackADayAtMost},
	{"TestReportFactsFollowLateClientMessages", TestReportFactsFollowLateClientMessages},
	{"TestReportFactsFollowARefusedReplyAfterTheClose", TestReportFactsFollowARefusedReplyAfterTheClose},
	{"TestReportFactsOfCycleRowsWrittenDirectly", TestReportFactsOfCycleRowsWrittenDirectly},
	{"TestReportFactsStayCurrentThroughTheReportCases", TestReportFactsStayCurrentThroughTheReportCases},
}

// TestOnPostgres runs postgresTests with the store on PostgreSQL (skipped without
// SWITCHBOARD_TEST_PG, a failure in CI).
func TestOnPostgres(t *testing.T) {
	testpg.DSN(t) // skips here, not once per test, when there is no PostgreSQL
	for _, tc := range postgresTests {
		t.Run(tc.name, func(t *testing.T) {
			onPostgres = true
			defer func() { onPostgres = false }()
			tc.fn(t)
		})
	}
}

func TestTranslatePostgres(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{`UPDATE m SET r = ?1 WHERE id = ?2 AND r <> ?1`, `UPDATE m SET r = $1 WHERE id = $2 AND r <> $1`},
		{`SELECT '?', "a?" FROM t WHERE x = ?`, `SELECT '?', "a?" FROM t WHERE x = $1`},
		{`INSERT OR IGNORE INTO pp (a, b) SELECT ?, id FROM s WHERE n = ?`,
			`INSERT INTO pp (a, b) SELECT $1, id FROM s WHERE n = $2 ON CONFLICT DO NOTHING`},
		{`SET a = MAX(c.a, d.maxat), b = MIN(c.b, (SELECT MIN(x) FROM y)), e = (SELECT MAX(seq) FROM events)`,
			`SET a = GREATEST(c.a, d.maxat), b = LEAST(c.b, (SELECT MIN(x) FROM y)), e = (SELECT MAX(seq) FROM events)`},
		{`x = iif((a, b) >= (c, d), e, f)`, `x = CASE WHEN (a, b) >= (c, d) THEN e ELSE f END`},
		{`SELECT 1 FROM messages m INDEXED BY messages_history WHERE 1`, `SELECT 1 FROM messages m WHERE 1`},
		{`WHERE id IN (SELECT value FROM json_each(?))`,
			`WHERE id IN (SELECT j.value::BIGINT FROM json_array_elements_text($1::json) AS j(value))`},
		{`WHERE ext IN (SELECT value FROM json_each(?))`, `WHERE ext IN (SELECT value FROM json_array_elements_text($1::json) AS j(value))`},
		{`json_extract(indicator, '$.type') IN ('a')`, `(CASE WHEN indicator <> '' THEN indicator::json ->> 'type' END) IN ('a')`},
		{`SELECT 1 FROM people_fts WHERE people_fts MATCH ? AND rowid = p.id`,
			`SELECT 1 FROM people_fts WHERE rowid IN (SELECT x.rowid FROM people_fts x WHERE sb_fts_match(concat_ws(' ', x.name, x.email, x.phone, x.phone_digits), $1)) AND rowid = p.id`},
		{`INSERT INTO e (k) SELECT column1 FROM (VALUES (?),(?)) WHERE column1 IS NOT NULL`,
			`INSERT INTO e (k) SELECT column1 FROM (VALUES ($1),($2)) AS sb_sub1 WHERE column1 IS NOT NULL`},
		{`FROM (SELECT column1 AS cid FROM (VALUES (?, ?))) AS d`, `FROM (SELECT column1 AS cid FROM (VALUES ($1, $2)) AS sb_sub1) AS d`},
		{`SELECT COUNT(*) FROM (SELECT 1 FROM a) JOIN (SELECT 2) b ON 1 WHERE x IN (SELECT y FROM (SELECT y FROM z))`,
			`SELECT COUNT(*) FROM (SELECT 1 FROM a) AS sb_sub1 JOIN (SELECT 2) b ON 1 WHERE x IN (SELECT y FROM (SELECT y FROM z) AS sb_sub2)`},
		{`FROM (SELECT 1 AS id) d CROSS JOIN people p ON p.id = d.id`, `FROM (SELECT 1 AS id) d JOIN people p ON p.id = d.id`},
		{`SELECT pg_advisory_xact_lock($1)`, `SELECT pg_advisory_xact_lock($1)`},
	} {
		if got := translatePostgres(tc.in); got != tc.want {
			t.Errorf("translatePostgres(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestBindArgsTypesIntegersAndDropsUnusedArguments(t *testing.T) {
	args := []driver.NamedValue{{Ordinal: 1, Value: int64(7)}, {Ordinal: 2, Value: "x"}, {Ordinal: 3, Value: nil}}
	q, got := bindArgs(`DELETE FROM f WHERE rowid = $2 AND a = '$1' AND b = $3 AND c = $2::text`, args)
	if want := `DELETE FROM f WHERE rowid = $1 AND a = '$1' AND b = $2 AND c = $1::text`; q != want {
		t.Errorf("query %q, want %q", q, want)
	}
	if len(got) != 2 || got[0].Value != "x" || got[1].Value != nil || got[0].Ordinal != 1 || got[1].Ordinal != 2 {
		t.Errorf("args %+v", got)
	}
	q, _ = bindArgs(`SELECT column1 FROM (VALUES ($1, $2)) AS v LIMIT $1`, args[:2])
	if want := `SELECT column1 FROM (VALUES ($1::bigint, $2)) AS v LIMIT $1::bigint`; q != want {
		t.Errorf("query %q, want %q", q, want)
	}
}
