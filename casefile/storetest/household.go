package storetest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// Screening from the record (Service.Household, OutreachCases) uses the
// household as it stands on the date screened for, and the record holds
// every fact the facts model has, each under its consent category. See
// docs/casefile.md "Screening from the record".

// family is a case of the desk written by the test.
type family struct {
	cf       casefile.CaseFile
	persons  map[string]*casefile.Person          // by the test's name
	members  map[string]*casefile.HouseholdMember // by the test's name
	supports []casefile.SupportInUse
}

// record writes persons, a case whose subject is persons["mother"], one
// membership per person (members[name] if given, else a plain one) and
// supports, in one change set of the desk.
func (f *fixture) record(cf casefile.CaseFile, persons map[string]*casefile.Person, members map[string]*casefile.HouseholdMember, supports ...casefile.SupportInUse) *family {
	f.t.Helper()
	fam := &family{persons: persons, members: map[string]*casefile.HouseholdMember{}}
	require.NoError(f.t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		for _, name := range []string{"mother", "c1", "c2", "gf"} {
			if p := persons[name]; p != nil {
				if err := c.Create(p); err != nil {
					return err
				}
			}
		}
		cf.SubjectID, cf.Status, cf.OwnerOrg, cf.OpenedOn = persons["mother"].ID, casefile.StatusOpen, desk, civil.MustDate(2026, 4, 1)
		if err := c.Create(&cf); err != nil {
			return err
		}
		fam.cf = cf
		for _, name := range []string{"mother", "c1", "c2", "gf"} {
			p := persons[name]
			if p == nil {
				continue
			}
			m := members[name]
			if m == nil {
				rel := map[string]string{"mother": "self", "c1": "child", "c2": "child", "gf": "parent"}[name]
				m = &casefile.HouseholdMember{Relationship: casefile.Relationship{Code: rel}, LivesWith: new(true)}
			}
			m.CaseID, m.PersonID = cf.ID, p.ID
			if err := c.Create(m); err != nil {
				return err
			}
			fam.members[name] = m
		}
		for i := range supports {
			s := supports[i]
			s.PersonID, s.CaseID = persons["mother"].ID, cf.ID
			if err := c.Create(&s); err != nil {
				return err
			}
			fam.supports = append(fam.supports, s)
		}
		return nil
	}))
	return fam
}

// memberIDs lists a household's member ids, in order.
func memberIDs(h *eligibility.Household) []string {
	var out []string
	for _, m := range h.Members {
		out = append(out, m.ID)
	}
	return out
}

// Issue 10 follow-up (#1): a membership ended by a correction no longer
// counts from its end; support and a certificate count while they cover
// the date. Household and OutreachCases agree.
func testHouseholdAsOf(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	day := f.today() // 2026-12-04
	before := day.AddDays(-1)
	d := civil.MustDate
	persons := map[string]*casefile.Person{
		"mother": {Name: casefile.Name{Family: "鈴木", Given: "文子"}, BirthDate: d(1988, 2, 2), Sex: "female"},
		"c1":     {Name: casefile.Name{Family: "鈴木", Given: "一"}, BirthDate: d(2014, 4, 4)},
		"c2": {Name: casefile.Name{Family: "鈴木", Given: "二葉"}, BirthDate: d(2017, 7, 7),
			Disability: &casefile.Disability{Kind: "mental", Grade: "2", ValidUntil: before}},
		"gf": {Name: casefile.Name{Family: "鈴木", Given: "三郎"}, BirthDate: d(1950, 1, 1)},
	}
	fam := f.record(casefile.CaseFile{Situation: "divorced"}, persons, nil,
		casefile.SupportInUse{SchemeCode: "child-rearing-allowance", Status: "receiving", Period: casefile.Period{From: d(2025, 1, 1)},
			SourceSystem: "jukyu", AsOf: f.clk.t.Add(-48 * time.Hour)})
	read := casefile.ReadOptions{Purpose: consent.PurposeConsultation}
	h, err := f.svc.Household(f.ctx, f.W, fam.cf.ID, day, read)
	require.NoError(t, err)
	require.Len(t, h.Members, 4, "mother, two children and the grandfather")

	// A correction, as forms.UpdateCase writes it: the grandfather moved
	// out on the day, and the allowance ended that day.
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		var m casefile.HouseholdMember
		if err := c.Get(fam.members["gf"].ID, &m); err != nil {
			return err
		}
		m.Period.To = day
		if err := c.Update(&m); err != nil {
			return err
		}
		var s casefile.SupportInUse
		if err := c.Get(fam.supports[0].ID, &s); err != nil {
			return err
		}
		s.Status, s.Period.To = "ended", day
		return c.Update(&s)
	}))

	mother, c1, c2, gf := persons["mother"].ID, persons["c1"].ID, persons["c2"].ID, persons["gf"].ID
	h, err = f.svc.Household(f.ctx, f.W, fam.cf.ID, day, read)
	require.NoError(t, err)
	assert.Equal(t, []string{mother, c1, c2}, memberIDs(h), "the grandfather no longer counts from the day he moved out")
	assert.Equal(t, []string{}, h.Receiving, "the allowance ended that day")
	for _, m := range h.Members {
		assert.Nil(t, m.Disability, "an expired certificate is not known, not none")
	}
	require.NoError(t, h.ValidateOn(day))

	h, err = f.svc.Household(f.ctx, f.W, fam.cf.ID, before, read)
	require.NoError(t, err)
	assert.Equal(t, []string{mother, c1, c2, gf}, memberIDs(h), "the day before, he was still there")
	assert.Equal(t, []string{"child-rearing-allowance"}, h.Receiving)
	require.NotNil(t, h.Members[2].Disability, "the certificate held until the day before")
	assert.Equal(t, eligibility.DisabilityMental, h.Members[2].Disability.Kind)

	_, err = f.svc.Household(f.ctx, f.W, fam.cf.ID, civil.Date{}, read)
	assert.True(t, errors.Is(err, casefile.ErrInvalid), "a household is built for a date: %v", err)

	// The outreach scan builds the same households for its date (the
	// Service's today when none is given).
	for name, p := range persons {
		grantor := ""
		if name == "c1" || name == "c2" {
			grantor = mother
		}
		f.give(consentSpec{id: "n-" + name + "-" + fam.cf.ID[len(fam.cf.ID)-6:], subject: p.ID, grantor: grantor, orgs: []string{desk},
			purposes: purposes(consent.PurposeNotification), actions: actions(consent.ActionView, consent.ActionNotify),
			cats: cats(consent.CategoryIdentity, consent.CategoryContact, consent.CategoryHousehold, consent.CategorySupportInUse)})
	}
	for _, tc := range []struct {
		asOf civil.Date
		want []string
	}{{day, []string{mother, c1, c2}}, {before, []string{mother, c1, c2, gf}}, {civil.Date{}, []string{mother, c1, c2}}} {
		var found bool
		for oc, err := range f.svc.OutreachCases(f.ctx, f.W, casefile.OutreachScan{RunID: "asof", AsOf: tc.asOf, CaseIDs: []string{fam.cf.ID}}) {
			require.NoError(t, err)
			require.Empty(t, oc.Refused)
			require.NotNil(t, oc.Household)
			assert.Equal(t, tc.want, memberIDs(oc.Household), "scan as of %s", tc.asOf)
			on := tc.asOf
			if on.IsZero() {
				on = day
			}
			hh, err := f.svc.Household(f.ctx, f.W, fam.cf.ID, on, casefile.ReadOptions{Purpose: consent.PurposeNotification})
			require.NoError(t, err)
			assert.Equal(t, memberIDs(hh), memberIDs(oc.Household), "scan and Household agree")
			assert.Equal(t, hh.Receiving, oc.Household.Receiving)
			found = true
		}
		assert.True(t, found)
	}

	// Whether a reader may screen does not depend on the date: a member
	// whose household category is withheld makes the household
	// incomplete even on a day they are not in it (otherwise the refusal
	// itself would tell that they moved out).
	kos := actor("kos-1", kosodate, "staff")
	for name, p := range persons {
		if name == "gf" {
			continue
		}
		grantor := ""
		if name == "c1" || name == "c2" {
			grantor = mother
		}
		f.give(consentSpec{id: "k-" + name + "-" + fam.cf.ID[len(fam.cf.ID)-6:], subject: p.ID, grantor: grantor, orgs: []string{kosodate},
			purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView),
			cats: cats(consent.CategoryIdentity, consent.CategoryHousehold)})
	}
	_, err = f.svc.Household(f.ctx, kos, fam.cf.ID, day, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	assert.ErrorIs(t, err, casefile.ErrHouseholdIncomplete)
}

// Issue 10 follow-up (#2): every fact of the facts model is held by the
// record and comes back from it, each under its category; what the
// record does not know stays nil.
func testHouseholdFacts(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	day := f.today()
	d := civil.MustDate
	persons := map[string]*casefile.Person{
		"mother": {Name: casefile.Name{Family: "高橋", Given: "美和"}, BirthDate: d(1987, 3, 3), Sex: "female", ResidesInJapan: new(true),
			HealthInsurance: "national", PensionCategory: "first",
			Incomes: []casefile.Income{{Year: 2025, Kind: "salary_revenue", Amount: 1_500_000}, {Year: 2025, Kind: "deductions_none"}}},
		"c1": {Name: casefile.Name{Family: "高橋", Given: "葵"}, BirthDate: d(2016, 5, 5), Sex: "female", ResidesInJapan: new(true),
			School: "elementary", SchoolPrivate: new(false),
			Disability: &casefile.Disability{Kind: "intellectual", Grade: "B1", AllowanceLevel: new(true), SpecialChildGrade: "2", ConstantCare: new(false)}},
	}
	cf := casefile.CaseFile{Situation: "divorced", ApplicantRole: "parent", DeFactoPartner: new(false), GradeArea: new(1),
		Local: []casefile.LocalFact{
			{Key: "training_months", Category: "program", Int: new(int64(24))},
			{Key: "clinic_referral", Category: "health_disability", Bool: new(true)},
		}}
	members := map[string]*casefile.HouseholdMember{
		"c1": {Relationship: casefile.Relationship{Code: "child"}, LivesWith: new(true), SameLivelihood: new(true), Supported: new(true), InFacility: new(false)},
	}
	fam := f.record(cf, persons, members, casefile.SupportInUse{SchemeCode: "child-allowance", Status: "receiving",
		SourceSystem: "jukyu", AsOf: f.clk.t.Add(-time1h)})
	mother, c1 := persons["mother"].ID, persons["c1"].ID

	want := eligibility.Household{ID: fam.cf.ID, MunicipalityCode: new(tenant), Situation: new(eligibility.SituationDivorced),
		ApplicantRole: new(eligibility.RoleParent), DeFactoPartner: new(false), GradeArea: new(1),
		Members: []eligibility.Member{
			{ID: mother, Relation: eligibility.RelationSelf, BirthDate: new(d(1987, 3, 3)), Sex: new(eligibility.SexFemale), LivesWith: new(true),
				ResidesInJapan: new(true), HealthInsurance: new(eligibility.HealthNational), PensionCategory: new(eligibility.PensionFirst),
				Incomes: []eligibility.Income{{Year: 2025, SalaryRevenue: new(int64(1_500_000)), Deductions: &eligibility.Deductions{}}}},
			{ID: c1, Relation: eligibility.RelationChild, BirthDate: new(d(2016, 5, 5)), Sex: new(eligibility.SexFemale), LivesWith: new(true),
				SameLivelihood: new(true), Supported: new(true), InFacility: new(false), ResidesInJapan: new(true),
				School: new(eligibility.SchoolElementary), SchoolPrivate: new(false),
				Disability: &eligibility.Disability{Kind: eligibility.DisabilityIntellectual, Grade: "B1", AllowanceLevel: new(true),
					SpecialChildGrade: new(eligibility.SpecialChildGrade2), ConstantCare: new(false)}},
		},
		Receiving: []string{"child-allowance"},
		Extra:     map[string]any{"training_months": int64(24), "clinic_referral": true},
	}
	h, err := f.svc.Household(f.ctx, f.W, fam.cf.ID, day, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	assertSameHousehold(t, &want, h)

	// Unknown stays unknown: a family the record knows nothing more of.
	bare := f.record(casefile.CaseFile{}, map[string]*casefile.Person{
		"mother": {Name: casefile.Name{Family: "伊藤"}}, "c1": {Name: casefile.Name{Family: "伊藤"}},
	}, map[string]*casefile.HouseholdMember{"mother": {Relationship: casefile.Relationship{Code: "self"}}, "c1": {Relationship: casefile.Relationship{Code: "child"}}})
	h, err = f.svc.Household(f.ctx, f.W, bare.cf.ID, day, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	assert.Nil(t, h.Situation)
	assert.Nil(t, h.ApplicantRole)
	assert.Nil(t, h.DeFactoPartner)
	assert.Nil(t, h.GradeArea)
	assert.Nil(t, h.Extra)
	require.Len(t, h.Members, 2)
	for _, m := range h.Members {
		assert.Nil(t, m.LivesWith, "not known, not false")
		assert.Nil(t, m.SameLivelihood)
		assert.Nil(t, m.Supported)
		assert.Nil(t, m.InFacility)
		assert.Nil(t, m.ResidesInJapan)
		assert.Nil(t, m.School)
		assert.Nil(t, m.SchoolPrivate)
		assert.Nil(t, m.HealthInsurance)
		assert.Nil(t, m.PensionCategory)
		assert.Nil(t, m.Disability)
	}
	var stored casefile.HouseholdMember
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Get(bare.members["c1"].ID, &stored)
	}))
	assert.Nil(t, stored.LivesWith, "the store keeps not known")
	assert.Nil(t, stored.RegisteredSameHousehold)

	// Another department sees each fact under its category: household
	// consent gives the household facts, not identity (級地, domicile),
	// not social insurance, not the disability, not the local facts.
	kos := actor("kos-1", kosodate, "staff")
	give := func(id string, cs ...consent.Category) {
		for _, s := range []string{mother, c1} {
			f.give(consentSpec{id: id + "-" + s[len(s)-6:], subject: s, grantor: mother, orgs: []string{kosodate},
				purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cs})
		}
	}
	give("kh", consent.CategoryHousehold)
	sharing := casefile.ReadOptions{Purpose: consent.PurposeSharing}
	h, err = f.svc.Household(f.ctx, kos, fam.cf.ID, day, sharing)
	require.NoError(t, err)
	assert.Equal(t, eligibility.RoleParent, *h.ApplicantRole)
	assert.False(t, *h.DeFactoPartner)
	assert.Nil(t, h.GradeArea, "級地 follows the address: identity")
	assert.Nil(t, h.Extra, "local facts are kept under program and health_disability")
	child := h.Members[1]
	assert.True(t, *child.Supported)
	assert.False(t, *child.InFacility)
	assert.Equal(t, eligibility.SchoolElementary, *child.School)
	assert.False(t, *child.SchoolPrivate)
	assert.Nil(t, child.ResidesInJapan, "domicile is identity")
	assert.Nil(t, child.Disability, "要配慮")
	assert.Nil(t, h.Members[0].HealthInsurance, "social insurance is support_in_use")
	assert.Nil(t, h.Members[0].PensionCategory)

	v, err := f.svc.ReadCase(f.ctx, kos, fam.cf.ID, sharing)
	require.NoError(t, err)
	got := shown(v)
	assert.Equal(t, "parent", got[mother]["case.applicant_role"])
	assert.Equal(t, true, got[c1]["household.supported"])
	assert.Equal(t, "elementary", got[c1]["school"])
	assert.NotContains(t, got[mother], "case.grade_area")
	assertNoneOf(t, dump(t, v), "household consent", "clinic_referral", "training_months", "allowance_level", "special_child_grade")

	// With program and the sensitive category named: the rest.
	give("kp", consent.CategoryIdentity, consent.CategoryHousehold, consent.CategoryProgram, consent.CategoryHealthDisability, consent.CategorySupportInUse)
	h, err = f.svc.Household(f.ctx, kos, fam.cf.ID, day, sharing)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"training_months": int64(24), "clinic_referral": true}, h.Extra)
	assert.Equal(t, 1, *h.GradeArea)
	require.NotNil(t, h.Members[1].Disability)
	assert.True(t, *h.Members[1].Disability.AllowanceLevel)
	assert.Equal(t, eligibility.HealthNational, *h.Members[0].HealthInsurance)
	// the wildcard never covers a 要配慮 local fact
	give("kw", consent.CategoryAny)
	zs := actor("z-1", zeimu, "staff")
	for _, s := range []string{mother, c1} {
		f.give(consentSpec{id: "zw-" + s[len(s)-6:], subject: s, grantor: mother, orgs: []string{zeimu},
			purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryAny)})
	}
	h, err = f.svc.Household(f.ctx, zs, fam.cf.ID, day, sharing)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"training_months": int64(24)}, h.Extra)
	v, err = f.svc.ReadCase(f.ctx, zs, fam.cf.ID, sharing)
	require.NoError(t, err)
	assertNoneOf(t, dump(t, v), "wildcard consent", "clinic_referral")

	// The owning desk's working read and history hand the whole record.
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		var got casefile.CaseFile
		if err := c.Get(fam.cf.ID, &got); err != nil {
			return err
		}
		assert.Equal(t, fam.cf.Local, got.Local)
		assert.Equal(t, "parent", got.ApplicantRole)
		got.GradeArea = new(2)
		return c.Update(&got)
	}))
	hist, err := f.svc.History(f.ctx, f.W, casefile.KindCase, fam.cf.ID)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, 1, *hist[0].(*casefile.CaseFile).GradeArea)
	assert.Equal(t, 2, *hist[1].(*casefile.CaseFile).GradeArea)
}

// assertSameHousehold compares two households as JSON (members in order).
func assertSameHousehold(t *testing.T, want, got *eligibility.Household) {
	t.Helper()
	wj, err := json.MarshalIndent(want, "", " ")
	require.NoError(t, err)
	gj, err := json.MarshalIndent(got, "", " ")
	require.NoError(t, err)
	assert.JSONEq(t, string(wj), string(gj))
}
