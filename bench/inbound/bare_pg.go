package inbound

import (
	"context"
	"database/sql"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"

	// The database/sql driver for PostgreSQL, which store.OpenPostgres also needs linked.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// BareInsertPostgres is BareInsert's floor on PostgreSQL: the same people, chats and messages
// into an empty database (or schema: dsn's search_path) migrated by the store's own
// migrations_pg, with prepared INSERTs in transactions of 100 over one connection, and no HTTP,
// JSON, lookups of earlier rows, list columns, events or write lock. The schema's triggers
// (people_counts) run, as they do for the hub.
func BareInsertPostgres(dsn string, ups []Message) (time.Duration, error) {
	ctx := context.Background()
	st, err := store.OpenPostgres(ctx, dsn, "") // the same schema, by the same migrations
	if err != nil {
		return 0, err
	}
	ch, err := st.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Bench bot", ExternalID: "123456789"}, time.Now())
	if err != nil {
		st.Close()
		return 0, err
	}
	if err := st.Close(); err != nil {
		return 0, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		return 0, err
	}

	t0 := time.Now()
	if err := insertBatched(ctx, db, ch.ID, ups, postgresBare); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

var postgresBare = bareStatements{
	person:  `INSERT INTO people (name, status, created_at) VALUES ($1, 'subscribed', $2) RETURNING id`,
	chat:    `INSERT INTO chats (person_id, channel_id, external_chat_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
	message: `INSERT INTO messages (chat_id, kind, external_id, sender, sender_name, text, status, created_at) VALUES ($1, 'message', $2, 'client', $3, $4, 'received', $5)`,
	insertID: func(ctx context.Context, stmt *sql.Stmt, args ...any) (id int64, err error) {
		err = stmt.QueryRowContext(ctx, args...).Scan(&id)
		return id, err
	},
}
