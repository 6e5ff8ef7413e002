package forms

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
)

var (
	teateClerk = casefile.Actor{Tenant: tenant, User: "k-01", Org: "kodomo-teate", Role: "clerk", Client: "portal"}
	iryoClerk  = casefile.Actor{Tenant: tenant, User: "i-01", Org: "iryo-josei", Role: "clerk", Client: "portal"}
	auditor    = casefile.Actor{Tenant: tenant, User: "a-01", Org: "audit-office", Role: "auditor"}
)

func loadApp(t testing.TB, path string) *Form {
	t.Helper()
	app, err := Load(ModelFiles(), path)
	require.NoError(t, err)
	return app
}

// recorded is the model submission recorded as a case; change edits the
// submission first.
func recorded(t testing.TB, change func(ans map[string]any)) (*casefile.Service, *Ref) {
	t.Helper()
	f, err := Model()
	require.NoError(t, err)
	svc, _ := newService(t)
	doc := modelSubmission(t)
	if change != nil {
		change(doc["answers"].(map[string]any))
	}
	ref, err := CreateCase(context.Background(), svc, formDesk, checkDoc(t, f, doc), RecordOptions{SubmissionID: "WEB-2026-000123"})
	require.NoError(t, err)
	return svc, ref
}

func itemsByPath(a *Application) map[string]Item {
	out := map[string]Item{}
	for _, it := range a.Items {
		out[it.Path] = it
	}
	return out
}

func TestPrefillWithConsent(t *testing.T) {
	ctx := context.Background()
	svc, ref := recorded(t, nil)
	app := loadApp(t, ChildRearingAllowancePath)
	a, err := Prefill(ctx, svc, teateClerk, app, ref.CaseID, PrefillOptions{Applicant: ref.Members["p"].PersonID})
	require.NoError(t, err)
	items := itemsByPath(a)
	filled := map[string]any{
		"applicant.family_name": "山田", "applicant.given_kana": "ハナコ", "applicant.birth_date": "1988-05-10",
		"applicant.postal_code": "1000001", "applicant.city": "千代田区", "applicant.phone": "090-1234-5678",
		"situation": "divorced", "children[0].given_name": "太郎", "children[1].birth_date": "2020-08-20",
		"children[0].lives_with": true, "applicant_income.prev_salary": int64(12_000_000),
		"applicant_income.prev2_child_support": int64(360_000), "receiving": []string{"child-allowance"},
	}
	for path, want := range filled {
		it := items[path]
		assert.Equal(t, ItemFilled, it.Status, path)
		assert.Equal(t, want, it.Value, path)
	}
	assert.Equal(t, "昭和63年5月10日（1988年5月10日）", items["applicant.birth_date"].Display)
	assert.Equal(t, "12,000,000円", items["applicant_income.prev_salary"].Display)
	assert.Equal(t, "父母が婚姻を解消した（離婚）", items["situation"].Display)
	toEnter := map[string]string{
		"applicant.occupation": ReasonNotRecorded, "bank": ReasonNotRecorded, "situation_date": ReasonNotRecorded,
		"children[0].relationship_text": ReasonNotInRecord, "children[1].family_kana": ReasonNotInRecord,
		"applicant.building": ReasonNotInRecord,
	}
	for path, reason := range toEnter {
		assert.Equal(t, ItemToEnter, items[path].Status, path)
		assert.Equal(t, reason, items[path].Reason, path)
		assert.NotEmpty(t, items[path].Note, path)
	}
	assert.NotContains(t, items, "pension_detail", "a follow-up of an answer not given is not listed")
	assert.Equal(t, a.Filled+a.ToEnter, len(a.Items))

	// the read is a disclosure to the department, recorded per person
	for _, id := range []string{ref.Members["p"].PersonID, ref.Members["c1"].PersonID} {
		ds, err := svc.Disclosures(ctx, auditor, id)
		require.NoError(t, err)
		require.NotEmpty(t, ds, id)
		var cats []string
		for _, d := range ds {
			assert.Equal(t, "kodomo-teate", d.Recipient)
			assert.Equal(t, consent.PurposeOnlineApplication.String(), d.Purpose)
			assert.Equal(t, "consent", d.Basis)
			cats = append(cats, d.Categories...)
		}
		assert.Contains(t, cats, "identity")
	}

	// the family completes the rest, and the application validates like a form
	var doc map[string]any
	require.NoError(t, json.Unmarshal(a.Submission(), &doc))
	ans := doc["answers"].(map[string]any)
	ans["applicant"].(map[string]any)["occupation"] = "会社員"
	ans["situation_date"], ans["partner"], ans["pension"] = "令和6年3月31日", false, false
	ans["bank"], ans["branch"], ans["account_type"], ans["account_number"], ans["account_holder"] = "〇〇銀行", "本店", "ordinary", "1234567", "ﾔﾏﾀﾞ ﾊﾅｺ"
	_, err = app.Check(mustMarshal(t, doc))
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	// the 続柄 of each child is still to enter: only those are missing
	var paths []string
	for _, e := range ve.Errors {
		paths = append(paths, e.Path)
	}
	assert.ElementsMatch(t, []string{"children[0].relationship_text", "children[1].relationship_text"}, paths)
	for _, c := range ans["children"].([]any) {
		c.(map[string]any)["relationship_text"] = "長男"
	}
	checked, err := app.Check(mustMarshal(t, doc))
	require.NoError(t, err)
	assert.Equal(t, "ヤマダ ハナコ", checked.Answers()["account_holder"])
}

func TestPrefillWithoutConsent(t *testing.T) {
	ctx := context.Background()
	svc, ref := recorded(t, func(ans map[string]any) { ans["consent_online_application"] = false })
	app := loadApp(t, ChildRearingAllowancePath)
	a, err := Prefill(ctx, svc, teateClerk, app, ref.CaseID, PrefillOptions{Applicant: ref.Members["p"].PersonID})
	require.NoError(t, err)
	assert.Zero(t, a.Filled, "nothing is copied without the consent")
	for _, it := range a.Items {
		assert.Equal(t, ItemToEnter, it.Status, it.Path)
	}
	assert.Equal(t, ReasonNoConsent, itemsByPath(a)["applicant.family_name"].Reason)
	ds, err := svc.Disclosures(ctx, auditor, ref.Members["p"].PersonID)
	require.NoError(t, err)
	assert.Empty(t, ds, "nothing was disclosed")

	// sharing consent (another purpose) does not stand in for it
	svc, ref = recorded(t, func(ans map[string]any) { ans["consent_online_application"] = false; ans["consent_sharing"] = true })
	a, err = Prefill(ctx, svc, teateClerk, app, ref.CaseID, PrefillOptions{})
	require.NoError(t, err)
	assert.Zero(t, a.Filled)
}

func TestPrefillLocalProgramme(t *testing.T) {
	ctx := context.Background()
	svc, ref := recorded(t, nil)
	app := loadApp(t, TokyoMedicalPath)
	// the Tokyo application goes to 医療費助成担当, which the consent names
	a, err := Prefill(ctx, svc, iryoClerk, app, ref.CaseID, PrefillOptions{})
	require.NoError(t, err)
	items := itemsByPath(a)
	assert.Equal(t, ItemFilled, items["applicant.family_name"].Status)
	assert.Equal(t, ItemFilled, items["applicant_income.prev2_salary"].Status)
	assert.Equal(t, ReasonNotRecorded, items["insurer"].Reason)
	// another department cannot fill it in that department's place
	_, err = Prefill(ctx, svc, teateClerk, app, ref.CaseID, PrefillOptions{})
	require.Error(t, err)
	// an input form is no application
	f, err := Model()
	require.NoError(t, err)
	_, err = Prefill(ctx, svc, iryoClerk, f, ref.CaseID, PrefillOptions{})
	require.Error(t, err)
}

func TestPrefillSummaryGolden(t *testing.T) {
	svc, ref := recorded(t, nil)
	app := loadApp(t, ChildRearingAllowancePath)
	a, err := Prefill(context.Background(), svc, teateClerk, app, ref.CaseID, PrefillOptions{Applicant: ref.Members["p"].PersonID})
	require.NoError(t, err)
	golden(t, "testdata/prefill-summary.txt", []byte(a.Summary()))
	b, err := json.MarshalIndent(a, "", "  ")
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "child-rearing-allowance", back["application"].(map[string]any)["program"])
	assert.Equal(t, "kodomo-teate", back["application"].(map[string]any)["recipient"].(map[string]any)["code"])
}

// TestPrefillKeepsDVProtectedAddress: a DV等支援措置 masks the address and
// contacts outside the responsible desk, consent or not: the application
// leaves them to enter.
func TestPrefillKeepsDVProtectedAddress(t *testing.T) {
	ctx := context.Background()
	svc, ref := recorded(t, nil)
	mother, child := ref.Members["p"].PersonID, ref.Members["c1"].PersonID
	err := svc.Change(ctx, formDesk, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Create(&casefile.AddressRestriction{Restriction: consent.Restriction{
			Kind: consent.RestrictionDV, Subjects: []string{mother, child}, Counterparties: []string{"p-former-spouse"},
			ProtectedFields: []string{"address", "contacts"}, ResponsibleOrgs: []string{"hitorioya-desk"},
			Period: consent.Period{Start: testNow.AddDate(0, -1, 0), End: testNow.AddDate(1, 0, 0)}, Source: "警察署の意見", VerifiedBy: "staff-b",
		}})
	})
	require.NoError(t, err)
	app := loadApp(t, ChildRearingAllowancePath)
	a, err := Prefill(ctx, svc, teateClerk, app, ref.CaseID, PrefillOptions{Applicant: mother})
	require.NoError(t, err)
	items := itemsByPath(a)
	assert.Equal(t, ItemFilled, items["applicant.family_name"].Status)
	for _, p := range []string{"applicant.postal_code", "applicant.city", "applicant.town", "applicant.phone"} {
		assert.Equal(t, ItemToEnter, items[p].Status, p)
	}
	assert.NotContains(t, a.Summary(), "千代田1-1")
	assert.NotContains(t, a.Summary(), "090-1234-5678")
	assert.NotContains(t, string(a.Submission()), "090-1234-5678")
}
