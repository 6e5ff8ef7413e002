package casefile

import (
	"context"
	"slices"
	"sort"

	"github.com/onestop-jp/onestop/consent"
)

// Batch loading for notification work: a page of cases is read with one
// query per kind (Query.IDs, CaseIDs, PersonIDs) and decoded later by the
// goroutine that decides the case, so reading and deciding overlap.

// rawCase is one case's rows, not yet decoded.
type rawCase struct {
	row      Row
	members  []Row
	persons  map[string]Row   // subject and members, by id
	supports map[string][]Row // by person
	events   map[string][]Row // consent events, by subject
}

// rawPage is the rows of a page of cases and of the persons the page's DV
// measures name as counterparties (to compare contacts with theirs).
type rawPage struct {
	num     int
	cases   []rawCase
	others  map[string]Row // counterparties outside the page's households
	rx      *restrictionIndex
	lastID  string // the last case id read (the resume point)
	skipped int    // cases of other desks on the page
}

// loadCases reads the given case rows' households in batch.
func loadCases(ctx context.Context, tx Tx, rows []Row, rx *restrictionIndex) (*rawPage, error) {
	p := &rawPage{rx: rx, others: map[string]Row{}}
	if len(rows) == 0 {
		return p, nil
	}
	caseIDs := make([]string, len(rows))
	for i, r := range rows {
		caseIDs[i] = r.ID
	}
	members, err := tx.List(ctx, Query{Kind: KindMember, CaseIDs: caseIDs})
	if err != nil {
		return nil, err
	}
	byCase := map[string][]Row{}
	for _, m := range members {
		byCase[m.CaseID] = append(byCase[m.CaseID], m)
	}
	var personIDs []string
	for _, r := range rows {
		personIDs = append(personIDs, r.PersonID) // a case row's person is its subject
		for _, m := range byCase[r.ID] {
			personIDs = append(personIDs, m.PersonID)
		}
	}
	persons, err := tx.List(ctx, Query{Kind: KindPerson, IDs: personIDs})
	if err != nil {
		return nil, err
	}
	supports, err := tx.List(ctx, Query{Kind: KindSupport, PersonIDs: personIDs})
	if err != nil {
		return nil, err
	}
	events, err := tx.List(ctx, Query{Kind: KindConsent, PersonIDs: personIDs})
	if err != nil {
		return nil, err
	}
	personRow := make(map[string]Row, len(persons))
	for _, r := range persons {
		personRow[r.ID] = r
	}
	supportRows, eventRows := map[string][]Row{}, map[string][]Row{}
	for _, r := range supports {
		supportRows[r.PersonID] = append(supportRows[r.PersonID], r)
	}
	for _, r := range events {
		eventRows[r.PersonID] = append(eventRows[r.PersonID], r)
	}
	var others []string
	for _, r := range rows {
		rc := rawCase{row: r, members: byCase[r.ID], persons: map[string]Row{}, supports: map[string][]Row{}, events: map[string][]Row{}}
		ids := []string{r.PersonID}
		for _, m := range rc.members {
			ids = append(ids, m.PersonID)
		}
		for _, id := range ids {
			if pr, ok := personRow[id]; ok {
				rc.persons[id] = pr
			}
			rc.supports[id] = supportRows[id]
			rc.events[id] = eventRows[id]
		}
		for _, res := range rx.about(ids) {
			for _, c := range res.Counterparties {
				if _, inPage := personRow[c]; !inPage {
					others = append(others, c)
				}
			}
		}
		p.cases = append(p.cases, rc)
	}
	if len(others) > 0 {
		rs, err := tx.List(ctx, Query{Kind: KindPerson, IDs: others})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			p.others[r.ID] = r
		}
	}
	for _, id := range others {
		if r, ok := personRow[id]; ok {
			p.others[id] = r
		}
	}
	return p, nil
}

// restrictionIndex holds the tenant's DV等支援措置 by the persons they name
// as subject or counterparty. It is immutable once built; add returns a
// new index.
type restrictionIndex struct {
	all    []consent.Restriction
	byPers map[string][]int
	lastID string // the highest entity id read, to pick up new measures
}

func newRestrictionIndex(rs []AddressRestriction) *restrictionIndex {
	x := &restrictionIndex{byPers: map[string][]int{}}
	return x.add(rs)
}

// add returns an index with rs added.
func (x *restrictionIndex) add(rs []AddressRestriction) *restrictionIndex {
	if len(rs) == 0 && x.byPers != nil {
		return x
	}
	y := &restrictionIndex{all: slices.Clone(x.all), byPers: make(map[string][]int, len(x.byPers)+len(rs)), lastID: x.lastID}
	for k, v := range x.byPers {
		y.byPers[k] = v
	}
	for _, ar := range rs {
		i := len(y.all)
		y.all = append(y.all, ar.Restriction)
		for _, p := range append(slices.Clone(ar.Restriction.Subjects), ar.Restriction.Counterparties...) {
			if l := y.byPers[p]; len(l) == 0 || l[len(l)-1] != i {
				y.byPers[p] = append(slices.Clip(l), i)
			}
		}
		if ar.ID > y.lastID {
			y.lastID = ar.ID
		}
	}
	return y
}

// about returns the restrictions naming any of persons, each once, in
// index order.
func (x *restrictionIndex) about(persons []string) []consent.Restriction {
	var idx []int
	for _, p := range persons {
		idx = append(idx, x.byPers[p]...)
	}
	if len(idx) == 0 {
		return nil
	}
	sort.Ints(idx)
	idx = slices.Compact(idx)
	out := make([]consent.Restriction, len(idx))
	for i, j := range idx {
		out[i] = x.all[j]
	}
	return out
}

// loadRestrictions reads the tenant's measures with an id after after ("":
// all of them).
func loadRestrictions(ctx context.Context, tx Tx, after string) ([]AddressRestriction, error) {
	return listTyped[AddressRestriction](ctx, tx, Query{Kind: KindRestriction, AfterID: after})
}
