package eligibility

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
)

func TestSetFactByMissingPath(t *testing.T) {
	h := &Household{Members: []Member{{Relation: RelationSelf}, {Relation: RelationChild}}}
	require.NoError(t, h.SetFact("situation", SituationDivorced))
	require.NoError(t, h.SetFact("de_facto_partner", false))
	require.NoError(t, h.SetFact("grade_area", 2))
	require.NoError(t, h.SetFact("members[1].birth_date", civil.MustDate(2015, 5, 1)))
	require.NoError(t, h.SetFact("members[1].lives_with", true))
	require.NoError(t, h.SetFact("members[0].incomes[year=2023].salary_revenue", int64(2_400_000)))
	require.NoError(t, h.SetFact("members[0].incomes[year=2023].deductions", Deductions{Medical: 10}))
	require.NoError(t, h.SetFact("members[1].incomes[year=2023]", Income{}))
	require.NoError(t, h.SetFact("members[1].disability", &Disability{Kind: DisabilityPhysical}))
	require.NoError(t, h.SetFact("members[1].disability.grade", "2"))
	require.NoError(t, h.SetFact("extra.wants_visit", true))
	require.NoError(t, h.SetFact("receiving", []string{"child-allowance"}))
	assert.Equal(t, SituationDivorced, *h.Situation)
	assert.Equal(t, 2, *h.GradeArea)
	assert.Equal(t, "2015-05-01", h.Members[1].BirthDate.String())
	assert.Equal(t, int64(2_400_000), *h.Members[0].Incomes[0].SalaryRevenue)
	assert.Equal(t, int64(10), h.Members[0].Incomes[0].Deductions.Medical)
	assert.Equal(t, 2023, h.Members[1].Incomes[0].Year)
	assert.Equal(t, "2", h.Members[1].Disability.Grade)
	assert.Equal(t, true, h.Extra["wants_visit"])
	require.NoError(t, h.Validate())

	for path, v := range map[string]any{
		"situation":             "divorsed",
		"grade_area":            9,
		"members[0].birth_date": "2015-05-01",
		"members[5].lives_with": true,
		"members[0].incomes[year=2023].salary_revenue": int64(-1),
		"nothing":        true,
		"members[0].sex": "unknown",
		"members[].sex":  "female",
	} {
		before := *h
		err := h.SetFact(path, v)
		var fe *FactsError
		require.ErrorAs(t, err, &fe, path)
		assert.Equal(t, path, fe.Errors[0].Path)
		assert.Equal(t, before.Situation, h.Situation)
	}
	// A refused value leaves no trace: no income year, no object created.
	h2 := &Household{Members: []Member{{Relation: RelationSelf}}}
	require.Error(t, h2.SetFact("members[0].incomes[year=2020].salary_revenue", int64(-5)))
	assert.Nil(t, h2.Members[0].Incomes)
	require.Error(t, h2.SetFact("members[0].disability.grade", 3))
	assert.Nil(t, h2.Members[0].Disability)
	f, ok := FactFor("members[0].incomes[year=2023].salary_revenue")
	require.True(t, ok)
	assert.Equal(t, "給与収入", f.Label)
	assert.Equal(t, "income_tax", f.Category)
	f, ok = FactFor("members[0].incomes[year=2023]")
	require.True(t, ok)
	assert.Equal(t, "incomes", f.Key)
	f, ok = FactFor("members[].incomes[].deductions.medical")
	require.True(t, ok)
	assert.Equal(t, "医療費控除", f.Label)
	_, ok = FactFor("extra.x")
	assert.False(t, ok)
}

// Member.SetFact sets a fact of a member built apart from its household,
// by the path inside the member, with Household.SetFact's checks.
func TestMemberSetFact(t *testing.T) {
	var m Member
	require.NoError(t, m.SetFact("birth_date", civil.MustDate(2015, 5, 1)))
	require.NoError(t, m.SetFact("disability.kind", "physical"))
	require.NoError(t, m.SetFact("disability.grade", "2"))
	require.NoError(t, m.SetFact("incomes[year=2024].salary_revenue", int64(1_000_000)))
	require.NoError(t, m.SetFact("relation", "child"))
	assert.Equal(t, civil.MustDate(2015, 5, 1), *m.BirthDate)
	assert.Equal(t, Disability{Kind: DisabilityPhysical, Grade: "2"}, *m.Disability)
	assert.Equal(t, int64(1_000_000), *m.IncomeFor(2024).SalaryRevenue)
	assert.Equal(t, RelationChild, m.Relation)

	before := cloneMember(&m)
	for key, v := range map[string]any{"sex": "x", "lives_with": "yes", "incomes[year=1900].salary_revenue": int64(1), "members[0].sex": "female", "nosuch": 1} {
		err := m.SetFact(key, v)
		var fe *FactsError
		require.ErrorAs(t, err, &fe, key)
		assert.Equal(t, key, fe.Errors[0].Path)
		assert.Equal(t, before, cloneMember(&m), "a refused %s leaves the member unchanged", key)
	}
}
