package outreach

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/storetest"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
)

// complete fills in the facts the case record does not hold, as a vendor
// would from its own systems (RunOptions.Cases), so that the family is
// eligible with an amount: a divorced mother in Japan with one child and
// no income.
func complete(oc casefile.OutreachCase) casefile.OutreachCase {
	h := *oc.Household
	h.Situation = new(eligibility.SituationDivorced)
	h.ApplicantRole = new(eligibility.RoleParent)
	h.DeFactoPartner = new(false)
	h.Receiving = []string{}
	zero := int64(0)
	none := eligibility.Income{SalaryRevenue: &zero, PensionRevenue: &zero, BusinessIncome: &zero, OtherIncome: &zero,
		ChildSupportReceived: &zero, Deductions: &eligibility.Deductions{}}
	h.Members = append([]eligibility.Member(nil), h.Members...)
	for i := range h.Members {
		m := &h.Members[i]
		m.ResidesInJapan = new(true)
		if m.Relation == eligibility.RelationSelf {
			var ins []eligibility.Income
			for _, y := range []int{2024, 2025} {
				in := none
				in.Year = y
				ins = append(ins, in)
			}
			m.Incomes = ins
		} else {
			m.InFacility = new(false)
			m.Incomes = []eligibility.Income{}
		}
	}
	oc.Household = &h
	return oc
}

// An amount goes only where the person chose amounts and consent covers
// income, and only when the family is eligible.
func TestAmounts(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			w := newWorld(t, s.New(t), WithPrograms("child-rearing-allowance"))
			chose := w.family(fam{amountsOK: true})
			not := w.family(fam{})
			cases := func(yield func(casefile.OutreachCase, error) bool) {
				for oc, err := range w.svc.OutreachCases(w.ctx, system, casefile.OutreachScan{RunID: "amounts"}) {
					if err == nil && oc.Household != nil {
						oc = complete(oc)
					}
					if !yield(oc, err) {
						return
					}
				}
			}
			rep, err := w.run.Run(w.ctx, system, civil.MustDate(2026, 12, 4), RunOptions{Cases: cases})
			require.NoError(t, err)
			assert.Equal(t, 2, rep.Planned)

			c := onlyProgram(t, w.outboxOf(chose.mother.ID), "child-rearing-allowance")
			assert.Equal(t, "eligible", c.Outcome)
			assert.True(t, c.Channels[0].Amount)
			assert.Positive(t, c.AmountYen)
			assert.Equal(t, "month", c.AmountPer)
			n := onlyProgram(t, w.outboxOf(not.mother.ID), "child-rearing-allowance")
			assert.False(t, n.Channels[0].Amount)
			assert.Zero(t, n.AmountYen, "not even kept in the outbox")

			sender := newSender()
			w.dispatch(w.dispatcher(sender))
			mc := sendersTo(sender, chose.mother.Contacts[0].Value)
			mn := sendersTo(sender, not.mother.Contacts[0].Value)
			require.Len(t, mc, 1)
			require.Len(t, mn, 1)
			assert.Contains(t, mc[0].Body, "見込み 月額 "+eligibility.FormatYen(c.AmountYen))
			assert.Contains(t, mc[0].Body, "受けられる可能性があります")
			assert.NotContains(t, mn[0].Body, "円）")
			assert.NotContains(t, mn[0].Body, "見込み")
		})
	}
}
