package forms

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

const tenant = "131016"

var (
	formDesk = casefile.Actor{Tenant: tenant, User: "form-intake", Org: "hitorioya-desk", Role: "intake", Client: "portal"}
	testNow  = time.Date(2026, 12, 4, 10, 0, 0, 0, jst)
)

func newService(t testing.TB) (*casefile.Service, *memstore.Store) {
	t.Helper()
	st := memstore.New()
	svc, err := casefile.New(st, casefile.Config{
		Roles: map[string]casefile.Permission{
			"intake":     casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent,
			"caseworker": casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent | casefile.PermExport | casefile.PermAudit,
			"writer":     casefile.PermRead | casefile.PermWrite,
			"clerk":      casefile.PermRead | casefile.PermExport,
			"auditor":    casefile.PermAudit,
		},
		Now: func() time.Time { return testNow },
	})
	require.NoError(t, err)
	return svc, st
}

// modelSubmission is testdata/submission.json, decoded for changes.
func modelSubmission(t testing.TB) map[string]any {
	t.Helper()
	data, err := os.ReadFile("testdata/submission.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

func checkDoc(t testing.TB, f *Form, doc map[string]any) *Checked {
	t.Helper()
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	c, err := f.Check(b)
	require.NoError(t, err)
	return c
}

func rowCount(t testing.TB, st casefile.Store) int {
	t.Helper()
	n := 0
	require.NoError(t, st.View(context.Background(), tenant, func(tx casefile.Tx) error {
		for _, k := range casefile.Kinds() {
			rows, err := tx.List(context.Background(), casefile.Query{Kind: k})
			if err != nil {
				return err
			}
			n += len(rows)
		}
		return nil
	}))
	return n
}

func getEntity(t testing.TB, st casefile.Store, kind casefile.Kind, id string, into casefile.Entity) {
	t.Helper()
	require.NoError(t, st.View(context.Background(), tenant, func(tx casefile.Tx) error {
		r, err := tx.Get(context.Background(), kind, id)
		if err != nil {
			return err
		}
		return casefile.DecodeRow(r, into)
	}))
}

func TestCreateCase(t *testing.T) {
	ctx := context.Background()
	f, err := Model()
	require.NoError(t, err)
	svc, st := newService(t)
	c := checkDoc(t, f, modelSubmission(t))
	ref, err := CreateCase(ctx, svc, formDesk, c, RecordOptions{SubmissionID: "WEB-2026-000123"})
	require.NoError(t, err)
	require.Len(t, ref.Members, 3)

	var cf casefile.CaseFile
	getEntity(t, st, casefile.KindCase, ref.CaseID, &cf)
	assert.Equal(t, ref.Members["p"].PersonID, cf.SubjectID)
	assert.Equal(t, "divorced", cf.Situation)
	assert.Equal(t, "form", cf.IntakeRoute)
	assert.Equal(t, "hitorioya-desk", cf.OwnerOrg)
	assert.Equal(t, "2026-12-04", cf.OpenedOn.String())

	var mother casefile.Person
	getEntity(t, st, casefile.KindPerson, ref.Members["p"].PersonID, &mother)
	assert.Equal(t, casefile.Name{Family: "山田", Given: "花子", FamilyKana: "ヤマダ", GivenKana: "ハナコ"}, mother.Name)
	assert.Equal(t, "1988-05-10", mother.BirthDate.String())
	assert.Equal(t, "female", mother.Sex)
	assert.Equal(t, casefile.Address{PostalCode: "1000001", Prefecture: "東京都", City: "千代田区", Town: "千代田1-1"}, mother.Address)
	assert.Equal(t, []casefile.Contact{
		{Type: "mobile", Value: "090-1234-5678", OKToContact: true, SafeTimes: "平日9時〜12時", Preferred: true},
		{Type: "email", Value: "hanako@example.jp", OKToContact: true},
	}, mother.Contacts)
	src := "forms:jp-model@2026.1"
	assert.ElementsMatch(t, []casefile.Income{
		{Year: 2024, Kind: "salary_revenue", Amount: 1_800_000, Source: src}, {Year: 2024, Kind: "pension_revenue", Source: src},
		{Year: 2024, Kind: "business_income", Source: src}, {Year: 2024, Kind: "other_income", Source: src},
		{Year: 2024, Kind: "child_support_received", Amount: 360_000, Source: src}, {Year: 2024, Kind: "deductions_none", Source: src},
		{Year: 2025, Kind: "salary_revenue", Amount: 12_000_000, Source: src}, {Year: 2025, Kind: "pension_revenue", Source: src},
		{Year: 2025, Kind: "business_income", Source: src}, {Year: 2025, Kind: "other_income", Source: src},
		{Year: 2025, Kind: "child_support_received", Amount: 360_000, Source: src}, {Year: 2025, Kind: "deductions_none", Source: src},
	}, mother.Incomes)

	var child casefile.Person
	getEntity(t, st, casefile.KindPerson, ref.Members["c2"].PersonID, &child)
	assert.Equal(t, "次郎", child.Name.Given)
	assert.Equal(t, "2020-08-20", child.BirthDate.String())
	assert.True(t, child.Address.IsZero())
	assert.Empty(t, child.Contacts)
	assert.Len(t, child.Incomes, 10, "no income at all: zero for each year asked")

	var hm casefile.HouseholdMember
	getEntity(t, st, casefile.KindMember, ref.Members["c1"].MembershipID, &hm)
	assert.Equal(t, "child", hm.Relationship.Code)
	require.NotNil(t, hm.LivesWith)
	assert.True(t, *hm.LivesWith)
	assert.Nil(t, hm.RegisteredSameHousehold, "the form does not ask the 住民票 household")
	assert.Equal(t, casefile.Period{}, hm.Period, "the form says who is in the household on its date, not since when")
	require.NotNil(t, hm.SameLivelihood)
	assert.True(t, *hm.SameLivelihood)

	var entry casefile.Consultation
	getEntity(t, st, casefile.KindConsultation, ref.Consultation, &entry)
	assert.Equal(t, "web_form", entry.Channel)
	assert.Equal(t, []string{"childcare", "employment", "living"}, entry.Topics)
	assert.Equal(t, "仕事を探しながら、こどもの預け先も探しています。", entry.Body)
	assert.Empty(t, entry.Labels)
	assert.Contains(t, entry.Summary, "WEB-2026-000123")

	var sup casefile.SupportInUse
	getEntity(t, st, casefile.KindSupport, ref.Supports["child-allowance"], &sup)
	assert.Equal(t, "receiving", sup.Status)
	assert.Equal(t, "WEB-2026-000123", sup.SourceRef)

	// consents: the mother's own, and each child's given by her as 親権者
	recs, err := svc.ConsentRecords(ctx, formDesk, mother.ID)
	require.NoError(t, err)
	require.Len(t, recs, 3)
	byQuestion := map[string]consent.Record{}
	for _, r := range recs {
		q, _, _ := cutConsentID(r.ID)
		byQuestion[q] = r
	}
	share := byQuestion["consent_sharing"].Current()
	spec, _ := f.Field("consent_sharing")
	assert.Equal(t, consent.HashNotice(spec.Consent.Notice), share.Notice.TextHash)
	assert.Equal(t, "2026.1", share.Notice.Version)
	assert.Equal(t, consent.ChannelWebForm, share.Evidence.Channel)
	assert.Equal(t, "WEB-2026-000123", share.Evidence.Ref)
	assert.Equal(t, consent.CapacitySelf, share.Grantor.Capacity)
	assert.Equal(t, testNow.AddDate(0, 12, 0).UTC(), share.Period.End.UTC())
	assert.Equal(t, consent.StatusActive, byQuestion["consent_online_application"].Status(testNow))
	_, health := byQuestion["consent_health"]
	assert.False(t, health, "not asked: no health topic")

	kid, err := svc.ConsentRecords(ctx, formDesk, ref.Members["c1"].PersonID)
	require.NoError(t, err)
	require.Len(t, kid, 3)
	kc := kid[0].Current()
	assert.Equal(t, consent.CapacityLegalRepresentative, kc.Grantor.Capacity)
	assert.Equal(t, mother.ID, kc.Grantor.Person)
	assert.Equal(t, "親権者", kc.Grantor.Basis)
	// 太郎 (2015-05-01) reaches 18 on 2033-04-30: long after the 12 months
	assert.Equal(t, testNow.AddDate(0, 12, 0).UTC(), kc.Period.End.UTC())
}

// cutConsentID splits the ids this package gives consents.
func cutConsentID(id string) (question, person string, ok bool) {
	for i := range id {
		if id[i] == '.' {
			return id[:i], id[i+1:], true
		}
	}
	return id, "", false
}

func TestCreateCaseChildConsentEndsAtMajority(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	svc, _ := newService(t)
	doc := modelSubmission(t)
	kids := doc["answers"].(map[string]any)["children"].([]any)
	kids[0].(map[string]any)["birth_date"] = "2009-03-10" // reaches 18 on 2027-03-09
	ref, err := CreateCase(context.Background(), svc, formDesk, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-1"})
	require.NoError(t, err)
	recs, err := svc.ConsentRecords(context.Background(), formDesk, ref.Members["c1"].PersonID)
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	assert.Equal(t, time.Date(2027, 3, 9, 0, 0, 0, 0, jst).UTC(), recs[0].Current().Period.End.UTC())
}

// TestRecordRoundTrip: screening from the record (Service.Household on
// the form date) sees the household the form itself gives — every fact
// the form asks, household facts, member facts, disability judgements and
// local facts included — and so screens it the same.
func TestRecordRoundTrip(t *testing.T) {
	ctx := context.Background()
	f, err := Model()
	require.NoError(t, err)
	svc, _ := newService(t)
	doc := fullSubmission(t)
	c := checkDoc(t, f, doc)
	ref, err := CreateCase(ctx, svc, formDesk, c, RecordOptions{SubmissionID: "WEB-2"})
	require.NoError(t, err)
	assertRecordMatchesForm(t, svc, ref, c)

	// and after a correction: the grandfather moved out, a child was born,
	// the 級地 and a local fact changed
	ans := doc["answers"].(map[string]any)
	ans["others"] = []any{}
	ans["children"] = append(ans["children"].([]any), map[string]any{"id": "c3", "family_name": "山田", "given_name": "三郎",
		"birth_date": "R8.10.5", "lives_with": true, "supported": true, "has_income": false})
	ans["grade_area"] = "2"
	ans["training_months"] = 36
	c2 := checkDoc(t, f, doc)
	ref2, err := UpdateCase(ctx, svc, formDesk, ref, c2, RecordOptions{SubmissionID: "WEB-2b"})
	require.NoError(t, err)
	require.Len(t, c2.Household().Members, 4, "the applicant and three children")
	assertRecordMatchesForm(t, svc, ref2, c2)
}

// fullSubmission is the model submission with every fact the form asks
// answered somewhere: disability judgements, school, support, a
// grandparent with a pension, and the local facts of the 仕事と資格 page.
func fullSubmission(t testing.TB) map[string]any {
	doc := modelSubmission(t)
	ans := doc["answers"].(map[string]any)
	app := ans["applicant"].(map[string]any)
	app["disability_kind"], app["grade_physical"] = "physical", "3"
	kids := ans["children"].([]any)
	c1, c2 := kids[0].(map[string]any), kids[1].(map[string]any)
	c1["school"], c1["school_private"], c1["supported"] = "elementary", false, true
	c1["disability_kind"], c1["grade_intellectual"] = "intellectual", "B1"
	c1["allowance_level"], c1["special_child_grade"], c1["constant_care"] = true, "2", false
	c2["school"], c2["school_private"], c2["supported"] = "childcare", true, true
	ans["others"] = []any{map[string]any{"id": "m1", "relation": "parent", "family_name": "山田", "given_name": "一郎", "birth_date": "S30.1.1",
		"sex": "male", "lives_with": true, "same_livelihood": false, "supported": false, "disability_kind": "none",
		"has_income": true, "prev_kinds": []string{"pension_revenue"}, "prev_pension": "180万", "prev2_kinds": []string{"none"}}}
	ans["training_course"], ans["training_months"], ans["training_final_year"], ans["training_received"] = true, 24, false, false
	ans["loan_kind"] = "修学資金"
	return doc
}

// assertRecordMatchesForm compares the household screened from the record
// on the form date with the form's own: equal, member ids aside, except
// that "no income at all" (incomes: []) is kept in the record as zero in
// each year the form asks — the record lasts beyond the form, and a later
// year is not known — which screens the same (checked).
func assertRecordMatchesForm(t *testing.T, svc *casefile.Service, ref *Ref, c *Checked) {
	t.Helper()
	ctx := context.Background()
	fromForm := c.Household()
	fromRecord, err := svc.Household(ctx, formDesk, ref.CaseID, c.date, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)

	want := *fromForm
	want.ID = ref.CaseID
	byID := map[string]string{}
	for id, mr := range ref.Members {
		byID[id] = mr.PersonID
	}
	want.Members = nil
	for _, m := range fromForm.Members {
		m.ID = byID[m.ID]
		want.Members = append(want.Members, m)
	}
	asScreened := want
	asScreened.Members = nil
	for _, m := range want.Members {
		if m.Incomes != nil && len(m.Incomes) == 0 {
			for _, y := range c.form.incomeYears(c.date) {
				m.Incomes = append(m.Incomes, eligibility.Income{Year: y, SalaryRevenue: new(int64(0)), PensionRevenue: new(int64(0)),
					BusinessIncome: new(int64(0)), OtherIncome: new(int64(0)), Deductions: &eligibility.Deductions{}})
			}
		}
		asScreened.Members = append(asScreened.Members, m)
	}
	got := *fromRecord
	slices.SortFunc(got.Members, func(a, b eligibility.Member) int { return idx(want.Members, a.ID) - idx(want.Members, b.ID) })
	wj, _ := json.MarshalIndent(asScreened, "", " ")
	gj, _ := json.MarshalIndent(got, "", " ")
	assert.JSONEq(t, string(wj), string(gj))

	e := engine(t)
	sf, err := e.Screen(ctx, &want, c.date)
	require.NoError(t, err)
	sr, err := e.Screen(ctx, &got, c.date)
	require.NoError(t, err)
	fj, _ := json.Marshal(sf)
	rj, _ := json.Marshal(sr)
	assert.JSONEq(t, string(fj), string(rj), "screening from the record and from the form")
}

func idx(ms []eligibility.Member, id string) int {
	for i, m := range ms {
		if m.ID == id {
			return i
		}
	}
	return -1
}

func TestCreateCaseWritesNothingWhenRefused(t *testing.T) {
	ctx := context.Background()
	f, err := Model()
	require.NoError(t, err)
	svc, st := newService(t)
	c := checkDoc(t, f, modelSubmission(t))
	before := rowCount(t, st)
	// a desk without PermConsent: the persons and the case are refused
	// together with the consents
	writer := casefile.Actor{Tenant: tenant, User: "w", Org: "hitorioya-desk", Role: "writer"}
	_, err = CreateCase(ctx, svc, writer, c, RecordOptions{SubmissionID: "WEB-3"})
	var re *RecordError
	require.True(t, errors.As(err, &re), "%v", err)
	var de *casefile.DeniedError
	assert.True(t, errors.As(err, &de))
	assert.Equal(t, before, rowCount(t, st))
	// a DV topic needs PermSensitive for the consultation entry
	doc := modelSubmission(t)
	doc["answers"].(map[string]any)["troubles"] = []string{"dv"}
	_, err = CreateCase(ctx, svc, casefile.Actor{Tenant: tenant, User: "x", Org: "hitorioya-desk", Role: "clerk"}, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-4"})
	require.Error(t, err)
	assert.Equal(t, before, rowCount(t, st))
	// no submission id
	_, err = CreateCase(ctx, svc, formDesk, c, RecordOptions{})
	require.Error(t, err)
	assert.Equal(t, before, rowCount(t, st))
}

func TestCreateCaseLabelsSensitiveTopics(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	svc, st := newService(t)
	doc := modelSubmission(t)
	ans := doc["answers"].(map[string]any)
	ans["troubles"] = []string{"dv", "medical", "none"}
	_, err = f.Check(mustMarshal(t, doc))
	require.Error(t, err, "none is exclusive")
	ans["troubles"] = []string{"dv", "medical"}
	ans["consent_health"] = false
	ref, err := CreateCase(context.Background(), svc, formDesk, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-5"})
	require.NoError(t, err)
	var entry casefile.Consultation
	getEntity(t, st, casefile.KindConsultation, ref.Consultation, &entry)
	assert.Equal(t, []string{"dv", "medical"}, entry.Topics)
	assert.Equal(t, []string{"dv_related", "health_disability"}, entry.Labels)
	recs, err := svc.ConsentRecords(context.Background(), formDesk, ref.Members["p"].PersonID)
	require.NoError(t, err)
	for _, r := range recs {
		assert.NotContains(t, r.ID, "consent_health", "a no records nothing")
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestUpdateCaseKeepsHistory(t *testing.T) {
	ctx := context.Background()
	f, err := Model()
	require.NoError(t, err)
	svc, st := newService(t)
	doc := modelSubmission(t)
	ans := doc["answers"].(map[string]any)
	ans["others"] = []any{map[string]any{"id": "gm", "relation": "parent", "family_name": "山田", "given_name": "トメ", "lives_with": true}}
	ref, err := CreateCase(ctx, svc, formDesk, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-10"})
	require.NoError(t, err)

	// the same submission again changes nothing
	before := rowCount(t, st)
	same, err := UpdateCase(ctx, svc, formDesk, ref, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-10"})
	require.NoError(t, err)
	assert.Equal(t, ref.Members, same.Members)
	assert.Equal(t, ref.Consultation, same.Consultation)
	assert.Equal(t, before, rowCount(t, st))

	// a correction: a child's birth date, a new child, the grandmother
	// moved out, a new phone, income of 前年, no more notifications, no
	// more 児童手当, new topics
	ans["children"].([]any)[1].(map[string]any)["birth_date"] = "令和2年8月21日"
	ans["children"] = append(ans["children"].([]any), map[string]any{"id": "c3", "family_name": "山田", "given_name": "三郎",
		"birth_date": "R6.1.5", "lives_with": true, "has_income": false})
	ans["others"] = []any{}
	ans["phone"] = "080-9999-0000"
	ans["applicant_income"].(map[string]any)["prev_salary"] = "300万"
	ans["consent_notification"] = false
	ans["receiving"] = []string{"none"}
	ans["troubles"] = []string{"employment", "housing"}
	ref2, err := UpdateCase(ctx, svc, formDesk, ref, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-11"})
	require.NoError(t, err)

	assert.Equal(t, ref.Members["p"], ref2.Members["p"])
	assert.Contains(t, ref2.Members, "c3")
	assert.NotContains(t, ref2.Members, "gm")

	var c2 casefile.Person
	getEntity(t, st, casefile.KindPerson, ref.Members["c2"].PersonID, &c2)
	assert.Equal(t, "2020-08-21", c2.BirthDate.String())
	assert.Equal(t, int64(2), c2.Version)
	hist, err := svc.History(ctx, formDesk, casefile.KindPerson, c2.ID)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, "2020-08-20", hist[0].(*casefile.Person).BirthDate.String(), "the earlier version is kept")

	var mother casefile.Person
	getEntity(t, st, casefile.KindPerson, ref.Members["p"].PersonID, &mother)
	assert.Equal(t, "080-9999-0000", mother.Contacts[0].Value)
	var salary2025 []int64
	for _, in := range mother.Incomes {
		if in.Year == 2025 && in.Kind == "salary_revenue" {
			salary2025 = append(salary2025, in.Amount)
		}
	}
	assert.Equal(t, []int64{3_000_000}, salary2025, "the year asked is replaced, not added to")

	var gm casefile.HouseholdMember
	getEntity(t, st, casefile.KindMember, ref.Members["gm"].MembershipID, &gm)
	assert.Equal(t, "2026-12-04", gm.Period.To.String(), "a person no longer in the household has their membership ended, not deleted")

	var old, corrected casefile.Consultation
	getEntity(t, st, casefile.KindConsultation, ref.Consultation, &old)
	getEntity(t, st, casefile.KindConsultation, ref2.Consultation, &corrected)
	assert.Equal(t, []string{"childcare", "employment", "living"}, old.Topics, "the earlier entry stays")
	assert.Equal(t, ref.Consultation, corrected.Supersedes)
	assert.Equal(t, []string{"employment", "housing"}, corrected.Topics)

	var sup casefile.SupportInUse
	getEntity(t, st, casefile.KindSupport, ref.Supports["child-allowance"], &sup)
	assert.Equal(t, "ended", sup.Status)

	recs, err := svc.ConsentRecords(ctx, formDesk, mother.ID)
	require.NoError(t, err)
	for _, r := range recs {
		q, _, _ := cutConsentID(r.ID)
		if q == "consent_notification" {
			assert.Equal(t, consent.EventWithdrawn, r.EndType)
		} else {
			assert.False(t, r.Ended(), r.ID)
			assert.Len(t, r.Events, 1, "an unchanged yes records nothing new")
		}
	}
	// the new child's consents were given with the correction
	kid, err := svc.ConsentRecords(ctx, formDesk, ref2.Members["c3"].PersonID)
	require.NoError(t, err)
	assert.Len(t, kid, 2)

	// yes again after the withdrawal: a new consent with a new id
	ans["consent_notification"] = true
	_, err = UpdateCase(ctx, svc, formDesk, ref2, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-12"})
	require.NoError(t, err)
	recs, err = svc.ConsentRecords(ctx, formDesk, mother.ID)
	require.NoError(t, err)
	var ids []string
	for _, r := range recs {
		if q, _, _ := cutConsentID(r.ID); q == "consent_notification" {
			ids = append(ids, r.ID)
		}
	}
	require.Len(t, ids, 2)
	assert.Contains(t, ids, "consent_notification."+mother.ID+".2")
}
