package inbound

import (
	"context"
	"database/sql"
	"fmt"
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
	chats := map[int64]int64{}
	msgNo := map[int64]int{}
	now := time.Now().UnixMilli()
	for at := 0; at < len(ups); at += 100 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		insPerson, err1 := tx.PrepareContext(ctx, `INSERT INTO people (name, status, created_at) VALUES ($1, 'subscribed', $2) RETURNING id`)
		insChat, err2 := tx.PrepareContext(ctx, `INSERT INTO chats (person_id, channel_id, external_chat_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id`)
		insMsg, err3 := tx.PrepareContext(ctx, `INSERT INTO messages (chat_id, kind, external_id, sender, sender_name, text, status, created_at) VALUES ($1, 'message', $2, 'client', $3, $4, 'received', $5)`)
		if err1 != nil || err2 != nil || err3 != nil {
			tx.Rollback()
			return 0, fmt.Errorf("prepare: %v %v %v", err1, err2, err3)
		}
		for _, u := range ups[at:min(at+100, len(ups))] {
			chatID, ok := chats[u.UserID]
			if !ok {
				var pid int64
				if err := insPerson.QueryRowContext(ctx, u.Name, now).Scan(&pid); err != nil {
					tx.Rollback()
					return 0, err
				}
				if err := insChat.QueryRowContext(ctx, pid, ch.ID, chatIDString(u.UserID), now).Scan(&chatID); err != nil {
					tx.Rollback()
					return 0, err
				}
				chats[u.UserID] = chatID
			}
			msgNo[u.UserID]++
			if _, err := insMsg.ExecContext(ctx, chatID, fmt.Sprint(msgNo[u.UserID]), u.Name, u.Text, now); err != nil {
				tx.Rollback()
				return 0, err
			}
		}
		insPerson.Close()
		insChat.Close()
		insMsg.Close()
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return time.Since(t0), nil
}
