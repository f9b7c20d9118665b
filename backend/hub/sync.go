package hub

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// The sync API a replica (a desktop in team mode) lives on: a snapshot to start from, the feed
// with the state of what changed (feed.go streams it when asked with state=1), older history on
// demand, and mutations. The wire types are backend/teamwire's.

// Snapshot and history tuning.
const (
	snapshotPeople  = 200 // people (with their chats) per snapshot page
	snapshotPerChat = 50  // newest messages per chat in a snapshot; older ones come on demand
	historyMax      = 200 // messages per history page at most
	stateFeedBatch  = 100 // events per state feed message: each brings its rows along
	maxMutationBody = teamwire.MaxConstructor + teamwire.MaxText + 4<<10
)

func (s *Server) syncStore() (*store.Store, *apiError) {
	if s.cfg.Inbox == nil || s.cfg.Composer == nil {
		return nil, newError(http.StatusNotFound, CodeNoSync, nil)
	}
	return s.cfg.Inbox.Store, nil
}

func queryInt(r *http.Request, name string) (int64, *apiError) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badRequest("invalid_" + name)
	}
	return n, nil
}

// snapshot serves one page: ?after=<person id> (0: the first page) and ?seq=<the first page's
// seq>, which every later page echoes. The first page takes the seq before it reads, so every
// change after it comes through the feed as well.
func (s *Server) snapshot(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	st, e := s.syncStore()
	if e != nil {
		return e
	}
	after, e := queryInt(r, "after")
	if e != nil {
		return e
	}
	seq, e := queryInt(r, "seq")
	if e != nil {
		return e
	}
	ctx := r.Context()
	if after == 0 {
		last, err := st.LastSeq(ctx)
		if err != nil {
			return s.internal("snapshot: seq", err)
		}
		seq = last
	}
	page := teamwire.SnapshotPage{Seq: seq}
	var err error
	// The totals (a count over every message) come with the first page only: counted again for
	// each of a big hub's 500 pages, they were a good part of a new desktop's bootstrap.
	if after == 0 {
		page.Totals.People, page.Totals.Chats, page.Totals.Messages, err = st.SnapshotTotals(ctx, snapshotPerChat)
		if err != nil {
			return s.internal("snapshot: totals", err)
		}
	}
	page.Rows, page.Next, err = st.SnapshotPage(ctx, after, snapshotPeople, snapshotPerChat)
	if err != nil {
		return s.internal("snapshot", err)
	}
	if page.Rows.Drafts, err = st.ManagerDrafts(ctx, c.account.ManagerID, chatIDs(page.Rows.Chats)); err != nil {
		return s.internal("snapshot: drafts", err)
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// history serves a chat's messages older than ?before=<message id> (default: the newest).
func (s *Server) history(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	st, e := s.syncStore()
	if e != nil {
		return e
	}
	chatID, e := pathID(r)
	if e != nil {
		return e
	}
	before, e := queryInt(r, "before")
	if e != nil {
		return e
	}
	limit, e := queryInt(r, "limit")
	if e != nil {
		return e
	}
	if limit == 0 || limit > historyMax {
		limit = historyMax
	}
	rows, more, err := st.HistoryRows(r.Context(), chatID, before, int(limit))
	if err != nil {
		return s.internal("history", err)
	}
	if rows == nil {
		rows = []core.MessageRow{}
	}
	writeJSON(w, http.StatusOK, teamwire.HistoryPage{Messages: rows, More: more})
	return nil
}

// mutate applies a desktop's write once. The Idempotency-Key names it; the answer is recorded
// with the key, so a replay (the desktop did not hear the answer) gets the same answer and
// changes nothing. A send is once-only even without the record: its message row carries the key.
func (s *Server) mutate(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	st, e := s.syncStore()
	if e != nil {
		return e
	}
	key, err := teamwire.ParseKey(r.Header.Get(teamwire.IdempotencyHeader))
	if err != nil {
		return newError(http.StatusBadRequest, CodeInvalidMutation, map[string]any{"reason": teamwire.Reason(err)})
	}
	body, e := readBodyUpTo(w, r, maxMutationBody)
	if e != nil {
		return e
	}
	m, err := teamwire.ParseMutation(body)
	if err != nil {
		return newError(http.StatusBadRequest, CodeInvalidMutation, map[string]any{"reason": teamwire.Reason(err)})
	}
	if teamwire.AdminOnly(m.Kind) && c.account.Role != store.RoleAdmin {
		return newError(http.StatusForbidden, CodeForbidden, nil)
	}
	ctx := r.Context()
	manager := c.account.ManagerID
	if status, result, found, err := st.AppliedMutation(ctx, manager, key.String()); err != nil {
		return s.internal("mutation: look up", err)
	} else if found {
		writeRaw(w, status, result)
		return nil
	}
	status, answer := http.StatusOK, any(nil)
	res, ae := s.apply(ctx, st, manager, c.account.Role == store.RoleAdmin, key.String(), m)
	if ae != nil {
		if ae.Status >= 500 {
			return ae // not recorded: a retry may succeed
		}
		status, answer = ae.Status, ae
	} else {
		answer = res
	}
	b, err := json.Marshal(answer)
	if err != nil {
		return s.internal("mutation: encode", err)
	}
	if err := st.RecordMutation(ctx, manager, key.String(), status, string(b), s.cfg.Now()); err != nil {
		return s.internal("mutation: record", err)
	}
	writeRaw(w, status, string(b))
	return nil
}

// apply runs one mutation through the inbox, as the manager who sent it (an admin or not).
// Every manager may act on every chat of the company (a claim assigns, it does not hide); what
// is one manager's own (drafts, addressed events) never reaches another. A mutation naming a
// chat, person, message, task or manager that is not there, or a message of another chat, is
// refused as not_found.
func (s *Server) apply(ctx context.Context, st *store.Store, manager int64, admin bool, key string, m teamwire.Mutation) (teamwire.MutationResult, *apiError) {
	ib := s.cfg.Inbox
	res := teamwire.MutationResult{Key: key}
	var msg core.Message
	var err error
	switch m.Kind {
	case teamwire.MutSendText:
		msg, err = ib.SendTextAs(ctx, manager, key, m.ChatID, m.Text, m.ReplyToID)
		if errors.Is(err, store.ErrMutationApplied) {
			return s.replayed(ctx, st, key)
		}
	case teamwire.MutMarkRead:
		err = ib.MarkRead(ctx, m.ChatID)
	case teamwire.MutDraft:
		// The sender's own draft: it reaches only their other desktops (drafts_team.go in store).
		err = st.SaveManagerDraft(ctx, manager, core.Draft{ChatID: m.ChatID, Text: m.Text, Constructor: m.Constructor,
			ReplyToID: m.ReplyToID, UpdatedAt: m.WrittenAt}, s.cfg.Now())
	case teamwire.MutEdit:
		msg, err = ib.EditMessage(ctx, m.MessageID, m.Text)
	case teamwire.MutDelete:
		msg, err = ib.DeleteMessage(ctx, m.MessageID)
	case teamwire.MutTunnelOff:
		err = ib.SetTunnelOff(ctx, m.ChatID, m.On)
	case teamwire.MutBotOff:
		err = ib.SetBotOff(ctx, m.ChatID, m.On)
	case teamwire.MutArchive:
		err = ib.SetArchived(ctx, m.PersonID, m.On)
	case teamwire.MutBlacklist:
		err = ib.SetBlacklisted(ctx, m.PersonID, m.On)
	case teamwire.MutNote:
		msg, err = ib.AddNoteAs(ctx, manager, key, m.ChatID, m.Text, m.Mentions)
		if errors.Is(err, store.ErrMutationApplied) {
			return s.replayed(ctx, st, key)
		}
	case teamwire.MutMarkAllRead:
		res.Marked, err = ib.MarkAllRead(ctx)
	case teamwire.MutClaim:
		err = ib.ClaimChatAs(ctx, manager, admin, m.ChatID, m.Owner)
	case teamwire.MutRelease:
		err = ib.ReleaseChatAs(ctx, manager, admin, m.ChatID, m.Owner)
	case teamwire.MutTaskAdd:
		res.Task, err = taskResult(ib.AddTaskAs(ctx, manager, core.Task{PersonID: m.PersonID, Title: m.Text, DueAt: m.DueAt, AssigneeID: m.Assignee}))
	case teamwire.MutTaskEdit:
		res.Task, err = taskResult(ib.UpdateTaskAs(ctx, manager, core.Task{ID: m.TaskID, Title: m.Text, DueAt: m.DueAt, AssigneeID: m.Assignee}))
	case teamwire.MutTaskDone:
		res.Task, err = taskResult(ib.SetTaskDone(ctx, m.TaskID, m.On))
	case teamwire.MutTaskDelete:
		err = ib.DeleteTask(ctx, m.TaskID)
	default: // dialogues and the company's settings (company.go)
		res.CompanyResult, err = s.applyCompany(ctx, manager, m)
	}
	if err != nil {
		// A missing chat or message is a refusal like any other (reason not_found): a 404 from
		// this route means a hub without the sync API, which a desktop waits out.
		code := inbox.ErrorCode(err)
		if code == inbox.CodeInternal || errors.Is(err, store.ErrDiskFull) {
			return res, s.internal("mutation "+m.Kind, err)
		}
		params := map[string]any{"reason": code}
		for k, v := range inbox.ErrorParams(err) { // the data the words need (who owns a chat)
			params[k] = v
		}
		return res, newError(http.StatusUnprocessableEntity, CodeMutationRefused, params)
	}
	if msg.ID != 0 {
		row, err := st.MessageRowByID(ctx, msg.ID)
		if err != nil {
			return res, s.internal("mutation: read message", err)
		}
		res.Message = &row
	}
	return res, nil
}

// replayed answers a send or a note whose key already made a message (the answer was not
// recorded: the hub stopped in between) with that message.
func (s *Server) replayed(ctx context.Context, st *store.Store, key string) (teamwire.MutationResult, *apiError) {
	row, err := st.MessageRowByKey(ctx, key)
	if err != nil {
		return teamwire.MutationResult{Key: key}, s.internal("mutation: replayed", err)
	}
	return teamwire.MutationResult{Key: key, Message: &row}, nil
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// stateMessage builds what the state feed sends for a batch of events: the current rows they
// refer to, read now.
func (s *Server) stateMessage(ctx context.Context, seq int64, evs []core.Event) (any, error) {
	rs, err := s.cfg.Inbox.Store.RowsFor(ctx, evs)
	if err != nil {
		return nil, err
	}
	return teamwire.FeedMessage{Type: teamwire.FeedChanges, Seq: seq, Rows: rs}, nil
}

// cursorKept says whether the state feed can resume after seq: the log still holds everything
// after it, and the seq is one this hub has handed out (a hub restored from an older backup, or
// another hub, has not).
func (s *Server) cursorKept(ctx context.Context, after int64) (bool, error) {
	st := s.cfg.Inbox.Store
	kept, err := st.KeptSince(ctx)
	if err != nil {
		return false, err
	}
	last, err := st.LastSeq(ctx)
	if err != nil {
		return false, err
	}
	if after > last || (kept > 0 && after < kept-1) {
		return false, nil
	}
	return true, nil
}

// sendBootstrap tells a replica its cursor cannot be resumed, then closes the socket.
func sendBootstrap(ctx context.Context, conn *websocket.Conn) {
	wctx, cancel := context.WithTimeout(ctx, feedWriteTimeout)
	defer cancel()
	wsjson.Write(wctx, conn, teamwire.FeedMessage{Type: teamwire.FeedBootstrap})
	conn.Close(websocket.StatusNormalClosure, "")
}

func (s *Server) beginStopping() { s.stoppingOnce.Do(func() { close(s.stopping) }) }

// pollWaitMax bounds how long a long-poll waits for news (under common proxy timeouts).
const pollWaitMax = 25 * time.Second

// feedPoll is the state feed over plain HTTP, for networks whose proxies refuse WebSockets: one
// FeedMessage with what changed after ?seq=, waiting up to ?wait= seconds (default and at most
// 25; 0 answers at once) for something to change; an unchanged seq means nothing did. The replica asks again with
// the seq it got.
func (s *Server) feedPoll(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	st, e := s.syncStore()
	if e != nil {
		return e
	}
	after, e := queryInt(r, "seq")
	if e != nil {
		return e
	}
	wait, e := queryInt(r, "wait")
	if e != nil {
		return e
	}
	d := pollWaitMax
	if r.URL.Query().Has("wait") && time.Duration(wait)*time.Second < d {
		d = time.Duration(wait) * time.Second // 0: answer at once (a replica checking the hub is there)
	}
	ctx := r.Context()
	if ok, err := s.cursorKept(ctx, after); err != nil {
		return s.internal("feed poll: cursor", err)
	} else if !ok {
		writeJSON(w, http.StatusOK, teamwire.FeedMessage{Type: teamwire.FeedBootstrap})
		return nil
	}
	wake, release := st.Subscribe()
	defer release()
	timeout := time.NewTimer(d)
	defer timeout.Stop()
	for {
		evs, err := st.EventsAfter(ctx, after, stateFeedBatch)
		if err != nil {
			return s.internal("feed poll", err)
		}
		if len(evs) > 0 {
			msg, err := s.stateMessage(ctx, evs[len(evs)-1].Seq, forManager(evs, c.account.ManagerID))
			if err != nil {
				return s.internal("feed poll: rows", err)
			}
			writeJSON(w, http.StatusOK, msg)
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-timeout.C:
			writeJSON(w, http.StatusOK, teamwire.FeedMessage{Type: teamwire.FeedChanges, Seq: after})
			return nil
		case <-s.stopping:
			writeJSON(w, http.StatusOK, teamwire.FeedMessage{Type: teamwire.FeedChanges, Seq: after})
			return nil
		case <-wake:
		}
	}
}

// taskResult is a task use case's answer as a mutation result's task.
func taskResult(t core.Task, err error) (*core.Task, error) {
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func chatIDs(chats []core.ChatRow) []int64 {
	ids := make([]int64, len(chats))
	for i, c := range chats {
		ids[i] = c.ID
	}
	return ids
}
