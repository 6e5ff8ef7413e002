package consent

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	all2     = []Action{ActionView, ActionCopy}
	viewOnly = []Action{ActionView}
	t30d     = t0.AddDate(0, 0, 30)
)

// standardConsent is the mother's consent used by most decision tests.
func standardConsent() Consent {
	return newConsent("c-1",
		// P1: the desk and 子育て支援課 see everything non-sensitive for the
		// consultation and sharing, except that 子育て支援課 does not see
		// the consultation history.
		permit([]Recipient{rDesk, rKosodate}, []Purpose{PurposeConsultation, PurposeSharing}, all2,
			[]Category{CategoryAny},
			Provision{Recipients: []Recipient{rKosodate}, Categories: []Category{CategoryConsultation}}),
		// P2: health only to the desk, named.
		permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryHealthDisability}),
		// P3: the contractor (call centre).
		permit([]Recipient{rItaku}, []Purpose{PurposeContractorProcessing}, viewOnly,
			[]Category{CategoryIdentity, CategoryContact, CategoryIncomeTax}),
		// P4: notices of support from 子育て支援課.
		permit([]Recipient{rKosodate}, []Purpose{PurposeNotification}, []Action{ActionNotify},
			[]Category{CategoryIdentity, CategoryContact}),
		// P5: income to 国保年金課 for 30 days only.
		Provision{Recipients: []Recipient{rHoken}, Purposes: []Purpose{PurposeSharing}, Actions: viewOnly,
			Categories: []Category{CategoryIncomeTax}, Period: Period{Start: t0, End: t30d}},
	)
}

func standardPolicy(t testing.TB) Policy {
	return Policy{
		Events: events(t, givenEvent(standardConsent())),
		Contracts: []Contract{{ID: contractID, Org: orgItaku, Period: Period{Start: t0.AddDate(-1, 0, 0), End: t0.AddDate(0, 6, 0)},
			Categories: []Category{CategoryIdentity, CategoryContact}}},
		Mandates: []Mandate{
			{Statute: StatuteChildProtectionCouncil, Org: orgKosodate, Role: "yotaikyo", Conference: councilID,
				Period: Period{Start: t0.AddDate(-1, 0, 0), End: t0.AddDate(1, 0, 0)}},
			{Statute: StatuteLifeOrBody, Org: orgDesk, Period: Period{Start: t0.AddDate(-1, 0, 0)}},
		},
	}
}

type decideCase struct {
	name        string
	req         Request
	effect      Effect
	permitted   []Category
	reasons     map[Category]Reason // expected per withheld (or permitted) category
	reason      Reason              // expected Decision.Reason(), if set
	obligations Obligations         // must all be present
	absent      Obligations         // must all be absent
	consents    []string
}

func runDecide(t *testing.T, d *Decider, tc decideCase) Decision {
	t.Helper()
	dec, err := d.Decide(tc.req)
	require.NoError(t, err)
	assert.Equal(t, tc.effect, dec.Effect, "effect; %s", dec)
	assert.Equal(t, Categories(tc.permitted...), dec.Permitted, "permitted; %s", dec)
	assert.Equal(t, tc.req.Categories&^dec.Permitted, dec.Withheld)
	for c, r := range tc.reasons {
		assert.Equal(t, r, dec.CategoryReason(c), "reason for %s; %s", c, dec)
	}
	if tc.reason != 0 {
		assert.Equal(t, tc.reason, dec.Reason(), "%s", dec)
	}
	assert.True(t, dec.Obligations.Has(tc.obligations|ObligationAudit), "obligations %s, want %s", dec.Obligations, tc.obligations)
	if tc.absent != 0 {
		assert.Zero(t, dec.Obligations&tc.absent, "obligations %s must not include %s", dec.Obligations, tc.absent)
	}
	assert.Equal(t, tc.consents, dec.ConsentIDs())
	switch dec.Effect {
	case EffectDeny:
		assert.Equal(t, BasisNone, dec.Basis)
		assert.False(t, dec.Allowed())
	default:
		assert.NotEqual(t, BasisNone, dec.Basis)
		assert.True(t, dec.Obligations.Has(ObligationRecordDisclosure))
	}
	return dec
}

func TestDecideConsentRules(t *testing.T) {
	d := compile(t, standardPolicy(t))
	c1 := []string{"c-1"}
	tests := []decideCase{
		{name: "desk views basic info", req: req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity, CategoryContact),
			effect: EffectPermit, permitted: []Category{CategoryIdentity, CategoryContact}, consents: c1,
			reason: ReasonPermittedByConsent, obligations: ObligationRecordDisclosure},
		{name: "unknown department denied", req: req("zeimu-ka", ActionView, PurposeConsultation, tPlus1h, CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonNoConsent}, reason: ReasonNoConsent,
			absent: ObligationRecordDisclosure},
		{name: "purpose not consented", req: req(orgDesk, ActionView, PurposeStatistics, tPlus1h, CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonNoConsent}},
		{name: "action not consented", req: req(orgDesk, ActionUpdate, PurposeConsultation, tPlus1h, CategoryIdentity),
			effect: EffectDeny},
		{name: "before the consent", req: req(orgDesk, ActionView, PurposeConsultation, t0.Add(-time.Second), CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonNoConsent}},
		{name: "after the period", req: req(orgDesk, ActionView, PurposeConsultation, tNextYear, CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonExpired}},
		{name: "last instant of the period", req: req(orgDesk, ActionView, PurposeConsultation, tNextYear.Add(-time.Nanosecond), CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryIdentity}, consents: c1},
		{name: "wildcard never covers health", req: req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryHealthDisability),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryHealthDisability: ReasonSensitiveNotNamed}},
		{name: "wildcard never covers DV", req: req(orgDesk, ActionView, PurposeSharing, tPlus1h, CategoryDVRelated),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryDVRelated: ReasonSensitiveNotNamed}},
		{name: "named health permitted", req: req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryHealthDisability, CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryHealthDisability, CategoryIdentity}, consents: c1},
		{name: "named health only for its action", req: req(orgDesk, ActionCopy, PurposeConsultation, tPlus1h, CategoryHealthDisability, CategoryIdentity),
			effect: EffectPartial, permitted: []Category{CategoryIdentity}, consents: c1,
			reasons: map[Category]Reason{CategoryHealthDisability: ReasonSensitiveNotNamed, CategoryIdentity: ReasonPermittedByConsent}},
		{name: "exception denies consultation history to 子育て支援課", req: req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryConsultation, CategoryHousehold),
			effect: EffectPartial, permitted: []Category{CategoryHousehold}, consents: c1,
			reasons: map[Category]Reason{CategoryConsultation: ReasonExcepted}, reason: ReasonExcepted},
		{name: "exception does not apply to the desk", req: req(orgDesk, ActionView, PurposeSharing, tPlus1h, CategoryConsultation),
			effect: EffectPermit, permitted: []Category{CategoryConsultation}, consents: c1},
		{name: "provision period", req: req(orgHoken, ActionView, PurposeSharing, t30d.Add(-time.Second), CategoryIncomeTax),
			effect: EffectPermit, permitted: []Category{CategoryIncomeTax}, consents: c1},
		{name: "provision period over", req: req(orgHoken, ActionView, PurposeSharing, t30d, CategoryIncomeTax),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIncomeTax: ReasonNoConsent}},
		{name: "contractor within contract", req: req(orgItaku, ActionView, PurposeContractorProcessing, tPlus1h, CategoryIdentity, CategoryContact),
			effect: EffectPermit, permitted: []Category{CategoryIdentity, CategoryContact}, consents: c1,
			obligations: ObligationContractControls},
		{name: "contractor: consent but not contract", req: req(orgItaku, ActionView, PurposeContractorProcessing, tPlus1h, CategoryIdentity, CategoryIncomeTax),
			effect: EffectPartial, permitted: []Category{CategoryIdentity}, consents: c1,
			reasons: map[Category]Reason{CategoryIncomeTax: ReasonNoContract}},
		{name: "contractor after contract end", req: req(orgItaku, ActionView, PurposeContractorProcessing, t0.AddDate(0, 6, 0), CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonNoContract}, absent: ObligationContractControls},
		{name: "notify carries notification obligations", req: req(orgKosodate, ActionNotify, PurposeNotification, tPlus1h, CategoryContact),
			effect: EffectPermit, permitted: []Category{CategoryContact}, consents: c1,
			obligations: ObligationCheckOptIn | ObligationIDsOnly},
		{name: "notify for another purpose denied", req: req(orgKosodate, ActionNotify, PurposeSharing, tPlus1h, CategoryContact),
			effect: EffectDeny, absent: ObligationCheckOptIn},
		{name: "My Number denies the whole request", req: req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity, CategoryMyNumber),
			effect: EffectDeny, reason: ReasonMyNumber,
			reasons: map[Category]Reason{CategoryIdentity: ReasonMyNumber, CategoryMyNumber: ReasonMyNumber}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runDecide(t, d, tc) })
	}
}

func TestDecideStatutoryBasis(t *testing.T) {
	d := compile(t, standardPolicy(t))
	council := func(r Request) Request {
		r.Actor.Role = "yotaikyo"
		r.Assertion = Assertion{Statute: StatuteChildProtectionCouncil, By: staffA, Reason: "個別ケース検討会議での情報共有", Conference: councilID}
		return r
	}
	life := func(r Request) Request {
		r.Assertion = Assertion{Statute: StatuteLifeOrBody, By: staffA, Reason: "自傷のおそれ、救急搬送先へ連絡"}
		return r
	}
	every := []Category{CategoryIdentity, CategoryHealthDisability, CategoryDVRelated, CategoryConsultation}
	tests := []decideCase{
		{name: "council member: everything requested, sensitive included",
			req:    council(req(orgKosodate, ActionView, PurposeSharing, tPlus1h, every...)),
			effect: EffectPermit, permitted: every, reason: ReasonPermittedByStatute,
			obligations: ObligationSupervisorReview | ObligationConfidentiality | ObligationRecordDisclosure},
		{name: "council: wrong role",
			req: func() Request {
				r := council(req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity))
				r.Actor.Role = "clerk"
				return r
			}(), effect: EffectDeny, reason: ReasonStatuteNotHeld, obligations: ObligationSupervisorReview},
		{name: "council: other conference",
			req: func() Request {
				r := council(req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity))
				r.Assertion.Conference = "another"
				return r
			}(), effect: EffectDeny, reason: ReasonStatuteNotHeld},
		{name: "council: mandate expired",
			req:    council(req(orgKosodate, ActionView, PurposeSharing, t0.AddDate(1, 0, 0), CategoryIdentity)),
			effect: EffectDeny, reason: ReasonStatuteNotHeld},
		{name: "statute not held denies even what consent would permit",
			req:    life(req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity)),
			effect: EffectDeny, reason: ReasonStatuteNotHeld, obligations: ObligationSupervisorReview},
		{name: "life or body at the desk", req: life(req(orgDesk, ActionCopy, PurposeConsultation, tPlus1h, CategoryHealthDisability)),
			effect: EffectPermit, permitted: []Category{CategoryHealthDisability}, obligations: ObligationSupervisorReview,
			absent: ObligationConfidentiality},
		{name: "statute does not permit notify", req: life(req(orgDesk, ActionNotify, PurposeConsultation, tPlus1h, CategoryIdentity)),
			effect: EffectDeny, reason: ReasonStatuteAction},
		{name: "statute never reaches My Number", req: life(req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryMyNumber)),
			effect: EffectDeny, reason: ReasonMyNumber},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dec := runDecide(t, d, tc)
			assert.True(t, dec.ReviewRequired(), "an asserted statute is always reviewed")
			if dec.Allowed() {
				assert.Equal(t, BasisStatute, dec.Basis)
				assert.Equal(t, tc.req.Assertion.Statute, dec.Statute())
				assert.Empty(t, dec.ConsentIDs())
			} else {
				assert.Zero(t, dec.Statute())
			}
		})
	}
}

func TestDecideDVRestriction(t *testing.T) {
	p := standardPolicy(t)
	r := dvRestriction()
	r.ProtectedCategories = []Category{CategoryDVRelated}
	p.Restrictions = []Restriction{r}
	d := compile(t, p)
	// The mother's consent lets the desk see DV facts if named: add one.
	tests := []decideCase{
		{name: "outside the desk: permit with masks", req: req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity, CategoryContact),
			effect: EffectPermit, permitted: []Category{CategoryIdentity, CategoryContact}, consents: []string{"c-1"},
			obligations: ObligationApplyMasks},
		{name: "responsible desk: no masks", req: req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryIdentity}, consents: []string{"c-1"}, absent: ObligationApplyMasks},
		{name: "protected category withheld outside the desk", req: req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryDVRelated, CategoryIdentity),
			effect: EffectPartial, permitted: []Category{CategoryIdentity}, consents: []string{"c-1"},
			reasons: map[Category]Reason{CategoryDVRelated: ReasonRestricted}},
		{name: "counterparty on behalf", req: func() Request {
			r := req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity)
			r.OnBehalfOf = abuser
			return r
		}(), effect: EffectDeny, reason: ReasonCounterparty, obligations: ObligationSupervisorReview, absent: ObligationApplyMasks},
		{name: "counterparty as staff member", req: func() Request {
			r := req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity)
			r.Actor.Person = abuser
			return r
		}(), effect: EffectDeny, reason: ReasonCounterparty},
		{name: "counterparty with a statute is still denied", req: func() Request {
			r := req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity)
			r.OnBehalfOf = abuser
			r.Assertion = Assertion{Statute: StatuteLifeOrBody, By: staffA, Reason: "緊急"}
			return r
		}(), effect: EffectDeny, reason: ReasonCounterparty},
		{name: "statute outside the desk keeps masks", req: func() Request {
			r := req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity, CategoryDVRelated)
			r.Actor.Role = "yotaikyo"
			r.Assertion = Assertion{Statute: StatuteChildProtectionCouncil, By: staffA, Reason: "要対協", Conference: councilID}
			return r
		}(), effect: EffectPartial, permitted: []Category{CategoryIdentity}, obligations: ObligationApplyMasks,
			reasons: map[Category]Reason{CategoryDVRelated: ReasonRestricted, CategoryIdentity: ReasonPermittedByStatute}},
		{name: "within a month of the end: review", req: req(orgDesk, ActionView, PurposeConsultation, time.Date(2026, 1, 1, 0, 0, 0, 0, jst), CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryIdentity}, consents: []string{"c-1"}, obligations: ObligationReviewRestriction},
		{name: "past the end but not lifted: still masked", req: req(orgKosodate, ActionView, PurposeSharing, time.Date(2026, 2, 15, 0, 0, 0, 0, jst), CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryIdentity}, consents: []string{"c-1"},
			obligations: ObligationApplyMasks | ObligationReviewRestriction},
		{name: "the child is protected too", req: func() Request {
			r := req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity)
			r.Subject = child
			r.OnBehalfOf = abuser
			return r
		}(), effect: EffectDeny, reason: ReasonCounterparty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dec := runDecide(t, d, tc)
			if dec.Obligations.Has(ObligationApplyMasks) {
				assert.Equal(t, []Mask{{"address", restriction}, {"contacts", restriction}}, dec.Masks())
				assert.True(t, dec.Masked("address"))
				assert.True(t, dec.Masked("address.line1"))
				assert.True(t, dec.Masked("contacts.0.value"))
				assert.False(t, dec.Masked("addressee"))
				assert.False(t, dec.Masked("name"))
			} else {
				assert.Empty(t, dec.Masks())
				assert.False(t, dec.Masked("address"))
			}
		})
	}

	t.Run("lifted restriction no longer applies", func(t *testing.T) {
		r := dvRestriction()
		r.LiftedAt = t0
		p := standardPolicy(t)
		p.Restrictions = []Restriction{r}
		d := compile(t, p)
		rq := req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity)
		rq.OnBehalfOf = abuser
		dec, err := d.Decide(rq)
		require.NoError(t, err)
		assert.Equal(t, EffectPermit, dec.Effect)
		assert.Empty(t, dec.Masks())
		// Before the lift it applied.
		rq.At = t0.Add(-time.Minute)
		dec, err = d.Decide(rq)
		require.NoError(t, err)
		assert.Equal(t, ReasonCounterparty, dec.Reason())
	})
}

func TestRestrictionState(t *testing.T) {
	r := dvRestriction() // 2025-03-31 10:00 to 2026-01-31
	end := r.Period.End
	tests := []struct {
		at   time.Time
		want RestrictionState
	}{
		{r.Period.Start.Add(-time.Second), RestrictionPending},
		{r.Period.Start, RestrictionInForce},
		{time.Date(2025, 12, 30, 23, 59, 0, 0, jst), RestrictionInForce},
		{time.Date(2025, 12, 31, 0, 0, 0, 0, jst), RestrictionExpiring},
		{end.Add(-time.Second), RestrictionExpiring},
		{end, RestrictionOverdue},
		{end.AddDate(1, 0, 0), RestrictionOverdue},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, r.State(tc.at), "%v", tc.at)
		assert.Equal(t, tc.want != RestrictionPending, tc.want.InForce())
	}
	r.LiftedAt = end.AddDate(0, 0, 3)
	assert.Equal(t, RestrictionOverdue, r.State(end.AddDate(0, 0, 2)))
	assert.Equal(t, RestrictionLifted, r.State(r.LiftedAt))
	assert.False(t, RestrictionLifted.InForce())
	assert.Equal(t, "overdue", RestrictionOverdue.String())
	assert.Equal(t, "解除済み", RestrictionLifted.Label())
}

func TestDecideGrantorIsCounterparty(t *testing.T) {
	// The child's consent was given by the father as 法定代理人, who is the
	// counterparty of the DV measure: it must not count.
	c := newConsent("c-child", permit([]Recipient{rKosodate}, []Purpose{PurposeSharing}, viewOnly, []Category{CategoryIdentity}))
	c.Subject = child
	c.Grantor = Grantor{Person: abuser, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
	byMother := newConsent("c-child-2", permit([]Recipient{rKosodate}, []Purpose{PurposeSharing}, viewOnly, []Category{CategoryHousehold}))
	byMother.Subject = child
	byMother.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
	p := Policy{Events: events(t, givenEvent(c), givenEvent(byMother)), Restrictions: []Restriction{dvRestriction()}}
	d := compile(t, p)
	rq := req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity, CategoryHousehold)
	rq.Subject = child
	dec, err := d.Decide(rq)
	require.NoError(t, err)
	assert.Equal(t, EffectPartial, dec.Effect)
	assert.Equal(t, Categories(CategoryHousehold), dec.Permitted)
	assert.Equal(t, ReasonGrantorCounterparty, dec.CategoryReason(CategoryIdentity))
	assert.Equal(t, []string{"c-child-2"}, dec.ConsentIDs())

	// Once the measure is lifted, the consent counts again.
	r := dvRestriction()
	r.LiftedAt = t0
	p.Restrictions = []Restriction{r}
	d = compile(t, p)
	dec, err = d.Decide(rq)
	require.NoError(t, err)
	assert.Equal(t, EffectPermit, dec.Effect)
	assert.Equal(t, []string{"c-child", "c-child-2"}, dec.ConsentIDs())
}

// A counterparty's grant does not count even for a child the measure does
// not list (privacy probe F3): he may be the other parent, and so a
// 法定代理人, of a co-resident child nobody thought to add.
func TestDecideGrantorIsCounterpartyOfAnotherSubjectsMeasure(t *testing.T) {
	c := newConsent("c-child", permit([]Recipient{rKosodate}, []Purpose{PurposeSharing}, viewOnly, []Category{CategoryIdentity}))
	c.Subject = child
	c.Grantor = Grantor{Person: abuser, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
	r := dvRestriction()
	r.Subjects = []string{mother} // the child is not listed
	d := compile(t, Policy{Events: events(t, givenEvent(c)), Restrictions: []Restriction{r}})
	rq := req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity)
	rq.Subject = child
	dec, err := d.Decide(rq)
	require.NoError(t, err)
	assert.Equal(t, EffectDeny, dec.Effect)
	assert.Equal(t, ReasonGrantorCounterparty, dec.CategoryReason(CategoryIdentity))
}

func TestDecideWithdrawalAndAmendment(t *testing.T) {
	c := standardConsent()
	tAmend := t0.AddDate(0, 1, 0)
	tWithdraw := t0.AddDate(0, 2, 0)
	amended := c
	amended.GivenAt = tAmend
	amended.Provisions = []Provision{permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryIdentity})}
	p := Policy{Events: events(t,
		givenEvent(c),
		Event{ConsentID: "c-1", Type: EventAmended, At: tAmend, EffectiveAt: tAmend, By: staffA, Evidence: &c.Evidence, Consent: &amended},
		withdrawnEvent("c-1", tWithdraw.Add(24*time.Hour), tWithdraw), // recorded a day late
	)}
	d := compile(t, p)
	tests := []decideCase{
		{name: "before the amendment the old content applies", req: req(orgKosodate, ActionView, PurposeSharing, tAmend.Add(-time.Second), CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryIdentity}, consents: []string{"c-1"}},
		{name: "after the amendment it no longer does", req: req(orgKosodate, ActionView, PurposeSharing, tAmend, CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonNoConsent}},
		{name: "amended content", req: req(orgDesk, ActionView, PurposeConsultation, tAmend, CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryIdentity}, consents: []string{"c-1"}},
		{name: "just before the withdrawal", req: req(orgDesk, ActionView, PurposeConsultation, tWithdraw.Add(-time.Nanosecond), CategoryIdentity),
			effect: EffectPermit, permitted: []Category{CategoryIdentity}, consents: []string{"c-1"}},
		{name: "from the withdrawal's effective time", req: req(orgDesk, ActionView, PurposeConsultation, tWithdraw, CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonWithdrawn}, reason: ReasonWithdrawn},
		{name: "long after the withdrawal", req: req(orgDesk, ActionView, PurposeConsultation, tWithdraw.AddDate(0, 3, 0), CategoryIdentity),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIdentity: ReasonWithdrawn}},
		{name: "what the withdrawn consent never covered is plain no-consent", req: req(orgDesk, ActionView, PurposeConsultation, tWithdraw, CategoryIncomeTax),
			effect: EffectDeny, reasons: map[Category]Reason{CategoryIncomeTax: ReasonNoConsent}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runDecide(t, d, tc) })
	}
}

func TestDecideExpiredEventAndSeveralConsents(t *testing.T) {
	a := newConsent("c-a", permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryIdentity}))
	b := newConsent("c-b", permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryIdentity, CategoryContact}))
	tExp := t0.AddDate(0, 0, 10)
	d := compile(t, Policy{Events: events(t, givenEvent(b), givenEvent(a),
		Event{ConsentID: "c-b", Type: EventExpired, At: tExp, EffectiveAt: tExp, By: staffA, Reason: "子が18歳に達したため"})})
	runDecide(t, d, decideCase{req: req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity, CategoryContact),
		effect: EffectPermit, permitted: []Category{CategoryIdentity, CategoryContact}, consents: []string{"c-a", "c-b"}})
	runDecide(t, d, decideCase{req: req(orgDesk, ActionView, PurposeConsultation, tExp, CategoryIdentity, CategoryContact),
		effect: EffectPartial, permitted: []Category{CategoryIdentity}, consents: []string{"c-a"},
		reasons: map[Category]Reason{CategoryContact: ReasonExpired}})
}

func TestDecideExceptionShapes(t *testing.T) {
	base := func(exc ...Provision) *Decider {
		c := newConsent("c-x", permit([]Recipient{rDesk, rKosodate}, []Purpose{PurposeConsultation, PurposeSharing},
			all2, []Category{CategoryIdentity, CategoryContact, CategoryHealthDisability}, exc...))
		return compile(t, Policy{Events: events(t, givenEvent(c))})
	}
	ask := func(d *Decider, org string, a Action, p Purpose, at time.Time) CategorySet {
		dec, err := d.Decide(req(org, a, p, at, CategoryIdentity, CategoryContact, CategoryHealthDisability))
		require.NoError(t, err)
		return dec.Permitted
	}
	everything := Categories(CategoryIdentity, CategoryContact, CategoryHealthDisability)

	d := base(Provision{}) // an empty exception denies everything of its parent
	assert.True(t, ask(d, orgDesk, ActionView, PurposeConsultation, tPlus1h).Empty())

	d = base(Provision{Categories: []Category{CategoryAny}}) // "*" in an exception includes sensitive ones
	assert.True(t, ask(d, orgDesk, ActionView, PurposeConsultation, tPlus1h).Empty())

	d = base(Provision{Actions: []Action{ActionCopy}, Categories: []Category{CategoryHealthDisability}})
	assert.Equal(t, everything, ask(d, orgDesk, ActionView, PurposeConsultation, tPlus1h))
	assert.Equal(t, Categories(CategoryIdentity, CategoryContact), ask(d, orgDesk, ActionCopy, PurposeConsultation, tPlus1h))

	d = base(Provision{Purposes: []Purpose{PurposeSharing}, Categories: []Category{CategoryContact}})
	assert.Equal(t, everything, ask(d, orgDesk, ActionView, PurposeConsultation, tPlus1h))
	assert.Equal(t, Categories(CategoryIdentity, CategoryHealthDisability), ask(d, orgDesk, ActionView, PurposeSharing, tPlus1h))

	d = base(Provision{Period: Period{Start: t0.AddDate(0, 1, 0), End: t0.AddDate(0, 2, 0)}})
	assert.Equal(t, everything, ask(d, orgDesk, ActionView, PurposeConsultation, tPlus1h))
	assert.True(t, ask(d, orgDesk, ActionView, PurposeConsultation, t0.AddDate(0, 1, 1)).Empty())
	assert.Equal(t, everything, ask(d, orgDesk, ActionView, PurposeConsultation, t0.AddDate(0, 2, 0)))

	// An exception only negates its own parent: another provision may
	// still permit.
	c := newConsent("c-y",
		permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryIdentity},
			Provision{Categories: []Category{CategoryIdentity}}),
		permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryIdentity}))
	d = compile(t, Policy{Events: events(t, givenEvent(c))})
	dec, err := d.Decide(req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity))
	require.NoError(t, err)
	assert.Equal(t, EffectPermit, dec.Effect)
}

func TestDecideInvalidRequests(t *testing.T) {
	d := compile(t, standardPolicy(t))
	good := req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity)
	tests := []struct {
		name   string
		mutate func(r *Request)
		field  string
	}{
		{"no user", func(r *Request) { r.Actor.User = "" }, "actor.user"},
		{"no org", func(r *Request) { r.Actor.Org = "" }, "actor.org"},
		{"no subject", func(r *Request) { r.Subject = "" }, "subject"},
		{"bad action", func(r *Request) { r.Action = 0 }, "action"},
		{"bad purpose", func(r *Request) { r.Purpose = 99 }, "purpose"},
		{"no categories", func(r *Request) { r.Categories = 0 }, "categories"},
		{"stray bits", func(r *Request) { r.Categories |= 1 << 15 }, "categories"},
		{"no time", func(r *Request) { r.At = time.Time{} }, "at"},
		{"assertion by someone else", func(r *Request) {
			r.Assertion = Assertion{Statute: StatuteLifeOrBody, By: staffB, Reason: "x"}
		}, "assertion.by"},
		{"assertion without reason", func(r *Request) {
			r.Assertion = Assertion{Statute: StatuteLifeOrBody, By: staffA, Reason: " "}
		}, "assertion.reason"},
		{"assertion without statute", func(r *Request) { r.Assertion = Assertion{By: staffA, Reason: "x"} }, "assertion.statute"},
		{"council without conference", func(r *Request) {
			r.Assertion = Assertion{Statute: StatuteNeedySupportMeeting, By: staffA, Reason: "x"}
		}, "assertion.conference"},
		{"conference where none applies", func(r *Request) {
			r.Assertion = Assertion{Statute: StatuteLifeOrBody, By: staffA, Reason: "x", Conference: "c"}
		}, "assertion.conference"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			tc.mutate(&r)
			dec, err := d.Decide(r)
			var re *RequestError
			require.ErrorAs(t, err, &re)
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.Equal(t, tc.field, re.Field)
			assert.Equal(t, EffectDeny, dec.Effect)
			assert.Equal(t, ReasonInvalidRequest, dec.Reason())
			assert.True(t, dec.Permitted.Empty())
		})
	}
	var nilDecider *Decider
	dec, err := nilDecider.Decide(good)
	assert.Error(t, err)
	assert.False(t, dec.Allowed())
	var zero Decision
	assert.False(t, zero.Allowed(), "the zero Decision denies")
}

func TestCompileRejectsBadPolicy(t *testing.T) {
	good := standardPolicy(t)
	tests := []struct {
		name   string
		mutate func(p *Policy)
	}{
		{"bad restriction", func(p *Policy) { p.Restrictions = []Restriction{{ID: "r"}} }},
		{"duplicate restriction", func(p *Policy) { p.Restrictions = []Restriction{dvRestriction(), dvRestriction()} }},
		{"restriction without end", func(p *Policy) {
			r := dvRestriction()
			r.Period.End = time.Time{}
			p.Restrictions = []Restriction{r}
		}},
		{"restriction protects nothing", func(p *Policy) {
			r := dvRestriction()
			r.ProtectedFields = nil
			p.Restrictions = []Restriction{r}
		}},
		{"restriction bad path", func(p *Policy) {
			r := dvRestriction()
			r.ProtectedFields = []string{"address..line"}
			p.Restrictions = []Restriction{r}
		}},
		{"subject is own counterparty", func(p *Policy) {
			r := dvRestriction()
			r.Counterparties = []string{mother}
			p.Restrictions = []Restriction{r}
		}},
		{"contract with wildcard", func(p *Policy) {
			p.Contracts[0].Categories = []Category{CategoryAny}
		}},
		{"contract without end", func(p *Policy) { p.Contracts[0].Period.End = time.Time{} }},
		{"mandate without conference", func(p *Policy) { p.Mandates[0].Conference = "" }},
		{"mandate with needless conference", func(p *Policy) { p.Mandates[1].Conference = "x" }},
		{"mandate without statute", func(p *Policy) { p.Mandates[0].Statute = 0 }},
		{"events out of order", func(p *Policy) { p.Events = []Event{{Seq: 2}} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			p.Contracts = slicesClone(good.Contracts)
			p.Mandates = slicesClone(good.Mandates)
			tc.mutate(&p)
			_, err := Compile(p)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalid) || errors.Is(err, ErrConflict), "typed error: %v", err)
		})
	}
}

func TestDecisionRendering(t *testing.T) {
	p := standardPolicy(t)
	p.Restrictions = []Restriction{dvRestriction()}
	d := compile(t, p)
	dec, err := d.Decide(req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity, CategoryConsultation, CategoryHealthDisability))
	require.NoError(t, err)
	assert.Equal(t, "一部許可（同意: c-1） 許可: 基本情報 不可: 相談履歴（同意の除外事項に当たります） 不可: 健康・障害（要配慮・DV関連の情報は、同意で種類を明示した場合に限り提供できます） 非表示: address, contacts", dec.String())

	b, err := json.Marshal(dec)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "partial", m["effect"])
	assert.Equal(t, "excepted", m["reason"])
	assert.Equal(t, "consent", m["basis"])
	assert.Equal(t, []any{"c-1"}, m["consent_ids"])
	assert.Equal(t, []any{"identity"}, m["permitted"])
	assert.Equal(t, []any{"consultation", "health_disability"}, m["withheld"])
	assert.Equal(t, []any{"audit", "record_disclosure", "apply_masks"}, m["obligations"])
	assert.Equal(t, false, m["review_required"])
	assert.Len(t, m["masks"], 2)
	rq := m["request"].(map[string]any)
	assert.Equal(t, "view", rq["action"])
	assert.Equal(t, "sharing", rq["purpose"])
	assert.NotContains(t, rq, "assertion", "an empty assertion is omitted")

	life := req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity)
	life.Assertion = Assertion{Statute: StatuteLifeOrBody, By: staffA, Reason: "山田さんが自傷のおそれ"}
	sdec, err := d.Decide(life)
	require.NoError(t, err)
	b, err = json.Marshal(sdec)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"statute":"life_or_body"`)
	assert.NotContains(t, string(b), "自傷", "free text stays out of the decision log")
	assert.Equal(t, "山田さんが自傷のおそれ", sdec.Request.Assertion.Reason, "but the decision keeps it for the caller")

	disc, ok := dec.Disclosure()
	require.True(t, ok)
	assert.Equal(t, Disclosure{Subject: mother, Recipient: orgKosodate, Action: ActionView, Purpose: PurposeSharing,
		Categories: Categories(CategoryIdentity), ConsentIDs: []string{"c-1"}, At: tPlus1h}, disc)

	deny, err := d.Decide(req("nobody", ActionView, PurposeSharing, tPlus1h, CategoryIdentity))
	require.NoError(t, err)
	_, ok = deny.Disclosure()
	assert.False(t, ok)
	assert.Equal(t, "拒否 不可: 基本情報（この提供先・目的・行為を対象とする有効な同意がありません）", deny.String())
}

func TestDecideUnknownSubject(t *testing.T) {
	d := compile(t, standardPolicy(t))
	r := req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity)
	r.Subject = "p-stranger"
	dec, err := d.Decide(r)
	require.NoError(t, err)
	assert.Equal(t, EffectDeny, dec.Effect)
	assert.Equal(t, ReasonNoConsent, dec.Reason())
	assert.Nil(t, dec.ConsentIDs())
	assert.Nil(t, dec.Masks())
	assert.Equal(t, []string{mother}, d.Subjects())
}

func TestDecideManyConsentsBeyondBitmask(t *testing.T) {
	// More than 64 consents for one subject still report every basis.
	var evs []Event
	for i := 0; i < 70; i++ {
		c := newConsent(idN(i), permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryIdentity}))
		evs = append(evs, givenEvent(c))
	}
	d := compile(t, Policy{Events: events(t, evs...)})
	dec, err := d.Decide(req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity))
	require.NoError(t, err)
	ids := dec.ConsentIDs()
	require.Len(t, ids, 70)
	assert.Equal(t, idN(0), ids[0])
	assert.Equal(t, idN(69), ids[69])
}

func idN(i int) string { return "c-" + string(rune('A'+i/26)) + string(rune('a'+i%26)) }

// Capacity by age (privacy probe observations): a consent "by the child
// herself" at 11 does not count, and a 法定代理人's consent stops counting
// the day the child reaches 18.
func TestDecideCapacityByAge(t *testing.T) {
	// born 2014-12-05: 10 when the consents are given (t0), reaches 16 on
	// 2030-12-04 and 18 on 2032-12-04
	adult := time.Date(2032, 12, 4, 0, 0, 0, 0, jst)
	selfFrom := time.Date(2030, 12, 4, 0, 0, 0, 0, jst)
	byRep := newConsent("c-rep", permit([]Recipient{rKosodate}, []Purpose{PurposeSharing}, viewOnly, []Category{CategoryIdentity}))
	byRep.Subject = child
	byRep.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
	byRep.Period = Period{Start: t0, End: time.Date(2034, 1, 1, 0, 0, 0, 0, jst)}
	bySelf := newConsent("c-self", permit([]Recipient{rKosodate}, []Purpose{PurposeSharing}, viewOnly, []Category{CategoryHousehold}))
	bySelf.Subject = child
	bySelf.Grantor = Grantor{Person: child, Capacity: CapacitySelf}
	bySelf.Period = byRep.Period
	d := compile(t, Policy{Events: events(t, givenEvent(byRep), givenEvent(bySelf)),
		Minors: []Minor{{Subject: child, SelfFrom: selfFrom, AdultFrom: adult}}})
	decide := func(at time.Time) Decision {
		rq := req(orgKosodate, ActionView, PurposeSharing, at, CategoryIdentity, CategoryHousehold)
		rq.Subject = child
		dec, err := d.Decide(rq)
		require.NoError(t, err)
		return dec
	}
	dec := decide(tPlus1h)
	assert.Equal(t, Categories(CategoryIdentity), dec.Permitted, "the representative's consent counts; the child's own, given too young, does not")
	assert.Equal(t, ReasonNoCapacity, dec.CategoryReason(CategoryHousehold))
	dec = decide(adult.Add(-time.Microsecond))
	assert.Equal(t, Categories(CategoryIdentity), dec.Permitted)
	dec = decide(adult)
	assert.True(t, dec.Permitted.Empty(), "from the day she reaches 18 her parent no longer consents for her")
	assert.Equal(t, ReasonRepresentationEnded, dec.CategoryReason(CategoryIdentity))
	assert.Equal(t, ReasonNoCapacity, dec.CategoryReason(CategoryHousehold), "a consent given at 11 does not become valid later")

	// Her own consent once she can give it counts.
	own := newConsent("c-own", permit([]Recipient{rKosodate}, []Purpose{PurposeSharing}, viewOnly, []Category{CategoryHousehold}))
	own.Subject, own.GivenAt = child, selfFrom
	own.Period = Period{Start: selfFrom, End: time.Date(2034, 1, 1, 0, 0, 0, 0, jst)}
	own.Notice.ShownAt = selfFrom
	own.Grantor = Grantor{Person: child, Capacity: CapacitySelf}
	d = compile(t, Policy{Events: events(t, givenEvent(own)), Minors: []Minor{{Subject: child, SelfFrom: selfFrom, AdultFrom: adult}}})
	rq := req(orgKosodate, ActionView, PurposeSharing, adult, CategoryHousehold)
	rq.Subject = child
	dec, err := d.Decide(rq)
	require.NoError(t, err)
	assert.Equal(t, EffectPermit, dec.Effect)

	_, err = Compile(Policy{Minors: []Minor{{Subject: child}}})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = Compile(Policy{Minors: []Minor{{Subject: child, AdultFrom: adult}, {Subject: child, AdultFrom: adult}}})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = Compile(Policy{Minors: []Minor{{Subject: child, SelfFrom: adult.Add(time.Hour), AdultFrom: adult}}})
	assert.ErrorIs(t, err, ErrInvalid)
}
