package chatbot

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseResidents(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		entries    int
		ok         bool
	}{
		{"entry with questions", "# c\nE\tdev3\tM01\t問\t答\nQ\tきく\nQ\tきく2\n", 1, true},
		{"entry without questions", "E\tdev3\tM01\t問\t答\n", 1, true},
		{"question before any entry", "Q\tきく\n", 0, false},
		{"entry missing its answer", "E\tdev3\tM01\t問\n", 0, false},
		{"empty question", "E\tdev3\tM01\t問\t答\nQ\t\n", 0, false},
		{"unknown line", "X\tfoo\n", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			es, err := parseResidents([]byte(tt.text))
			if !tt.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Len(t, es, tt.entries)
		})
	}
	es, err := residentEntries()
	require.NoError(t, err)
	assert.Greater(t, len(es), 600, "the embedded library")
}

// The library votes only for a knowledge base without phrasings, and
// WithoutResidentLibrary turns it off.
func TestResidentLibraryOnlyForPlainKBs(t *testing.T) {
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	kb := own.WithDefaults(qaOnlyWithContacts(t))
	const q = "児童扶養手当っていつ振り込まれるの？"
	on, err := Compile(kb, WithResidentLibraryExcept("dev4"))
	require.NoError(t, err)
	require.NotNil(t, on.lib)
	assert.Positive(t, on.Match(q).Signals.LibraryVote)
	off, err := Compile(kb, WithoutResidentLibrary())
	require.NoError(t, err)
	assert.Nil(t, off.lib)
	assert.Zero(t, off.Match(q).Signals.LibraryVote)
	def, err := Default()
	require.NoError(t, err)
	m, err := Compile(def)
	require.NoError(t, err)
	assert.Nil(t, m.lib, "a knowledge base with sample phrasings")
	// Every entry gets aligned with a few library entries at most, one
	// per source FAQ left in.
	for d := range on.entries {
		assert.LessOrEqual(t, len(on.lib.align[d]), len(on.lib.sourceNames))
	}
}

// Stats tells how much of the library a knowledge base uses: the library's
// entries left in and the knowledge base's entries aligned with them.
func TestStatsResidentLibrary(t *testing.T) {
	skipUnderRace(t)
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	kb := own.WithDefaults(qaOnlyWithContacts(t))
	es, err := residentEntries()
	require.NoError(t, err)
	inDev4 := 0
	for _, e := range es {
		if e.source == "dev4" {
			inDev4++
		}
	}
	require.Positive(t, inDev4)
	def, err := Default()
	require.NoError(t, err)
	for _, tt := range []struct {
		name        string
		kb          *KnowledgeBase
		opts        []Option
		libEntries  int
		someAligned bool
	}{
		{"whole library", kb, nil, len(es), true},
		{"dev4 left out", kb, []Option{WithResidentLibraryExcept("dev4")}, len(es) - inDev4, true},
		{"unknown name ignored", kb, []Option{WithResidentLibraryExcept("no-such-faq")}, len(es), true},
		{"off", kb, []Option{WithoutResidentLibrary()}, 0, false},
		{"phrasings: never", def, nil, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.kb, tt.opts...)
			require.NoError(t, err)
			st := m.Stats()
			assert.Equal(t, tt.libEntries, st.LibraryEntries)
			aligned := 0
			if m.lib != nil {
				for _, a := range m.lib.align {
					if len(a) > 0 {
						aligned++
					}
				}
			}
			assert.Equal(t, aligned, st.LibraryAligned)
			if tt.someAligned {
				assert.Positive(t, st.LibraryAligned)
				assert.LessOrEqual(t, st.LibraryAligned, st.Entries)
			} else {
				assert.Zero(t, st.LibraryAligned)
			}
		})
	}
	srcs, err := ResidentLibrarySources()
	require.NoError(t, err)
	assert.Contains(t, srcs, "dev4")
	assert.Contains(t, srcs, "default_qa")
	seen := map[string]bool{}
	for _, e := range es {
		seen[e.source] = true
	}
	assert.Len(t, srcs, len(seen), "each source once")
}

// Signals.LibraryVoteDiff is the library's vote for the best candidate
// minus its vote for the runner-up, over the total vote weight of the
// library's best hits: recomputed here from the hits and the alignment
// for every question of a development FAQ (its own questions out of the
// library), it lies in [−1, 1], takes both signs, has the sign of the
// two votes' difference, and is 0 without a library.
func TestLibraryVoteDiff(t *testing.T) {
	skipUnderRace(t)
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	kb := own.WithDefaults(qaOnlyWithContacts(t))
	m, err := Compile(kb, WithResidentLibraryExcept("dev4"))
	require.NoError(t, err)
	off, err := Compile(kb, WithoutResidentLibrary())
	require.NoError(t, err)
	vote := func(hits []Candidate, d int32) float64 {
		var v float64
		for _, a := range m.lib.align[d] {
			for _, h := range hits {
				if h.doc == a.doc {
					r := h.Score / hits[0].Score
					v += float64(a.w) * r * r
				}
			}
		}
		return v
	}
	var pos, neg int
	for _, q := range loadQueryFile(t, "dev4_queries.json") {
		var r Result
		m.matchInto(&r, q.Q, rerankK, nil)
		got := r.Signals.LibraryVoteDiff
		assert.Zero(t, off.Match(q.Q).Signals.LibraryVoteDiff, "no library: %s", q.Q)
		if len(r.Candidates) < 2 {
			assert.Zero(t, got, "no runner-up: %s", q.Q)
			continue
		}
		var hits Result
		m.lib.m.matchInto(&hits, q.Q, libraryVoteK, nil)
		want := 0.0
		if hs := hits.Candidates; len(hs) > 0 && hs[0].Score > 0 {
			var mass float64
			for _, h := range hs {
				mass += (h.Score / hs[0].Score) * (h.Score / hs[0].Score)
			}
			want = (vote(hs, r.Candidates[0].doc) - vote(hs, r.Candidates[1].doc)) / mass
		}
		assert.InDelta(t, want, got, 1e-9, "%s", q.Q)
		assert.InDelta(t, 0, got, 1, "within [−1, 1]: %s", q.Q)
		if got > 0 {
			pos++
			assert.True(t, r.Signals.LibraryVote > 0, "a lead means a vote for the best: %s", q.Q)
		} else if got < 0 {
			neg++
			assert.False(t, r.Signals.LibraryAgrees, "the library prefers the runner-up: %s", q.Q)
		}
	}
	assert.Positive(t, pos, "questions where the library backs the best candidate")
	assert.Positive(t, neg, "questions where it backs the runner-up")
	def, err := Default()
	require.NoError(t, err)
	d, err := Compile(def)
	require.NoError(t, err)
	assert.Zero(t, d.Match("児童扶養手当っていつ振り込まれるの？").Signals.LibraryVoteDiff, "a knowledge base with sample phrasings has no library")
}

// The library's vote brings entries BM25 left out of the re-ranker's
// candidates (libraryCandidates): stories told without the programme's
// words reach the entry they are about; an entry brought in was touched by
// the query, is not a duplicate, and BM25's best but the last libInject
// stay, in BM25 order; without library candidates (libInject 0) the
// candidates are BM25's best ten.
func TestLibraryCandidates(t *testing.T) {
	skipUnderRace(t)
	own, err := LoadFile(context.Background(), "testdata/dev17_faq.csv")
	require.NoError(t, err)
	kb := own.WithDefaults(qaOnlyWithContacts(t))
	on, err := Compile(kb, WithResidentLibraryExcept("dev17"))
	require.NoError(t, err)
	off, err := Compile(kb, WithResidentLibraryExcept("dev17"), func(o *options) { o.libInject = 0 })
	require.NoError(t, err)
	ids := func(in []RankInput) []string {
		var out []string
		for _, x := range in {
			out = append(out, x.ID)
		}
		return out
	}
	for _, tt := range []struct{ q, id string }{
		// a spouse in prison, told without 児童扶養手当: its eligibility entry
		{"旦那が刑務所に入ってて2年は出てこない 子ども3人かかえてどうやって食べていけばいいか 国から何か出ないのかい", "D001"},
	} {
		assert.NotContains(t, ids(off.RankInputs(tt.q)), tt.id, "BM25's best ten: %s", tt.q)
		assert.Contains(t, ids(on.RankInputs(tt.q)), tt.id, "with the library's candidates: %s", tt.q)
	}
	var brought int
	for _, q := range loadQueryFile(t, "dev17_queries.json") {
		a, b := ids(on.RankInputs(q.Q)), ids(off.RankInputs(q.Q))
		require.Len(t, a, len(b), "as many candidates: %s", q.Q)
		seen := map[string]bool{}
		for _, id := range a {
			assert.False(t, seen[id], "no duplicate: %s", q.Q)
			seen[id] = true
		}
		diff := 0
		for _, id := range a {
			if !slices.Contains(b, id) {
				diff++
			}
		}
		assert.LessOrEqual(t, diff, on.opts.libInject, "at most libInject brought in: %s", q.Q)
		if diff > 0 {
			brought++
		}
		// Each one brought in puts out the last of BM25's best still in
		// (one put out may come back, its vote being high enough): the
		// best len − libInject stay, and those kept keep BM25's order.
		keep := len(b) - on.opts.libInject
		if keep > 0 {
			for _, id := range b[:keep] {
				assert.Contains(t, a, id, "BM25's best stay: %s", q.Q)
			}
		}
		var kept, inB []string
		for _, id := range a {
			if slices.Contains(b, id) {
				kept = append(kept, id)
			}
		}
		for _, id := range b {
			if slices.Contains(a, id) {
				inB = append(inB, id)
			}
		}
		assert.Equal(t, inB, kept, "in BM25 order: %s", q.Q)
		var r Result
		on.matchInto(&r, q.Q, rerankK, nil)
		for i := range r.Candidates {
			assert.Positive(t, r.Candidates[i].Score, "touched by the query: %s", q.Q)
		}
	}
	assert.Positive(t, brought, "questions with entries brought in")
}
