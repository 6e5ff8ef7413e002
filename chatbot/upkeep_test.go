package chatbot

import (
	"bytes"
	"context"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMemoryLogRetention(t *testing.T) {
	l := &MemoryLog{Max: 3}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		require.NoError(t, l.Record(context.Background(), Event{Time: base.Add(time.Duration(i) * time.Hour), EntryID: string(rune('a' + i))}))
	}
	ev := l.Events()
	require.Len(t, ev, 3)
	assert.Equal(t, "c", ev[0].EntryID)
	assert.Equal(t, 2, l.Prune(base.Add(4*time.Hour)))
	require.Len(t, l.Events(), 1)
	assert.Equal(t, "e", l.Events()[0].EntryID)
}

func TestWriteEventsCSVGolden(t *testing.T) {
	at := time.Date(2026, 4, 1, 12, 30, 0, 0, time.UTC) // 21:30 JST
	events := []Event{
		{Time: at, Session: "s1", Kind: EventUnanswered, Text: "パスポートの申請", Level: Handoff},
		{Time: at, Session: "s1", Kind: EventLowConfidence, Text: "電話 [電話番号] 手当いくら", Redactions: Redactions{Phones: 1}, Level: Suggest,
			Candidates: []EventCandidate{{ID: "jifu-about", Score: 20.5}, {ID: "jifu-amount", Score: 19.25}}},
		{Time: at, Session: "s2", Kind: EventFeedback, EntryID: "hoikusho", Helpful: true},
		{Time: at, Session: "s2", Kind: EventUnanswered, Text: "=HYPERLINK(\"x\")"},
	}
	var b bytes.Buffer
	require.NoError(t, WriteEventsCSV(&b, events))
	golden := "testdata/events.golden.csv"
	if *update {
		require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), b.String())
	assert.Contains(t, b.String(), "'=HYPERLINK", "formula injection is defused")
}
