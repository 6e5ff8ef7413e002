package eligibility_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
	"github.com/onestop-jp/onestop/packs"
	"github.com/stretchr/testify/require"
)

func nationalEngine(tb testing.TB, tokyo bool) *eligibility.Engine {
	tb.Helper()
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(tb, err)
	ps := []*eligibility.Pack{nat}
	if tokyo {
		tok, err := eligibility.LoadPack(packs.Tokyo(), "packs/tokyo")
		require.NoError(tb, err)
		ps = append(ps, tok)
	}
	e, err := eligibility.Compile(ps)
	require.NoError(tb, err)
	return e
}

// screenings screens n generated households on date.
func screenings(tb testing.TB, e *eligibility.Engine, n, unknown int, date civil.Date, opts ...eligibility.ScreenOption) []*eligibility.Screening {
	tb.Helper()
	g, err := synth.New(synth.Config{Seed: uint64(n + unknown), AsOf: date, UnknownPercent: unknown})
	require.NoError(tb, err)
	out := make([]*eligibility.Screening, n)
	for i := range out {
		out[i], err = e.Screen(context.Background(), g.Next(), date, opts...)
		require.NoError(tb, err)
	}
	return out
}

// encodingJSON is the screening contract's reference: encoding/json
// without HTML escaping.
func encodingJSON(tb testing.TB, s *eligibility.Screening) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(tb, enc.Encode(s))
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// BenchmarkRenderNational writes the JSON of screenings of generated
// households against the national pack (without explanations, as the
// CLI's --format json does).
func BenchmarkRenderNational(b *testing.B) {
	e := nationalEngine(b, false)
	ss := screenings(b, e, 256, 10, civil.MustDate(2026, 11, 23))
	size := 0
	for _, s := range ss {
		size += len(s.AppendJSON(nil))
	}
	run := func(name string, render func([]byte, *eligibility.Screening) []byte) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size / len(ss)))
			var buf []byte
			i := 0
			for b.Loop() {
				buf = render(buf[:0], ss[i%len(ss)])
				i++
			}
		})
	}
	run("engine", e.AppendJSON)
	run("screening", func(dst []byte, s *eligibility.Screening) []byte { return s.AppendJSON(dst) })
	run("encoding-json", func(dst []byte, s *eligibility.Screening) []byte {
		out, _ := json.Marshal(s)
		return append(dst, out...)
	})
}

// TestEngineAppendJSONIsTheContract: the engine's writer gives the bytes
// of encoding/json (the screening contract) and of Screening.AppendJSON,
// for the national and Tokyo packs, households with and without unknown
// facts, dates before and after the 2024-11 reform and with carried-forward
// figures, with and without explanations; and still does for screenings
// changed by the caller or made by another engine.
func TestEngineAppendJSONIsTheContract(t *testing.T) {
	nat, tokyo := nationalEngine(t, false), nationalEngine(t, true)
	// Every engine, date, share of unknown facts and option is covered
	// at each size; under the race detector (5–10× slower: 159 s with 60)
	// or -short, with fewer households each (still 720 screenings, each
	// rendered three ways).
	n := 60
	if raceEnabled || testing.Short() {
		n = 10
	}
	for _, e := range []*eligibility.Engine{nat, tokyo} {
		for _, date := range []civil.Date{civil.MustDate(2024, 10, 1), civil.MustDate(2025, 6, 1), civil.MustDate(2026, 11, 23), civil.MustDate(2027, 6, 1)} {
			for _, unknown := range []int{0, 30, 100} {
				for _, opts := range [][]eligibility.ScreenOption{nil, {eligibility.WithExplanations()}, {eligibility.OnlyPrograms("child-rearing-allowance")}} {
					for _, s := range screenings(t, e, n, unknown, date, opts...) {
						want := string(encodingJSON(t, s))
						require.Equal(t, want, string(s.AppendJSON(nil)))
						require.Equal(t, want, string(e.AppendJSON(nil, s)))
						// The other engine's fragments do not fit all of it.
						other := nat
						if e == nat {
							other = tokyo
						}
						require.Equal(t, want, string(other.AppendJSON(nil, s)))
					}
				}
			}
		}
	}
}

func TestEngineAppendJSONWithTheMissingPartsFull(t *testing.T) {
	full, fresh := nationalEngine(t, false), nationalEngine(t, false)
	full.FillMissingPartsForTest()
	date := civil.MustDate(2026, 11, 23)
	n := 0
	for _, s := range screenings(t, full, 30, 40, date) {
		want := string(encodingJSON(t, s))
		require.Equal(t, want, string(full.AppendJSON(nil, s)))
		require.Equal(t, want, string(fresh.AppendJSON(nil, s)))
		require.Equal(t, want, string(fresh.AppendJSON(nil, s)), "written from the parts kept the first time")
		for _, o := range s.Results {
			n += len(o.Missing)
		}
	}
	require.Greater(t, n, 100, "missing entries written")
}

func TestEngineAppendJSONFromSeveralGoroutines(t *testing.T) {
	e, fresh := nationalEngine(t, false), nationalEngine(t, false)
	ss := screenings(t, e, 20, 50, civil.MustDate(2026, 11, 23))
	want := make([]string, len(ss))
	for i, s := range ss {
		want[i] = string(encodingJSON(t, s))
	}
	// Four goroutines meet the same Missing entries at once on an engine
	// that has kept none yet.
	var wg sync.WaitGroup
	got := make([][]string, 4)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range ss {
				i := (k + 5*g) % len(ss)
				got[g] = append(got[g], string(fresh.AppendJSON(nil, ss[i])))
			}
		}()
	}
	wg.Wait()
	for g := range got {
		for k, out := range got[g] {
			require.Equal(t, want[(k+5*g)%len(ss)], out, "goroutine %d, screening %d", g, k)
		}
	}
}

func TestEngineAppendJSONAfterTheCallerChangedTheScreening(t *testing.T) {
	e := nationalEngine(t, false)
	for i, s := range screenings(t, e, 40, 50, civil.MustDate(2027, 6, 1)) {
		for k := range s.Results {
			o := &s.Results[k]
			switch (i + k) % 7 {
			case 0:
				o.Name += "（改）"
			case 1:
				o.Category = ""
			case 2:
				o.Program = "x-" + o.Program
			case 3:
				for c := range o.Conditions {
					o.Conditions[c].Reason = "\"" + o.Conditions[c].Reason
				}
			case 4:
				for m := range o.Missing {
					o.Missing[m].Label += "\u2028"
				}
			case 5:
				for w := range o.Warnings {
					o.Warnings[w].Message = "\t" + o.Warnings[w].Message
				}
			case 6:
				s.Results[0], s.Results[k] = s.Results[k], s.Results[0]
			}
		}
		if i%5 == 0 {
			s.Pack.Version = "9"
		}
		require.Equal(t, string(encodingJSON(t, s)), string(e.AppendJSON(nil, s)))
		require.Equal(t, string(s.AppendJSON(nil)), string(e.AppendJSON(nil, s)))
	}
	// The zero Engine has no fragments and still writes the contract.
	s := screenings(t, e, 1, 0, civil.MustDate(2026, 11, 23))[0]
	require.Equal(t, string(encodingJSON(t, s)), string(new(eligibility.Engine).AppendJSON(nil, s)))
}

// TestEngineAppendJSONTellsVariantsOfOnePathApart: the parts of a Missing
// entry are found again by its path's address, so entries that share the
// path's string but not its field, year or label must not be mixed up.
func TestEngineAppendJSONTellsVariantsOfOnePathApart(t *testing.T) {
	e := nationalEngine(t, false)
	var s *eligibility.Screening
	for _, x := range screenings(t, e, 10, 40, civil.MustDate(2026, 11, 23)) {
		if len(x.Results) > 0 && len(x.Results[0].Missing) > 0 {
			s = x
			break
		}
	}
	require.NotNil(t, s, "a screening with missing facts")
	m := s.Results[0].Missing[0]
	variants := []eligibility.Missing{m, m, m, m}
	variants[1].Label += "（別）"
	variants[2].Field += "_x"
	variants[3].Year = 2019
	for round := range 3 {
		for i, v := range variants {
			s.Results[0].Missing[0] = v // the same Path string each time
			require.Equal(t, string(encodingJSON(t, s)), string(e.AppendJSON(nil, s)), "round %d, variant %d", round, i)
		}
	}
}
