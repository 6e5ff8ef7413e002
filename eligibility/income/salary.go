package income

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Income years for which salary rules are encoded: 平成29年分 to 令和9年分.
//
// 令和8年分 and 令和9年分 (2026–2027) follow the 令和8年度税制改正 as enacted
// (所得税法等の一部を改正する法律, 令和8年法律第12号, promulgated 2026-03-31):
// 租税特別措置法 第29条の4 sets the 給与所得控除 to a flat 740,000 for 給与等の
// 収入金額 up to 2,200,000 in those two years, with its own rows below 2,200,000;
// 別表第五 applies unchanged from 2,200,000. 令和10年分 and later are not
// covered (the permanent 690,000 minimum of 所得税法 第28条 would need the
// amended 別表第五, which was not read). See docs/income.md.
const (
	SalaryFirstYear = 2017
	SalaryLastYear  = 2027
)

// tableLimit is the revenue from which 給与所得 is computed with the formula
// instead of 別表第五 (所得税法 第28条第4項: 給与等の収入金額が660万円未満の場合).
const tableLimit = 6_600_000

// deductionBand is one band of the statutory 給与所得控除額 formula
// (所得税法 第28条第3項): for revenue up to UpTo (inclusive), the deduction is
// revenue × Rate + Add, but never less than the era's minimum.
type deductionBand struct {
	upTo int64 // inclusive; 0 means "no upper bound"
	rate decimal.Decimal
	add  int64
}

// rowKind says how a 別表第五 row turns revenue into 給与所得.
type rowKind uint8

const (
	rowZero    rowKind = iota // 給与所得 0
	rowMinus                  // revenue − value
	rowFixed                  // value
	rowQuarter                // A × mult + value, A = revenue ÷ 4 with the part below 1,000 yen dropped
)

// tableRow is one band of 所得税法 別表第五 in its compressed form: the printed
// table lists every 1,000-yen (later 4,000-yen) step; these rows state the
// closed form each run of steps follows, as municipal tax pages print it.
type tableRow struct {
	from  int64 // inclusive lower bound of revenue
	kind  rowKind
	mult  int64 // tenths: 24 means ×2.4 (A is a multiple of 1,000, so A×mult/10 is exact)
	value int64
	label string
}

type salaryEra struct {
	first, last int
	label       string
	minimum     int64
	bands       []deductionBand
	table       []tableRow // ordered by from; applies below tableLimit
	tableSrc    Source
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var (
	r10 = dec("0.1")
	r20 = dec("0.2")
	r30 = dec("0.3")
	r40 = dec("0.4")
)

// Multipliers of A in 別表第五, in tenths.
const (
	m24 = 24
	m28 = 28
	m32 = 32
)

// salaryEras holds the encoded law. Status of each figure (docs/income.md):
//
//   - Deduction formulas for all three eras: confirmed, 国税庁 No.1410 (as
//     quoted verbatim in the domain notes, 令和7年4月1日現在) and 柏崎市
//     (https://www.city.kashiwazaki.lg.jp/soshikiichiran/zaimubu/zeimuka/2/6/47785.html)
//     for the 令和7年分 change (65万円 up to 収入 190万円).
//   - 別表第五 平成29年分–令和元年分: confirmed, 高崎市 (平成30年度～令和2年度 住民税
//     = 平成29年分～令和元年分 income).
//   - 別表第五 令和2年分–令和6年分: confirmed, 名古屋市 and 彦根市 (令和7年度以前).
//   - 別表第五 令和7年分: confirmed, 彦根市 (令和8年度以降: 651,000～1,899,999円 →
//     収入 − 650,000円; no 4,000-yen steps below 1,900,000円). This resolves the
//     conflict reported in the domain notes: the rows 1,619,000～1,627,999 of
//     older tables existed only because the 40 % band started at 1,625,000;
//     from 令和7年分 the deduction is flat 650,000 up to 1,900,000.
var salaryEras = []salaryEra{
	{
		first: 2017, last: 2019, label: "平成29年分～令和元年分",
		minimum: 650_000,
		bands: []deductionBand{
			{upTo: 1_800_000, rate: r40},
			{upTo: 3_600_000, rate: r30, add: 180_000},
			{upTo: 6_600_000, rate: r20, add: 540_000},
			{upTo: 10_000_000, rate: r10, add: 1_200_000},
			{upTo: 0, add: 2_200_000},
		},
		table: []tableRow{
			{from: 0, kind: rowZero, label: "651,000円未満"},
			{from: 651_000, kind: rowMinus, value: 650_000, label: "651,000円～1,618,999円: 収入−650,000円"},
			{from: 1_619_000, kind: rowFixed, value: 969_000, label: "1,619,000円～1,619,999円"},
			{from: 1_620_000, kind: rowFixed, value: 970_000, label: "1,620,000円～1,621,999円"},
			{from: 1_622_000, kind: rowFixed, value: 972_000, label: "1,622,000円～1,623,999円"},
			{from: 1_624_000, kind: rowFixed, value: 974_000, label: "1,624,000円～1,627,999円"},
			{from: 1_628_000, kind: rowQuarter, mult: m24, value: 0, label: "1,628,000円～1,799,999円: A×2.4"},
			{from: 1_800_000, kind: rowQuarter, mult: m28, value: -180_000, label: "1,800,000円～3,599,999円: A×2.8−180,000円"},
			{from: 3_600_000, kind: rowQuarter, mult: m32, value: -540_000, label: "3,600,000円～6,599,999円: A×3.2−540,000円"},
		},
		tableSrc: srcTableH29,
	},
	{
		first: 2020, last: 2024, label: "令和2年分～令和6年分",
		minimum: 550_000,
		bands: []deductionBand{
			{upTo: 1_625_000, add: 550_000},
			{upTo: 1_800_000, rate: r40, add: -100_000},
			{upTo: 3_600_000, rate: r30, add: 80_000},
			{upTo: 6_600_000, rate: r20, add: 440_000},
			{upTo: 8_500_000, rate: r10, add: 1_100_000},
			{upTo: 0, add: 1_950_000},
		},
		table: []tableRow{
			{from: 0, kind: rowZero, label: "551,000円未満"},
			{from: 551_000, kind: rowMinus, value: 550_000, label: "551,000円～1,618,999円: 収入−550,000円"},
			{from: 1_619_000, kind: rowFixed, value: 1_069_000, label: "1,619,000円～1,619,999円"},
			{from: 1_620_000, kind: rowFixed, value: 1_070_000, label: "1,620,000円～1,621,999円"},
			{from: 1_622_000, kind: rowFixed, value: 1_072_000, label: "1,622,000円～1,623,999円"},
			{from: 1_624_000, kind: rowFixed, value: 1_074_000, label: "1,624,000円～1,627,999円"},
			{from: 1_628_000, kind: rowQuarter, mult: m24, value: 100_000, label: "1,628,000円～1,799,999円: A×2.4+100,000円"},
			{from: 1_800_000, kind: rowQuarter, mult: m28, value: -80_000, label: "1,800,000円～3,599,999円: A×2.8−80,000円"},
			{from: 3_600_000, kind: rowQuarter, mult: m32, value: -440_000, label: "3,600,000円～6,599,999円: A×3.2−440,000円"},
		},
		tableSrc: srcTableR2,
	},
	{
		first: 2025, last: 2025, label: "令和7年分",
		minimum: 650_000,
		bands: []deductionBand{
			{upTo: 1_900_000, add: 650_000},
			{upTo: 3_600_000, rate: r30, add: 80_000},
			{upTo: 6_600_000, rate: r20, add: 440_000},
			{upTo: 8_500_000, rate: r10, add: 1_100_000},
			{upTo: 0, add: 1_950_000},
		},
		table: []tableRow{
			{from: 0, kind: rowZero, label: "651,000円未満"},
			{from: 651_000, kind: rowMinus, value: 650_000, label: "651,000円～1,899,999円: 収入−650,000円"},
			{from: 1_900_000, kind: rowQuarter, mult: m28, value: -80_000, label: "1,900,000円～3,599,999円: A×2.8−80,000円"},
			{from: 3_600_000, kind: rowQuarter, mult: m32, value: -440_000, label: "3,600,000円～6,599,999円: A×3.2−440,000円"},
		},
		tableSrc: srcTableR7,
	},
	{
		// 租税特別措置法 第29条の4 (令和8年分・令和9年分の特例), as quoted
		// verbatim from e-Gov (332AC0000000026_20261201_508AC0000000012) by
		// public code: ②一 収入 741,000円未満 → 0; ②二 741,000円～2,190,999円 →
		// 収入 − 740,000円; ②三 2,191,000円～2,192,999円 → 1,451,000円;
		// ②四 2,193,000円～2,195,999円 → 1,453,000円; ②五 2,196,000円～
		// 2,199,999円 → 1,456,000円; from 2,200,000円 所得税法 別表第五 as in
		// 令和7年分 (at 2,200,000 both give 1,460,000). The deduction formula is
		// a flat 740,000 up to 2,200,000 (30 % + 80,000 reaches 740,000 there).
		first: 2026, last: 2027, label: "令和8年分・令和9年分（措置法第29条の4の特例）",
		minimum: 740_000,
		bands: []deductionBand{
			{upTo: 2_200_000, add: 740_000},
			{upTo: 3_600_000, rate: r30, add: 80_000},
			{upTo: 6_600_000, rate: r20, add: 440_000},
			{upTo: 8_500_000, rate: r10, add: 1_100_000},
			{upTo: 0, add: 1_950_000},
		},
		table: []tableRow{
			{from: 0, kind: rowZero, label: "741,000円未満"},
			{from: 741_000, kind: rowMinus, value: 740_000, label: "741,000円～2,190,999円: 収入−740,000円"},
			{from: 2_191_000, kind: rowFixed, value: 1_451_000, label: "2,191,000円～2,192,999円"},
			{from: 2_193_000, kind: rowFixed, value: 1_453_000, label: "2,193,000円～2,195,999円"},
			{from: 2_196_000, kind: rowFixed, value: 1_456_000, label: "2,196,000円～2,199,999円"},
			{from: 2_200_000, kind: rowQuarter, mult: m28, value: -80_000, label: "2,200,000円～3,599,999円: A×2.8−80,000円（別表第五）"},
			{from: 3_600_000, kind: rowQuarter, mult: m32, value: -440_000, label: "3,600,000円～6,599,999円: A×3.2−440,000円（別表第五）"},
		},
		tableSrc: srcTableR8,
	},
}

func salaryEraFor(rule string, year int) (*salaryEra, error) {
	for i := range salaryEras {
		if year >= salaryEras[i].first && year <= salaryEras[i].last {
			return &salaryEras[i], nil
		}
	}
	return nil, notCovered(rule, year, SalaryFirstYear, SalaryLastYear)
}

// deduction returns the statutory 給与所得控除額, rounded up to the yen. The
// statute gives no rounding; 給与所得 is cut down to the yen (municipal pages:
// 小数点以下は切り捨てます), so the deduction is its complement, rounded up.
func (e *salaryEra) deduction(revenue int64) int64 {
	for _, b := range e.bands {
		if b.upTo != 0 && revenue > b.upTo {
			continue
		}
		d := decimal.NewFromInt(revenue).Mul(b.rate).Add(decimal.NewFromInt(b.add)).Ceil().IntPart()
		if d < e.minimum {
			d = e.minimum
		}
		return d
	}
	panic("unreachable: last band has no upper bound")
}

// SalaryDeduction returns the 給与所得控除額 for a 給与等の収入金額 (給与収入) in an
// income year, by the statutory formula of 所得税法 第28条第3項. It is the
// amount the OpenFisca conformance cases check; note that below 6,600,000 yen
// the 給与所得 itself comes from 別表第五 (use SalaryIncome), so revenue minus
// this deduction can differ from SalaryIncome by up to about 3,200 yen.
func SalaryDeduction(year int, revenue int64) (int64, error) {
	e, err := salaryEraFor("給与所得控除額", year)
	if err != nil {
		return 0, err
	}
	if err := nonNegative("salary revenue", revenue); err != nil {
		return 0, err
	}
	return e.deduction(revenue), nil
}

// SalaryIncome returns the 給与所得 (給与所得控除後の給与等の金額) for a 給与収入 in
// an income year: from 所得税法 別表第五 below 6,600,000 yen, from the formula
// at and above it. This is the figure on the 源泉徴収票 and the one every
// programme's income test uses.
func SalaryIncome(year int, revenue int64) (int64, error) {
	return salaryIncome(year, revenue, nil)
}

// SalaryIncomeExplained is SalaryIncome with the steps: the revenue, the 別表第五
// band (and A) or the formula deduction, and the result.
func SalaryIncomeExplained(year int, revenue int64) (int64, []Step, error) {
	return explained(func(x *explain) (int64, error) { return salaryIncome(year, revenue, x) })
}

func salaryIncome(year int, revenue int64, x *explain) (int64, error) {
	e, err := salaryEraFor("給与所得", year)
	if err != nil {
		return 0, err
	}
	if err := nonNegative("salary revenue", revenue); err != nil {
		return 0, err
	}
	x.add(OpBase, "給与収入", revenue, srcSalaryLaw)
	if revenue >= tableLimit {
		d := e.deduction(revenue)
		if x != nil {
			x.add(OpSub, fmt.Sprintf("給与所得控除額（%s・法定算式）", e.label), d, srcSalaryNTA)
		}
		v := max0(revenue - d)
		x.add(OpResult, "給与所得", v, srcSalaryLaw)
		return v, nil
	}
	row := e.table[0]
	for _, r := range e.table[1:] {
		if revenue < r.from {
			break
		}
		row = r
	}
	var v int64
	switch row.kind {
	case rowZero:
		v = 0
	case rowMinus:
		v = revenue - row.value
	case rowFixed:
		v = row.value
	case rowQuarter:
		a := revenue / 4 / 1000 * 1000
		x.add(OpInfo, "A（収入金額÷4、千円未満切捨て）", a, e.tableSrc)
		// A is a multiple of 1,000 below 1,650,000 and mult has one decimal
		// place, so the product is a whole number of yen: integer arithmetic
		// is exact here and needs no rounding.
		v = a/10*row.mult + row.value
	}
	if x != nil {
		x.add(OpInfo, fmt.Sprintf("所得税法 別表第五（%s）%s", e.label, row.label), v, e.tableSrc)
	}
	x.add(OpSub, "別表第五による控除相当額（給与収入−給与所得）", revenue-v, e.tableSrc)
	x.add(OpResult, "給与所得", v, e.tableSrc)
	return v, nil
}
