package eligibility

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/onestop-jp/onestop/civil"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values handed to the caller are the caller's: writing to them never
// changes the engine or a later screening.
func TestOutcomesAreTheCallersOwn(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	married := household(t, strings.Replace(parent(`{"year":2023,"business_income":0,"other_income":0,"child_support_received":0}`, "2015-05-01"), "divorced", "married", 1))
	s, err := e.Screen(context.Background(), married, d("2025-06-01"), WithExplanations())
	require.NoError(t, err)
	o := s.Outcome("child-rearing-allowance")
	require.Equal(t, Ineligible, o.Status)
	var failed *ConditionResult
	for i := range o.Conditions {
		if r := o.Conditions[i].Result; r != nil && !*r {
			failed = &o.Conditions[i]
		}
	}
	require.NotNil(t, failed)
	*failed.Result = true // the caller's own copy
	for i := range o.Conditions {
		if r := o.Conditions[i].Result; r != nil && *r {
			*r = false
		}
	}
	require.NotEmpty(t, o.Sources)
	o.Sources[0].Title = "changed by the caller"

	s2, err := e.Screen(context.Background(), married, d("2025-06-01"), WithExplanations())
	require.NoError(t, err)
	o2 := s2.Outcome("child-rearing-allowance")
	for _, c := range o2.Conditions {
		require.NotNil(t, c.Result)
	}
	assert.False(t, *o2.Conditions[0].Result, "the situation condition still fails")
	assert.True(t, *o2.Conditions[1].Result, "a condition that held still holds")
	assert.NotEqual(t, "changed by the caller", o2.Sources[0].Title)
	assert.NotEqual(t, "changed by the caller", e.Programs()[0].Sources[0].Title)

	infos := e.Programs()
	infos[0].Sources[0].Title = "x"
	infos[0].Facts[0] = "x"
	infos[0].Conditions[0] = "x"
	again := e.Programs()
	assert.NotEqual(t, "x", again[0].Sources[0].Title)
	assert.NotEqual(t, "x", again[0].Facts[0])
	assert.NotEqual(t, "x", again[0].Conditions[0])
}

// An Engine is a snapshot of the packs it compiled: editing a pack after
// Compile changes nothing.
func TestEngineDoesNotShareThePack(t *testing.T) {
	p, err := LoadPack(os.DirFS("testdata/samplepack"), "testdata/samplepack")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	h := household(t, parent(`{"year":2023,"business_income":1840000,"other_income":0,"child_support_received":0}`, "2015-05-01"))
	before, err := e.Screen(context.Background(), h, d("2025-06-01"), WithExplanations())
	require.NoError(t, err)

	for _, prog := range p.Programs {
		prog.ID, prog.Name = "edited", "編集"
		prog.Sources[0].Title = "edited"
		prog.Effective.From = civil.MustDate(2099, 1, 1)
		for i := range prog.Conditions {
			prog.Conditions[i].Reason = "edited"
		}
		if prog.Amount != nil {
			prog.Amount.Per = PerYear
		}
		prog.Values = nil
	}
	for _, par := range p.Parameters {
		par.Title = "edited"
		for i := range par.Values {
			par.Values[i].From = civil.MustDate(2099, 1, 1)
			par.Values[i].Source = "https://edited.example"
			if l, ok := par.Values[i].Value.([]int64); ok {
				for k := range l {
					l[k] = 1
				}
			}
		}
		par.Values = par.Values[:1]
	}
	for _, f := range p.Facts {
		f.Label = "edited"
	}
	p.Programs = nil

	after, err := e.Screen(context.Background(), h, d("2025-06-01"), WithExplanations())
	require.NoError(t, err)
	assert.Equal(t, before, after)
	assert.NotEqual(t, "edited", e.ExtraFacts()[0].Label)
	for _, pu := range e.Parameters(d("2025-06-01")) {
		assert.NotEqual(t, "edited", pu.Title)
	}
}

// FactTypes is a fresh copy: editing its enum values does not change
// what the decoder accepts or how facts are labelled.
func TestFactTypesAreACopy(t *testing.T) {
	types := FactTypes()
	for i := range types {
		for j := range types[i].Fields {
			f := &types[i].Fields[j]
			for k := range f.Enum {
				f.Enum[k].Value = "edited"
				f.Enum[k].Label = "edited"
			}
		}
	}
	_, err := DecodeHousehold([]byte(`{"situation":"divorced","members":[{"relation":"self"}]}`))
	require.NoError(t, err)
	for _, ft := range FactTypes() {
		for _, f := range ft.Fields {
			for _, ev := range f.Enum {
				assert.NotEqual(t, "edited", ev.Value)
				assert.NotEqual(t, "edited", ev.Label)
			}
		}
	}
}
