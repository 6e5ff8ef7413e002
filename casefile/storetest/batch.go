package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
)

// testBatchList checks the batch filters of Query (IDs, CaseIDs,
// PersonIDs): rows whose id, case or person is any of a list, in id order,
// across the stores' chunking of long lists, inside and outside the
// transaction that wrote them, never another tenant's.
func testBatchList(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	const n = 1234 // more than one IN chunk
	var ids, cases, persons []string
	for i := 0; i < n; i++ {
		ids = append(ids, casefile.NewID())
		cases = append(cases, fmt.Sprintf("case-%d", i%617))
		persons = append(persons, fmt.Sprintf("p-%d", i%411))
	}
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		for i, id := range ids {
			r := row(casefile.KindMember, id, `{}`)
			r.CaseID, r.PersonID = cases[i], persons[i]
			if err := tx.Insert(ctx, r); err != nil {
				return err
			}
		}
		rs, err := tx.List(ctx, casefile.Query{Kind: casefile.KindMember, IDs: ids[:3]})
		assert.Len(t, rs, 3, "visible inside the writing transaction")
		return err
	}))
	other := row(casefile.KindMember, casefile.NewID(), `{}`)
	other.Tenant, other.CaseID, other.PersonID = "999999", cases[0], persons[0]
	require.NoError(t, s.Update(ctx, "999999", func(tx casefile.Tx) error { return tx.Insert(ctx, other) }))

	list := func(q casefile.Query) []string {
		t.Helper()
		q.Kind = casefile.KindMember
		var out []string
		require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
			rs, err := tx.List(ctx, q)
			for _, r := range rs {
				out = append(out, r.ID)
			}
			return err
		}))
		return out
	}
	want := func(keep func(i int) bool) []string {
		var out []string
		for i, id := range ids {
			if keep(i) {
				out = append(out, id)
			}
		}
		return out
	}

	// Every id, given in reverse and with duplicates: all of them once, in order.
	rev := slices.Clone(ids)
	slices.Reverse(rev)
	assert.Equal(t, ids, list(casefile.Query{IDs: append(rev, ids[:10]...)}))
	assert.Equal(t, ids[5:8], list(casefile.Query{IDs: []string{ids[7], ids[5], ids[6], casefile.NewID()}}))

	someCases := []string{"case-1", "case-600", "case-333", "no-such-case"}
	assert.Equal(t, want(func(i int) bool { return slices.Contains(someCases, cases[i]) }), list(casefile.Query{CaseIDs: someCases}))
	var manyPersons []string
	for i := 0; i < 411; i += 2 {
		manyPersons = append(manyPersons, fmt.Sprintf("p-%d", i))
	}
	wantPersons := want(func(i int) bool { return slices.Contains(manyPersons, persons[i]) })
	assert.Equal(t, wantPersons, list(casefile.Query{PersonIDs: manyPersons}))
	assert.Equal(t, wantPersons[:7], list(casefile.Query{PersonIDs: manyPersons, Limit: 7}), "limit after merging chunks")
	assert.Equal(t, want(func(i int) bool {
		return slices.Contains(manyPersons, persons[i]) && slices.Contains(someCases, cases[i])
	}),
		list(casefile.Query{PersonIDs: manyPersons, CaseIDs: someCases}), "lists combine with AND")
	assert.Equal(t, want(func(i int) bool { return i > 100 && cases[i] == "case-1" }),
		list(casefile.Query{CaseIDs: []string{"case-1"}, AfterID: ids[100]}))
	assert.Empty(t, list(casefile.Query{IDs: []string{}}), "an empty list selects nothing")
	assert.Empty(t, list(casefile.Query{CaseIDs: []string{}, PersonIDs: manyPersons}))
	assert.NotContains(t, list(casefile.Query{CaseIDs: []string{cases[0]}}), other.ID, "another tenant's row")
}
