package telegram

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseUpdates decodes a getUpdates answer of 100 private text messages from 100
// clients, the shape of ingestion's batches (storebench ingest).
func BenchmarkParseUpdates(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"ok":true,"result":[`)
	for i := range 100 {
		if i > 0 {
			sb.WriteByte(',')
		}
		id := 111222000 + i
		fmt.Fprintf(&sb, `{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Анна","last_name":"Петрова","username":"anna_%d","language_code":"ru"},"chat":{"id":%d,"first_name":"Анна","last_name":"Петрова","username":"anna_%d","type":"private"},"date":%d,"text":"Здравствуйте! Сколько стоит доставка в Казань, заказ №%d?"}}`,
			815307000+i, 1000+i, id, i, id, i, 1763700000+i, i)
	}
	sb.WriteString(`]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		batch, err := ParseUpdates(body, "815307000")
		if err != nil || len(batch.Updates) != 100 {
			b.Fatalf("%d updates, %v", len(batch.Updates), err)
		}
	}
}
