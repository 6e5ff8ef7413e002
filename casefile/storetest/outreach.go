package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/internal/population"
)

// outreachPopulation writes n generated families (with many DV measures,
// member gaps and every consent variant) and returns them.
func outreachPopulation(t *testing.T, f *fixture, seed uint64, n int) []*population.Family {
	t.Helper()
	cfg := population.Default(seed, tenant, desk, civil.DateOf(f.clk.t.In(jst)))
	cfg.Now = f.clk.t.Add(-2 * 24 * 3600e9)
	cfg.DV, cfg.MemberGap, cfg.NoConsent = 25, 10, 15
	g, err := population.New(cfg)
	require.NoError(t, err)
	fams := make([]*population.Family, n)
	for i := range fams {
		fams[i] = g.Next()
	}
	require.NoError(t, population.Write(f.ctx, f.st, tenant, fams, 40))
	return fams
}

// testOutreachScan checks Service.OutreachCases against Service.Household
// with purpose notification, case by case, on a generated population: the
// scan decides the same (or refuses more: it needs the subject's own
// identity and never screens for a counterparty), yields the same
// household facts, and audits every person it used.
func testOutreachScan(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	fams := outreachPopulation(t, f, 7, 90)
	before := f.head()
	got := map[string]casefile.OutreachCase{}
	var order []string
	for oc, err := range f.svc.OutreachCases(f.ctx, f.W, casefile.OutreachScan{RunID: "run-test", PageSize: 17, Workers: 3}) {
		require.NoError(t, err)
		got[oc.CaseID] = oc
		order = append(order, oc.CaseID)
	}
	assert.True(t, slices.IsSorted(order), "cases come in id order")
	require.Len(t, got, len(fams)+1, "every case of the desk (the fixture's included), once")

	var screened, refused int
	for _, fam := range fams {
		oc, ok := got[fam.Case.ID]
		require.True(t, ok)
		assert.Equal(t, fam.Persons[0].ID, oc.Subject)
		if fam.Case.Status == casefile.StatusClosed {
			assert.Equal(t, "case_closed", oc.Refused)
			continue
		}
		hh, err := f.svc.Household(f.ctx, f.W, fam.Case.ID, f.today(), casefile.ReadOptions{Purpose: consent.PurposeNotification})
		if oc.Refused == "" {
			screened++
			require.NoError(t, err, "the scan screened case %s that Household refuses", fam.Case.ID)
			assert.Equal(t, *hh, *oc.Household, "case %s", fam.Case.ID)
			continue
		}
		refused++
		assert.Nil(t, oc.Household)
		if err != nil {
			require.ErrorIs(t, err, casefile.ErrHouseholdIncomplete)
			continue
		}
		// Household built a household the scan refused: only because the
		// subject's identity may not be used, or the subject is a
		// counterparty of a measure on the household.
		switch oc.Refused {
		case "counterparty":
			assert.True(t, slices.ContainsFunc(fam.Restrictions, func(r casefile.AddressRestriction) bool {
				return r.Restriction.IsCounterparty(oc.Subject)
			}))
		case "member_not_visible", "record_error":
			t.Errorf("case %s: scan refused %s, Household did not", fam.Case.ID, oc.Refused)
		default:
			self := hh.Self()
			require.NotNil(t, self)
			assert.Nil(t, self.BirthDate, "identity was not usable for case %s", fam.Case.ID)
		}
	}
	reasons := map[string]int{}
	for _, oc := range got {
		reasons[oc.Refused]++
	}
	t.Logf("screened %d refused %d reasons %v", screened, refused, reasons)
	assert.Greater(t, screened, 10)
	assert.Greater(t, refused, 5)

	// Every person whose data a yielded household used is named by a
	// permit entry of the scan; nothing was yielded unaudited.
	used, denied := map[string]bool{}, map[string]bool{}
	for _, e := range f.since(before) {
		if len(e.Entities) == 0 || e.Entities[0].Type != "outreach_scan" {
			continue
		}
		assert.Equal(t, audit.ActionRead, e.Action)
		assert.Equal(t, consent.PurposeNotification.String(), e.Purpose)
		for _, s := range e.Subjects {
			if e.Decision == audit.Permit {
				used[s] = true
			} else {
				denied[s] = true
			}
		}
	}
	for _, fam := range fams {
		oc := got[fam.Case.ID]
		if oc.Household == nil {
			continue
		}
		for _, m := range fam.Members {
			assert.True(t, used[m.PersonID], "person %s used but not audited", m.PersonID)
		}
	}
	assert.NotEmpty(t, denied)

	// Notify decisions and channels never offer a contact a measure in
	// force protects.
	for _, fam := range fams {
		oc := got[fam.Case.ID]
		for _, r := range fam.Restrictions {
			if !r.Restriction.State(f.clk.t).InForce() {
				continue
			}
			for _, ch := range oc.Channels {
				if ch.Usable() && slices.Contains(r.Restriction.Subjects, oc.Subject) {
					for _, fld := range r.Restriction.ProtectedFields {
						assert.False(t, fld == "contacts" || (ch.Type == casefile.ChannelPost && fld == "address"),
							"case %s: channel %s usable under %v", fam.Case.ID, ch.Type, r.Restriction.ProtectedFields)
					}
				}
			}
		}
	}

	// A scan of chosen cases, resumed after the first.
	pick := []string{fams[3].Case.ID, fams[1].Case.ID, fams[2].Case.ID, casefile.NewID()}
	var ids []string
	for oc, err := range f.svc.OutreachCases(f.ctx, f.W, casefile.OutreachScan{RunID: "run-pick", CaseIDs: pick, After: min(fams[1].Case.ID, fams[2].Case.ID, fams[3].Case.ID)}) {
		require.NoError(t, err)
		ids = append(ids, oc.CaseID)
	}
	want := []string{fams[1].Case.ID, fams[2].Case.ID, fams[3].Case.ID}
	slices.Sort(want)
	assert.Equal(t, want[1:], ids)

	// Stopping early releases the scan; another desk sees none of the
	// desk's cases; a role without PermRead is refused and audited.
	for range f.svc.OutreachCases(f.ctx, f.W, casefile.OutreachScan{RunID: "run-stop", PageSize: 5}) {
		break
	}
	for oc, err := range f.svc.OutreachCases(f.ctx, actor("staff-k", kosodate, "staff"), casefile.OutreachScan{RunID: "run-other"}) {
		require.NoError(t, err)
		t.Errorf("another desk got case %s", oc.CaseID)
	}
	for _, err := range f.svc.OutreachCases(f.ctx, actor("staff-x", desk, "auditor"), casefile.OutreachScan{RunID: "run-x"}) {
		assert.True(t, errors.Is(err, casefile.ErrDenied), "%v", err)
	}
	for _, err := range f.svc.OutreachCases(f.ctx, f.W, casefile.OutreachScan{}) {
		assert.ErrorIs(t, err, casefile.ErrInvalid, "a run id is required")
	}
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	for _, err := range f.svc.OutreachCases(ctx, f.W, casefile.OutreachScan{RunID: "run-cancelled"}) {
		assert.ErrorIs(t, err, context.Canceled)
	}
}
