package eligibility_test

import (
	"context"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/stretchr/testify/require"
)

// TestBatchReuseIsTheSame: a batch that reuses its memory (Batch.Reuse)
// gives, record by record, the household, screening, compared screening and
// output a batch without it gives — while the loop scribbles over every
// result it was handed (a reader may: the memory is the next household's),
// on two workers with a window of two, so that each job's memory serves
// many households of different sizes, with and without missing facts,
// broken records, one programme or all, with explanations or without.
func TestBatchReuseIsTheSame(t *testing.T) {
	nat, tokyo := nationalEngine(t, false), nationalEngine(t, true)
	hs := synthHouseholds(t, 240, 25)
	lines := strings.SplitAfter(string(jsonLines(t, hs)), "\n")
	lines[5] = `{"members":[{"relation":"selff"}]}` + "\n"
	lines[9] = `{"id":"x","members":[{"relation":"self","birth_date":"2030-01-01"}]}` + "\n"
	lines[30] = `{"id":"bare","members":[{"relation":"self"}]}` + "\n"
	input := strings.Join(lines, "")
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		compare *eligibility.Engine
		opts    []eligibility.ScreenOption
	}{
		{"all", nil, nil},
		{"compare", tokyo, nil},
		{"one programme", nil, []eligibility.ScreenOption{eligibility.OnlyPrograms("child-rearing-allowance")}},
		{"two programmes", nil, []eligibility.ScreenOption{eligibility.OnlyPrograms("vocational-training-benefit", "child-allowance")}},
		{"explained", nil, []eligibility.ScreenOption{eligibility.WithExplanations()}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := eligibility.Batch{Engine: nat, Compare: c.compare, AsOf: batchDate, Options: c.opts, Workers: 2, Window: 2,
				Render: nat.AppendJSON, Reuse: true}
			hr := eligibility.NewHouseholdReader(strings.NewReader(input), "h.jsonl")
			n := 0
			for r, err := range b.ScreenJSON(ctx, iotest.HalfReader(strings.NewReader(input)), "h.jsonl") {
				require.NoError(t, err)
				h, herr := hr.Next()
				require.Equal(t, n, r.Index)
				if herr != nil {
					require.Equal(t, herr, r.Err, "record %d", n+1)
					n++
					continue
				}
				require.Equal(t, h, r.Household, "record %d", n+1)
				want, wantErr := nat.Screen(ctx, h, batchDate, c.opts...)
				require.Equal(t, wantErr, r.Err, "record %d", n+1)
				if wantErr == nil {
					require.Equal(t, want, r.Screening, "record %d", n+1)
					require.Equal(t, string(want.AppendJSON(nil)), string(r.Output), "record %d", n+1)
				}
				if c.compare != nil && wantErr == nil {
					cw, err := c.compare.Screen(ctx, h, batchDate, c.opts...)
					require.NoError(t, err)
					require.Equal(t, cw, r.Compared, "record %d", n+1)
					scribble(r.Compared)
				}
				scribble(r.Screening)
				scribbleHousehold(r.Household)
				n++
			}
			require.Equal(t, len(hs), n)
		})
	}
}

// scribble writes over every part of a screening a reader could write to.
func scribble(s *eligibility.Screening) {
	if s == nil {
		return
	}
	s.HouseholdID = "scribbled"
	for i := range s.Results {
		o := &s.Results[i]
		o.Status, o.Program, o.Kind = eligibility.Eligible, "scribbled", "scribbled"
		if o.Amount != nil {
			o.Amount.Yen = -1
		}
		for k := range o.Conditions {
			c := &o.Conditions[k]
			c.Reason, c.Explanation = "scribbled", "scribbled"
			if c.Result != nil {
				*c.Result = !*c.Result
			}
		}
		for k := range o.Missing {
			o.Missing[k] = eligibility.Missing{Path: "scribbled", MemberID: "scribbled", Field: "scribbled", Year: -1, Label: "scribbled"}
		}
		o.Warnings = append(o.Warnings, eligibility.Warning{Message: "scribbled"})
	}
}

// scribbleHousehold writes over a household's facts.
func scribbleHousehold(h *eligibility.Household) {
	if h == nil {
		return
	}
	h.ID = "scribbled"
	for i := range h.Members {
		m := &h.Members[i]
		m.ID, m.Relation = "scribbled", "scribbled"
		if m.BirthDate != nil {
			*m.BirthDate = civil.MustDate(1900, 1, 1)
		}
		if m.LivesWith != nil {
			*m.LivesWith = !*m.LivesWith
		}
		for k := range m.Incomes {
			m.Incomes[k].Year = 1900
		}
	}
}
