package casefile

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// Every consent category the fact catalog names is a real category: a
// typo there would silently keep a fact out of every screening.
func TestFactCatalogCategoriesAreConsentCategories(t *testing.T) {
	n := 0
	for _, ft := range eligibility.FactTypes() {
		for _, f := range ft.Fields {
			if f.Category == "" {
				continue
			}
			n++
			c, err := consent.ParseCategory(f.Category)
			require.NoError(t, err, "%s.%s", ft.Name, f.Key)
			assert.NotEqual(t, consent.CategoryAny, c, "%s.%s", ft.Name, f.Key)
		}
	}
	assert.Greater(t, n, 10)
}

// Every fact of the facts model has a place in the case record: only
// identifiers, the municipality code (the record's tenant) and extra (local
// facts carry their category in the record) have no category. A fact added
// to the catalog later fails here until the record can hold it.
func TestEveryCatalogFactHasAPlaceInTheRecord(t *testing.T) {
	var without []string
	for _, ft := range eligibility.FactTypes() {
		for _, f := range ft.Fields {
			if f.Category == "" {
				without = append(without, ft.Name+"."+f.Key)
			}
		}
	}
	assert.ElementsMatch(t, []string{"Household.id", "Household.municipality_code", "Household.members", "Household.extra", "Member.id"}, without)
}

// fullRecord is a case record holding every fact the facts model has: the
// subject p and a child c, both with every person and membership fact.
func fullRecord() HouseholdRecord {
	cf := &CaseFile{Meta: Meta{ID: "case"}, SubjectID: "p", Situation: "divorced", ApplicantRole: "parent", DeFactoPartner: new(false),
		GradeArea: new(2), Local: []LocalFact{{Key: "training_months", Category: "program", Int: new(int64(24))}}}
	person := func(id string, birth civil.Date) *Person {
		return &Person{Meta: Meta{ID: id}, BirthDate: birth, Sex: "female", ResidesInJapan: new(true), School: "high_school",
			SchoolPrivate: new(true), HealthInsurance: "national", PensionCategory: "first",
			Disability: &Disability{Kind: "physical", Grade: "2", AllowanceLevel: new(true), SpecialChildGrade: "2", ConstantCare: new(false)},
			Incomes:    []Income{{Year: 2024, Kind: "salary_revenue", Amount: 1}}}
	}
	member := func(id, rel string) HouseholdMember {
		return HouseholdMember{CaseID: "case", PersonID: id, Relationship: Relationship{Code: rel}, LivesWith: new(true),
			SameLivelihood: new(true), Supported: new(true), InFacility: new(false)}
	}
	return HouseholdRecord{Case: cf, Tenant: "131016",
		Members:  []HouseholdMember{member("p", "self"), member("c", "child")},
		Persons:  map[string]*Person{"p": person("p", civil.MustDate(1990, 1, 1)), "c": person("c", civil.MustDate(2010, 1, 1))},
		Supports: map[string][]SupportInUse{"p": {{PersonID: "p", SchemeCode: "child-allowance", Status: "receiving"}}}}
}

// filled reports whether h holds the fact at a catalog path of Household
// or Member (for the child, member facts; the relation: whether the child
// is there at all).
func filled(t *testing.T, h eligibility.Household, typ, key string) bool {
	var child *eligibility.Member
	for i := range h.Members {
		if h.Members[i].ID == "c" {
			child = &h.Members[i]
		}
	}
	if typ == "Household" {
		switch key {
		case "situation":
			return h.Situation != nil
		case "applicant_role":
			return h.ApplicantRole != nil
		case "de_facto_partner":
			return h.DeFactoPartner != nil
		case "grade_area":
			return h.GradeArea != nil
		case "receiving":
			return h.Receiving != nil
		}
	}
	if typ == "Member" {
		if key == "relation" {
			return child != nil
		}
		if child == nil {
			return false
		}
		m := child
		for k, set := range map[string]bool{"birth_date": m.BirthDate != nil, "sex": m.Sex != nil, "disability": m.Disability != nil,
			"lives_with": m.LivesWith != nil, "same_livelihood": m.SameLivelihood != nil, "supported": m.Supported != nil,
			"in_facility": m.InFacility != nil, "resides_in_japan": m.ResidesInJapan != nil, "school": m.School != nil,
			"school_private": m.SchoolPrivate != nil, "health_insurance": m.HealthInsurance != nil,
			"pension_category": m.PensionCategory != nil, "incomes": m.Incomes != nil} {
			if k == key {
				return set
			}
		}
	}
	t.Fatalf("no check for %s.%s", typ, key)
	return false
}

// ToHousehold fills each fact of the catalog exactly when the person's
// visible categories include the one the catalog gives it; the fields
// inside Disability, Income and Deductions share their parent's category.
func TestToHouseholdFollowsTheCatalog(t *testing.T) {
	r := fullRecord()
	asOf := civil.MustDate(2025, 6, 1)
	for _, ft := range eligibility.FactTypes() {
		for _, f := range ft.Fields {
			if f.Category == "" {
				continue
			}
			c, err := consent.ParseCategory(f.Category)
			require.NoError(t, err)
			if ft.Name != "Household" && ft.Name != "Member" {
				parent := map[string]string{"Disability": "members[].disability", "Income": "members[].incomes", "Deductions": "members[].incomes"}[ft.Name]
				pf, ok := eligibility.FactFor(parent)
				require.True(t, ok, ft.Name)
				assert.Equal(t, pf.Category, f.Category, "%s.%s is held inside %s", ft.Name, f.Key, parent)
				continue
			}
			t.Run(ft.Name+"."+f.Key, func(t *testing.T) {
				// the household category of both persons always, so that
				// the child is there (except when testing the relation)
				base := consent.CategorySet(0)
				if f.Key != "relation" {
					base = base.With(consent.CategoryHousehold)
				}
				with, err := ToHousehold(r, asOf, Visible{"p": base.With(c), "c": base.With(c)})
				require.NoError(t, err)
				assert.True(t, filled(t, with, ft.Name, f.Key), "with %s visible", c)
				var others consent.CategorySet
				for _, o := range consent.AllCategories() {
					if o != c {
						others = others.With(o)
					}
				}
				if c == consent.CategoryHousehold && f.Key != "relation" {
					return // the household category cannot be taken away without the child
				}
				without, err := ToHousehold(r, asOf, Visible{"p": others, "c": others})
				require.NoError(t, err)
				assert.False(t, filled(t, without, ft.Name, f.Key), "without %s", c)
			})
		}
	}
	// local facts: under the category each is kept under
	h, err := ToHousehold(r, asOf, Visible{"p": consent.Categories(consent.CategoryProgram)})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"training_months": int64(24)}, h.Extra)
	h, err = ToHousehold(r, asOf, Visible{"p": consent.Categories(consent.CategoryAny)})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"training_months": int64(24)}, h.Extra, "program is not sensitive: the wildcard covers it")
	r.Case.Local[0].Category = "health_disability"
	h, err = ToHousehold(r, asOf, Visible{"p": consent.Categories(consent.CategoryAny)})
	require.NoError(t, err)
	assert.Nil(t, h.Extra, "a 要配慮 local fact needs its category by name")
}

// ToHousehold builds the household as it stands on the date screened for.
func TestToHouseholdAsOf(t *testing.T) {
	all := consent.Categories(consent.CategoryAny).With(consent.CategoryHealthDisability)
	r := fullRecord()
	vis := Visible{"p": all, "c": all, "g": all, "n": all}
	d := civil.MustDate
	// the grandmother moved out on 2026-10-01; a baby came on 2026-11-20;
	// a membership recorded in error never applied
	r.Persons["g"] = &Person{Meta: Meta{ID: "g"}, BirthDate: d(1950, 1, 1)}
	r.Persons["n"] = &Person{Meta: Meta{ID: "n"}, BirthDate: d(2026, 11, 20)}
	r.Persons["x"] = &Person{Meta: Meta{ID: "x"}, BirthDate: d(1980, 1, 1)}
	vis["x"] = all
	r.Members = append(r.Members,
		HouseholdMember{PersonID: "g", Relationship: Relationship{Code: "parent"}, LivesWith: new(true), Period: Period{To: d(2026, 10, 1)}},
		HouseholdMember{PersonID: "n", Relationship: Relationship{Code: "child"}, LivesWith: new(true), Period: Period{From: d(2026, 11, 20)}},
		HouseholdMember{PersonID: "x", Relationship: Relationship{Code: "other"}, Period: Period{From: d(2026, 5, 1), To: d(2026, 5, 1)}})
	// the subject's own membership period does not take the applicant away
	r.Members[0].Period = Period{From: d(2026, 12, 1)}
	// support: 児童扶養手当 ended on 2026-09-01, 児童手当 receiving from
	// 2026-07-01, a grant applied for (not received)
	r.Supports["p"] = []SupportInUse{
		{PersonID: "p", SchemeCode: "child-rearing-allowance", Status: "ended", Period: Period{From: d(2020, 1, 1), To: d(2026, 9, 1)}},
		{PersonID: "p", SchemeCode: "child-allowance", Status: "receiving", Period: Period{From: d(2026, 7, 1)}},
		{PersonID: "p", SchemeCode: "single-parent-medical", Status: "applied"},
	}
	// the grandmother receives something: it leaves with her
	r.Supports["g"] = []SupportInUse{{PersonID: "g", SchemeCode: "public-pension", Status: "receiving"}}
	// the child's certificate expires at the end of 2026-08-31
	r.Persons["c"].Disability.ValidUntil = d(2026, 8, 31)

	ids := func(h eligibility.Household) []string {
		var out []string
		for _, m := range h.Members {
			out = append(out, m.ID)
		}
		return out
	}
	cases := []struct {
		on        civil.Date
		members   []string
		receiving []string
		childDis  bool
	}{
		{d(2026, 6, 1), []string{"p", "c", "g"}, []string{"child-rearing-allowance", "public-pension"}, true},
		{d(2026, 8, 31), []string{"p", "c", "g"}, []string{"child-allowance", "child-rearing-allowance", "public-pension"}, true},
		{d(2026, 9, 1), []string{"p", "c", "g"}, []string{"child-allowance", "public-pension"}, false},
		{d(2026, 9, 30), []string{"p", "c", "g"}, []string{"child-allowance", "public-pension"}, false},
		{d(2026, 10, 1), []string{"p", "c"}, []string{"child-allowance"}, false},
		{d(2026, 11, 20), []string{"p", "c", "n"}, []string{"child-allowance"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.on.String(), func(t *testing.T) {
			h, err := ToHousehold(r, tc.on, vis)
			require.NoError(t, err)
			assert.Equal(t, tc.members, ids(h))
			assert.Equal(t, tc.receiving, h.Receiving)
			var child eligibility.Member
			for _, m := range h.Members {
				if m.ID == "c" {
					child = m
				}
			}
			assert.Equal(t, tc.childDis, child.Disability != nil, "an expired certificate is not known, not none")
			require.NoError(t, h.ValidateOn(tc.on), "the household is valid for the date")
		})
	}
	_, err := ToHousehold(r, civil.Date{}, vis)
	assert.True(t, errors.Is(err, ErrInvalid), fmt.Sprint(err))
}

func TestPeriodCovers(t *testing.T) {
	d := civil.MustDate
	tests := []struct {
		p    Period
		on   civil.Date
		want bool
	}{
		{Period{}, d(2026, 1, 1), true},
		{Period{From: d(2026, 1, 1)}, d(2025, 12, 31), false},
		{Period{From: d(2026, 1, 1)}, d(2026, 1, 1), true},
		{Period{To: d(2026, 1, 1)}, d(2025, 12, 31), true},
		{Period{To: d(2026, 1, 1)}, d(2026, 1, 1), false},
		{Period{From: d(2026, 1, 1), To: d(2026, 1, 1)}, d(2026, 1, 1), false},
		{Period{From: d(2026, 1, 1), To: d(2026, 1, 2)}, d(2026, 1, 1), true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.p.Covers(tc.on), "%+v on %s", tc.p, tc.on)
	}
	dis := Disability{Kind: "mental", ValidUntil: d(2026, 3, 31)}
	assert.True(t, dis.ValidOn(d(2026, 3, 31)), "有効期限 is the last valid day")
	assert.False(t, dis.ValidOn(d(2026, 4, 1)))
	assert.True(t, (&Disability{Kind: "physical"}).ValidOn(d(2099, 1, 1)))
}
