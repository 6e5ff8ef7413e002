package consent

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// caseView is what a case record store would build: the mother's and the
// child's data in one view.
func caseView() View {
	return View{Subject: mother, Fields: []Field{
		{Path: "name", Category: CategoryIdentity, Value: "山田 花子"},
		{Path: "address", Category: CategoryIdentity, Value: "〇〇市△△町1-2-3"},
		{Path: "address.postal_code", Category: CategoryIdentity, Value: "100-0001"},
		{Path: "addressee", Category: CategoryIdentity, Value: "山田 花子 様"},
		{Path: "contacts.0.value", Category: CategoryContact, Value: "090-0000-0000"},
		{Path: "income.2024", Category: CategoryIncomeTax, Value: int64(1_800_000)},
		{Path: "health.notes", Category: CategoryHealthDisability, Value: "通院中"},
		{Path: "consultations.0.summary", Category: CategoryConsultation, Value: "養育費について"},
		{Path: "mynumber", Category: CategoryMyNumber, Value: "123456789012"},
		{Path: "legacy.memo", Value: "分類なしのメモ"},
		{Path: "household.members.1.name", Category: CategoryIdentity, Subject: child, Value: "山田 太郎"},
	}}
}

func TestRedactWithDecider(t *testing.T) {
	p := standardPolicy(t)
	p.Restrictions = []Restriction{dvRestriction()}
	d := compile(t, p)
	template := req(orgKosodate, ActionView, PurposeSharing, tPlus1h)
	out, err := d.Redact(template, caseView())
	require.NoError(t, err)

	kept := map[string]any{}
	for _, f := range out.Fields {
		kept[f.Path] = f.Value
	}
	assert.Equal(t, map[string]any{
		"name":        "山田 花子",
		"addressee":   "山田 花子 様", // "address" masks on segment boundaries only
		"income.2024": int64(1_800_000),
	}, kept)

	withheld := map[string]Reason{}
	for _, w := range out.Withheld {
		withheld[w.Path] = w.Reason
		assert.NotEmpty(t, w.Subject)
	}
	assert.Equal(t, map[string]Reason{
		"address":                  ReasonRestricted,
		"address.postal_code":      ReasonRestricted,
		"contacts.0.value":         ReasonRestricted,
		"health.notes":             ReasonSensitiveNotNamed,
		"consultations.0.summary":  ReasonExcepted,
		"mynumber":                 ReasonMyNumber,
		"legacy.memo":              ReasonUncategorized,
		"household.members.1.name": ReasonNoConsent, // the child has no consent of its own
	}, withheld)

	require.Len(t, out.Decisions, 2, "one decision per subject")
	assert.Equal(t, mother, out.Decisions[0].Request.Subject)
	assert.Equal(t, Categories(CategoryIdentity, CategoryContact, CategoryIncomeTax, CategoryHealthDisability, CategoryConsultation),
		out.Decisions[0].Request.Categories, "categories come from the view; My Number and uncategorised fields are not asked for")
	assert.Equal(t, child, out.Decisions[1].Request.Subject)

	assert.True(t, out.Has("name"))
	assert.False(t, out.Has("address"))
	_, ok := out.Get("contacts.0.value")
	assert.False(t, ok)

	// In JSON, withheld fields are absent, not blank.
	b, err := json.Marshal(out)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "〇〇市")
	assert.NotContains(t, string(b), "090-0000-0000")
	assert.NotContains(t, string(b), "123456789012")
	assert.NotContains(t, string(b), `"value":""`)
	assert.NotContains(t, string(b), `"value":null`)
	assert.NotContains(t, string(b), "decisions", "decisions are for the audit log, not the view")
}

func TestRedactAtTheResponsibleDesk(t *testing.T) {
	p := standardPolicy(t)
	p.Restrictions = []Restriction{dvRestriction()}
	d := compile(t, p)
	out, err := d.Redact(req(orgDesk, ActionView, PurposeConsultation, tPlus1h), caseView())
	require.NoError(t, err)
	for _, path := range []string{"address", "address.postal_code", "contacts.0.value", "health.notes", "consultations.0.summary"} {
		assert.True(t, out.Has(path), path)
	}
	assert.False(t, out.Has("mynumber"), "My Number is withheld even at the desk")
}

func TestRedactCounterpartySeesNothing(t *testing.T) {
	p := standardPolicy(t)
	p.Restrictions = []Restriction{dvRestriction()}
	d := compile(t, p)
	r := req(orgDesk, ActionCopy, PurposeConsultation, tPlus1h)
	r.OnBehalfOf = abuser
	out, err := d.Redact(r, caseView())
	require.NoError(t, err)
	assert.Empty(t, out.Fields)
	assert.Len(t, out.Withheld, len(caseView().Fields))
}

func TestRedactTable(t *testing.T) {
	p := standardPolicy(t)
	d := compile(t, p)
	deskDecision, err := d.Decide(req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity))
	require.NoError(t, err)
	tests := []struct {
		name      string
		view      View
		decisions []Decision
		kept      []string
		reasons   map[string]Reason
	}{
		{"no decisions: deny by default", View{Subject: mother, Fields: []Field{{Path: "name", Category: CategoryIdentity, Value: "x"}}},
			nil, nil, map[string]Reason{"name": ReasonNoDecision}},
		{"permitted field kept", View{Subject: mother, Fields: []Field{{Path: "name", Category: CategoryIdentity, Value: "x"}}},
			[]Decision{deskDecision}, []string{"name"}, nil},
		{"category not requested", View{Subject: mother, Fields: []Field{{Path: "phone", Category: CategoryContact, Value: "x"}}},
			[]Decision{deskDecision}, nil, map[string]Reason{"phone": ReasonNotRequested}},
		{"other subject's field", View{Subject: mother, Fields: []Field{{Path: "name", Category: CategoryIdentity, Subject: child, Value: "x"}}},
			[]Decision{deskDecision}, nil, map[string]Reason{"name": ReasonNoDecision}},
		{"zero decision denies", View{Subject: mother, Fields: []Field{{Path: "name", Category: CategoryIdentity, Value: "x"}}},
			[]Decision{{Request: Request{Subject: mother, Categories: Categories(CategoryIdentity)}}}, nil,
			map[string]Reason{"name": ReasonInvalidRequest}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Redact(tc.view, tc.decisions...)
			require.NoError(t, err)
			var kept []string
			for _, f := range out.Fields {
				kept = append(kept, f.Path)
			}
			assert.Equal(t, tc.kept, kept)
			got := map[string]Reason{}
			for _, w := range out.Withheld {
				got[w.Path] = w.Reason
			}
			if tc.reasons == nil {
				tc.reasons = map[string]Reason{}
			}
			assert.Equal(t, tc.reasons, got)
			assert.Equal(t, len(tc.view.Fields), len(out.Fields)+len(out.Withheld), "every field is either kept or withheld")
		})
	}
}

func TestRedactErrors(t *testing.T) {
	d := compile(t, standardPolicy(t))
	dec, err := d.Decide(req(orgDesk, ActionView, PurposeConsultation, tPlus1h, CategoryIdentity))
	require.NoError(t, err)
	_, err = Redact(View{Subject: mother}, dec, dec)
	assert.ErrorIs(t, err, ErrInvalidRequest, "two decisions for one subject")

	for _, bad := range []View{
		{Subject: mother, Fields: []Field{{Path: "", Category: CategoryIdentity}}},
		{Subject: mother, Fields: []Field{{Path: "a..b", Category: CategoryIdentity}}},
		{Subject: mother, Fields: []Field{{Path: "a b", Category: CategoryIdentity}}},
		{Fields: []Field{{Path: "name", Category: CategoryIdentity}}}, // whose?
	} {
		_, err := Redact(bad, dec)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, "%+v", bad)
		_, err = d.Redact(req(orgDesk, ActionView, PurposeConsultation, tPlus1h), bad)
		assert.ErrorAs(t, err, &ve)
	}
	_, err = d.Redact(Request{}, caseView())
	assert.ErrorIs(t, err, ErrInvalidRequest, "a bad template is reported")
}

func TestPathCovers(t *testing.T) {
	tests := []struct {
		mask, path string
		want       bool
	}{
		{"address", "address", true},
		{"address", "address.line1", true},
		{"address", "addressee", false},
		{"address.line1", "address", false},
		{"contacts", "contacts.0.value", true},
		{"contacts.0", "contacts.01", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, pathCovers(tc.mask, tc.path), "%s ⊇ %s", tc.mask, tc.path)
	}
}

// ForReader drops what a reader may not learn exists: every withheld
// field of a subject nothing was shown of, sensitive categories always,
// and the decisions (privacy probe F5).
func TestForReader(t *testing.T) {
	p := standardPolicy(t)
	p.Restrictions = []Restriction{dvRestriction()}
	d := compile(t, p)
	out, err := d.Redact(req(orgKosodate, ActionView, PurposeSharing, tPlus1h), caseView())
	require.NoError(t, err)
	require.NotEmpty(t, out.Decisions)
	pub := out.ForReader()
	assert.Empty(t, pub.Decisions, "decisions name every category the record holds")
	assert.Equal(t, out.Fields, pub.Fields)
	paths := map[string]bool{}
	for _, w := range pub.Withheld {
		paths[w.Path] = true
		assert.False(t, w.Category.Sensitive(), "%s: a withheld sensitive field is not listed", w.Path)
		assert.Equal(t, mother, w.Subject, "the child, of whom nothing was shown, is not listed")
	}
	assert.True(t, paths["address"], "a restricted field of a person shown is listed: the department must know")
	assert.False(t, paths["health.notes"])
	assert.False(t, paths["household.members.1.name"])

	// Nothing permitted: nothing listed at all.
	none, err := d.Redact(req(orgShakyo, ActionView, PurposeSharing, tPlus1h), caseView())
	require.NoError(t, err)
	require.NotEmpty(t, none.Withheld)
	assert.Empty(t, none.ForReader().Withheld)
	assert.Empty(t, none.ForReader().Fields)
}

func TestRestrictionProtects(t *testing.T) {
	r := dvRestriction()
	r.ProtectedCategories = []Category{CategoryIncomeTax}
	assert.True(t, r.Protects("address", CategoryIdentity))
	assert.True(t, r.Protects("address.block", CategoryIdentity))
	assert.False(t, r.Protects("addressee", CategoryIdentity))
	assert.True(t, r.Protects("incomes.0.amount", CategoryIncomeTax))
	assert.False(t, r.Protects("name.family", CategoryIdentity))
	assert.True(t, r.IsCounterparty(abuser))
	assert.False(t, r.IsCounterparty(""))
	assert.False(t, r.IsCounterparty(mother))
}
