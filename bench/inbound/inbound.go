// Package inbound is the client traffic the benches feed Switchboard: generated private text
// messages, queued on the fake Bot API, and the bare batched insert of the same rows that
// ingestion is measured against (storebench's ingestion, hubbench's hub write rate).
package inbound

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/store"
)

// Message is one message a client writes to the bot.
type Message struct {
	UserID int64
	Name   string
	Text   string
}

var (
	benchFirst = []string{"Анна", "Иван", "Мария", "Сергей", "Ольга", "Дмитрий", "Emily", "James", "Olivia", "Noah"}
	benchWords = []string{"здравствуйте", "подскажите", "цена", "доставка", "заказ", "оплата", "спасибо", "когда",
		"курс", "вебинар", "скидка", "промокод", "hello", "price", "order", "delivery", "thanks", "please", "link", "today"}
)

// Generate makes n messages from n/20 clients (about 20 messages each), in random order,
// as real traffic interleaves chats.
func Generate(rng *rand.Rand, n int) []Message {
	clients := max(1, n/20)
	out := make([]Message, n)
	for i := range out {
		c := rng.IntN(clients)
		words := 3 + rng.IntN(12)
		text := make([]byte, 0, 96)
		for w := 0; w < words; w++ {
			if w > 0 {
				text = append(text, ' ')
			}
			text = append(text, benchWords[rng.IntN(len(benchWords))]...)
		}
		out[i] = Message{UserID: 500000000 + int64(c), Name: benchFirst[c%len(benchFirst)], Text: string(text)}
	}
	return out
}

// Push queues updates on the fake as clients' private text messages.
func Push(fake *fakeapi.Telegram, ups []Message) {
	for _, u := range ups {
		fake.PushText(u.UserID, u.Name, u.Text)
	}
}

func chatIDString(id int64) string { return strconv.FormatInt(id, 10) }

// BareInsert is the floor SQLite sets for these rows: the same people, chats and messages
// (messages through the same FTS trigger and indexes), inserted with prepared statements in
// transactions of 100, with no HTTP, JSON, lookups of earlier rows, list columns or events.
// It is the one place outside backend/store that writes SQL, because the point is to bypass
// the store.
func BareInsert(ups []Message) (time.Duration, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sb-bare-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, store.DBFile)
	st, err := store.Open(path) // the same schema, by the same migrations
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
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	t0 := time.Now()
	if err := insertBatched(ctx, db, ch.ID, ups, sqliteBare); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// bareStatements are one database's INSERTs of the bare batched insert, and how an inserted
// row's id comes back (SQLite: LastInsertId; PostgreSQL: RETURNING id).
type bareStatements struct {
	person, chat, message string
	insertID              func(ctx context.Context, stmt *sql.Stmt, args ...any) (int64, error)
}

var sqliteBare = bareStatements{
	person:  `INSERT INTO people (name, status, created_at) VALUES (?, 'subscribed', ?)`,
	chat:    `INSERT INTO chats (person_id, channel_id, external_chat_id, created_at) VALUES (?, ?, ?, ?)`,
	message: `INSERT INTO messages (chat_id, kind, external_id, sender, sender_name, text, status, created_at) VALUES (?, 'message', ?, 'client', ?, ?, 'received', ?)`,
	insertID: func(ctx context.Context, stmt *sql.Stmt, args ...any) (int64, error) {
		res, err := stmt.ExecContext(ctx, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	},
}

// insertBatched inserts ups' people, chats and messages with prepared statements, one
// transaction per 100 messages.
func insertBatched(ctx context.Context, db *sql.DB, channelID int64, ups []Message, q bareStatements) error {
	chats := map[int64]int64{}
	msgNo := map[int64]int{}
	now := time.Now().UnixMilli()
	for at := 0; at < len(ups); at += 100 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		insPerson, err1 := tx.PrepareContext(ctx, q.person)
		insChat, err2 := tx.PrepareContext(ctx, q.chat)
		insMsg, err3 := tx.PrepareContext(ctx, q.message)
		if err1 != nil || err2 != nil || err3 != nil {
			tx.Rollback()
			return fmt.Errorf("prepare: %v %v %v", err1, err2, err3)
		}
		for _, u := range ups[at:min(at+100, len(ups))] {
			chatID, ok := chats[u.UserID]
			if !ok {
				pid, err := q.insertID(ctx, insPerson, u.Name, now)
				if err != nil {
					tx.Rollback()
					return err
				}
				if chatID, err = q.insertID(ctx, insChat, pid, channelID, chatIDString(u.UserID), now); err != nil {
					tx.Rollback()
					return err
				}
				chats[u.UserID] = chatID
			}
			msgNo[u.UserID]++
			if _, err := insMsg.ExecContext(ctx, chatID, fmt.Sprint(msgNo[u.UserID]), u.Name, u.Text, now); err != nil {
				tx.Rollback()
				return err
			}
		}
		insPerson.Close()
		insChat.Close()
		insMsg.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
