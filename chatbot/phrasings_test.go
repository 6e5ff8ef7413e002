package chatbot

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
)

// SuggestPhrasings proposes, per entry, resident questions of the library
// entries aligned with it: at most max, each ranked first for its entry by
// the matcher, none twice, none of the FAQ's own texts, none from a source
// left out.
func TestSuggestPhrasings(t *testing.T) {
	skipUnderRace(t)
	kb, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	lib, err := residentEntries()
	require.NoError(t, err)
	residentsOf := map[string][]string{} // "source/id" → questions
	for _, e := range lib {
		residentsOf[e.source+"/"+e.id] = e.residents
	}
	withPhr := kb.WithPhrasings([]PhrasingSuggestion{{Entry: &kb.Entries[0], Phrasings: []string{"ひとり親の支援を全部知りたい"}}})
	for _, tt := range []struct {
		name    string
		kb      *KnowledgeBase
		max     int
		except  []string
		wantMax int
	}{
		{"default cap", kb, 0, []string{"dev4"}, DefaultMaxPhrasings},
		{"cap 1", kb, 1, []string{"dev4"}, 1},
		{"cap 3, two sources out", kb, 3, []string{"dev4", "dev3"}, 3},
		{"KB with a phrasing already", withPhr, 4, []string{"dev4"}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.kb, WithResidentLibraryExcept(tt.except...))
			require.NoError(t, err)
			sugs, err := m.SuggestPhrasings(tt.max)
			require.NoError(t, err)
			require.Greater(t, len(sugs), len(tt.kb.Entries)/2, "most entries get candidates")
			seen := map[string]bool{}
			full := 0
			for _, s := range sugs {
				require.NotEmpty(t, s.Phrasings)
				require.Len(t, s.Origins, len(s.Phrasings))
				assert.LessOrEqual(t, len(s.Phrasings), tt.wantMax)
				if len(s.Phrasings) == tt.wantMax {
					full++
				}
				for i, p := range s.Phrasings {
					o := s.Origins[i]
					assert.Contains(t, residentsOf[o.ID], p, "origin of %q", p)
					assert.Contains(t, s.From, o.ID)
					assert.NotEmpty(t, o.Question)
					assert.InDelta(t, 0.5, o.Similarity, 0.5)
					assert.False(t, seen[p], "%q suggested twice", p)
					seen[p] = true
					assert.NotEqual(t, s.Entry.Question, p)
					assert.NotContains(t, s.Entry.Phrasings, p)
					r := m.Match(p)
					require.NotEmpty(t, r.Candidates, p)
					assert.Equal(t, s.Entry.ID, r.Candidates[0].Entry.ID, "%q is another entry's", p)
					from := slices.ContainsFunc(s.From, func(id string) bool { return slices.Contains(residentsOf[id], p) })
					assert.True(t, from, "%q comes from an aligned library entry", p)
				}
				for _, id := range s.From {
					for _, src := range tt.except {
						assert.False(t, strings.HasPrefix(id, src+"/"), "aligned with left-out %s: %s", src, id)
					}
				}
			}
			assert.Positive(t, full, "some entries reach the cap")
		})
	}

	m, err := Compile(kb, WithoutResidentLibrary())
	require.NoError(t, err)
	sugs, err := m.SuggestPhrasings(0)
	require.NoError(t, err)
	assert.Nil(t, sugs, "library off: nothing to suggest")
}

// The written CSV loads back with LoadCSV, with the suggested phrasings in
// the 言い換え column and every other field as it was.
func TestWriteCSVRoundTrip(t *testing.T) {
	kb, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	m, err := Compile(kb, WithResidentLibraryExcept("dev4"))
	require.NoError(t, err)
	sugs, err := m.SuggestPhrasings(5)
	require.NoError(t, err)
	mini, err := LoadCSV(bytes.NewReader([]byte(miniCSV)), "mini.csv", CSVOptions{})
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		kb   *KnowledgeBase
	}{
		{"dev4 with candidates", kb.WithPhrasings(sugs)},
		{"all columns", mini},
		{"unchanged", kb},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteCSV(&b, tt.kb))
			back, err := LoadCSV(&b, "out.csv", CSVOptions{})
			require.NoError(t, err)
			require.Len(t, back.Entries, len(tt.kb.Entries))
			for i, e := range tt.kb.Entries {
				assertSameEntry(t, &e, &back.Entries[i])
			}
		})
	}
	assert.Len(t, kb.Entries[0].Phrasings, 0, "WithPhrasings leaves the original alone")
	withPh := kb.WithPhrasings(sugs)
	n := 0
	for _, e := range withPh.Entries {
		n += len(e.Phrasings)
	}
	assert.Greater(t, n, len(kb.Entries), "the written FAQ has the phrasings")

	bad := *mini
	bad.Entries = slices.Clone(mini.Entries)
	bad.Entries[0].Phrasings = []string{"これ|あれ"}
	var b bytes.Buffer
	err = WriteCSV(&b, &bad)
	require.ErrorIs(t, err, ErrSeparator)
	assert.Contains(t, err.Error(), "改行か「|」")
	assert.Zero(t, b.Len(), "nothing written")
}

func assertSameEntry(t *testing.T, want, got *Entry) {
	t.Helper()
	assert.Equal(t, csvViewOf(want), csvViewOf(got))
}

// csvEntry is what a CSV file holds of an entry.
type csvEntry struct {
	ID, Question, Answer, Category, Desk string
	Keywords, Phrasings, URLs, Replies   []string
	Updated                              civil.Date
}

func csvViewOf(e *Entry) csvEntry {
	v := csvEntry{ID: e.ID, Question: e.Question, Answer: e.Answer, Category: e.Category, Desk: e.Desk,
		Keywords: e.Keywords, Phrasings: e.Phrasings, Updated: e.Updated}
	for _, l := range e.Links {
		v.URLs = append(v.URLs, l.URL)
	}
	for _, q := range e.QuickReplies {
		v.Replies = append(v.Replies, q.Label)
	}
	return v
}

// FuzzWriteCSV: whatever LoadCSV loads, WriteCSV writes (or refuses with
// ErrSeparator, writing nothing) and LoadCSV reads back the same entries.
func FuzzWriteCSV(f *testing.F) {
	f.Add([]byte(miniCSV))
	f.Add([]byte("ID,問い合わせ文,応答文,カテゴリ,言い換え\n\"a\",\"q\r\nq\",\"=1+1\",c,\"x\ny\"\n"))
	f.Add([]byte("\xEF\xBB\xBFID,問い合わせ文,応答文,カテゴリ,更新日,URL\nx,q,a,c,令和7年4月1日,https://a.jp|https://b.jp\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kb, err := LoadCSV(bytes.NewReader(data), "fuzz.csv", CSVOptions{})
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, kb); err != nil {
			if !errors.Is(err, ErrSeparator) || b.Len() > 0 {
				t.Fatalf("write: %v (%d bytes written)", err, b.Len())
			}
			return
		}
		back, err := LoadCSV(&b, "out.csv", CSVOptions{})
		if err != nil {
			t.Fatalf("written CSV does not load: %v\n%q", err, b.String())
		}
		if len(back.Entries) != len(kb.Entries) {
			t.Fatalf("%d entries back, want %d", len(back.Entries), len(kb.Entries))
		}
		for i := range kb.Entries {
			assertSameEntry(t, &kb.Entries[i], &back.Entries[i])
		}
	})
}
