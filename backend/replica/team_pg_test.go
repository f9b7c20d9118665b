package replica_test

import (
	"context"
	"path/filepath"
	"testing"

	"switchboard/backend/store"
	"switchboard/backend/store/testpg"
)

// hubOnPostgres makes startHub keep the hub's store in PostgreSQL (the replicas stay on
// SQLite, as desktops do). TestTeamOnPostgres sets it while it runs the team tests again.
var hubOnPostgres bool

// hubPGThrough, when set, turns the hub's PostgreSQL DSN into the one it dials (through a
// proxy that can cut its connections, as a PostgreSQL restart does).
var hubPGThrough func(t *testing.T, dsn string) string

// openHubStore opens the hub's store: a fresh SQLite file, or with hubOnPostgres a fresh
// PostgreSQL schema.
func openHubStore(t *testing.T) *store.Store {
	t.Helper()
	var st *store.Store
	var err error
	if hubOnPostgres {
		dsn := testpg.DSN(t)
		if hubPGThrough != nil {
			dsn = hubPGThrough(t, dsn)
		}
		st, err = store.OpenPostgres(context.Background(), dsn, t.TempDir())
	} else {
		st, err = store.Open(filepath.Join(t.TempDir(), store.DBFile))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// teamTestsOnPostgres are the team tests that pass with the hub on PostgreSQL.
var teamTestsOnPostgres = []struct {
	name string
	fn   func(*testing.T)
}{
	{"TestTwoReplicasFollowOneHub", TestTwoReplicasFollowOneHub},
	{"TestMutationsAreAppliedOnceAndChecked", TestMutationsAreAppliedOnceAndChecked},
	{"TestReplicaBootstrapsAgainWhenTheHubAsks", TestReplicaBootstrapsAgainWhenTheHubAsks},
	{"TestDisabledManagersReplicaIsCutOff", TestDisabledManagersReplicaIsCutOff},
	{"TestReplicaEditsArchivesAndRefusesWhatItCannot", TestReplicaEditsArchivesAndRefusesWhatItCannot},
	{"TestOlderHistoryLoadsOnDemand", TestOlderHistoryLoadsOnDemand},
	{"TestReplicaFallsBackToLongPolls", TestReplicaFallsBackToLongPolls},
	{"TestClaimsAreDecidedByTheHub", TestClaimsAreDecidedByTheHub},
	{"TestTasksTravelAndEachImportantTabIsOwn", TestTasksTravelAndEachImportantTabIsOwn},
	{"TestOlderHistoryIsNotAskedForWhenNotOnline", TestOlderHistoryIsNotAskedForWhenNotOnline},
	{"TestDraftsFollowTheirManagerOnly", TestDraftsFollowTheirManagerOnly},
	{"TestMutationsNamingWhatIsNotThereAreRefused", TestMutationsNamingWhatIsNotThereAreRefused},
	{"TestPresenceTravelsBetweenDesktops", TestPresenceTravelsBetweenDesktops},
	{"TestPersonLogsAreTheSameOnEveryDesktop", TestPersonLogsAreTheSameOnEveryDesktop},
	{"TestTaggingADisabledManagerIsRefused", TestTaggingADisabledManagerIsRefused},
	{"TestSnapshotSurvivesAHubRestartMidway", TestSnapshotSurvivesAHubRestartMidway},
	{"TestDialoguesTravelAndTheClientsTapShowsEverywhere", TestDialoguesTravelAndTheClientsTapShowsEverywhere},
	{"TestCompanySettingsAreTheAdminsAndTravel", TestCompanySettingsAreTheAdminsAndTravel},
	{"TestDialogueAndSettingsRefusalsAreTheInboxs", TestDialogueAndSettingsRefusalsAreTheInboxs},
	{"TestReadAllIsTheAdminsAtTheHub", TestReadAllIsTheAdminsAtTheHub},
}

// TestTeamOnPostgres runs the team tests with the hub's store in PostgreSQL: ingestion by the
// hub's engine, the feed, snapshots, mutations and history all read and written there
// (skipped without SWITCHBOARD_TEST_PG, a failure in CI).
func TestTeamOnPostgres(t *testing.T) {
	testpg.DSN(t)
	for _, tc := range teamTestsOnPostgres {
		t.Run(tc.name, func(t *testing.T) {
			hubOnPostgres = true
			defer func() { hubOnPostgres = false }()
			tc.fn(t)
		})
	}
}
