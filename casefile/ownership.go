package casefile

import (
	"context"
	"errors"
	"slices"

	"github.com/onestop-jp/onestop/consent"
)

// Ownership: which department works on an entity by role (RBAC), the
// rest deciding by consent. A case is its owning desk's; the entities of a
// case are that desk's; a person is the desk's whose case they are the
// subject or a member of, or, while they belong to no case, the desk's
// whose staff registered them. A department cannot make itself owner: a
// case or a membership may name only a person the department already
// owns (see Changes.Create).

// ownsPerson reports whether org owns the person.
func ownsPerson(ctx context.Context, tx Tx, org, personID string) (bool, error) {
	caseIDs, err := casesOf(ctx, tx, personID)
	if err != nil {
		return false, err
	}
	if len(caseIDs) == 0 {
		r, err := tx.Get(ctx, KindPerson, personID)
		if err != nil {
			return false, err
		}
		var p Person
		if err := DecodeRow(r, &p); err != nil {
			return false, err
		}
		return p.CreatedOrg != "" && p.CreatedOrg == org, nil
	}
	for _, id := range caseIDs {
		r, err := tx.Get(ctx, KindCase, id)
		if err != nil {
			return false, err
		}
		var cf CaseFile
		if err := DecodeRow(r, &cf); err != nil {
			return false, err
		}
		if cf.OwnerOrg == org {
			return true, nil
		}
	}
	return false, nil
}

// casesOf lists the cases the person is the subject or a member of.
func casesOf(ctx context.Context, tx Tx, personID string) ([]string, error) {
	var out []string
	for _, k := range []Kind{KindCase, KindMember} {
		rows, err := tx.List(ctx, Query{Kind: k, PersonID: personID})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if !slices.Contains(out, r.CaseID) {
				out = append(out, r.CaseID)
			}
		}
	}
	return out, nil
}

// personScope is the scope of persons read outside a case view: the
// households they belong to, so that a measure on a co-resident protects
// them too.
func (s *Service) personScope(ctx context.Context, tx Tx, ids ...string) (*scope, error) {
	var hs []*household
	seen := map[string]bool{}
	for _, id := range ids {
		caseIDs, err := casesOf(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		for _, c := range caseIDs {
			if seen[c] {
				continue
			}
			seen[c] = true
			h, err := loadMembers(ctx, tx, c)
			if err != nil {
				return nil, err
			}
			hs = append(hs, h)
		}
	}
	return s.newScope(ctx, tx, hs, ids...)
}

// access is what the policy says about one entity for one actor.
type access struct {
	owner       bool     // the actor's department owns it
	ownerOrg    string   // the owning desk of its case ("" for a person)
	caseSubject string   // the subject of its case
	subjects    []string // the persons it is about
	sc          *scope
	cats        consent.CategorySet // the categories a written entity holds (set by authorize)
}

// entityAccess works out ownership and scope of e for a. For entities of
// a case, the case as stored decides; a case being created is decided by
// the owner it names.
func (s *Service) entityAccess(ctx context.Context, tx Tx, a Actor, e Entity) (*access, error) {
	ac := &access{}
	caseID, personID := e.Refs()
	var err error
	switch x := e.(type) {
	case *CaseFile:
		ac.ownerOrg, ac.caseSubject = x.OwnerOrg, x.SubjectID
		var h *household
		if h, err = loadMembers(ctx, tx, x.ID); err == nil {
			ac.ownerOrg = h.cf.OwnerOrg // the owner as stored decides
			ac.sc, err = s.newScope(ctx, tx, []*household{h}, x.SubjectID)
		} else if errors.Is(err, ErrNotFound) {
			ac.sc, err = s.personScope(ctx, tx, x.SubjectID)
		}
		ac.owner, ac.subjects = ac.ownerOrg == a.Org, []string{x.SubjectID}
	case *AddressRestriction:
		ac.subjects = slices.Clone(x.Restriction.Subjects)
		ac.owner = slices.Contains(x.Restriction.ResponsibleOrgs, a.Org)
		ac.sc, err = s.personScope(ctx, tx, ac.subjects...)
	default:
		if caseID != "" {
			var h *household
			if h, err = loadMembers(ctx, tx, caseID); err != nil {
				return nil, err
			}
			ac.ownerOrg, ac.caseSubject = h.cf.OwnerOrg, h.cf.SubjectID
			ac.owner = ac.ownerOrg == a.Org
			ac.subjects = []string{h.cf.SubjectID}
			if personID != "" {
				ac.subjects = []string{personID}
			}
			ac.sc, err = s.newScope(ctx, tx, []*household{h}, ac.subjects...)
			break
		}
		if personID == "" {
			return nil, &NotFoundError{Kind: KindCase, ID: caseID}
		}
		ac.subjects = []string{personID}
		if _, isPerson := e.(*Person); isPerson {
			if _, err := tx.Get(ctx, KindPerson, personID); errors.Is(err, ErrNotFound) {
				// A person being registered is the registering desk's,
				// and no measure or consent can name them yet.
				ac.owner, ac.sc = true, s.emptyScope()
				break
			}
		}
		if ac.owner, err = ownsPerson(ctx, tx, a.Org, personID); err != nil {
			return nil, err
		}
		ac.sc, err = s.personScope(ctx, tx, personID)
	}
	if err != nil {
		return nil, err
	}
	return ac, nil
}

// wholeView checks that a may see every field of e: the department owns
// it, the actor is no counterparty of a measure on the household, and the
// owning desk's role view withholds nothing (DV-protected fields outside
// the responsible desk, 要配慮 and DV data without PermSensitive, a
// category the person's consent excepts from the desk). It returns the
// categories e holds, or the reason for a refusal.
func (s *Service) wholeView(ac *access, a Actor, e Entity) (consent.CategorySet, string, error) {
	if !ac.owner {
		return 0, "not_owner", nil
	}
	if ac.sc.counterparty(a.Person) {
		return 0, consent.ReasonCounterparty.String(), nil
	}
	v, err := entityView(e, ac.caseSubject, ac.sc.restricted(ac.caseSubject))
	if err != nil {
		return 0, "", err
	}
	if len(v.Fields) == 0 {
		return 0, "", nil
	}
	rv, err := s.redact(ac.sc, reader{actor: a, org: a.Org, purpose: consent.PurposeConsultation, action: consent.ActionView, byRole: true}, v)
	if err != nil {
		return 0, "", err
	}
	if len(rv.Withheld) > 0 {
		r := rv.Withheld[0].Reason
		if r == consent.ReasonNotRequested {
			return 0, "sensitive", nil
		}
		return 0, r.String(), nil
	}
	return viewCategories(v), "", nil
}

// refusalDetail is the Japanese explanation of a refusal reason.
func refusalDetail(reason string) string {
	switch reason {
	case "not_owner":
		return "担当部署以外は ReadCase で閲覧してください（本人の同意の範囲で表示されます）"
	case "counterparty":
		return "支援措置の相手方に関する記録は扱えません"
	case "restricted":
		return "支援措置で保護された項目を含むため、担当窓口以外は全体を扱えません。ReadCase で閲覧してください"
	case "sensitive":
		return "要配慮個人情報・DV関連情報を含むため、その権限がなければ扱えません"
	case "excepted":
		return "本人の同意の除外事項に当たる項目を含むため、全体を扱えません"
	case "use_report":
		return "統計表は Service.Report で公表され、記録としては扱えません"
	case "not_responsible":
		return "支援措置は担当窓口が記録します"
	}
	return "この記録は扱えません"
}
