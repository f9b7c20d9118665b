package inbound

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"testing"

	"switchboard/backend/store/testpg"
)

// The PostgreSQL floor stores exactly the rows it is given: every message, one person and one
// chat per client, in a schema the store's migrations made.
func TestBareInsertPostgresStoresTheRows(t *testing.T) {
	dsn := testpg.DSN(t)
	msgs := Generate(rand.New(rand.NewPCG(7, 7)), 1000)
	clients := map[int64]bool{}
	for _, m := range msgs {
		clients[m.UserID] = true
	}
	took, err := BareInsertPostgres(dsn, msgs)
	if err != nil {
		t.Fatal(err)
	}
	if took <= 0 {
		t.Fatalf("took %v", took)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var messages, people, chats int
	err = db.QueryRowContext(context.Background(),
		`SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM chats)`).Scan(&messages, &people, &chats)
	if err != nil {
		t.Fatal(err)
	}
	if messages != len(msgs) || people != len(clients) || chats != len(clients) {
		t.Fatalf("stored %d messages, %d people, %d chats; want %d, %d, %d", messages, people, chats, len(msgs), len(clients), len(clients))
	}
}
