package eligibility_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// region is a piece of memory a household owns: a fact a pointer points
// at, or a list's backing array up to its capacity.
type region struct {
	start, end uintptr
	what       string
}

// regions collects the memory v owns (strings' bytes, immutable, and the
// local facts' map aside).
func regions(v reflect.Value, path string, out *[]region) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		*out = append(*out, region{v.Pointer(), v.Pointer() + v.Type().Elem().Size(), path})
		regions(v.Elem(), path, out)
	case reflect.Slice:
		if v.IsNil() || v.Cap() == 0 {
			return
		}
		*out = append(*out, region{v.Pointer(), v.Pointer() + uintptr(v.Cap())*v.Type().Elem().Size(), path + "[]"})
		for i := range v.Len() {
			regions(v.Index(i), path+"[]", out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				regions(v.Field(i), path+"."+v.Type().Field(i).Name, out)
			}
		}
	}
}

// requireDisjoint fails when two pieces of memory the households own
// overlap: a list whose capacity reaches into the next part of a block
// (an append would write over it), or two facts sharing a slot.
func requireDisjoint(t *testing.T, hs []*eligibility.Household) {
	t.Helper()
	var rs []region
	for _, h := range hs {
		regions(reflect.ValueOf(h), "Household", &rs)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].start < rs[j].start })
	for i := 1; i < len(rs); i++ {
		require.LessOrEqual(t, rs[i-1].end, rs[i].start, "%s overlaps %s", rs[i-1].what, rs[i].what)
	}
}

// scramble changes every fact of v it can reach (a bool flipped, a number
// moved, a string and a date replaced).
func scramble(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			scramble(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			scramble(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(civil.Date{}) {
			v.Set(reflect.ValueOf(civil.MustDate(1901, 2, 3)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scramble(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString(v.String() + "!")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 7)
	}
}

// layoutSources are the ways a population arrives: generated, decoded
// one by one (DecodeHousehold), read from JSON Lines (the CLI's and the
// batch's HouseholdReader), cloned.
func layoutSources(t *testing.T) map[string][]*eligibility.Household {
	gen, err := synth.Households(synth.Config{Seed: 5, AsOf: civil.MustDate(2026, 11, 23), UnknownPercent: 30}, 300)
	require.NoError(t, err)
	var lines bytes.Buffer
	decoded := make([]*eligibility.Household, len(gen))
	cloned := make([]*eligibility.Household, len(gen))
	for i, h := range gen {
		data, err := json.Marshal(h)
		require.NoError(t, err)
		lines.Write(append(data, '\n'))
		decoded[i], err = eligibility.DecodeHousehold(data)
		require.NoError(t, err)
		cloned[i] = decoded[i].Clone()
	}
	var read []*eligibility.Household
	r := eligibility.NewHouseholdReader(&lines, "pop.jsonl")
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		read = append(read, h)
	}
	require.Len(t, read, len(gen))
	return map[string][]*eligibility.Household{"synth": gen, "decoded": decoded, "read": read, "cloned": cloned}
}

// The blocks a household is laid out in (layout.go) are exactly sized:
// no list reaches into the next part of its block, no two facts share a
// slot, within a household or across households.
func TestHouseholdBlocksDoNotOverlap(t *testing.T) {
	for name, hs := range layoutSources(t) {
		t.Run(name, func(t *testing.T) {
			requireDisjoint(t, hs)
			// An append to a member's incomes or to the members moves the
			// list out; the household's other facts stay as they were.
			h := hs[0].Clone()
			want, err := json.Marshal(h)
			require.NoError(t, err)
			self := &h.Members[0]
			grown := append(self.Incomes, eligibility.Income{Year: 1999})
			_ = append(h.Members, eligibility.Member{ID: "new"})
			got, err := json.Marshal(h)
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(got))
			assert.Len(t, grown, len(self.Incomes)+1)
		})
	}
}

// Households share no fact: changing every fact of one leaves all the
// others as they were, whichever way they were made (a decoded household
// is copied out of a scratch block the next one reuses).
func TestHouseholdsAreIndependent(t *testing.T) {
	for name, hs := range layoutSources(t) {
		t.Run(name, func(t *testing.T) {
			before := make([][]byte, len(hs))
			for i, h := range hs {
				var err error
				before[i], err = json.Marshal(h)
				require.NoError(t, err)
			}
			for _, k := range []int{0, 1, len(hs) / 2, len(hs) - 1} {
				scramble(reflect.ValueOf(hs[k]))
				after, err := json.Marshal(hs[k])
				require.NoError(t, err)
				require.NotEqual(t, string(before[k]), string(after), "scramble changed nothing")
				for i, h := range hs {
					if i == k {
						continue
					}
					got, err := json.Marshal(h)
					require.NoError(t, err)
					require.Equal(t, string(before[i]), string(got), "household %d changed with household %d", i, k)
				}
				before[k] = after
			}
		})
	}
}
