package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
)

// ③ The case record as each department may see it. The desk lists its own
// cases (Service.CaseIDs) and reads them for consultation work, by role;
// every other department sees the cases the desk referred to it and reads
// them for the purpose 関係部署での共有, decided by each person's consent.
// Every read goes through Service.ReadCase (audited; a disclosure for a
// department other than the desk) and the page shows exactly the fields
// the redacted view holds.

const casesPerPage = 20

type caseListData struct {
	Own       bool
	Rows      []caseRow
	Referrals []referral
	Page      int
	Pages     int
}

type caseRow struct {
	ID       string
	Name     string
	Status   string
	Opened   string
	Intake   string
	Members  int
	Flags    []string
	Referred []string
}

func (a *App) readPurpose(u *staffUser) consent.Purpose {
	if u.Org == deskOrg {
		return consent.PurposeConsultation
	}
	return consent.PurposeSharing
}

func (a *App) caseList(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	ctx := r.Context()
	d := caseListData{Own: u.Org == deskOrg}
	if !d.Own {
		refs, err := a.db.referrals(ctx, u.Org, "")
		if err != nil {
			a.serverError(w, r, "staff", err)
			return
		}
		d.Referrals = refs
		a.render(w, r, http.StatusOK, "staff_cases", view{Title: "紹介されたケース", Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
		return
	}
	ids, err := a.svc.CaseIDs(ctx, a.actor(u))
	if err != nil {
		a.staffError(w, r, err)
		return
	}
	slices.Reverse(ids) // newest first
	d.Pages = (len(ids) + casesPerPage - 1) / casesPerPage
	d.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	d.Page = max(1, min(d.Page, d.Pages))
	lo := (d.Page - 1) * casesPerPage
	for _, id := range ids[lo:min(lo+casesPerPage, len(ids))] {
		v, err := a.svc.ReadCase(ctx, a.actor(u), id, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
		if err != nil {
			d.Rows = append(d.Rows, caseRow{ID: id, Name: "（表示できません）"})
			continue
		}
		c := buildTree(v.Case.Fields)
		row := caseRow{ID: id, Status: lookup(caseStatusLabels, c.str("case.status")), Opened: warekiOf(c.str("case.opened_on")),
			Intake: lookup(intakeLabels, c.str("case.intake_route")), Members: len(v.Persons)}
		if p, ok := v.Person(v.Case.Subject); ok {
			t := buildTree(p.View.Fields)
			row.Name = strings.TrimSpace(t.str("name.family") + " " + t.str("name.given"))
		}
		if v.Obligations.Has(consent.ObligationApplyMasks) || v.Obligations.Has(consent.ObligationReviewRestriction) {
			row.Flags = append(row.Flags, "支援措置")
		}
		if slices.Contains(c.strs("case.labels"), "dv_related") {
			row.Flags = append(row.Flags, "DV")
		}
		d.Rows = append(d.Rows, row)
	}
	a.render(w, r, http.StatusOK, "staff_cases", view{Title: "ケース一覧", Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
}

// caseViewData is the case page.
type caseViewData struct {
	ID            string
	Own           bool
	Basis         string
	Header        []row
	Persons       []personBlock
	Consultations []consultationRow
	Conferences   []conferenceRow
	Tasks         []taskRow
	Program       []row
	Obligations   []string
	Withheld      []string
	Referrals     []referral
	Nothing       bool
	// forms of the desk
	Topics          []casefile.Label
	Channels        []casefile.Label
	ConferenceKinds []casefile.Label
	Departments     []department
	Reasons         []struct{ Code, Label string }
	Today           string
}

type row struct {
	Label, Value string
}

type personBlock struct {
	Heading  string
	Rows     []row
	Withheld []string
}

type consultationRow struct {
	At, Channel, Staff, Summary, Body string
	Topics                            []string
	Labels                            []string
}

type conferenceRow struct {
	At, Kind, KeyPerson, LegalBasis, Minutes string
	Participants                             []string
}

type taskRow struct {
	ID, Title, Assignee, Due, Status, StatusCode string
}

func (a *App) caseView(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	ctx := r.Context()
	id := r.PathValue("id")
	if !casefile.ValidID(id) {
		a.message(w, r, http.StatusNotFound, "staff", "ケースが見つかりません", "ケースの番号が正しくありません。")
		return
	}
	if u.Org != deskOrg {
		// need to know: another department opens a case the desk referred
		// to it (casefile then decides what it may see)
		ok, err := a.db.referredTo(ctx, id, u.Org)
		if err != nil {
			a.serverError(w, r, "staff", err)
			return
		}
		if !ok {
			a.message(w, r, http.StatusNotFound, "staff", "ケースが見つかりません", "このケースは、あなたの部署に紹介されていません。")
			return
		}
	}
	v, err := a.svc.ReadCase(ctx, a.actor(u), id, casefile.ReadOptions{Purpose: a.readPurpose(u)})
	if err != nil {
		a.staffError(w, r, err)
		return
	}
	d := a.caseData(v, u)
	d.ID = id
	if d.Own {
		refs, err := a.db.referrals(ctx, "", id)
		if err != nil {
			a.serverError(w, r, "staff", err)
			return
		}
		d.Referrals = refs
		d.Topics, d.Channels, d.ConferenceKinds = casefile.Topics(), casefile.Channels(), casefile.ConferenceKinds()
		d.Departments, d.Reasons, d.Today = departments, referralReasons, a.today().String()
	}
	title := "ケース"
	if len(d.Persons) > 0 {
		title = d.Persons[0].Heading
	}
	a.render(w, r, http.StatusOK, "staff_case", view{Title: title, Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
}

// caseData turns a redacted case view into the page's rows.
func (a *App) caseData(v *casefile.CaseView, u *staffUser) caseViewData {
	d := caseViewData{Own: u.Org == deskOrg, Basis: basisLabel(v.Basis)}
	c := buildTree(v.Case.Fields)
	addRow := func(rows *[]row, label, value string) {
		if value != "" {
			*rows = append(*rows, row{label, value})
		}
	}
	addRow(&d.Header, "状態", lookup(caseStatusLabels, c.str("case.status")))
	addRow(&d.Header, "担当部署", orgName(c.str("case.owner_org")))
	addRow(&d.Header, "開始日", warekiOf(c.str("case.opened_on")))
	addRow(&d.Header, "受付の経路", lookup(intakeLabels, c.str("case.intake_route")))
	addRow(&d.Header, "ひとり親になった事情", lookup(situationLabels, c.str("case.situation")))
	addRow(&d.Header, "メモ", c.str("case.note"))
	if l := c.strs("case.labels"); len(l) > 0 {
		addRow(&d.Header, "区分", strings.Join(l, "、"))
	}
	if goals := c.strs("program.goals"); len(goals) > 0 {
		addRow(&d.Program, "目標", strings.Join(goals, "、"))
		addRow(&d.Program, "見直し期限", warekiOf(c.str("program.review_due")))
	}
	for _, x := range c.list("consultations") {
		if x.str("id") == "" && x.str("summary") == "" {
			continue
		}
		d.Consultations = append(d.Consultations, consultationRow{
			At: isoDateTime(x.str("occurred_at")), Channel: casefile.ChannelLabel(x.str("channel")), Staff: x.str("staff"),
			Summary: x.str("summary"), Body: x.str("body"), Topics: topicLabels(x.strs("topics")), Labels: x.strs("labels"),
		})
	}
	slices.Reverse(d.Consultations)
	for _, x := range c.list("conferences") {
		cr := conferenceRow{At: isoDateTime(x.str("held_at")), Kind: conferenceKindLabel(x.str("kind")), KeyPerson: x.str("key_person"),
			LegalBasis: x.str("legal_basis"), Minutes: x.str("minutes")}
		for _, p := range x.list("participants") {
			cr.Participants = append(cr.Participants, orgName(p.str("org")))
		}
		d.Conferences = append(d.Conferences, cr)
	}
	for _, x := range c.list("tasks") {
		d.Tasks = append(d.Tasks, taskRow{ID: x.str("id"), Title: x.str("title"), Assignee: orgName(x.str("assignee_org")),
			Due: warekiOf(x.str("due")), Status: lookup(taskStatusLabels, x.str("status")), StatusCode: x.str("status")})
	}
	d.Obligations = v.Obligations.Labels()
	d.Withheld = withheldTexts(v.Case.Withheld)
	// the subject first, then the others in the order of the view
	persons := slices.Clone(v.Persons)
	slices.SortStableFunc(persons, func(x, y casefile.PersonView) int {
		switch {
		case x.PersonID == v.Case.Subject:
			return -1
		case y.PersonID == v.Case.Subject:
			return 1
		}
		return 0
	})
	for _, p := range persons {
		d.Persons = append(d.Persons, a.personBlock(p))
	}
	d.Nothing = len(d.Persons) == 0 && len(v.Case.Fields) == 0
	return d
}

func (a *App) personBlock(p casefile.PersonView) personBlock {
	t := buildTree(p.View.Fields)
	b := personBlock{}
	name := strings.TrimSpace(t.str("name.family") + " " + t.str("name.given"))
	rel := lookup(relationLabels, t.str("household.relationship.code"))
	if txt := t.str("household.relationship.text"); txt != "" {
		rel = txt
	}
	switch {
	case name != "" && rel != "":
		b.Heading = name + "（" + rel + "）"
	case name != "":
		b.Heading = name
	case rel != "":
		b.Heading = rel + "（氏名は表示できません）"
	default:
		b.Heading = "（氏名は表示できません）"
	}
	add := func(label, value string) {
		if value != "" {
			b.Rows = append(b.Rows, row{label, value})
		}
	}
	add("フリガナ", strings.TrimSpace(t.str("name.family_kana")+" "+t.str("name.given_kana")))
	add("通称", t.str("name.alias"))
	add("生年月日", warekiOf(t.str("birth_date")))
	add("性別", lookup(sexLabels, t.str("sex")))
	var addr []string
	if pc := t.str("address.postal_code"); pc != "" {
		if len(pc) == 7 {
			pc = pc[:3] + "-" + pc[3:]
		}
		addr = append(addr, "〒"+pc)
	}
	for _, k := range []string{"prefecture", "city", "town", "block", "building"} {
		if v := t.str("address." + k); v != "" {
			addr = append(addr, v)
		}
	}
	add("住所", strings.Join(addr, " "))
	for _, x := range t.list("contacts") {
		v := lookup(contactTypeLabels, x.str("type")) + " " + x.str("value")
		if ok, set := x.boolean("ok_to_contact"); set && !ok {
			v += "（連絡不可）"
		}
		if st := x.str("safe_times"); st != "" {
			v += "（" + st + "）"
		}
		add("連絡先", strings.TrimSpace(v))
	}
	if k := t.str("disability.kind"); k != "" {
		add("障害者手帳", strings.TrimSpace(lookup(disabilityLabels, k)+" "+t.str("disability.grade")))
	}
	// incomes by year: the kinds with an amount, or 収入なし
	var years []string
	byYear := map[string][]string{}
	for _, x := range t.list("incomes") {
		y := x.str("year")
		if _, ok := byYear[y]; !ok {
			years = append(years, y)
			byYear[y] = nil
		}
		if x.str("kind") == "deductions_none" {
			continue
		}
		if amt := x.str("amount"); amt != "" && amt != "0" {
			byYear[y] = append(byYear[y], lookup(incomeKindLabels, x.str("kind"))+" "+yenText(amt))
		}
	}
	for _, y := range years {
		v := strings.Join(byYear[y], "、")
		if v == "" {
			v = "収入なし"
		}
		add(y+"年分の収入", v)
	}
	if lw, ok := t.boolean("household.lives_with"); ok {
		add("同居", map[bool]string{true: "同居", false: "別居"}[lw])
	}
	for _, x := range t.list("support_in_use") {
		add("利用中の制度", a.programName(x.str("scheme_code"))+"（"+lookup(supportStatusLabels, x.str("status"))+"）")
	}
	for _, x := range t.list("external_ids") {
		add(x.str("system"), x.str("value"))
	}
	b.Withheld = withheldTexts(p.View.Withheld)
	return b
}

// withheldTexts say what was left out and why, without the values: one
// line per data category and reason.
func withheldTexts(ws []consent.Withheld) []string {
	var out []string
	for _, wh := range ws {
		what := wh.Path
		if wh.Category != 0 {
			what = wh.Category.Label()
		}
		if t := what + "（" + wh.Reason.Label() + "）"; !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func basisLabel(b string) string {
	switch b {
	case "role":
		return "担当部署（役割）"
	case "consent":
		return "本人の同意"
	case "statute":
		return "法令の根拠"
	}
	return "なし"
}

func conferenceKindLabel(code string) string {
	for _, k := range casefile.ConferenceKinds() {
		if k.Code == code {
			return k.Name
		}
	}
	return code
}

// staffError shows a refusal from casefile as such (it is audited there),
// and anything else as a server error.
func (a *App) staffError(w http.ResponseWriter, r *http.Request, err error) {
	var de *casefile.DeniedError
	var nf *casefile.NotFoundError
	switch {
	case errors.As(err, &de):
		a.message(w, r, http.StatusForbidden, "staff", "表示・操作できません", de.Detail)
	case errors.As(err, &nf):
		a.message(w, r, http.StatusNotFound, "staff", "見つかりません", "指定されたケースは見つかりません。")
	default:
		a.serverError(w, r, "staff", err)
	}
}
