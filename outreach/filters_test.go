package outreach

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/storetest"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// Every filter of the issue, on every store: the family of the case is
// skipped for exactly the reason given, and nothing of it reaches the
// outbox; the control family in the same run is notified.
func TestFilters(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			w := newWorld(t, s.New(t))
			control := w.family(fam{})
			cases := []struct {
				name   string
				f      fam
				reason string // household skip reason
			}{
				{"consent missing", fam{consent: "none"}, "no_consent"},
				{"consent withdrawn", fam{consent: "withdrawn"}, "withdrawn"},
				{"consent expired", fam{consent: "expired"}, "expired"},
				{"consent for another purpose", fam{consent: "sharing"}, "no_consent"},
				{"consent without notify", fam{consent: "view_only"}, "notify_no_consent"},
				{"DV restriction on the contacts", fam{dv: []string{"contacts"}}, SkipDVRestricted},
				{"DV restriction on this contact", fam{dv: []string{"contacts.0"}}, SkipDVRestricted},
				{"counterparty shares the phone", fam{dv: []string{"address"}, dvShares: true}, SkipDVRestricted},
				{"ok-to-contact false", fam{notOK: true}, SkipNotOK},
				{"safe times unclear", fam{safeTimes: "夫が家にいない時"}, SkipSafeTimes},
				{"no push channel", fam{contacts: []casefile.Contact{{Type: "phone", Value: "03-1234-5678", OKToContact: true}}}, SkipNoChannel},
			}
			fams := make([]family, len(cases))
			for i, c := range cases {
				fams[i] = w.family(c.f)
			}
			receiving := w.family(fam{receiving: []string{"child-rearing-allowance", "child-allowance"}, applied: []string{"welfare-fund-loan"}})
			weekend := w.family(fam{safeTimes: "土日祝日"})

			rep := w.runOnce(false)
			assert.Equal(t, len(cases)+3, rep.Cases)
			for i, c := range cases {
				assert.Empty(t, w.outboxOf(fams[i].mother.ID), c.name)
			}
			want := map[string]int{}
			for _, c := range cases {
				want[c.reason]++
			}
			assert.Equal(t, want, rep.Households, "skipped households by reason")

			got := w.outboxOf(control.mother.ID)
			require.NotEmpty(t, got, "the control family is notified")
			for _, n := range got {
				assert.Equal(t, casefile.NotifyPlanned, n.Status)
				assert.Equal(t, []casefile.NotificationChannel{{Type: casefile.ChannelSMS, Contact: 0}}, n.Channels)
				assert.Equal(t, time.Date(2026, 12, 4, 10, 0, 0, 0, jst), n.Due.In(jst), "inside 平日9時〜17時: now")
				assert.Equal(t, time.Date(2026, 12, 4, 17, 0, 0, 0, jst), n.WindowEnd.In(jst))
				want := "FY2026" // the fiscal year
				if n.Program == "single-parent-deduction" {
					want = "CY2026" // a deduction of a year's income
				}
				assert.Equal(t, want, n.Period, n.Program)
			}
			programs := func(ns []casefile.Notification) map[string]bool {
				m := map[string]bool{}
				for _, n := range ns {
					m[n.Program] = true
				}
				return m
			}
			assert.True(t, programs(got)["child-rearing-allowance"])

			// Already receiving or applied for: those programmes only are left out.
			rp := programs(w.outboxOf(receiving.mother.ID))
			assert.False(t, rp["child-rearing-allowance"])
			assert.False(t, rp["child-allowance"])
			assert.False(t, rp["welfare-fund-loan"])
			assert.True(t, rp["single-parent-deduction"])
			assert.Equal(t, 2, rep.Programmes[SkipReceiving])
			assert.Equal(t, 1, rep.Programmes[SkipApplied])

			// Outside the safe times: planned for the next window, not dropped.
			wk := w.outboxOf(weekend.mother.ID)
			require.NotEmpty(t, wk)
			assert.Equal(t, time.Date(2026, 12, 5, 9, 0, 0, 0, jst), wk[0].Due.In(jst), "Saturday morning, in the sending hours")
			assert.Equal(t, time.Date(2026, 12, 5, 20, 0, 0, 0, jst), wk[0].WindowEnd.In(jst))

			// Already notified: a second run writes nothing new.
			before := len(w.outbox())
			rep2 := w.runOnce(false)
			assert.Zero(t, rep2.Planned)
			assert.Equal(t, before, rep2.Programmes[SkipNotified])
			assert.Len(t, w.outbox(), before)

			// The report carries no personal data.
			var b strings.Builder
			require.NoError(t, rep.WriteText(&b, nil))
			out := b.String() + dumpJSON(t, rep)
			for _, f := range append(fams, control, receiving, weekend) {
				for _, secret := range []string{f.mother.ID, f.child.ID, f.mother.Name.Given, f.mother.Contacts[0].Value, f.cf.ID} {
					assert.NotContains(t, out, secret)
				}
			}
		})
	}
}

// The notice decisions are audited with the outbox entries, and a dry
// run writes none.
func TestDryRunAndAudit(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			w := newWorld(t, s.New(t))
			f := w.family(fam{})
			w.family(fam{consent: "none"})
			dry := w.runOnce(true)
			assert.True(t, dry.DryRun)
			assert.Positive(t, dry.Planned)
			assert.Empty(t, w.outbox(), "a dry run writes no notice")

			head, err := w.st.AuditHead(w.ctx, tenant)
			require.NoError(t, err)
			rep := w.runOnce(false)
			assert.Equal(t, dry.Planned, rep.Planned, "the dry run said what would be sent")
			assert.Equal(t, dry.Households, rep.Households)
			ns := w.outbox()
			require.Len(t, ns, rep.Planned)
			notified := map[string]bool{}
			require.NoError(t, w.st.ScanAudit(w.ctx, tenant, head.Seq+1, func(e audit.Entry) error {
				if e.Action == audit.ActionNotify && e.Decision == audit.Permit {
					assert.Equal(t, []string{f.mother.ID}, e.Subjects)
					assert.Equal(t, "sms", e.Reason)
					notified[e.Entities[1].ID] = true
				}
				return nil
			}))
			for _, n := range ns {
				assert.True(t, notified[n.ID], "notification %s has its audit entry", n.Program)
			}
		})
	}
}

// A mother who is the subject of two open cases is told once per
// programme; the dry run, which writes nothing, counts her once too (it
// remembers the keys it counted).
func TestDryRunCountsAPersonOnce(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			w := newWorld(t, s.New(t))
			f := w.family(fam{})
			w.family(fam{})
			require.NoError(t, w.svc.Change(w.ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
				cf := casefile.CaseFile{SubjectID: f.mother.ID, Status: casefile.StatusOpen, OwnerOrg: desk, OpenedOn: civil.MustDate(2026, 10, 1), Situation: "divorced"}
				if err := c.Create(&cf); err != nil {
					return err
				}
				for _, m := range []casefile.HouseholdMember{
					{CaseID: cf.ID, PersonID: f.mother.ID, Relationship: casefile.Relationship{Code: "self"}, LivesWith: new(true)},
					{CaseID: cf.ID, PersonID: f.child.ID, Relationship: casefile.Relationship{Code: "child"}, LivesWith: new(true)},
				} {
					if err := c.Create(&m); err != nil {
						return err
					}
				}
				return nil
			}))
			dry := w.runOnce(true)
			require.Equal(t, 3, dry.Cases)
			require.Positive(t, dry.Programmes[SkipNotified], "the second case's notices are counted as existing")
			rep := w.runOnce(false)
			assert.Equal(t, dry.Planned, rep.Planned, "the dry run said what would be written")
			assert.Equal(t, dry.Programmes[SkipNotified], rep.Programmes[SkipNotified])
			keys := map[string]bool{}
			for _, n := range w.outbox() {
				assert.False(t, keys[n.Key], "key %s written twice", n.Key)
				keys[n.Key] = true
			}
			assert.Len(t, keys, rep.Planned)
			assert.Len(t, w.outboxOf(f.mother.ID), rep.Planned/2, "both mothers get the same programmes")
		})
	}
}
