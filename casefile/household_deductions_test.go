package casefile

import (
	"testing"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The 控除欄 of a year is known only when the case records it; every
// deduction kind of the facts model can be recorded, so nothing is
// assumed to be zero.
func TestToHouseholdDeductions(t *testing.T) {
	all := consent.CategorySet(0).With(consent.CategoryIncomeTax).With(consent.CategoryIdentity).With(consent.CategoryHousehold)
	tests := []struct {
		name    string
		incomes []Income
		want    map[int]*eligibility.Deductions
	}{
		{"no deduction recorded: unknown", []Income{{Year: 2024, Kind: "salary_revenue", Amount: 2000000}},
			map[int]*eligibility.Deductions{2024: nil}},
		{"deductions_none: known, none", []Income{{Year: 2024, Kind: "salary_revenue", Amount: 2000000}, {Year: 2024, Kind: "deductions_none"}},
			map[int]*eligibility.Deductions{2024: {}}},
		{"every kind", []Income{
			{Year: 2024, Kind: "medical_expense_deduction", Amount: 50000},
			{Year: 2024, Kind: "disability_deduction_count", Amount: 1},
			{Year: 2024, Kind: "special_disability_deduction_count", Amount: 2},
			{Year: 2024, Kind: "working_student_deduction", Amount: 1},
			{Year: 2024, Kind: "widow_deduction", Amount: 0},
			{Year: 2024, Kind: "single_parent_deduction", Amount: 1},
			{Year: 2024, Kind: "social_insurance_deduction", Amount: 300000},
			{Year: 2024, Kind: "insurance_premiums_deduction", Amount: 28000},
			{Year: 2025, Kind: "salary_revenue", Amount: 1},
		}, map[int]*eligibility.Deductions{
			2024: {Medical: 50000, Disabled: 1, SpecialDisabled: 2, WorkingStudent: true, SingleParent: true, SocialInsurance: 300000, InsurancePremiums: 28000},
			2025: nil,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, in := range tc.incomes {
				assert.True(t, inTable(incomeKindTable, in.Kind), "income kind %q", in.Kind)
			}
			cf := &CaseFile{Meta: Meta{ID: "c"}, SubjectID: "p"}
			h, err := ToHousehold(HouseholdRecord{Case: cf, Members: []HouseholdMember{{PersonID: "p"}},
				Persons: map[string]*Person{"p": {Meta: Meta{ID: "p"}, Incomes: tc.incomes}}}, civil.MustDate(2025, 6, 1), Visible{"p": all})
			require.NoError(t, err)
			require.Len(t, h.Members, 1)
			got := map[int]*eligibility.Deductions{}
			for _, in := range h.Members[0].Incomes {
				got[in.Year] = in.Deductions
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
