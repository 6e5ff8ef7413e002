package eligibility_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
	"github.com/onestop-jp/onestop/packs"
)

// The permanent differential test of the compiled closures against the
// interpreter (closure.go): every rule test of the shipped packs and
// generated populations — several dates, with and without local facts,
// with facts left unknown — screened both ways give byte-identical JSON:
// statuses, amounts, conditions, missing lists (labels and order
// included), warnings and errors.

type packSet struct {
	name  string
	packs []fs.FS
	names []string
}

var diffPackSets = []packSet{
	{"national", []fs.FS{packs.National()}, []string{"packs/national"}},
	{"national+tokyo", []fs.FS{packs.National(), packs.Tokyo()}, []string{"packs/national", "packs/tokyo"}},
	{"national+ninomiya", []fs.FS{packs.National(), os.DirFS("../packs/testdata/municipality-ninomiya")},
		[]string{"packs/national", "packs/testdata/municipality-ninomiya"}},
	// program('id') references between programmes.
	{"national+dependent", []fs.FS{packs.National(), os.DirFS("testdata/dependent")},
		[]string{"packs/national", "testdata/dependent"}},
}

func compileSet(t testing.TB, ps packSet) *eligibility.Engine {
	t.Helper()
	var loaded []*eligibility.Pack
	for i, f := range ps.packs {
		p, err := eligibility.LoadPack(f, ps.names[i])
		require.NoError(t, err)
		loaded = append(loaded, p)
	}
	e, err := eligibility.Compile(loaded)
	require.NoError(t, err)
	return e
}

// requireSameScreening screens h both ways and fails on any difference.
func requireSameScreening(t testing.TB, e *eligibility.Engine, h *eligibility.Household, asOf civil.Date, what string, opts ...eligibility.ScreenOption) {
	t.Helper()
	ctx := context.Background()
	got, errGot := e.Screen(ctx, h, asOf, opts...)
	want, errWant := e.Screen(ctx, h, asOf, append(opts, eligibility.InterpretedForTest())...)
	if errWant != nil || errGot != nil {
		require.Equal(t, errWant, errGot, "%s: errors differ", what)
		return
	}
	a, err := json.Marshal(got)
	require.NoError(t, err)
	b, err := json.Marshal(want)
	require.NoError(t, err)
	if bytes.Equal(a, b) {
		return
	}
	hj, _ := json.Marshal(h)
	for i := range want.Results {
		oa, _ := json.Marshal(got.Results[i])
		ob, _ := json.Marshal(want.Results[i])
		if !bytes.Equal(oa, ob) {
			t.Fatalf("%s on %s, programme %s:\ncompiled:    %s\ninterpreter: %s\nhousehold: %s", what, asOf, want.Results[i].Program, oa, ob, hj)
		}
	}
	t.Fatalf("%s on %s: screenings differ:\ncompiled:    %s\ninterpreter: %s", what, asOf, a, b)
}

func TestClosuresAgreeOnRuleTests(t *testing.T) {
	cases := 0
	for _, ps := range diffPackSets {
		e := compileSet(t, ps)
		top := ps.packs[len(ps.packs)-1]
		tests, err := eligibility.LoadRuleTests(top, ps.names[len(ps.names)-1])
		require.NoError(t, err)
		for _, rt := range tests {
			requireSameScreening(t, e, rt.Household, rt.AsOf, rt.File+": "+rt.Name)
			cases++
		}
	}
	require.Greater(t, cases, 100)
}

// diffDates cover both income years of 児童扶養手当 (before and after
// November), a new fiscal year, and a date past the registered amounts
// (carry-forward warnings).
var diffDates = []civil.Date{
	civil.MustDate(2024, 10, 31), civil.MustDate(2024, 11, 1), civil.MustDate(2025, 6, 1),
	civil.MustDate(2025, 11, 15), civil.MustDate(2026, 4, 1), civil.MustDate(2026, 11, 23), civil.MustDate(2027, 5, 1),
}

func TestClosuresAgreeOnGeneratedPopulations(t *testing.T) {
	n := 150
	if testing.Short() || raceEnabled {
		// Under the race detector the full population takes four
		// minutes of a shared machine; FuzzClosures and plain go test
		// cover the rest.
		n = 20
	}
	screened := 0
	for si, ps := range diffPackSets {
		e := compileSet(t, ps)
		extras := e.ExtraFacts()
		infos := e.Programs()
		for di, asOf := range diffDates {
			for _, unknown := range []int{0, 15} {
				hs, err := synth.Households(synth.Config{Seed: uint64(1000*si + 10*di + unknown), AsOf: asOf, UnknownPercent: unknown}, n)
				require.NoError(t, err)
				rng := rand.New(rand.NewPCG(uint64(si), uint64(di*100+unknown)))
				for i, h := range hs {
					switch i % 4 {
					case 1:
						forgetFacts(h, rng, 0.3)
					case 2:
						addExtras(h, extras, rng, false)
					case 3:
						forgetFacts(h, rng, 0.15)
						addExtras(h, extras, rng, true)
					}
					requireSameScreening(t, e, h, asOf, ps.name+" "+h.ID)
					if i%5 == 0 {
						// Some programmes only (and those they refer to).
						ids := []string{infos[rng.IntN(len(infos))].ID, infos[len(infos)-1].ID}
						requireSameScreening(t, e, h, asOf, ps.name+" "+h.ID+" only", eligibility.OnlyPrograms(ids...))
					}
					screened++
				}
			}
		}
		t.Logf("%s: %d programmes handed back to the interpreter", ps.name, e.HandedBackForTest())
	}
	require.Greater(t, screened, 1000)
}

// forgetFacts leaves facts unknown at random: optional member and
// household facts, income years and their amounts, deductions, receiving.
func forgetFacts(h *eligibility.Household, rng *rand.Rand, p float64) {
	drop := func() bool { return rng.Float64() < p }
	if drop() {
		h.Situation = nil
	}
	if drop() {
		h.ApplicantRole = nil
	}
	if drop() {
		h.DeFactoPartner = nil
	}
	if drop() {
		h.GradeArea = nil
	}
	if drop() {
		h.Receiving = nil
	}
	if drop() {
		h.MunicipalityCode = nil
	}
	for i := range h.Members {
		m := &h.Members[i]
		if drop() && m.Relation != eligibility.RelationSelf {
			m.BirthDate = nil
		}
		if drop() {
			m.Disability = nil
		} else if m.Disability != nil && drop() {
			d := *m.Disability
			d.AllowanceLevel = nil
			if drop() {
				d.Grade = ""
			}
			m.Disability = &d
		}
		for _, f := range []**bool{&m.LivesWith, &m.SameLivelihood, &m.Supported, &m.InFacility, &m.ResidesInJapan, &m.SchoolPrivate} {
			if drop() {
				*f = nil
			}
		}
		if drop() {
			m.Sex = nil
		}
		if drop() {
			m.School = nil
		}
		switch {
		case drop() && drop():
			m.Incomes = nil
		case len(m.Incomes) > 0:
			incomes := append([]eligibility.Income(nil), m.Incomes...)
			if drop() {
				incomes = incomes[1:]
			}
			for j := range incomes {
				in := &incomes[j]
				for _, f := range []**int64{&in.SalaryRevenue, &in.PensionRevenue, &in.BusinessIncome, &in.OtherIncome, &in.ChildSupportReceived} {
					if drop() {
						*f = nil
					}
				}
				if drop() {
					in.Deductions = nil
				}
			}
			m.Incomes = incomes
		}
	}
}

// addExtras gives some of the packs' local facts a value, of the declared
// type or (when wrong) of another.
func addExtras(h *eligibility.Household, facts []eligibility.ExtraFact, rng *rand.Rand, wrong bool) {
	if h.Extra == nil {
		h.Extra = map[string]any{}
	}
	for _, f := range facts {
		if rng.IntN(3) == 0 {
			continue
		}
		t := f.Type
		if wrong && rng.IntN(5) == 0 {
			t = []eligibility.ExtraType{eligibility.ExtraBool, eligibility.ExtraInt, eligibility.ExtraText}[rng.IntN(3)]
		}
		switch t {
		case eligibility.ExtraBool:
			h.Extra[f.Key] = rng.IntN(2) == 0
		case eligibility.ExtraInt:
			h.Extra[f.Key] = int64(rng.IntN(40))
		case eligibility.ExtraYen:
			h.Extra[f.Key] = int64(rng.IntN(2_000_000))
		default:
			h.Extra[f.Key] = []string{"事業開始資金", "修学資金", "その他", "結婚資金"}[rng.IntN(4)]
		}
	}
}

// Screening some programmes gives each the outcome it has in a screening
// of all, in pack order, once each, on both paths — also for programmes
// that refer to others (screened first, not reported) or are referred to,
// ids given twice, out of order or over several options.
func TestOnlyProgramsAreTheFullScreeningsOutcomes(t *testing.T) {
	ctx := context.Background()
	asOf := civil.MustDate(2025, 11, 15)
	for _, ps := range []packSet{diffPackSets[0], diffPackSets[3]} {
		e := compileSet(t, ps)
		infos := e.Programs()
		hs, err := synth.Households(synth.Config{Seed: 77, AsOf: asOf, UnknownPercent: 10}, 12)
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(77, uint64(len(infos))))
		for hi, h := range hs {
			for _, path := range [][]eligibility.ScreenOption{nil, {eligibility.InterpretedForTest()}} {
				all, err := e.Screen(ctx, h, asOf, path...)
				require.NoError(t, err)
				byID := map[string]int{}
				for i, o := range all.Results {
					byID[o.Program] = i
				}
				var opts []eligibility.ScreenOption
				asked := map[string]bool{}
				for range 1 + rng.IntN(3) {
					var ids []string
					for range 1 + rng.IntN(4) {
						id := infos[rng.IntN(len(infos))].ID
						ids = append(ids, id, id)
						asked[id] = true
					}
					opts = append(opts, eligibility.OnlyPrograms(ids...))
				}
				some, err := e.Screen(ctx, h, asOf, append(opts, path...)...)
				require.NoError(t, err)
				require.Len(t, some.Results, len(asked), "household %d", hi)
				last := -1
				for _, o := range some.Results {
					i, ok := byID[o.Program]
					require.True(t, ok)
					require.Greater(t, i, last, "pack order")
					last = i
					a, err := json.Marshal(o)
					require.NoError(t, err)
					b, err := json.Marshal(all.Results[i])
					require.NoError(t, err)
					require.Equal(t, string(b), string(a), "household %d, %s", hi, o.Program)
				}
			}
		}
		none, err := e.Screen(ctx, hs[0], asOf, eligibility.OnlyPrograms())
		require.NoError(t, err)
		require.Empty(t, none.Results)
	}
}
