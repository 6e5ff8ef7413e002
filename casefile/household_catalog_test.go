package casefile

import (
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

// ToHousehold fills a fact exactly when the person's visible categories
// include the one the catalog gives it.
func TestToHouseholdFollowsTheCatalog(t *testing.T) {
	cf := &CaseFile{Meta: Meta{ID: "c"}, SubjectID: "p"}
	persons := map[string]*Person{"p": {Meta: Meta{ID: "p"}, BirthDate: civil.MustDate(1990, 1, 1), Sex: "female",
		Disability: &Disability{Kind: "physical", Grade: "2"},
		Incomes:    []Income{{Year: 2024, Kind: "salary_revenue", Amount: 1}}}}
	supports := map[string][]SupportInUse{"p": {{SchemeCode: "child-allowance", Status: "receiving"}}}
	members := []HouseholdMember{{PersonID: "p", LivesWith: true}}
	filled := func(h eligibility.Household, path string) bool {
		m := h.Members[0]
		switch path {
		case "members[].birth_date":
			return m.BirthDate != nil
		case "members[].sex":
			return m.Sex != nil
		case "members[].disability":
			return m.Disability != nil
		case "members[].incomes":
			return m.Incomes != nil
		case "members[].lives_with":
			return m.LivesWith != nil
		case "receiving":
			return h.Receiving != nil
		}
		t.Fatalf("no check for %s", path)
		return false
	}
	for _, path := range []string{"members[].birth_date", "members[].sex", "members[].disability", "members[].incomes", "members[].lives_with", "receiving"} {
		f, ok := eligibility.FactFor(path)
		require.True(t, ok, path)
		c, err := consent.ParseCategory(f.Category)
		require.NoError(t, err, path)
		with := ToHousehold(cf, members, persons, supports, "", Visible{"p": consent.CategorySet(0).With(c)})
		assert.True(t, filled(with, path), "%s with %s visible", path, c)
		var others consent.CategorySet
		for _, o := range consent.AllCategories() {
			if o != c {
				others = others.With(o)
			}
		}
		without := ToHousehold(cf, members, persons, supports, "", Visible{"p": others})
		assert.False(t, filled(without, path), "%s without %s", path, c)
	}
}
