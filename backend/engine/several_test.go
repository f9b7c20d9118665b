package engine_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/store"
	"switchboard/backend/store/testpg"
)

// Two hub engines on one PostgreSQL and one bot: the first polls and delivers the outbox, the
// second does neither while the first lives, yet a message sent through the second's inbox (as
// through its API) leaves at once, exactly once. When the first stops, the second takes the bot
// and the outbox over at its next channel sync.
func TestTwoEnginesOnOnePostgresShareOneBot(t *testing.T) {
	dsn := testpg.DSN(t)
	keyring.MockInit()
	ctx := context.Background()
	fake := fakeapi.NewTelegram(t)
	start := func(polls *atomic.Int32) (*engine.Engine, *store.Store) { return startPGEngine(t, dsn, nil, polls) }
	var pollsA, pollsB atomic.Int32
	engA, stA := start(&pollsA)
	stopA := func() { engA.Stop(); stA.Close() }
	defer func() {
		if stopA != nil {
			stopA()
		}
	}()
	if _, err := engA.Inbox.AddTelegramChannel(ctx, fake.Token(), fake.URL()); err != nil {
		t.Fatal(err)
	}
	fake.PushText(1001, "Client", "hello")
	var chatID int64
	waitFor(t, "a stores the client's message", func() bool {
		c, err := stA.ChatByExternal(ctx, 1, "1001")
		chatID = c.ID
		return err == nil
	})
	engB, stB := start(&pollsB)
	defer func() { engB.Stop(); stB.Close() }()
	if err := engB.SyncChannels(ctx); err != nil {
		t.Fatal(err)
	}
	if pollsB.Load() != 0 {
		t.Fatal("b polls the bot while a does")
	}

	sentOnce := func(text string) bool {
		n := 0
		for _, m := range fake.Messages(1001) {
			if m.Text == text {
				n++
			}
		}
		if n > 1 {
			t.Fatalf("%q sent %d times", text, n)
		}
		return n == 1
	}
	if _, err := engB.Inbox.SendText(ctx, chatID, "sent through b", 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a delivers what b queued", func() bool { return sentOnce("sent through b") })

	stopA()
	stopA = nil
	waitFor(t, "b takes the bot over", func() bool {
		if err := engB.SyncChannels(ctx); err != nil {
			t.Fatal(err)
		}
		return pollsB.Load() > 0
	})
	fake.PushText(1001, "Client", "still there?")
	if _, err := engB.Inbox.SendText(ctx, chatID, "b delivers now", 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b delivers its own send", func() bool { return sentOnce("b delivers now") })
	time.Sleep(300 * time.Millisecond)
	sentOnce("sent through b")
	waitFor(t, "b stores the client's next message", func() bool {
		page, err := stB.History(ctx, core.HistoryQuery{ChatID: chatID})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Messages {
			if m.Text == "still there?" {
				return true
			}
		}
		return false
	})
}

// startPGEngine opens a store on dsn and starts an engine over it (logging to logger, when set)
// that counts in polls the times a channel starts polling. The caller stops and closes them.
func startPGEngine(t *testing.T, dsn string, logger *slog.Logger, polls *atomic.Int32) (*engine.Engine, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenPostgres(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Store: st, MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
		Logger: logger,
		OnStatus: func(s core.ChannelStatus) {
			if s.State == core.StatePolling {
				polls.Add(1)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return eng, st
}
