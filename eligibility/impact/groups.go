package impact

import (
	"fmt"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/income"
)

// The groups of the distribution tables.

// sizeLabels are the household sizes (members, the applicant included).
var sizeLabels = []string{"1人", "2人", "3人", "4人", "5人以上"}

func sizeGroup(h *eligibility.Household) int {
	return min(max(len(h.Members), 1), len(sizeLabels)) - 1
}

// bandLabel names income band i of the bands' upper bounds: 100万円未満,
// 100万〜150万円 … 500万円以上.
func bandLabel(bands []int64, i int) string {
	switch {
	case i == 0:
		return man(bands[0]) + "未満"
	case i == len(bands):
		return man(bands[i-1]) + "以上"
	}
	return man(bands[i-1]) + "〜" + man(bands[i])
}

// man writes yen in 万円 (10,000 yen), as staff speak of incomes.
func man(yen int64) string {
	if yen%10_000 == 0 {
		return fmt.Sprintf("%d万円", yen/10_000)
	}
	return eligibility.FormatYen(yen)
}

// incomeBand is the band of the applicant's 合計所得金額 for the year
// before the date studied; the last group (不明) when a fact it needs is
// not known.
func (a *accumulator) incomeBand(h *eligibility.Household) int {
	unknown := len(a.bands) + 1
	self := h.Self()
	if self == nil {
		return unknown
	}
	in := self.IncomeFor(a.incomeYear)
	if in == nil {
		if self.Incomes != nil && len(self.Incomes) == 0 {
			return a.band(0) // an empty list: no income at all
		}
		return unknown // that year is not known
	}
	if in.SalaryRevenue == nil || in.PensionRevenue == nil || in.BusinessIncome == nil || in.OtherIncome == nil {
		return unknown
	}
	e := income.Earnings{SalaryRevenue: *in.SalaryRevenue, PensionRevenue: *in.PensionRevenue, OtherIncome: *in.BusinessIncome + *in.OtherIncome}
	if e.PensionRevenue > 0 {
		if self.BirthDate == nil {
			return unknown
		}
		e.PensionAged65 = income.AgeAtYearEnd(*self.BirthDate, a.incomeYear) >= 65
	}
	t, err := income.TotalIncome(a.incomeYear, e)
	if err != nil {
		return unknown
	}
	return a.band(t.Total)
}

func (a *accumulator) band(total int64) int {
	for i, b := range a.bands {
		if total < b {
			return i
		}
	}
	return len(a.bands)
}
