package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	sbengine "switchboard/backend/engine"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

// wireClock wraps a transport and records when the last response body was read to its end:
// the moment an update has left the wire and is in the connector's hands.
type wireClock struct {
	base http.RoundTripper
	last atomic.Int64 // unix ns
}

func (w *wireClock) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := w.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &clockedBody{ReadCloser: resp.Body, w: w}
	return resp, nil
}

type clockedBody struct {
	io.ReadCloser
	w    *wireClock
	done bool
}

func (b *clockedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) && !b.done {
		b.done = true
		b.w.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// timedStore is the store as the supervisor sees it, adding up the time spent in ApplyBatch so
// the report can split an ingestion run into "store" and "wire + parsing + loop".
type timedStore struct {
	*store.Store
	applyNs atomic.Int64
}

func (t *timedStore) ApplyBatch(ctx context.Context, id int64, b core.Batch, now time.Time) (core.ApplyResult, error) {
	t0 := time.Now()
	res, err := t.Store.ApplyBatch(ctx, id, b, now)
	t.applyNs.Add(int64(time.Since(t0)))
	return res, err
}

// engine is the real ingestion path: the engine as the app composes it (backend/engine), its
// poller running the Telegram connector against the fake Bot API and applying batches into st.
type engine struct {
	fake  *fakeapi.Telegram
	st    *timedStore
	clock *wireClock
	eng   *sbengine.Engine
}

func newEngine(ctx context.Context, st *store.Store, fake *fakeapi.Telegram, poll time.Duration, onBatch func(*engine, core.ApplyResult)) (*engine, error) {
	ch, err := st.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Bench bot",
		ExternalID: "123456789", Username: "switchboard_test_bot", APIURL: fake.URL()}, time.Now())
	if err != nil {
		return nil, err
	}
	// The bot's token in a 0600 file beside the database, as the headless hub keeps them.
	tokens := secrets.EnvOrFile{Dir: filepath.Join(filepath.Dir(st.Path()), "tokens")}
	if err := tokens.Set(ch.ID, fake.Token()); err != nil {
		return nil, err
	}
	e := &engine{fake: fake, st: &timedStore{Store: st},
		clock: &wireClock{base: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}}
	hc := &http.Client{Transport: e.clock}
	e.eng, err = sbengine.New(sbengine.Config{
		Store:       st,
		Ingest:      e.st,
		Secrets:     tokens,
		HTTPClient:  hc,
		PollTimeout: poll,
		OnBatch:     func(_ int64, res core.ApplyResult) { onBatch(e, res) },
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

func (e *engine) start(ctx context.Context) error { return e.eng.Start(ctx) }
func (e *engine) stop()                           { e.eng.Stop() }

var errTimeout = fmt.Errorf("timed out")
