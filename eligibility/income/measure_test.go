package income

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChildRearingAllowanceIncome(t *testing.T) {
	cra := ChildRearingAllowance()
	cases := []struct {
		name string
		in   MeasureInput
		want int64
	}{
		{"worked example A (令和5年分 給与収入 3,000,000)",
			MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 3_000_000}}, 1_840_000},
		{"養育費 8割 rounded half up (.8 up)",
			MeasureInput{Year: 2024, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 4_000_000}, ChildSupport: 300_001}, 2_820_001},
		{"養育費 8割 rounded half up (.4 down)",
			MeasureInput{Year: 2024, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 4_000_000}, ChildSupport: 300_003}, 2_820_002},
		{"養育費 8割 of 2.5 yen is .5: up",
			MeasureInput{Year: 2024, Role: RoleParent, Earnings: Earnings{OtherIncome: 1_000_000}, ChildSupport: 5}, 920_004},
		{"10万 adjustment capped at the 給与所得 (30,000)",
			MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 580_000, OtherIncome: 500_000}}, 420_000},
		{"10万 adjustment needs 給与 or 年金: business income only",
			MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{OtherIncome: 2_000_000}}, 1_920_000},
		{"never below 0",
			MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 600_000}}, 0},
		{"parent: ひとり親控除 not deducted",
			MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 3_000_000}, SingleParent: true}, 1_840_000},
		{"caretaker (養育者): ひとり親控除 350,000 deducted",
			MeasureInput{Year: 2023, Role: RoleCaretaker, Earnings: Earnings{SalaryRevenue: 3_000_000}, SingleParent: true}, 1_490_000},
		{"扶養義務者 grandmother: pension 3,000,000 (65+), 寡婦 270,000",
			MeasureInput{Year: 2023, Role: RoleLiableRelative,
				Earnings: Earnings{PensionRevenue: 3_000_000, PensionAged65: true}, Widow: true}, 1_450_000},
		{"扶養義務者 grandfather: salary + pension, 所得金額調整控除 then 10万 on the rest",
			MeasureInput{Year: 2023, Role: RoleLiableRelative,
				Earnings: Earnings{SalaryRevenue: 1_000_000, PensionRevenue: 2_000_000, PensionAged65: true}}, 1_070_000},
		{"statutory deductions, each once",
			MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 5_000_000},
				CasualtyLoss: 10_000, Medical: 20_000, SmallBusinessMutualAid: 30_000, SpouseSpecial: 40_000,
				Disabled: 2, SpecialDisabled: 1, WorkingStudent: true},
			// 給与所得 3,560,000 − 80,000 − 100,000 − 100,000 − 540,000 − 400,000 − 270,000
			2_070_000},
		{"spouse role: no 養育費, 寡婦 deducted",
			MeasureInput{Year: 2025, Role: RoleSpouse, Earnings: Earnings{SalaryRevenue: 2_000_000}, Widow: true}, 870_000}, // 1,320,000 − 80,000 − 100,000 − 270,000
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := cra.Income(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			got2, steps, err := cra.IncomeExplained(c.in)
			require.NoError(t, err)
			assert.Equal(t, got, got2)
			last := steps[len(steps)-1]
			assert.Equal(t, OpResult, last.Op)
			assert.Equal(t, got, last.Amount)
		})
	}
}

// Replaying the steps gives the result: every OpAdd/OpSub is on the running
// value, every OpResult equals it (clamped at 0 at the end).
func TestMeasureStepsReplay(t *testing.T) {
	in := MeasureInput{Year: 2024, Role: RoleCaretaker,
		Earnings: Earnings{SalaryRevenue: 2_500_000, PensionRevenue: 1_500_000, PensionAged65: false, OtherIncome: 12_345},
		Medical:  33_333, Disabled: 1, SingleParent: true}
	v, steps, err := ChildRearingAllowance().IncomeExplained(in)
	require.NoError(t, err)
	var run int64
	started := false
	for _, s := range steps {
		switch s.Op {
		case OpBase:
			run, started = s.Amount, true
		case OpAdd:
			run += s.Amount
		case OpSub:
			run -= s.Amount
		case OpResult:
			require.True(t, started)
			assert.Equal(t, max0(run), s.Amount, s.Label)
			run = s.Amount
		}
		assert.GreaterOrEqual(t, s.Amount, int64(0), s.Label)
		assert.NotEmpty(t, s.Source.URL, s.Label)
		assert.NotEmpty(t, s.Label)
	}
	assert.Equal(t, v, run)
}

func TestMeasureStepsSeparateChildSupportAndFlat(t *testing.T) {
	_, steps, err := ChildRearingAllowance().IncomeExplained(MeasureInput{
		Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 3_000_000}, ChildSupport: 120_000})
	require.NoError(t, err)
	var labels []string
	for _, s := range steps {
		labels = append(labels, s.String())
	}
	joined := strings.Join(labels, "\n")
	assert.Contains(t, joined, "+ 養育費の8割（一円未満四捨五入） 96,000円")
	assert.Contains(t, joined, "− 社会保険料相当額（一律） 80,000円")
	assert.Contains(t, joined, "= 児童扶養手当の所得額 1,936,000円")
}

func TestTokyoMeasures(t *testing.T) {
	in := MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 3_000_000},
		ChildSupport: 100_000, SingleParent: true}
	med, err := TokyoSingleParentMedical().Income(in)
	require.NoError(t, err)
	assert.Equal(t, int64(1_920_000), med) // 2,020,000 + 80,000 − 80,000 − 100,000
	up, err := TokyoChildUpbringing().Income(in)
	require.NoError(t, err)
	assert.Equal(t, int64(1_490_000), up) // no 養育費; ひとり親 350,000 deducted for a parent
	sp, err := SpecialChildAllowance().Income(in)
	require.NoError(t, err)
	assert.Equal(t, int64(1_490_000), sp) // 特別児童扶養手当: no 養育費, ひとり親 deducted for a parent too
	in.SingleParent, in.Widow = false, true
	sp, err = SpecialChildAllowance().Income(in)
	require.NoError(t, err)
	assert.Equal(t, int64(1_570_000), sp) // 寡婦 270,000
	in.Widow = false
	// A custom variant: no 10万 adjustment, 養育費 at 100 %.
	m := ChildRearingAllowance()
	m.Name = "独自手当"
	m.SalaryPensionAdjustment = 0
	m.ChildSupportPercent = 100
	v, steps, err := m.IncomeExplained(in)
	require.NoError(t, err)
	assert.Equal(t, int64(2_040_000), v)
	assert.Equal(t, "養育費の10割（一円未満四捨五入）", steps[3].Label)
	m.ChildSupportPercent = 75
	_, steps, err = m.IncomeExplained(in)
	require.NoError(t, err)
	assert.Equal(t, "養育費の75%（一円未満四捨五入）", steps[3].Label)
	assert.Equal(t, "独自手当の所得額", steps[len(steps)-1].Label)
}

func TestMeasureErrors(t *testing.T) {
	cra := ChildRearingAllowance()
	ok := MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 1_000_000}}
	for _, y := range []int{2019, 2028} {
		in := ok
		in.Year = y
		_, err := cra.Income(in)
		assert.ErrorIs(t, err, ErrYearNotCovered, y)
		var yerr *YearNotCoveredError
		require.ErrorAs(t, err, &yerr)
		assert.Equal(t, "児童扶養手当の所得額", yerr.Rule)
	}
	bad := []func(*MeasureInput){
		func(in *MeasureInput) { in.Role = 0 },
		func(in *MeasureInput) { in.Role = 9 },
		func(in *MeasureInput) { in.Role = RoleLiableRelative; in.ChildSupport = 1 },
		func(in *MeasureInput) { in.ChildSupport = -1 },
		func(in *MeasureInput) { in.Medical = -1 },
		func(in *MeasureInput) { in.CasualtyLoss = maxFixedAmount + 1 },
		func(in *MeasureInput) { in.Disabled = -1 },
		func(in *MeasureInput) { in.SpecialDisabled = maxPersons + 1 },
		func(in *MeasureInput) { in.Widow, in.SingleParent = true, true },
		func(in *MeasureInput) { in.Earnings.SalaryRevenue = -5 },
		func(in *MeasureInput) { in.Earnings.OtherIncome = math.MaxInt64; in.ChildSupport = 1_000 },
	}
	for i, f := range bad {
		in := ok
		f(&in)
		_, err := cra.Income(in)
		assert.ErrorIs(t, err, ErrInvalidInput, "case %d", i)
		_, _, err = cra.IncomeExplained(in)
		assert.ErrorIs(t, err, ErrInvalidInput, "case %d", i)
	}
	for i, f := range []func(*Measure){
		func(m *Measure) { m.FlatDeduction = -1 },
		func(m *Measure) { m.ChildSupportPercent = 101 },
		func(m *Measure) { m.ChildSupportPercent = -1 },
		func(m *Measure) { m.Widow = 7 },
		func(m *Measure) { m.Disabled = maxFixedAmount + 1 },
	} {
		m := ChildRearingAllowance()
		f(&m)
		assert.ErrorIs(t, m.Validate(), ErrInvalidInput, "case %d", i)
		_, err := m.Income(ok)
		assert.ErrorIs(t, err, ErrInvalidInput, "case %d", i)
		_, err = m.Check()
		assert.ErrorIs(t, err, ErrInvalidInput, "case %d: Check", i)
	}
	for _, m := range []Measure{ChildRearingAllowance(), TokyoSingleParentMedical(), TokyoChildUpbringing(), SpecialChildAllowance()} {
		assert.NoError(t, m.Validate(), m.Name)
	}
}

// TestCheckedMeasureIsIncome: a measure checked once (Check) gives Income's
// result and error for every measure, role and a spread of inputs, the
// invalid ones included.
func TestCheckedMeasureIsIncome(t *testing.T) {
	for _, m := range []Measure{ChildRearingAllowance(), TokyoSingleParentMedical(), TokyoChildUpbringing(), SpecialChildAllowance()} {
		cm, err := m.Check()
		require.NoError(t, err, m.Name)
		n := 0
		for _, role := range []Role{0, RoleParent, RoleCaretaker, RoleLiableRelative} {
			for k := range 300 {
				in := MeasureInput{Year: 2019 + k%10, Role: role,
					Earnings: Earnings{SalaryRevenue: int64(k*k*937) % 12_000_000, PensionRevenue: int64(k%7) * 400_000, OtherIncome: int64(k%5-1) * 300_000},
					Medical:  int64(k%3) * 50_000, Disabled: k % 3, WorkingStudent: k%11 == 0, Widow: k%13 == 0, SingleParent: k%4 == 0}
				if role == RoleParent {
					in.ChildSupport = int64(k%6) * 120_000
				}
				want, werr := m.Income(in)
				got, gerr := cm.Income(in)
				require.Equal(t, werr, gerr, "%s %v %+v", m.Name, role, in)
				require.Equal(t, want, got, "%s %v %+v", m.Name, role, in)
				if werr == nil {
					n++
				}
			}
		}
		require.Greater(t, n, 500, m.Name)
	}
}

func TestRoleString(t *testing.T) {
	assert.Equal(t, "扶養義務者", RoleLiableRelative.String())
	assert.Equal(t, "受給資格者（父母）", RoleParent.String())
	assert.Equal(t, "Role(9)", Role(9).String())
}
