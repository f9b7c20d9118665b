package store

import (
	"context"
	"fmt"
	"strconv"
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

// reportCycles selects the cycles opened in [?, ?) with their measures. Per cycle:
//   - waiting_since: the latest of the previous cycle's close, the chat's last manager message
//     before the cycle opened, and ReportLookback before the opening: a client message after it
//     had not been answered by a person when the cycle began, so the wait counts from it even if
//     the manager opened the dialogue later. The lookback keeps an old conversation the bot
//     handled (weeks before anyone opened a dialogue) from counting as a wait;
//   - asked_at: the client's first message after waiting_since (and not after the close);
//   - the first reply: the first manager message at or after asked_at, up to the close, that was
//     not refused by the messenger and is not the cycle's own rating request. Bot messages and
//     notes never count;
//   - the owner: who closed the cycle, else who replied first, else who opened it, else the first
//     of the dialogue's managers (dialogues from before cycles knew their managers).
//
// Every lookup is an index seek: cycles by dialogue_cycles_opened (0015), messages by the
// partial messages_manager (0015) for manager messages and messages_history for the client's.
// ReportLookback is how long before a cycle opened a client's unanswered message still starts
// the cycle's wait for a first response.
const ReportLookback = 24 * time.Hour

var reportLookbackMs = strconv.FormatInt(ReportLookback.Milliseconds(), 10)

var reportCycles = `
WITH cyc AS MATERIALIZED (
  SELECT cy.dialogue_id, cy.number, cy.opened_at, cy.opened_by, cy.closed_at, cy.closed_by,
         cy.client_rating, cy.manager_rating, cy.rating_message_id, d.chat_id, d.type, d.status,
         MAX(cy.opened_at - ` + reportLookbackMs + `,
             COALESCE((SELECT p.closed_at FROM dialogue_cycles p
                       WHERE p.dialogue_id = cy.dialogue_id AND p.number = cy.number - 1), 0),
             COALESCE((SELECT MAX(m.created_at) FROM messages m INDEXED BY messages_manager
                       WHERE m.chat_id = d.chat_id AND m.kind = 'message' AND m.sender = 'manager'
                         AND m.status <> 'failed' AND m.created_at < cy.opened_at), 0)) AS waiting_since
  FROM dialogue_cycles cy JOIN dialogues d ON d.id = cy.dialogue_id
  WHERE cy.opened_at >= ? AND cy.opened_at < ?
), asked AS MATERIALIZED (
  SELECT c.*,
         (SELECT MIN(m.created_at) FROM messages m
          WHERE m.chat_id = c.chat_id AND m.created_at > c.waiting_since
            AND (c.closed_at = 0 OR m.created_at <= c.closed_at)
            AND m.kind = 'message' AND m.sender = 'client') AS asked_at
  FROM cyc c
), measured AS MATERIALIZED (
  SELECT a.*, COALESCE(r.created_at, 0) AS replied_at, COALESCE(r.manager_id, 0) AS responder_id
  FROM asked a
  LEFT JOIN messages r ON r.id = (
    SELECT m.id FROM messages m INDEXED BY messages_manager
    WHERE m.chat_id = a.chat_id AND m.kind = 'message' AND m.sender = 'manager'
      AND m.created_at >= a.asked_at AND (a.closed_at = 0 OR m.created_at <= a.closed_at)
      AND m.status <> 'failed' AND m.id <> a.rating_message_id
    ORDER BY m.created_at, m.id LIMIT 1)
), owned AS (
  SELECT m.*,
         CASE WHEN m.closed_at <> 0 AND m.closed_by <> 0 THEN m.closed_by
              WHEN m.responder_id <> 0 THEN m.responder_id
              WHEN m.opened_by <> 0 THEN m.opened_by
              ELSE COALESCE((SELECT MIN(dm.manager_id) FROM dialogue_managers dm WHERE dm.dialogue_id = m.dialogue_id), 0)
         END AS owner_id
  FROM measured m
)`

// ReportCycles lists every dialogue cycle opened in [from, to), oldest first: the report's
// rows, one per cycle (the CSV export).
func (s *Store) ReportCycles(ctx context.Context, from, to time.Time) ([]ReportCycle, error) {
	out := []ReportCycle{}
	err := sqlx.SelectContext(ctx, s.read, &out, reportCycles+`
SELECT o.dialogue_id, o.number AS cycle, o.chat_id, COALESCE(p.name, '') AS client, COALESCE(ch.kind, '') AS channel,
       o.type, CASE WHEN o.closed_at <> 0 THEN 'closed' ELSE o.status END AS status,
       o.opened_at, o.closed_at, COALESCE(o.asked_at, 0) AS asked_at, o.replied_at,
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
  SELECT owner_id AS manager_id, type, 1 AS cycles, closed_at <> 0 AS closed, NULL AS first_response,
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
GROUP BY l.manager_id, l.type
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
