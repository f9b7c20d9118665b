package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// The dialogues report (issue 12, README "The dialogues report"). It measures dialogue cycles,
// not dialogues: a reopened dialogue is a new cycle with its own first response, resolution and
// ratings, and a cycle belongs to the period it was opened in. One SQL text (reportCycles)
// decides every figure, so the table, the chart, the CSV and `switchboard-hub report` agree.

// ReportCycle is one dialogue cycle opened in the period, with what the report measures of it.
// Times are unix ms; 0 means "did not happen" (not answered, not closed, not rated).
type ReportCycle struct {
	DialogueID    int64  `db:"dialogue_id"`
	Cycle         int    `db:"cycle"`
	ChatID        int64  `db:"chat_id"`
	Client        string `db:"client"`
	Channel       string `db:"channel"` // the channel's kind: telegram, vk
	Type          string `db:"type"`
	Status        string `db:"status"` // the dialogue's status now; a cycle before the last is closed
	OpenedAt      int64  `db:"opened_at"`
	ClosedAt      int64  `db:"closed_at"`
	AskedAt       int64  `db:"asked_at"`   // the client's first message the cycle waited on
	RepliedAt     int64  `db:"replied_at"` // the first reply of a manager after it
	ManagerID     int64  `db:"manager_id"` // whose cycle it is: closer, else first responder, else opener
	Manager       string `db:"manager"`
	ResponderID   int64  `db:"responder_id"` // who replied first; 0 = nobody yet
	Responder     string `db:"responder"`
	ClientRating  int    `db:"client_rating"`
	ManagerRating int    `db:"manager_rating"`
}

// FirstResponse is the client's wait for a manager in this cycle, 0 if nobody replied.
func (c ReportCycle) FirstResponse() time.Duration {
	if c.RepliedAt == 0 || c.AskedAt == 0 {
		return 0
	}
	return time.Duration(c.RepliedAt-c.AskedAt) * time.Millisecond
}

// Resolution is open to close of this cycle, 0 while it is open.
func (c ReportCycle) Resolution() time.Duration {
	if c.ClosedAt == 0 {
		return 0
	}
	return time.Duration(c.ClosedAt-c.OpenedAt) * time.Millisecond
}

// ReportGroup is the sums behind one line of the report: one manager's cycles of one type.
// Sums and counts rather than averages, so lines merge (by manager, by type, the total) exactly.
type ReportGroup struct {
	ManagerID        int64  `db:"manager_id" json:"managerId"`
	Manager          string `db:"manager" json:"manager"`
	Type             string `db:"type" json:"type"`
	Cycles           int    `db:"cycles" json:"cycles"`                       // opened in the period (owner's line)
	Closed           int    `db:"closed" json:"closed"`                       // of those, closed by now
	FirstResponseSum int64  `db:"first_response_sum" json:"firstResponseSum"` // ms, over the responder's lines
	FirstResponseN   int    `db:"first_response_n" json:"firstResponseN"`
	ResolutionSum    int64  `db:"resolution_sum" json:"resolutionSum"` // ms, over the closed cycles
	ClientRatingSum  int    `db:"client_rating_sum" json:"clientRatingSum"`
	ClientRatingN    int    `db:"client_rating_n" json:"clientRatingN"`
	ManagerRatingSum int    `db:"manager_rating_sum" json:"managerRatingSum"`
	ManagerRatingN   int    `db:"manager_rating_n" json:"managerRatingN"`
}

// ReportLookback is how long before a cycle opened a client's unanswered message still starts
// the cycle's wait for a first response. The view dialogue_cycle_waits (migration 0019) holds it
// as 86400000 ms; TestReportLookbackMatchesTheView keeps the two equal.
const ReportLookback = 24 * time.Hour

// cycleFactsTriggers selects the triggers that keep the cycles' facts, for the bulk loader.
const cycleFactsTriggers = `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dialogue\_facts\_%' ESCAPE '\'`

// fillCycleFactsSQL computes every cycle's facts (the same statement as migration 0019's backfill).
const fillCycleFactsSQL = `
UPDATE dialogue_cycles SET (asked_at, replied_at, responder_id) =
  (SELECT f.asked_at, f.replied_at, f.responder_id FROM dialogue_cycle_facts f WHERE f.id = dialogue_cycles.id)`

// reportCycles selects the cycles opened in [?, ?) (through dialogue_cycles_opened, 0015) with
// their measures. A cycle's first-response facts (asked_at, replied_at, responder_id) are kept
// on its row: the view dialogue_cycle_facts (migration 0019) defines them and triggers recompute
// them whenever a message or cycle they depend on changes, so the report reads cycles and
// dialogues only instead of seeking into messages ~7 times per cycle. The owner: who closed the
// cycle, else who replied first, else who opened it, else the first of the dialogue's managers
// (dialogues from before cycles knew their managers).
var reportCycles = `
WITH owned AS (
  SELECT cy.dialogue_id, cy.number, cy.opened_at, cy.closed_at, cy.client_rating, cy.manager_rating,
         d.chat_id, d.type, d.status, cy.asked_at, cy.replied_at, cy.responder_id,
         CASE WHEN cy.closed_at <> 0 AND cy.closed_by <> 0 THEN cy.closed_by
              WHEN cy.responder_id <> 0 THEN cy.responder_id
              WHEN cy.opened_by <> 0 THEN cy.opened_by
              ELSE COALESCE((SELECT MIN(dm.manager_id) FROM dialogue_managers dm WHERE dm.dialogue_id = cy.dialogue_id), 0)
         END AS owner_id
  FROM dialogue_cycles cy JOIN dialogues d ON d.id = cy.dialogue_id
  WHERE cy.opened_at >= ? AND cy.opened_at < ?
)`

// ReportCycles lists every dialogue cycle opened in [from, to), oldest first: the report's
// rows, one per cycle (the CSV export).
func (s *Store) ReportCycles(ctx context.Context, from, to time.Time) ([]ReportCycle, error) {
	out := []ReportCycle{}
	err := sqlx.SelectContext(ctx, s.read, &out, reportCycles+`
SELECT o.dialogue_id, o.number AS cycle, o.chat_id, COALESCE(p.name, '') AS client, COALESCE(ch.kind, '') AS channel,
       o.type, CASE WHEN o.closed_at <> 0 THEN 'closed' ELSE o.status END AS status,
       o.opened_at, o.closed_at, o.asked_at, o.replied_at,
       o.owner_id AS manager_id, COALESCE(mo.name, '') AS manager,
       o.responder_id, COALESCE(mr.name, '') AS responder, o.client_rating, o.manager_rating
FROM owned o
JOIN chats c ON c.id = o.chat_id
LEFT JOIN people p ON p.id = c.person_id
LEFT JOIN channels ch ON ch.id = c.channel_id
LEFT JOIN managers mo ON mo.id = o.owner_id
LEFT JOIN managers mr ON mr.id = o.responder_id
ORDER BY o.opened_at, o.dialogue_id, o.number`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: report cycles %s..%s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return out, nil
}

// ReportGroups sums the cycles opened in [from, to) per manager and dialogue type. A cycle's
// count, resolution and ratings go to its owner; its first response goes to whoever replied
// first, who after a reassignment may be someone else: each is judged on what they did.
func (s *Store) ReportGroups(ctx context.Context, from, to time.Time) ([]ReportGroup, error) {
	out := []ReportGroup{}
	err := sqlx.SelectContext(ctx, s.read, &out, reportCycles+`,
lines AS (
  SELECT owner_id AS manager_id, type, 1 AS cycles, CASE WHEN closed_at <> 0 THEN 1 ELSE 0 END AS closed, NULL AS first_response,
         CASE WHEN closed_at <> 0 THEN closed_at - opened_at END AS resolution,
         NULLIF(client_rating, 0) AS client_rating, NULLIF(manager_rating, 0) AS manager_rating
  FROM owned
  UNION ALL
  SELECT responder_id, type, 0, 0, replied_at - asked_at, NULL, NULL, NULL
  FROM owned WHERE responder_id <> 0
)
SELECT l.manager_id, COALESCE(m.name, '') AS manager, l.type,
       SUM(l.cycles) AS cycles, SUM(l.closed) AS closed,
       COALESCE(SUM(l.first_response), 0) AS first_response_sum, COUNT(l.first_response) AS first_response_n,
       COALESCE(SUM(l.resolution), 0) AS resolution_sum,
       COALESCE(SUM(l.client_rating), 0) AS client_rating_sum, COUNT(l.client_rating) AS client_rating_n,
       COALESCE(SUM(l.manager_rating), 0) AS manager_rating_sum, COUNT(l.manager_rating) AS manager_rating_n
FROM lines l LEFT JOIN managers m ON m.id = l.manager_id
GROUP BY l.manager_id, l.type, m.name
ORDER BY manager, l.manager_id, l.type`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: report %s..%s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return out, nil
}

// ReportSpan is when the first and the last dialogue cycle were opened (zero times when there
// is none): the bench asks for periods where the dataset has dialogues, whenever it was made.
func (s *Store) ReportSpan(ctx context.Context) (first, last time.Time, err error) {
	var span struct {
		First int64 `db:"first"`
		Last  int64 `db:"last"`
	}
	if err := s.read.GetContext(ctx, &span, `
SELECT COALESCE(MIN(opened_at), 0) AS first, COALESCE(MAX(opened_at), 0) AS last FROM dialogue_cycles`); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("store: report span: %w", err)
	}
	if span.Last == 0 {
		return time.Time{}, time.Time{}, nil
	}
	return time.UnixMilli(span.First), time.UnixMilli(span.Last), nil
}
