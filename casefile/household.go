package casefile

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// Visible says which data categories of each person may be used; a
// category not listed is unknown to the conversion.
type Visible map[string]consent.CategorySet

// ToHousehold converts a case to the eligibility facts model. The case
// subject is the applicant (relation self). Facts of a category that is
// not visible for a person stay nil ("not known"), so the engine reports
// the outcome as undetermined and names the missing fact instead of
// deciding on a blank. A member other than the subject whose household
// category is not visible is left out, relation code included (the
// household is then incomplete: Service.Household refuses to build it).
// The situation needs the category SituationCategory gives its code (a
// protection order is dv_related). Incomes are grouped by year; support
// in use with status receiving fills Receiving.
func ToHousehold(cf *CaseFile, members []HouseholdMember, persons map[string]*Person, supports map[string][]SupportInUse, tenant string, vis Visible) eligibility.Household {
	h := eligibility.Household{ID: cf.ID}
	if tenant != "" {
		h.MunicipalityCode = new(tenant)
	}
	if cf.Situation != "" && vis[cf.SubjectID].Has(SituationCategory(cf.Situation)) {
		h.Situation = new(eligibility.Situation(cf.Situation))
	}
	ms := members
	hasSelf := false
	for _, m := range ms {
		if m.PersonID == cf.SubjectID {
			hasSelf = true
		}
	}
	if !hasSelf {
		ms = append([]HouseholdMember{{PersonID: cf.SubjectID, Relationship: Relationship{Code: "self"}, LivesWith: true}}, ms...)
	}
	for _, m := range ms {
		p := persons[m.PersonID]
		cats := vis[m.PersonID]
		if m.PersonID != cf.SubjectID && !factVisible(cats, "members[].relation") {
			continue // not even the relation may be shown
		}
		em := eligibility.Member{ID: m.PersonID, Relation: eligibility.Relation(m.Relationship.Code)}
		if m.PersonID == cf.SubjectID {
			em.Relation = eligibility.RelationSelf
		}
		if factVisible(cats, "members[].lives_with") {
			em.LivesWith = new(m.LivesWith)
		}
		if factVisible(cats, "members[].same_livelihood") && m.SameLivelihood != nil {
			em.SameLivelihood = new(*m.SameLivelihood)
		}
		if p != nil && factVisible(cats, "members[].birth_date") && !p.BirthDate.IsZero() {
			em.BirthDate = new(p.BirthDate)
		}
		if p != nil && factVisible(cats, "members[].sex") && p.Sex != "" {
			em.Sex = new(eligibility.Sex(p.Sex))
		}
		if p != nil && p.Disability != nil && factVisible(cats, "members[].disability") {
			em.Disability = &eligibility.Disability{Kind: eligibility.DisabilityKind(p.Disability.Kind), Grade: p.Disability.Grade}
		}
		if p != nil && len(p.Incomes) > 0 && factVisible(cats, "members[].incomes") {
			em.Incomes = incomesByYear(p.Incomes)
		}
		h.Members = append(h.Members, em)
	}
	if factVisible(vis[cf.SubjectID], "receiving") {
		h.Receiving = []string{}
		seen := map[string]bool{}
		for _, id := range append([]string{cf.SubjectID}, memberIDs(ms)...) {
			for _, s := range supports[id] {
				if s.Status == "receiving" && !seen[s.SchemeCode] && factVisible(vis[id], "receiving") {
					seen[s.SchemeCode] = true
					h.Receiving = append(h.Receiving, s.SchemeCode)
				}
			}
		}
		sort.Strings(h.Receiving)
	}
	return h
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

// Household reads a case for screening (the same decision, redaction and
// audit as ReadCase) and converts it with ToHousehold, using for each
// person only the categories the read permitted. Screening on a partial
// household would decide on blanks (a child left out is a child not
// counted), so when the reader may not see the subject, or the household
// category (relation, living together) of every other member, Household
// refuses with a *DeniedError wrapping ErrHouseholdIncomplete, audited.
func (s *Service) Household(ctx context.Context, a Actor, caseID string, opts ReadOptions) (*eligibility.Household, error) {
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
		h = ToHousehold(&d.cf, d.members, d.persons, d.supports, a.Tenant, vis)
		return nil
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
