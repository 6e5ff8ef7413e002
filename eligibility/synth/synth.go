package synth

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/eligibility"
)

// Config says what to generate.
type Config struct {
	// Seed makes the sequence reproducible; 0 is a valid seed.
	Seed uint64
	// AsOf is the date the households are made for: ages are realistic on
	// that date, and incomes are given for the income years programmes
	// read around it (the three calendar years before it). Required.
	AsOf civil.Date
	// UnknownPercent is the percentage (0–100) of households with some
	// facts left unknown (nil): an income year, a child's birth date, the
	// family situation, the 級地 … Default 0: every fact a rule may need
	// is known.
	UnknownPercent int
	// Municipalities are the 5-digit 全国地方公共団体コード to draw from
	// (the check digit is added). Empty: a built-in mix of large cities,
	// Tokyo wards and towns.
	Municipalities []Municipality
}

// Municipality is a municipality households live in, with its 級地.
type Municipality struct {
	Code  string // 5 digits without the check digit: "13104"
	Grade int    // 級地 1–3
}

// defaultMunicipalities mixes Tokyo wards (for the Tokyo pack), designated
// cities and towns. The 級地 are those of the 生活保護 級地区分 main grade as
// far as known to the authors; they only need to be plausible here.
var defaultMunicipalities = []Municipality{
	{"13104", 1}, // 新宿区
	{"13112", 1}, // 世田谷区
	{"13121", 1}, // 足立区
	{"13201", 1}, // 八王子市
	{"13361", 3}, // 大島町
	{"27100", 1}, // 大阪市
	{"14100", 1}, // 横浜市
	{"01100", 1}, // 札幌市
	{"40130", 1}, // 福岡市
	{"42201", 2}, // 長崎市
	{"46201", 2}, // 鹿児島市
	{"12238", 3}, // いすみ市
}

// ErrConfig is wrapped by the errors of New for an unusable Config.
var ErrConfig = errors.New("synth: invalid config")

// Generator produces households one at a time.
type Generator struct {
	cfg Config
	rng *rand.Rand
	// side draws the facts added after the first release of the generator
	// (the 特別児童扶養手当 grade, 障害児福祉手当 constant care), so that
	// adding them left every household of a seed as it was.
	side  *rand.Rand
	n     int
	munis []Municipality
	// s is where a household is built before it is returned as its
	// Clone; reused from one household to the next.
	s scratch
}

// scratch is the storage a household is built in: one pool per type of
// fact, emptied for each household. Next returns the household's Clone
// (a few blocks of its own, layout.go of eligibility), so building it
// leaves almost no garbage between the households' blocks.
type scratch struct {
	bools      pool[bool]
	ints       pool[int]
	amounts    pool[int64]
	dates      pool[civil.Date]
	codes      pool[string]
	situations pool[eligibility.Situation]
	roles      pool[eligibility.ApplicantRole]
	sexes      pool[eligibility.Sex]
	grades     pool[eligibility.SpecialChildGrade]
	disability pool[eligibility.Disability]
	deductions pool[eligibility.Deductions]
	members    pool[eligibility.Member]
	incomes    pool[eligibility.Income]
	years      pool[int]
}

func (s *scratch) reset() {
	s.bools.n, s.ints.n, s.amounts.n, s.dates.n, s.codes.n, s.situations.n, s.roles.n = 0, 0, 0, 0, 0, 0, 0
	s.sexes.n, s.grades.n, s.disability.n, s.deductions.n, s.members.n, s.incomes.n, s.years.n = 0, 0, 0, 0, 0, 0, 0
}

// pool hands out values of one type from a reused array.
type pool[T any] struct {
	items []T
	n     int
}

// new returns a pointer to a slot holding v.
func (p *pool[T]) new(v T) *T {
	if p.n == len(p.items) {
		p.items = make([]T, max(16, 2*len(p.items)))
		p.n = 0
	}
	x := &p.items[p.n]
	*x = v
	p.n++
	return x
}

// list returns an empty list with room for k values (an append beyond
// that moves it out).
func (p *pool[T]) list(k int) []T {
	if p.n+k > len(p.items) {
		p.items = make([]T, max(16, 2*len(p.items), k))
		p.n = 0
	}
	l := p.items[p.n : p.n : p.n+k]
	p.n += k
	return l
}

// New returns a generator for cfg.
func New(cfg Config) (*Generator, error) {
	if cfg.AsOf.IsZero() {
		return nil, fmt.Errorf("%w: AsOf is required", ErrConfig)
	}
	if cfg.AsOf.Year() < 2000 || cfg.AsOf.Year() > 2100 {
		return nil, fmt.Errorf("%w: AsOf %s is outside 2000–2100", ErrConfig, cfg.AsOf)
	}
	if cfg.UnknownPercent < 0 || cfg.UnknownPercent > 100 {
		return nil, fmt.Errorf("%w: UnknownPercent %d is not 0–100", ErrConfig, cfg.UnknownPercent)
	}
	munis := cfg.Municipalities
	if len(munis) == 0 {
		munis = defaultMunicipalities
	}
	for _, m := range munis {
		if _, err := CheckDigit(m.Code); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		if m.Grade < 1 || m.Grade > 3 {
			return nil, fmt.Errorf("%w: 級地 %d of %s is not 1–3", ErrConfig, m.Grade, m.Code)
		}
	}
	return &Generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x6f6e6573746f70)), side: rand.New(rand.NewPCG(cfg.Seed, 0x73696465)), munis: munis}, nil
}

// Households returns n households generated from cfg.
func Households(cfg Config, n int) ([]*eligibility.Household, error) {
	g, err := New(cfg)
	if err != nil {
		return nil, err
	}
	out := make([]*eligibility.Household, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out, nil
}

// CheckDigit returns the 6-digit 全国地方公共団体コード for a 5-digit code:
// the check digit is 11 − (Σ digit × weight mod 11) with weights 6…2, its
// last digit kept.
func CheckDigit(code5 string) (string, error) {
	if len(code5) != 5 {
		return "", fmt.Errorf("municipality code %q: want 5 digits", code5)
	}
	sum := 0
	for i := 0; i < 5; i++ {
		c := code5[i]
		if c < '0' || c > '9' {
			return "", fmt.Errorf("municipality code %q: want digits", code5)
		}
		sum += int(c-'0') * (6 - i)
	}
	return code5 + string(rune('0'+(11-sum%11)%10)), nil
}

// Next returns the next household. Its id is "synth-<seed>-<n>".
//
// The household is built fact by fact and returned as its Clone: laid
// out in a few blocks allocated one after another (as the JSON decoder
// lays out a decoded household), not as ~30 small objects among the
// garbage of building it, so that screening a generated population held
// in memory reads it as it would read decoded households.
func (g *Generator) Next() *eligibility.Household {
	g.n++
	g.s.reset()
	b := &builder{g: g, s: &g.s, asOf: g.cfg.AsOf}
	h := b.household(fmt.Sprintf("synth-%d-%d", g.cfg.Seed, g.n))
	if g.pct(g.cfg.UnknownPercent) {
		b.forget(h)
	}
	return h.Clone()
}

// pct is true with probability p percent.
func (g *Generator) pct(p int) bool { return g.rng.IntN(100) < p }

// between returns a whole number in [lo, hi].
func (g *Generator) between(lo, hi int64) int64 { return lo + g.rng.Int64N(hi-lo+1) }

// round1000 rounds a yen amount down to a multiple of 1,000, as people
// report incomes.
func round1000(v int64) int64 { return v / 1000 * 1000 }

type builder struct {
	g    *Generator
	s    *scratch
	asOf civil.Date
}

func (b *builder) date(age int) civil.Date {
	// A birth date that gives the age on asOf: born age years before, on a
	// random day of the year before that anniversary.
	end := time.Date(b.asOf.Year()-age, b.asOf.Month(), b.asOf.Day(), 0, 0, 0, 0, time.UTC)
	back := b.g.rng.IntN(365) + 1
	return civil.DateOf(end.AddDate(0, 0, -back))
}

// weighted picks an index by weights.
func (b *builder) weighted(w ...int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	r := b.g.rng.IntN(total)
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

var situations = []eligibility.Situation{
	eligibility.SituationDivorced, eligibility.SituationUnmarried, eligibility.SituationBereaved,
	eligibility.SituationSpouseDisabled, eligibility.SituationDVProtectionOrder, eligibility.SituationAbandoned,
	eligibility.SituationSpouseMissing, eligibility.SituationSpouseDetained, eligibility.SituationMarried,
}

func (b *builder) household(id string) *eligibility.Household {
	g := b.g
	m := g.munis[g.rng.IntN(len(g.munis))]
	code, _ := CheckDigit(m.Code)
	s := b.s
	h := &eligibility.Household{
		ID:               id,
		MunicipalityCode: s.codes.new(code),
		GradeArea:        s.ints.new(m.Grade),
		DeFactoPartner:   s.bools.new(g.pct(3)),
		Members:          s.members.list(8),
	}
	caretaker := g.pct(3)
	var parentAge int
	if caretaker {
		h.ApplicantRole = s.roles.new(eligibility.RoleCaretaker)
		h.Situation = s.situations.new([]eligibility.Situation{eligibility.SituationParentsUnknown, eligibility.SituationBereaved, eligibility.SituationAbandoned}[b.weighted(2, 5, 3)])
		h.DeFactoPartner = s.bools.new(false)
		parentAge = int(g.between(55, 74))
	} else {
		h.ApplicantRole = s.roles.new(eligibility.RoleParent)
		h.Situation = s.situations.new(situations[b.weighted(70, 10, 5, 2, 2, 1, 1, 1, 8)])
		parentAge = int(g.between(22, 56))
	}
	female := g.pct(86)
	sex := eligibility.SexMale
	if female {
		sex = eligibility.SexFemale
	}
	self := eligibility.Member{ID: "p", Relation: eligibility.RelationSelf, BirthDate: s.dates.new(b.date(parentAge)),
		Sex: s.sexes.new(sex), LivesWith: s.bools.new(true), ResidesInJapan: s.bools.new(!g.pct(1)),
		Disability: b.adultDisability()}
	years := b.years()
	childSupport := !caretaker && *h.Situation == eligibility.SituationDivorced && g.pct(28)
	self.Incomes = b.earnerIncomes(years, caretaker && parentAge >= 65, childSupport, parentAge)
	h.Members = append(h.Members, self)

	// Children: 1–4, the youngest born when the parent was 18 or older.
	n := 1 + b.weighted(45, 35, 15, 5)
	maxChildAge := min(parentAge-18, 24)
	if caretaker {
		maxChildAge = 17
	}
	for i := 0; i < n; i++ {
		age := int(g.between(0, int64(max(maxChildAge, 0))))
		c := eligibility.Member{ID: fmt.Sprintf("c%d", i+1), Relation: eligibility.RelationChild,
			BirthDate: s.dates.new(b.date(age)), LivesWith: s.bools.new(true),
			InFacility: s.bools.new(g.pct(1)), ResidesInJapan: s.bools.new(true),
			Disability: s.disability.new(eligibility.Disability{Kind: eligibility.DisabilityNone})}
		if g.pct(5) {
			c.Disability = b.childDisability()
		}
		if age >= 18 {
			c.Supported = s.bools.new(g.pct(60))
			if age >= 19 && g.pct(50) {
				c.Incomes = b.childWorkerIncomes(years)
			} else {
				c.Incomes = s.incomes.list(0)
			}
		} else {
			c.Incomes = s.incomes.list(0)
		}
		h.Members = append(h.Members, c)
	}

	// A spouse where the parent is married (or the spouse is the disabled
	// or detained other parent).
	switch *h.Situation {
	case eligibility.SituationMarried:
		h.Members = append(h.Members, eligibility.Member{ID: "s", Relation: eligibility.RelationSpouse,
			BirthDate: s.dates.new(b.date(parentAge + int(g.between(-3, 5)))), LivesWith: s.bools.new(true),
			Incomes: b.earnerIncomes(years, false, false, parentAge)})
	case eligibility.SituationSpouseDisabled:
		h.Members = append(h.Members, eligibility.Member{ID: "s", Relation: eligibility.RelationSpouse,
			BirthDate: s.dates.new(b.date(parentAge + int(g.between(-3, 5)))), LivesWith: s.bools.new(true),
			Disability: s.disability.new(eligibility.Disability{Kind: eligibility.DisabilityPhysical, Grade: "1"}),
			Incomes:    b.pensionIncomes(years, 700_000, 1_000_000)})
	}

	// Grandparents living together (about 15 % of single parents).
	if !caretaker && g.pct(15) {
		k := 1 + b.weighted(60, 40)
		for i := 0; i < k; i++ {
			age := parentAge + int(g.between(24, 34))
			gp := eligibility.Member{ID: fmt.Sprintf("g%d", i+1), Relation: eligibility.RelationParent,
				BirthDate: s.dates.new(b.date(age)), LivesWith: s.bools.new(true), SameLivelihood: s.bools.new(true),
				Disability: s.disability.new(eligibility.Disability{Kind: eligibility.DisabilityNone})}
			switch {
			case age >= 65:
				gp.Incomes = b.pensionIncomes(years, 600_000, 2_600_000)
			case g.pct(70):
				gp.Incomes = b.earnerIncomes(years, false, false, age)
			default:
				gp.Incomes = s.incomes.list(0)
			}
			gp.Supported = s.bools.new(noIncome(gp.Incomes))
			h.Members = append(h.Members, gp)
		}
	}

	switch b.weighted(50, 30, 20) {
	case 0:
		h.Receiving = []string{"child-allowance"}
	case 1:
		h.Receiving = []string{"child-allowance", "child-rearing-allowance"}
	default:
		h.Receiving = nil // not asked
	}
	if g.pct(10) {
		h.Extra = map[string]any{
			"training_months":            int64(g.between(6, 36)),
			"training_course_designated": g.pct(80),
			"training_benefit_received":  g.pct(5),
			"training_final_year":        g.pct(30),
		}
	}
	return h
}

// years are the income years given: the three calendar years before asOf,
// enough for 児童扶養手当 (前年/前々年) and 住民税 around asOf.
func (b *builder) years() []int {
	y := b.asOf.Year()
	return append(b.s.years.list(3), y-3, y-2, y-1)
}

func noIncome(in []eligibility.Income) bool {
	for _, x := range in {
		for _, v := range []*int64{x.SalaryRevenue, x.PensionRevenue, x.BusinessIncome, x.OtherIncome} {
			if v != nil && *v > 0 {
				return false
			}
		}
	}
	return true
}

func (b *builder) entry(year int) eligibility.Income {
	a := &b.s.amounts
	return eligibility.Income{Year: year, SalaryRevenue: a.new(0), PensionRevenue: a.new(0), BusinessIncome: a.new(0),
		OtherIncome: a.new(0), ChildSupportReceived: a.new(0), Deductions: b.s.deductions.new(eligibility.Deductions{})}
}

// drift moves an amount by −15 % to +15 % (exact integer arithmetic).
func (b *builder) drift(v int64) int64 {
	pct := b.g.between(85, 115)
	return round1000(v * pct / 100)
}

// earnerIncomes are a working adult's incomes: part-time, full-time or
// self-employed, sometimes none; optional 養育費.
func (b *builder) earnerIncomes(years []int, pensioner, childSupport bool, age int) []eligibility.Income {
	g := b.g
	var salary, business, pension int64
	switch b.weighted(8, 42, 38, 7, 5) {
	case 0: // not working
	case 1:
		salary = round1000(g.between(600_000, 2_000_000)) // パート・アルバイト
	case 2:
		salary = round1000(g.between(2_000_000, 4_800_000)) // 正社員
	case 3:
		business = round1000(g.between(300_000, 3_500_000)) // 自営業（事業所得）
	case 4:
		salary = round1000(g.between(5_000_000, 8_000_000))
	}
	if pensioner {
		pension = round1000(g.between(600_000, 2_000_000))
	}
	var support int64
	if childSupport {
		support = round1000(g.between(25_000, 80_000)) * 12
	}
	out := b.s.incomes.list(len(years))
	for _, y := range years {
		e := b.entry(y)
		*e.SalaryRevenue = b.drift(salary)
		*e.BusinessIncome = b.drift(business)
		*e.PensionRevenue = pension
		*e.ChildSupportReceived = support
		if g.pct(8) {
			e.Deductions.Medical = round1000(g.between(20_000, 250_000))
		}
		if age >= 18 && salary > 0 && g.pct(3) {
			e.Deductions.WorkingStudent = true
		}
		out = append(out, e)
	}
	return out
}

func (b *builder) pensionIncomes(years []int, lo, hi int64) []eligibility.Income {
	pension := round1000(b.g.between(lo, hi))
	work := int64(0)
	if b.g.pct(20) {
		work = round1000(b.g.between(500_000, 2_500_000))
	}
	out := b.s.incomes.list(len(years))
	for _, y := range years {
		e := b.entry(y)
		*e.PensionRevenue = pension
		*e.SalaryRevenue = b.drift(work)
		out = append(out, e)
	}
	return out
}

func (b *builder) childWorkerIncomes(years []int) []eligibility.Income {
	salary := round1000(b.g.between(200_000, 3_000_000))
	out := b.s.incomes.list(len(years))
	for _, y := range years {
		e := b.entry(y)
		*e.SalaryRevenue = b.drift(salary)
		out = append(out, e)
	}
	return out
}

func (b *builder) adultDisability() *eligibility.Disability {
	if b.g.pct(4) {
		return b.s.disability.new(eligibility.Disability{Kind: eligibility.DisabilityMental, Grade: fmt.Sprint(b.g.between(2, 3))})
	}
	return b.s.disability.new(eligibility.Disability{Kind: eligibility.DisabilityNone})
}

func (b *builder) childDisability() *eligibility.Disability {
	g := b.g
	var d eligibility.Disability
	switch b.weighted(40, 45, 15) {
	case 0:
		d = eligibility.Disability{Kind: eligibility.DisabilityPhysical, Grade: fmt.Sprint(g.between(1, 6))}
	case 1:
		d = eligibility.Disability{Kind: eligibility.DisabilityIntellectual, Grade: []string{"A", "B", "1度", "2度", "3度", "4度"}[g.rng.IntN(6)]}
	default:
		d = eligibility.Disability{Kind: eligibility.DisabilityMental, Grade: fmt.Sprint(g.between(1, 3))}
	}
	if g.pct(50) {
		d.AllowanceLevel = b.s.bools.new(g.pct(60))
	}
	// The 特別児童扶養手当 grade and the 障害児福祉手当 judgement come from
	// their own stream (Generator.side).
	if g.side.IntN(100) < 60 {
		d.SpecialChildGrade = b.s.grades.new([]eligibility.SpecialChildGrade{eligibility.SpecialChildGrade1,
			eligibility.SpecialChildGrade2, eligibility.SpecialChildGradeNone}[g.side.IntN(3)])
	}
	if g.side.IntN(100) < 60 {
		d.ConstantCare = b.s.bools.new(g.side.IntN(100) < 30)
	}
	return b.s.disability.new(d)
}

// forget leaves one to three facts unknown, as an intake form half
// filled in would.
func (b *builder) forget(h *eligibility.Household) {
	g := b.g
	for k := 1 + g.rng.IntN(3); k > 0; k-- {
		switch g.rng.IntN(7) {
		case 0:
			h.Situation = nil
		case 1:
			h.DeFactoPartner = nil
		case 2:
			h.GradeArea = nil
		case 3: // the latest income year of the applicant
			self := &h.Members[0]
			if len(self.Incomes) > 0 {
				self.Incomes = self.Incomes[:len(self.Incomes)-1]
			}
		case 4: // a child's birth date
			if len(h.Members) > 1 {
				h.Members[1+g.rng.IntN(len(h.Members)-1)].BirthDate = nil
			}
		case 5:
			h.Members[0].ResidesInJapan = nil
		case 6: // the applicant's deductions record
			for i := range h.Members[0].Incomes {
				h.Members[0].Incomes[i].Deductions = nil
			}
		}
	}
}
