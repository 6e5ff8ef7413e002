package packs_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readExamples reads examples/households.jsonl, the households the
// README's main command screens.
func readExamples(t *testing.T) []*eligibility.Household {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "examples", "households.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	r := eligibility.NewHouseholdReader(f, "examples/households.jsonl")
	var hs []*eligibility.Household
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		hs = append(hs, h)
	}
	return hs
}

// The example households are screened with the default pack on the day of
// the README (2026-11-23) and on nearby dates without a rule error, each
// with an id, and give every kind of outcome.
func TestExampleHouseholds(t *testing.T) {
	hs := readExamples(t)
	require.GreaterOrEqual(t, len(hs), 20)
	ids := map[string]bool{}
	for _, h := range hs {
		require.NotEmpty(t, h.ID)
		require.False(t, ids[h.ID], "duplicate id %s", h.ID)
		ids[h.ID] = true
	}
	for _, tokyo := range []bool{false, true} {
		e := compileEmbedded(t, tokyo)
		for _, day := range []string{"2026-11-23", "2026-06-01", "2026-03-31", "2025-12-01"} {
			on := mustDate(day)
			statuses := map[string]map[eligibility.Status]int{}
			for _, h := range hs {
				s, err := e.Screen(context.Background(), h, on, eligibility.WithExplanations())
				require.NoError(t, err)
				for _, o := range s.Results {
					assert.Nil(t, o.Error, "%s on %s: %s: %v", h.ID, day, o.Program, o.Error)
					if statuses[o.Program] == nil {
						statuses[o.Program] = map[eligibility.Status]int{}
					}
					statuses[o.Program][o.Status]++
					if testing.Verbose() && day == "2026-11-23" && !tokyo {
						amount := ""
						if o.Amount != nil {
							amount = o.Amount.String()
						}
						t.Logf("%-40s %-30s %-12s %s %d warnings", h.ID, o.Program, o.Status, amount, len(o.Warnings))
					}
				}
			}
			if day == "2026-11-23" {
				cra := statuses["child-rearing-allowance"]
				assert.GreaterOrEqual(t, cra[eligibility.Eligible], 8, "tokyo=%v %v", tokyo, cra)
				assert.GreaterOrEqual(t, cra[eligibility.Ineligible], 5, "tokyo=%v %v", tokyo, cra)
				assert.GreaterOrEqual(t, cra[eligibility.Undetermined], 2, "tokyo=%v %v", tokyo, cra)
			}
		}
	}
}
