package casefile

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/onestop-jp/onestop/consent"
)

// Every read path flattens what it returns into consent.Views with the
// subject and data category of each value, so one decision governs them
// all (ReadCase, Household, ExportCases, Changes.Get, History).

// caseData is everything stored about a case, typed.
type caseData struct {
	household
	supports      map[string][]SupportInUse
	program       *Program
	consultations []Consultation
	conferences   []Conference
	tasks         []Task
}

func listTyped[T any, P interface {
	*T
	Entity
}](ctx context.Context, tx Tx, q Query) ([]T, error) {
	rows, err := tx.List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		if err := DecodeRow(r, P(&out[i])); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadCase(ctx context.Context, tx Tx, caseID string) (*caseData, error) {
	h, err := loadHousehold(ctx, tx, caseID)
	if err != nil {
		return nil, err
	}
	d := &caseData{household: *h, supports: map[string][]SupportInUse{}}
	for _, id := range d.personIDs() {
		if d.supports[id], err = listTyped[SupportInUse](ctx, tx, Query{Kind: KindSupport, PersonID: id}); err != nil {
			return nil, err
		}
	}
	progs, err := listTyped[Program](ctx, tx, Query{Kind: KindProgram, CaseID: caseID})
	if err != nil {
		return nil, err
	}
	if len(progs) > 0 {
		d.program = &progs[len(progs)-1]
	}
	if d.consultations, err = listTyped[Consultation](ctx, tx, Query{Kind: KindConsultation, CaseID: caseID}); err != nil {
		return nil, err
	}
	if d.conferences, err = listTyped[Conference](ctx, tx, Query{Kind: KindConference, CaseID: caseID}); err != nil {
		return nil, err
	}
	if d.tasks, err = listTyped[Task](ctx, tx, Query{Kind: KindTask, CaseID: caseID}); err != nil {
		return nil, err
	}
	return d, nil
}

// metaSkip are entity fields left out of views: tenancy and bookkeeping.
var metaSkip = map[string]bool{"tenant_id": true, "created_at": true, "created_by": true, "created_org": true, "updated_at": true, "updated_by": true}

// flatten appends the leaves of v (any JSON-encodable value) under prefix.
func flatten(out []consent.Field, prefix string, v any, subject string, cat func(top string) consent.Category) ([]consent.Field, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	var walk func(path, top string, x any, depth int)
	walk = func(path, top string, x any, depth int) {
		switch t := x.(type) {
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				if depth == 0 && metaSkip[k] {
					continue
				}
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				tp := top
				if depth == 0 {
					tp = k
				}
				walk(join(path, k), tp, t[k], depth+1)
			}
		case []any:
			for i, e := range t {
				walk(join(path, strconv.Itoa(i)), top, e, depth+1)
			}
		case nil:
		default:
			if s, ok := t.(string); ok && s == "" {
				return
			}
			out = append(out, consent.Field{Path: path, Category: cat(top), Subject: subject, Value: t})
		}
	}
	walk(prefix, "", tree, 0)
	return out, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func fixed(c consent.Category) func(string) consent.Category {
	return func(string) consent.Category { return c }
}

// personCategory categorises a person's fields by their top-level key:
// contacts, the disability (要配慮), incomes, school (household: what the
// household's members do), social insurance (support_in_use), and
// identity for the rest (names, birth date, sex, address, domicile,
// external ids, labels).
func personCategory(top string) consent.Category {
	switch top {
	case "contacts":
		return consent.CategoryContact
	case "disability":
		return consent.CategoryHealthDisability
	case "incomes":
		return consent.CategoryIncomeTax
	case "school", "school_private":
		return consent.CategoryHousehold
	case "health_insurance", "pension_category":
		return consent.CategorySupportInUse
	}
	return consent.CategoryIdentity
}

// SituationCategory is the consent data category of a family situation
// code (CaseFile.Situation): dv_related for a protection order (保護命令),
// health_disability for the other parent's disability or detention
// (要配慮個人情報 about that parent: APPI Art. 2(3), disability and 犯罪の
// 経歴; the consent model has one 要配慮 category besides DV), household
// for every other situation.
func SituationCategory(code string) consent.Category {
	switch code {
	case "dv_protection_order":
		return consent.CategoryDVRelated
	case "spouse_disabled", "spouse_detained":
		return consent.CategoryHealthDisability
	}
	return consent.CategoryHousehold
}

// headerCategory categorises the case header (case.*): the situation by
// SituationCategory, the free-text note and the labels as dv_related when
// the case is a DV case (a dv_related label, a protection order, or a
// DV等支援措置 in force on its subject), as health_disability under that
// label, and everything else as consultation.
func headerCategory(cf *CaseFile, restricted bool) func(string) consent.Category {
	sensitive := labelCategory(cf.Labels, consent.CategoryConsultation)
	if restricted || SituationCategory(cf.Situation) == consent.CategoryDVRelated {
		sensitive = consent.CategoryDVRelated
	}
	return func(top string) consent.Category {
		switch top {
		case "situation":
			return SituationCategory(cf.Situation)
		case "note", "labels":
			return sensitive
		case "applicant_role", "de_facto_partner":
			return consent.CategoryHousehold
		case "grade_area":
			return consent.CategoryIdentity
		}
		return consent.CategoryConsultation
	}
}

// flattenCase appends the case header under prefix: its fields by
// headerCategory, and each local fact (prefix.local.N.*) under the
// category it is kept under — a sensitive local fact is shown, key
// included, only where its category is permitted by name.
func flattenCase(out []consent.Field, prefix string, cf *CaseFile, restricted bool) ([]consent.Field, error) {
	head := *cf
	head.Local = nil
	out, err := flatten(out, prefix, &head, cf.SubjectID, headerCategory(cf, restricted))
	if err != nil {
		return nil, err
	}
	for i, f := range cf.Local {
		c, err := consent.ParseCategory(f.Category)
		if err != nil || !c.Valid() {
			c = consent.CategoryDVRelated // unreadable: shown only where the most protected category is
		}
		if out, err = flatten(out, join(prefix, "local."+strconv.Itoa(i)), f, cf.SubjectID, fixed(c)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// personView flattens one person with their membership and support.
func (d *caseData) personView(id string) (consent.View, error) {
	v := consent.View{Subject: id}
	var err error
	if v.Fields, err = flatten(nil, "", d.persons[id], id, personCategory); err != nil {
		return v, err
	}
	for _, m := range d.members {
		if m.PersonID == id {
			hm := struct {
				Relationship            Relationship `json:"relationship"`
				LivesWith               *bool        `json:"lives_with,omitempty"`
				RegisteredSameHousehold *bool        `json:"registered_same_household,omitempty"`
				SameLivelihood          *bool        `json:"same_livelihood,omitempty"`
				Supported               *bool        `json:"supported,omitempty"`
				InFacility              *bool        `json:"in_facility,omitempty"`
				Role                    string       `json:"role,omitempty"`
				Period                  Period       `json:"period"`
				ID                      string       `json:"member_id"`
				Version                 int64        `json:"member_version"`
			}{m.Relationship, m.LivesWith, m.RegisteredSameHousehold, m.SameLivelihood, m.Supported, m.InFacility, m.Role, m.Period, m.ID, m.Version}
			if v.Fields, err = flatten(v.Fields, "household", hm, id, fixed(consent.CategoryHousehold)); err != nil {
				return v, err
			}
		}
	}
	for i := range d.supports[id] {
		if v.Fields, err = flatten(v.Fields, "support_in_use."+strconv.Itoa(i), &d.supports[id][i], id, fixed(consent.CategorySupportInUse)); err != nil {
			return v, err
		}
	}
	return v, nil
}

// caseView flattens the case-level records about the subject; restricted
// says whether a DV等支援措置 is in force on the subject.
func (d *caseData) caseView(restricted bool) (consent.View, error) {
	subj := d.cf.SubjectID
	v := consent.View{Subject: subj}
	var err error
	if v.Fields, err = flattenCase(nil, "case", &d.cf, restricted); err != nil {
		return v, err
	}
	if d.program != nil {
		if v.Fields, err = flatten(v.Fields, "program", d.program, subj, fixed(consent.CategoryProgram)); err != nil {
			return v, err
		}
	}
	for i := range d.consultations {
		c := &d.consultations[i]
		if v.Fields, err = flatten(v.Fields, "consultations."+strconv.Itoa(i), c, subj, fixed(labelCategory(c.Labels, consent.CategoryConsultation))); err != nil {
			return v, err
		}
	}
	for i := range d.conferences {
		c := &d.conferences[i]
		if v.Fields, err = flatten(v.Fields, "conferences."+strconv.Itoa(i), c, subj, fixed(labelCategory(c.Labels, consent.CategoryConsultation))); err != nil {
			return v, err
		}
	}
	for i := range d.tasks {
		if v.Fields, err = flatten(v.Fields, "tasks."+strconv.Itoa(i), &d.tasks[i], subj, fixed(consent.CategoryProgram)); err != nil {
			return v, err
		}
	}
	return v, nil
}

// entityView flattens one entity as Changes.Get and History hand it out:
// every field with the subject it is about and its category. caseSubject
// is the subject of the entity's case (for case-level entities);
// restricted says whether a measure is in force on that subject.
func entityView(e Entity, caseSubject string, restricted bool) (consent.View, error) {
	var prefix, subject string
	var cat func(string) consent.Category
	switch x := e.(type) {
	case *Person:
		subject, cat = x.ID, personCategory
	case *CaseFile:
		v := consent.View{Subject: x.SubjectID}
		var err error
		v.Fields, err = flattenCase(nil, "case", x, restricted)
		return v, err
	case *HouseholdMember:
		prefix, subject, cat = "household", x.PersonID, fixed(consent.CategoryHousehold)
	case *SupportInUse:
		prefix, subject, cat = "support_in_use", x.PersonID, fixed(consent.CategorySupportInUse)
	case *Program:
		prefix, subject, cat = "program", caseSubject, fixed(consent.CategoryProgram)
	case *Task:
		prefix, subject, cat = "task", caseSubject, fixed(consent.CategoryProgram)
	case *Consultation:
		prefix, subject, cat = "consultation", caseSubject, fixed(labelCategory(x.Labels, consent.CategoryConsultation))
	case *Conference:
		prefix, subject, cat = "conference", caseSubject, fixed(labelCategory(x.Labels, consent.CategoryConsultation))
	case *AddressRestriction:
		// who is protected against whom is itself DV information
		prefix, cat = "restriction", fixed(consent.CategoryDVRelated)
		if len(x.Restriction.Subjects) > 0 {
			subject = x.Restriction.Subjects[0]
		}
	default:
		prefix, subject, cat = string(e.EntityKind()), caseSubject, fixed(consent.CategoryConsultation)
	}
	v := consent.View{Subject: subject}
	var err error
	v.Fields, err = flatten(nil, prefix, e, subject, cat)
	return v, err
}

func labelCategory(labels []string, def consent.Category) consent.Category {
	c := def
	for _, l := range labels {
		switch l {
		case "dv_related":
			return consent.CategoryDVRelated
		case "health_disability":
			c = consent.CategoryHealthDisability
		}
	}
	return c
}
