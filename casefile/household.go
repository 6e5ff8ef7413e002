package casefile

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// Visible says which data categories of each person may be used; a
// category not listed is unknown to the conversion.
type Visible map[string]consent.CategorySet

// HouseholdRecord is what ToHousehold converts: a case with its
// memberships, the persons they name (the subject included) and their
// support in use, in the municipality Tenant (全国地方公共団体コード).
type HouseholdRecord struct {
	Case     *CaseFile
	Members  []HouseholdMember
	Persons  map[string]*Person
	Supports map[string][]SupportInUse
	Tenant   string
}

// ToHousehold converts a case to the eligibility facts model as the
// household stands on day asOf (the date screened for; required):
//
//   - the members whose membership Period covers asOf — a member who
//     moved out before it, or moves in after it, is not counted. The case
//     subject is the applicant (relation self) whatever their period;
//   - support in use that covers asOf: status receiving, or ended after
//     asOf (it was still received then);
//   - a disability whose record holds on asOf (Disability.ValidUntil); an
//     expired one is not known (nil), not "none";
//   - incomes by calendar year, as recorded (rules pick their year).
//
// Facts of a category that is not visible for a person stay nil ("not
// known"), so the engine reports the outcome as undetermined and names
// the missing fact instead of deciding on a blank; so do facts the record
// does not hold. A member other than the subject whose household category
// is not visible is left out, relation code included (the household is
// then incomplete: Service.Household refuses to build it). The situation
// needs the category SituationCategory gives its code (a protection order
// is dv_related); a local fact the category it is kept under.
func ToHousehold(r HouseholdRecord, asOf civil.Date, vis Visible) (eligibility.Household, error) {
	cf := r.Case
	if cf == nil {
		return eligibility.Household{}, fmt.Errorf("%w: ToHousehold needs a case", ErrInvalid)
	}
	if asOf.IsZero() {
		return eligibility.Household{}, fmt.Errorf("%w: a household is built for a date (the date screened for)", ErrInvalid)
	}
	h := eligibility.Household{ID: cf.ID}
	if r.Tenant != "" {
		h.MunicipalityCode = new(r.Tenant)
	}
	subj := vis[cf.SubjectID]
	if cf.Situation != "" && subj.Has(SituationCategory(cf.Situation)) {
		h.Situation = new(eligibility.Situation(cf.Situation))
	}
	if cf.ApplicantRole != "" && factVisible(subj, "applicant_role") {
		h.ApplicantRole = new(eligibility.ApplicantRole(cf.ApplicantRole))
	}
	if cf.DeFactoPartner != nil && factVisible(subj, "de_facto_partner") {
		h.DeFactoPartner = new(*cf.DeFactoPartner)
	}
	if cf.GradeArea != nil && factVisible(subj, "grade_area") {
		h.GradeArea = new(*cf.GradeArea)
	}
	for _, f := range cf.Local {
		c, err := consent.ParseCategory(f.Category)
		if err != nil || !subj.Has(c) || f.Value() == nil {
			continue
		}
		if h.Extra == nil {
			h.Extra = map[string]any{}
		}
		h.Extra[f.Key] = f.Value()
	}
	var ms []HouseholdMember
	hasSelf := false
	for _, m := range r.Members {
		switch {
		case m.PersonID == cf.SubjectID:
			if !hasSelf {
				hasSelf = true
				ms = append(ms, m)
			}
		case m.Period.Covers(asOf):
			ms = append(ms, m)
		}
	}
	if !hasSelf {
		ms = append([]HouseholdMember{{PersonID: cf.SubjectID, Relationship: Relationship{Code: "self"}}}, ms...)
	}
	for _, m := range ms {
		p := r.Persons[m.PersonID]
		cats := vis[m.PersonID]
		if m.PersonID != cf.SubjectID && !factVisible(cats, "members[].relation") {
			continue // not even the relation may be shown
		}
		em := eligibility.Member{ID: m.PersonID, Relation: eligibility.Relation(m.Relationship.Code)}
		if m.PersonID == cf.SubjectID {
			em.Relation = eligibility.RelationSelf
		}
		if factVisible(cats, "members[].lives_with") {
			em.LivesWith = clone(m.LivesWith)
		}
		if factVisible(cats, "members[].same_livelihood") {
			em.SameLivelihood = clone(m.SameLivelihood)
		}
		if factVisible(cats, "members[].supported") {
			em.Supported = clone(m.Supported)
		}
		if factVisible(cats, "members[].in_facility") {
			em.InFacility = clone(m.InFacility)
		}
		if p != nil {
			personFacts(&em, p, cats, asOf)
		}
		h.Members = append(h.Members, em)
	}
	if factVisible(subj, "receiving") {
		h.Receiving = []string{}
		seen := map[string]bool{}
		for _, id := range memberIDs(ms) {
			for _, s := range r.Supports[id] {
				if receivedOn(s, asOf) && !seen[s.SchemeCode] && factVisible(vis[id], "receiving") {
					seen[s.SchemeCode] = true
					h.Receiving = append(h.Receiving, s.SchemeCode)
				}
			}
		}
		sort.Strings(h.Receiving)
	}
	return h, nil
}

// personFacts fills a member's facts held on the person.
func personFacts(em *eligibility.Member, p *Person, cats consent.CategorySet, asOf civil.Date) {
	if factVisible(cats, "members[].birth_date") && !p.BirthDate.IsZero() {
		em.BirthDate = new(p.BirthDate)
	}
	if factVisible(cats, "members[].sex") && p.Sex != "" {
		em.Sex = new(eligibility.Sex(p.Sex))
	}
	if factVisible(cats, "members[].resides_in_japan") {
		em.ResidesInJapan = clone(p.ResidesInJapan)
	}
	if factVisible(cats, "members[].school") && p.School != "" {
		em.School = new(eligibility.School(p.School))
	}
	if factVisible(cats, "members[].school_private") {
		em.SchoolPrivate = clone(p.SchoolPrivate)
	}
	if factVisible(cats, "members[].health_insurance") && p.HealthInsurance != "" {
		em.HealthInsurance = new(eligibility.HealthInsurance(p.HealthInsurance))
	}
	if factVisible(cats, "members[].pension_category") && p.PensionCategory != "" {
		em.PensionCategory = new(eligibility.PensionCategory(p.PensionCategory))
	}
	if d := p.Disability; d != nil && d.ValidOn(asOf) && factVisible(cats, "members[].disability") {
		ed := &eligibility.Disability{Kind: eligibility.DisabilityKind(d.Kind), Grade: d.Grade,
			AllowanceLevel: clone(d.AllowanceLevel), ConstantCare: clone(d.ConstantCare)}
		if d.SpecialChildGrade != "" {
			ed.SpecialChildGrade = new(eligibility.SpecialChildGrade(d.SpecialChildGrade))
		}
		em.Disability = ed
	}
	if len(p.Incomes) > 0 && factVisible(cats, "members[].incomes") {
		em.Incomes = incomesByYear(p.Incomes)
	}
}

// receivedOn reports whether the support was received on day d: receiving
// in a period covering d, or ended after d (its period says until when).
func receivedOn(s SupportInUse, d civil.Date) bool {
	switch s.Status {
	case "receiving":
		return s.Period.Covers(d)
	case "ended":
		return !s.Period.To.IsZero() && s.Period.Covers(d)
	}
	return false
}

func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	return new(*p)
}

// factVisible reports whether a person's visible categories cover the
// consent category the fact catalog gives the fact (FactField.Category):
// the catalog, not this file, says which category holds which fact. A fact
// the catalog gives no category is never filled from the record.
func factVisible(cats consent.CategorySet, path string) bool {
	f, ok := eligibility.FactFor(path)
	if !ok || f.Category == "" {
		return false
	}
	c, err := consent.ParseCategory(f.Category)
	return err == nil && cats.Has(c)
}

func memberIDs(ms []HouseholdMember) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.PersonID
	}
	return out
}

// deductions returns the year's deduction record, creating it: a case
// record that holds any deduction kind of a year (deductions_none
// included) is taken as the 控除欄 of that year's 課税証明書, so deductions
// it does not list are none. Every kind of eligibility.Deductions can be
// recorded, so nothing the record cannot hold is assumed to be zero.
func deductions(e *eligibility.Income) *eligibility.Deductions {
	if e.Deductions == nil {
		e.Deductions = &eligibility.Deductions{}
	}
	return e.Deductions
}

func incomesByYear(in []Income) []eligibility.Income {
	byYear := map[int]*eligibility.Income{}
	var years []int
	for _, x := range in {
		e := byYear[x.Year]
		if e == nil {
			e = &eligibility.Income{Year: x.Year}
			byYear[x.Year] = e
			years = append(years, x.Year)
		}
		add := func(p **int64) {
			if *p == nil {
				*p = new(int64(0))
			}
			**p += x.Amount
		}
		switch x.Kind {
		case "salary_revenue":
			add(&e.SalaryRevenue)
		case "pension_revenue":
			add(&e.PensionRevenue)
		case "business_income":
			add(&e.BusinessIncome)
		case "other_income":
			add(&e.OtherIncome)
		case "child_support_received":
			add(&e.ChildSupportReceived)
		case "medical_expense_deduction":
			deductions(e).Medical += x.Amount
		case "casualty_loss_deduction":
			deductions(e).CasualtyLoss += x.Amount
		case "small_business_mutual_aid_deduction":
			deductions(e).SmallBusinessMutualAid += x.Amount
		case "spouse_special_deduction":
			deductions(e).SpouseSpecial += x.Amount
		case "disability_deduction_count":
			deductions(e).Disabled += int(x.Amount)
		case "special_disability_deduction_count":
			deductions(e).SpecialDisabled += int(x.Amount)
		case "working_student_deduction":
			deductions(e).WorkingStudent = x.Amount > 0
		case "widow_deduction":
			deductions(e).Widow = x.Amount > 0
		case "single_parent_deduction":
			deductions(e).SingleParent = x.Amount > 0
		case "social_insurance_deduction":
			deductions(e).SocialInsurance += x.Amount
		case "insurance_premiums_deduction":
			deductions(e).InsurancePremiums += x.Amount
		case "deductions_none":
			deductions(e)
		}
	}
	sort.Ints(years)
	out := make([]eligibility.Income, len(years))
	for i, y := range years {
		out[i] = *byYear[y]
	}
	return out
}

// ErrHouseholdIncomplete is wrapped by the *DeniedError of a Household
// call whose reader may not see the whole household composition.
var ErrHouseholdIncomplete = errors.New("casefile: household composition not visible")

// Household reads a case for screening on day asOf (the date you pass to
// eligibility's Screen) with the same decision, redaction and audit as
// ReadCase, and converts it with ToHousehold: the household as it stands
// on that day (memberships, support in use and disability records that
// cover it), using for each person only the categories the read
// permitted. Screening on a partial household would decide on blanks (a
// child left out is a child not counted), so when the reader may not see
// the subject, or the household category (relation, living together,
// membership period) of every other member of the case — whether or not
// their membership covers asOf — Household refuses with a *DeniedError
// wrapping ErrHouseholdIncomplete, audited. A zero asOf is an ErrInvalid.
func (s *Service) Household(ctx context.Context, a Actor, caseID string, asOf civil.Date, opts ReadOptions) (*eligibility.Household, error) {
	if asOf.IsZero() {
		return nil, fmt.Errorf("%w: Household needs the date screened for", ErrInvalid)
	}
	if err := s.mayRead(ctx, a, caseID, opts); err != nil {
		return nil, err
	}
	var h eligibility.Household
	incomplete := false
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		v, d, err := s.readCase(ctx, tx, a, caseID, opts, consent.ActionView, audit.ActionRead, "")
		if err != nil {
			return err
		}
		vis := Visible{}
		for _, pv := range v.Persons {
			vis[pv.PersonID] = keptCategories(pv.View)
		}
		subject := d.cf.SubjectID
		vis[subject] |= keptCategories(v.Case)
		incomplete = vis[subject].Empty()
		for _, id := range d.personIDs() {
			if id != subject && !vis[id].Has(consent.CategoryHousehold) {
				incomplete = true
			}
		}
		if incomplete {
			return ErrHouseholdIncomplete
		}
		h, err = ToHousehold(HouseholdRecord{Case: &d.cf, Members: d.members, Persons: d.persons, Supports: d.supports, Tenant: a.Tenant}, asOf, vis)
		return err
	})
	if incomplete {
		rec := audit.Record{Action: audit.ActionRead, Purpose: opts.Purpose.String(), CaseID: caseID}
		err := s.deny(ctx, a, rec, "世帯情報の取得", "household_incomplete",
			"世帯員全員の世帯構成（続柄・同居）を閲覧できないため、判定に使える世帯情報を作れません")
		return nil, fmt.Errorf("%w: %w", ErrHouseholdIncomplete, err)
	}
	if err != nil {
		return nil, s.failedRead(ctx, a, audit.ActionRead, opts.Purpose, caseID, err)
	}
	return &h, nil
}
