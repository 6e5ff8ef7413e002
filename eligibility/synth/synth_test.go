package synth_test

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/onestop-jp/onestop/civil"
	"strings"
	"testing"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
	"github.com/onestop-jp/onestop/packs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var asOf = civil.MustDate(2026, 11, 23)

func engine(t testing.TB) *eligibility.Engine {
	t.Helper()
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(t, err)
	tok, err := eligibility.LoadPack(packs.Tokyo(), "packs/tokyo")
	require.NoError(t, err)
	e, err := eligibility.Compile([]*eligibility.Pack{nat, tok})
	require.NoError(t, err)
	return e
}

func TestDeterministicBySeed(t *testing.T) {
	gen := func(seed uint64) []byte {
		hs, err := synth.Households(synth.Config{Seed: seed, AsOf: asOf, UnknownPercent: 20}, 200)
		require.NoError(t, err)
		b, err := json.Marshal(hs)
		require.NoError(t, err)
		return b
	}
	assert.Equal(t, gen(7), gen(7), "same seed, same households")
	assert.NotEqual(t, gen(7), gen(8), "another seed, other households")
}

func TestHouseholdsAreValidAndScreenWithoutErrors(t *testing.T) {
	e := engine(t)
	hs, err := synth.Households(synth.Config{Seed: 42, AsOf: asOf, UnknownPercent: 15}, 1500)
	require.NoError(t, err)
	ids := map[string]bool{}
	notCovered := map[string]int{}
	for _, h := range hs {
		require.NoError(t, h.Validate(), h.ID)
		require.False(t, ids[h.ID], "duplicate id %s", h.ID)
		ids[h.ID] = true
		// Households are made for asOf: screened on it and later (a member born
		// after the date screened for is an input error).
		for _, on := range []civil.Date{asOf, civil.MustDate(2026, 12, 1), civil.MustDate(2026, 12, 31)} {
			s, err := e.Screen(context.Background(), h, on)
			require.NoError(t, err)
			for _, o := range s.Results {
				// No income rule is out of coverage on these dates (令和7年分
				// income): the 特定親族特別控除 of a 19–22 relative earning
				// above the 扶養 limit, once a …に未対応です error (0.9 % of
				// households), is computed since issue 13l.
				if o.Error != nil && strings.Contains(o.Error.Message, "に未対応です") {
					notCovered[o.Error.Message]++
					continue
				}
				require.Nil(t, o.Error, "%s on %s: %s: %v", h.ID, on, o.Program, o.Error)
			}
		}
	}
	assert.Empty(t, notCovered, "outcomes not covered by the income rules")
}

// The households must give a realistic mix of outcomes, not all eligible
// or all unknown: that is what makes them useful for tests and demos.
func TestOutcomeMix(t *testing.T) {
	e := engine(t)
	count := func(unknown int) map[eligibility.Status]int {
		hs, err := synth.Households(synth.Config{Seed: 3, AsOf: asOf, UnknownPercent: unknown}, 1000)
		require.NoError(t, err)
		n := map[eligibility.Status]int{}
		for _, h := range hs {
			s, err := e.Screen(context.Background(), h, asOf, eligibility.OnlyPrograms("child-rearing-allowance"))
			require.NoError(t, err)
			n[s.Results[0].Status]++
		}
		return n
	}
	known := count(0)
	t.Logf("児童扶養手当, no unknown facts: %v", known)
	assert.Greater(t, known[eligibility.Eligible], 300, "many single parents qualify")
	assert.Greater(t, known[eligibility.Ineligible], 100, "income, marriage and age exclude some")
	assert.Less(t, known[eligibility.Undetermined], 50, "with every fact given, few stay open")
	partial := count(40)
	t.Logf("児童扶養手当, 40%% with unknown facts: %v", partial)
	assert.Greater(t, partial[eligibility.Undetermined], known[eligibility.Undetermined]+100)
}

func TestComposition(t *testing.T) {
	hs, err := synth.Households(synth.Config{Seed: 11, AsOf: asOf}, 2000)
	require.NoError(t, err)
	var mothers, grandparents, support, disabled, caretakers int
	for _, h := range hs {
		self := h.Self()
		if *h.ApplicantRole == eligibility.RoleCaretaker {
			caretakers++
		} else if *self.Sex == eligibility.SexFemale {
			mothers++
		}
		for _, m := range h.Members {
			switch {
			case m.Relation == eligibility.RelationParent:
				grandparents++
			case m.Relation == eligibility.RelationChild && m.Disability.Kind != eligibility.DisabilityNone:
				disabled++
			}
		}
		if in := self.IncomeFor(2025); in != nil && *in.ChildSupportReceived > 0 {
			support++
		}
		for _, m := range h.Members {
			if m.Relation == eligibility.RelationChild {
				assert.False(t, m.BirthDate.After(asOf), "a child born after the date")
				assert.GreaterOrEqual(t, civil.StatutoryAge(*self.BirthDate, asOf)-civil.StatutoryAge(*m.BirthDate, asOf), 17)
			}
		}
	}
	assert.InDelta(t, 0.84, float64(mothers)/2000, 0.05)
	assert.InDelta(t, 0.03, float64(caretakers)/2000, 0.015)
	assert.Greater(t, grandparents, 200)
	assert.Greater(t, support, 250)
	assert.Greater(t, disabled, 80)
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []synth.Config{
		{},
		{AsOf: asOf, UnknownPercent: 101},
		{AsOf: asOf, Municipalities: []synth.Municipality{{Code: "1310", Grade: 1}}},
		{AsOf: asOf, Municipalities: []synth.Municipality{{Code: "13104", Grade: 4}}},
		{AsOf: civil.MustDate(1999, 1, 1)},
	} {
		_, err := synth.New(c)
		assert.True(t, errors.Is(err, synth.ErrConfig), "%+v: %v", c, err)
	}
}

func TestCheckDigit(t *testing.T) {
	for in, want := range map[string]string{"13101": "131016", "27100": "271004", "01100": "011002", "13104": "131041"} {
		got, err := synth.CheckDigit(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		_, err = eligibility.DecodeHousehold([]byte(`{"municipality_code":"` + got + `","members":[{"relation":"self"}]}`))
		assert.NoError(t, err, "the decoder accepts %s", got)
	}
	_, err := synth.CheckDigit("1a101")
	assert.Error(t, err)
}
