package eligibility

import "github.com/onestop-jp/onestop/civil"

// The layout of a household in memory. Screening a population held in
// memory (a vendor's batch, a reform's impact, the synthetic households of
// tests) reads each household once, so what it costs is mostly the cache
// lines it pulls in: a household made field by field (a new(bool) here, an
// append there) is ~30 small objects spread over the heap among the
// garbage made while building it. compactHousehold copies a household into
// six blocks allocated one after another, each exactly sized and filled in
// the order screening reads it:
//
//	householdSlab  the Household and its own optional facts (and up to two
//	               programmes received)
//	[]Member       the members
//	[]memberSlab   each member's optional facts and disability
//	[]Income       every member's income years, member after member
//	[]incomeSlab   each year's amounts and deductions
//	[]string       the programmes received, when more than two
//
// Every slice has its capacity equal to its length, so an append by the
// caller moves the slice out instead of writing over the block's next
// part (TestCompactBlocksDoNotOverlap).

// householdSlab holds a household and its optional facts.
type householdSlab struct {
	h         Household
	code      string
	situation Situation
	role      ApplicantRole
	deFacto   bool
	gradeArea int
	receiving [2]string
}

// memberSlab holds a member's optional facts, the ones screening reads
// most first.
type memberSlab struct {
	birth                                                            civil.Date
	livesWith, sameLivelihood, supported, inFacility, japan, private bool
	allowance, constantCare                                          bool
	disability                                                       Disability
	sex                                                              Sex
	school                                                           School
	health                                                           HealthInsurance
	pension                                                          PensionCategory
	specialGrade                                                     SpecialChildGrade
}

// incomeSlab holds an income year's optional amounts and deductions.
type incomeSlab struct {
	salary, pension, business, other, childSupport int64
	deductions                                     Deductions
}

// moveTo copies *p's value into slot and points p at it; a nil p (an
// unknown fact) stays nil.
func moveTo[T any](p **T, slot *T) {
	if *p != nil {
		*slot = **p
		*p = slot
	}
}

// compactHousehold returns a copy of x laid out in blocks (see above). It
// shares no memory with x except strings' bytes (immutable) and the Extra
// map, which the caller copies or hands over. A fact added to the model
// without a slot here stays shared with x: TestCloneSharesNothing fails.
func compactHousehold(x *Household) *Household {
	hs := new(householdSlab)
	c := &hs.h
	*c = *x
	moveTo(&c.MunicipalityCode, &hs.code)
	moveTo(&c.Situation, &hs.situation)
	moveTo(&c.ApplicantRole, &hs.role)
	moveTo(&c.DeFactoPartner, &hs.deFacto)
	moveTo(&c.GradeArea, &hs.gradeArea)
	if x.Members != nil {
		c.Members = compactMembers(x.Members)
	}
	switch n := len(x.Receiving); {
	case x.Receiving == nil:
	case n <= len(hs.receiving):
		c.Receiving = hs.receiving[:n:n]
		copy(c.Receiving, x.Receiving)
	default:
		c.Receiving = append([]string(nil), x.Receiving...)
	}
	return c
}

// compactMembers copies the members and their optional facts and incomes
// into four blocks.
func compactMembers(xs []Member) []Member {
	years := 0
	for i := range xs {
		years += len(xs[i].Incomes)
	}
	members := make([]Member, len(xs))
	facts := make([]memberSlab, len(xs))
	var incomes []Income
	var amounts []incomeSlab
	if years > 0 {
		incomes = make([]Income, years)
		amounts = make([]incomeSlab, years)
	}
	for i := range xs {
		m, f := &members[i], &facts[i]
		*m = xs[i]
		moveTo(&m.BirthDate, &f.birth)
		moveTo(&m.LivesWith, &f.livesWith)
		moveTo(&m.SameLivelihood, &f.sameLivelihood)
		moveTo(&m.Supported, &f.supported)
		moveTo(&m.InFacility, &f.inFacility)
		moveTo(&m.ResidesInJapan, &f.japan)
		moveTo(&m.SchoolPrivate, &f.private)
		moveTo(&m.Sex, &f.sex)
		moveTo(&m.School, &f.school)
		moveTo(&m.HealthInsurance, &f.health)
		moveTo(&m.PensionCategory, &f.pension)
		if moveTo(&m.Disability, &f.disability); m.Disability != nil {
			d := m.Disability
			moveTo(&d.AllowanceLevel, &f.allowance)
			moveTo(&d.ConstantCare, &f.constantCare)
			moveTo(&d.SpecialChildGrade, &f.specialGrade)
		}
		if m.Incomes == nil {
			continue
		}
		k := len(m.Incomes)
		if k == 0 {
			m.Incomes = []Income{}
			continue
		}
		list, amts := incomes[:k:k], amounts[:k:k]
		incomes, amounts = incomes[k:], amounts[k:]
		copy(list, m.Incomes)
		for j := range list {
			in, a := &list[j], &amts[j]
			moveTo(&in.SalaryRevenue, &a.salary)
			moveTo(&in.PensionRevenue, &a.pension)
			moveTo(&in.BusinessIncome, &a.business)
			moveTo(&in.OtherIncome, &a.other)
			moveTo(&in.ChildSupportReceived, &a.childSupport)
			moveTo(&in.Deductions, &a.deductions)
		}
		m.Incomes = list
	}
	return members
}
