package main

import (
	"fmt"
	"os"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3"
)

func main() {
	db := sqlx.MustOpen("sqlite3", "file:"+os.Args[1]+"?_journal_mode=WAL")
	db.SetMaxOpenConns(1)
	if len(os.Args) > 2 {
		for _, p := range os.Args[2:] {
			db.MustExec(p)
		}
	}
	w := "p.archived = 0 AND p.blacklisted = 0 AND p.phone <> ''"
	imp := "p.id IN (SELECT person_id FROM tasks WHERE assignee_id = 1 AND done = 0 AND due_at < 9999999999999)"
	qs := map[string]string{
		"three": `SELECT (SELECT COUNT(*) FROM people p WHERE ` + w + ` AND ` + imp + `), (SELECT COUNT(*) FROM people p WHERE ` + w + `), (SELECT COUNT(*) FROM people p WHERE ` + w + ` AND p.unread > 0)`,
		"one":   `SELECT COUNT(*), COALESCE(SUM(p.unread > 0),0), COALESCE(SUM(` + imp + `),0) FROM people p WHERE ` + w,
		"chan3": `SELECT (SELECT COUNT(*) FROM people p WHERE p.archived = 0 AND p.blacklisted = 0 AND p.id IN (SELECT c.person_id FROM chats c JOIN channels ch ON ch.id = c.channel_id WHERE ch.kind IN ('vk')))`,
		"all3":  `SELECT (SELECT COUNT(*) FROM people p WHERE p.archived = 0 AND p.blacklisted = 0)`,
	}
	for _, name := range []string{"three", "one", "chan3", "all3"} {
		q := qs[name]
		var plan []struct {
			ID     int    `db:"id"`
			Parent int    `db:"parent"`
			NotU   int    `db:"notused"`
			Detail string `db:"detail"`
		}
		if err := db.Select(&plan, "EXPLAIN QUERY PLAN "+q); err != nil {
			panic(err)
		}
		fmt.Println("==", name)
		for _, p := range plan {
			fmt.Println("  ", p.Parent, p.Detail)
		}
		for i := 0; i < 4; i++ {
			t0 := time.Now()
			rows, err := db.Query(q)
			if err != nil {
				panic(err)
			}
			for rows.Next() {
			}
			rows.Close()
			fmt.Printf("   run %d: %v\n", i, time.Since(t0))
		}
	}
}
