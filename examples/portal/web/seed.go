package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
	"github.com/onestop-jp/onestop/forms"
)

// The demo data. Made-up households from the synth generator (never real
// people) are turned into input-form submissions and recorded exactly as a
// resident's would be (forms.Check, forms.CreateCase), spread over the last
// fiscal year and this one, so that the 実施状況 report of the closed year
// has something to show. The desk adds consultations, conferences, tasks and
// referrals; one family lives under a DV等支援措置.

// SeedOptions say what demo data to create.
type SeedOptions struct {
	// Households is the number of made-up households; 0: 40.
	Households int
	// Seed makes the households reproducible.
	Seed uint64
	// PasswordIterations is the PBKDF2 count for the staff passwords; 0:
	// DefaultPasswordIterations (tests use fewer).
	PasswordIterations int
	// Passwords fixes staff passwords by user id (tests); the others are
	// random.
	Passwords map[string]string
}

// SeedResult is what was created.
type SeedResult struct {
	Accounts   []DemoAccount
	Households int
	Skipped    int
	DV         DemoDV
	// Outreach names the families recorded for push-type support: Notify
	// newly qualifies for 児童扶養手当 and consented to be told; the others
	// must not be told about it (no consent to be told; already receiving).
	Outreach DemoOutreach
}

// DemoOutreach are the names of the push-type demo families.
type DemoOutreach struct {
	Notify      string
	NoConsent   string
	Receiving   string
	Programme   string
	ProgramName string
}

// DemoAccount is one staff account of the demo.
type DemoAccount struct {
	UserID, Org, OrgName, Role, RoleName, DisplayName, Password string
}

// DemoDV is the family under a DV等支援措置, with the values that must
// never leave the responsible desks.
type DemoDV struct {
	CaseID    string
	Name      string // the applicant's name, which sharing shows
	Protected []string
}

// AccountsText lists the demo accounts for the operator (written once to
// a file only the operator can read).
func (r *SeedResult) AccountsText() string {
	var b strings.Builder
	b.WriteString("# onestop portal demo staff accounts (made up; for a demonstration only)\n")
	b.WriteString("# user\tpassword\tdepartment\trole\n")
	for _, a := range r.Accounts {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", a.UserID, a.Password, a.OrgName, a.RoleName)
	}
	return b.String()
}

// Empty reports whether the portal has no staff accounts yet (a new
// database).
func (a *App) Empty(ctx context.Context) (bool, error) {
	n, err := a.db.staffCount(ctx)
	return n == 0, err
}

var demoStaff = []struct {
	User, Org, Role, Name string
}{
	{"hitorioya.sato", deskOrg, roleCaseworker, "佐藤"},
	{"hitorioya.suzuki", deskOrg, roleCaseworker, "鈴木"},
	{"teate.tanaka", teateOrg, roleClerk, "田中"},
	{"kosodate.ito", kosodateOrg, roleClerk, "伊藤"},
	{"seikatsu.yamamoto", seikatsuOrg, roleClerk, "山本"},
	{"jutaku.nakamura", jutakuOrg, roleClerk, "中村"},
	{"shuro.kobayashi", shuroOrg, roleClerk, "小林"},
	{"hoken.kato", hokenOrg, roleClerk, "加藤"},
	{"iryo.yoshida", iryoOrg, roleClerk, "吉田"},
	{"shimin.yamada", shiminOrg, roleClerk, "山田"},
	{"kikaku.sasaki", kikakuOrg, roleReporter, "佐々木"},
	{"kansa.matsumoto", johoSeisakuOrg, roleAuditor, "松本"},
}

// seedClock is the clock of the seeding service: set to each event's time
// so that history lands in the months it describes.
type seedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *seedClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *seedClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Seed fills an empty portal with the demo data.
func (a *App) Seed(ctx context.Context, o SeedOptions) (*SeedResult, error) {
	empty, err := a.Empty(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		return nil, errors.New("web: the portal already has data")
	}
	if o.Households == 0 {
		o.Households = 40
	}
	res := &SeedResult{}
	for _, s := range demoStaff {
		pw, ok := o.Passwords[s.User]
		if !ok {
			c := strings.ToLower(randomCode(12))
			pw = c[:4] + "-" + c[4:8] + "-" + c[8:]
		}
		h, err := hashPassword(pw, o.PasswordIterations)
		if err != nil {
			return nil, err
		}
		if err := a.db.addStaff(ctx, staffUser{UserID: s.User, Org: s.Org, Role: s.Role, DisplayName: s.Name, hash: h}); err != nil {
			return nil, err
		}
		res.Accounts = append(res.Accounts, DemoAccount{UserID: s.User, Org: s.Org, OrgName: orgName(s.Org), Role: s.Role,
			RoleName: roleNames[s.Role], DisplayName: s.Name, Password: pw})
	}

	clock := &seedClock{t: a.now()}
	svc, err := casefile.New(a.store, casefile.Config{Roles: roles, Now: clock.now, OrgNames: orgNames()})
	if err != nil {
		return nil, err
	}
	sd := &seeder{a: a, svc: svc, clock: clock, rng: rand.New(rand.NewPCG(o.Seed, 0x5eed)), o: o}
	if err := sd.households(ctx, res); err != nil {
		return nil, err
	}
	if res.Outreach, err = sd.outreachFamilies(ctx); err != nil {
		return nil, fmt.Errorf("the push-type families: %w", err)
	}
	if res.DV, err = sd.dvFamily(ctx); err != nil {
		return nil, fmt.Errorf("the DV family: %w", err)
	}
	return res, nil
}

type seeder struct {
	a     *App
	svc   *casefile.Service
	clock *seedClock
	rng   *rand.Rand
	o     SeedOptions
	n     int
}

var (
	desk   = casefile.Actor{User: "hitorioya.sato", Org: deskOrg, Role: roleCaseworker, Client: "seed"}
	intake = casefile.Actor{User: "web-form", Org: deskOrg, Role: roleIntake, Client: "seed"}
)

func (sd *seeder) actor(a casefile.Actor) casefile.Actor {
	a.Tenant = sd.a.tenant
	return a
}

// households records the made-up households, spread from April of the
// last fiscal year to a few days ago.
func (sd *seeder) households(ctx context.Context, res *SeedResult) error {
	now := sd.a.now().In(jst)
	fyStart := time.Date(now.Year()-1, time.April, 7, 10, 0, 0, 0, jst)
	if now.Month() < time.April {
		fyStart = fyStart.AddDate(-1, 0, 0)
	}
	end := now.AddDate(0, 0, -3)
	span := end.Sub(fyStart)
	n := sd.o.Households
	for i := 0; i < n; i++ {
		at := fyStart.Add(time.Duration(int64(span) / int64(n) * int64(i)))
		at = time.Date(at.Year(), at.Month(), at.Day(), 9+sd.rng.IntN(8), sd.rng.IntN(60), 0, 0, jst)
		ok, err := sd.household(ctx, i, at)
		if err != nil {
			return err
		}
		if ok {
			res.Households++
		} else {
			res.Skipped++
		}
	}
	return nil
}

func (sd *seeder) pick(l []kanaName) kanaName { return l[sd.rng.IntN(len(l))] }

func (sd *seeder) household(ctx context.Context, i int, at time.Time) (bool, error) {
	day := civil.DateOf(at)
	g, err := synth.New(synth.Config{Seed: sd.o.Seed + uint64(i), AsOf: day})
	if err != nil {
		return false, err
	}
	h := g.Next()
	answers := sd.answers(h, day)
	sub, err := json.Marshal(map[string]any{"form": sd.a.form.ID(), "version": sd.a.form.Version(), "date": day.String(), "answers": answers})
	if err != nil {
		return false, err
	}
	checked, err := sd.a.form.Check(sub)
	if err != nil {
		return false, nil // a household the model form cannot say: skip it
	}
	sd.clock.set(at.UTC())
	sd.n++
	ref, err := forms.CreateCase(ctx, sd.svc, sd.actor(intake), checked, forms.RecordOptions{SubmissionID: fmt.Sprintf("SEED-%04d", sd.n), At: at.UTC()})
	if err != nil {
		return false, fmt.Errorf("household %d: %w", i, err)
	}
	return true, sd.casework(ctx, ref, at)
}

// answers turns a synthetic household into what a family would type.
func (sd *seeder) answers(h *eligibility.Household, day civil.Date) map[string]any {
	a := map[string]any{"municipality_code": sd.a.tenant, "grade_area": strconv.Itoa(sd.a.opts.GradeArea)}
	fam := sd.pick(familyNames)
	town := demoTowns[sd.rng.IntN(len(demoTowns))]
	a["postal_code"] = fmt.Sprintf("100-00%02d", sd.rng.IntN(100))
	a["prefecture"] = "東京都"
	a["city"] = "デモ区"
	a["town"] = fmt.Sprintf("%s%d丁目%d-%d", town, 1+sd.rng.IntN(5), 1+sd.rng.IntN(30), 1+sd.rng.IntN(20))
	topics := []string{"childcare", "employment", "housing", "living", "child_support", "education", "legal", "medical", "other"}
	sd.rng.Shuffle(len(topics), func(i, j int) { topics[i], topics[j] = topics[j], topics[i] })
	var troubles []any
	for _, t := range topics[:1+sd.rng.IntN(3)] {
		troubles = append(troubles, t)
	}
	a["troubles"] = troubles
	if h.Situation != nil {
		a["situation"] = string(*h.Situation)
	}
	if h.ApplicantRole != nil {
		a["applicant_role"] = string(*h.ApplicantRole)
	}
	if h.DeFactoPartner != nil {
		a["de_facto_partner"] = *h.DeFactoPartner
	}
	var children, others []any
	for _, m := range h.Members {
		switch m.Relation {
		case eligibility.RelationSelf:
			given := sd.pick(femaleNames)
			if m.Sex != nil && *m.Sex == eligibility.SexMale {
				given = sd.pick(maleNames)
			}
			p := map[string]any{"family_name": fam.Kanji, "given_name": given.Kanji, "family_kana": fam.Kana, "given_kana": given.Kana}
			sd.person(p, m, false)
			a["applicant"] = p
			if inc := sd.income(m, day, true); inc != nil {
				a["applicant_income"] = inc
			}
		case eligibility.RelationChild:
			c := sd.pick(childNames)
			p := map[string]any{"id": "c" + strconv.Itoa(len(children)+1), "family_name": fam.Kanji, "given_name": c.Kanji, "family_kana": fam.Kana, "given_kana": c.Kana}
			sd.person(p, m, true)
			sd.memberIncome(p, m, day, false)
			children = append(children, p)
		default:
			o := sd.pick(femaleNames)
			if m.Sex != nil && *m.Sex == eligibility.SexMale {
				o = sd.pick(maleNames)
			}
			p := map[string]any{"id": "m" + strconv.Itoa(len(others)+1), "relation": string(m.Relation), "family_name": fam.Kanji, "given_name": o.Kanji}
			sd.person(p, m, false)
			delete(p, "sex")
			delete(p, "resides_in_japan")
			delete(p, "in_facility")
			sd.memberIncome(p, m, day, true)
			others = append(others, p)
		}
	}
	a["children"] = orEmpty(children)
	a["others"] = orEmpty(others)
	if h.Receiving != nil {
		var rec []any
		for _, id := range h.Receiving {
			if slices.Contains([]string{"child-rearing-allowance", "child-allowance", "public-assistance", "single-parent-medical"}, id) {
				rec = append(rec, id)
			}
		}
		if len(rec) == 0 {
			rec = []any{"none"}
		}
		a["receiving"] = rec
	}
	a["training_course"] = sd.rng.IntN(10) == 0
	if a["training_course"] == true {
		a["training_months"] = strconv.Itoa(12 * (1 + sd.rng.IntN(3)))
		a["training_final_year"] = sd.rng.IntN(2) == 0
		a["training_received"] = false
	}
	a["education_course"] = false
	// contact and consents: most families agree, some do not
	ok := sd.rng.IntN(100) < 85
	a["contact_ok"] = ok
	if ok {
		methods := []any{"phone"}
		if sd.rng.IntN(2) == 0 {
			methods = append(methods, "email")
		}
		if sd.rng.IntN(4) == 0 {
			methods = []any{"post"}
		}
		a["contact_methods"] = methods
		if slices.Contains(methods, any("phone")) {
			a["contact_times"] = []any{[]string{"平日9時〜12時", "平日12時〜17時", "平日17時以降", "土日祝日"}[sd.rng.IntN(4)]}
			a["phone"] = fmt.Sprintf("090-%04d-%04d", sd.rng.IntN(10000), sd.rng.IntN(10000))
		}
		if slices.Contains(methods, any("email")) {
			a["email"] = fmt.Sprintf("family%04d@example.com", sd.rng.IntN(10000))
		}
		a["consent_notification"] = sd.rng.IntN(100) < 75
	}
	a["consent_sharing"] = sd.rng.IntN(100) < 80
	a["consent_online_application"] = sd.rng.IntN(100) < 70
	if slices.Contains(troubles, any("medical")) {
		a["consent_health"] = sd.rng.IntN(2) == 0
	}
	return a
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// person fills the person facts a member has.
func (sd *seeder) person(p map[string]any, m eligibility.Member, child bool) {
	if m.BirthDate != nil {
		p["birth_date"] = m.BirthDate.String()
	}
	if m.Sex != nil {
		p["sex"] = string(*m.Sex)
	}
	if m.ResidesInJapan != nil {
		p["resides_in_japan"] = *m.ResidesInJapan
	}
	if child || m.Relation != eligibility.RelationSelf {
		if m.LivesWith != nil {
			p["lives_with"] = *m.LivesWith
		} else {
			p["lives_with"] = true
		}
		if m.SameLivelihood != nil {
			p["same_livelihood"] = *m.SameLivelihood
		}
		if m.Supported != nil {
			p["supported"] = *m.Supported
		}
	}
	if child && m.InFacility != nil {
		p["in_facility"] = *m.InFacility
	}
	if d := m.Disability; d != nil {
		p["disability_kind"] = string(d.Kind)
		switch d.Kind {
		case eligibility.DisabilityPhysical:
			p["grade_physical"] = d.Grade
		case eligibility.DisabilityIntellectual:
			p["grade_intellectual"] = d.Grade
		case eligibility.DisabilityMental:
			p["grade_mental"] = d.Grade
		}
		if child && d.Kind != eligibility.DisabilityNone {
			if d.AllowanceLevel != nil {
				p["allowance_level"] = *d.AllowanceLevel
			}
			if d.SpecialChildGrade != nil {
				p["special_child_grade"] = string(*d.SpecialChildGrade)
			}
			if d.ConstantCare != nil {
				p["constant_care"] = *d.ConstantCare
			}
		}
	}
}

// kindsOf lists the kinds of income of a year with an amount, and those
// amounts by the form's field suffix.
func kindsOf(in *eligibility.Income, all bool) ([]any, map[string]int64) {
	kinds, amounts := []any{}, map[string]int64{}
	add := func(kind, field string, v *int64) {
		if v != nil && *v > 0 {
			kinds = append(kinds, kind)
			amounts[field] = *v
		}
	}
	add("salary_revenue", "salary", in.SalaryRevenue)
	if all {
		add("pension_revenue", "pension", in.PensionRevenue)
		add("business_income", "business", in.BusinessIncome)
		add("other_income", "other", in.OtherIncome)
	} else {
		var other int64
		for _, v := range []*int64{in.PensionRevenue, in.BusinessIncome, in.OtherIncome} {
			if v != nil {
				other += *v
			}
		}
		add("other_income", "other", &other)
	}
	if len(kinds) == 0 {
		kinds = []any{"none"}
	}
	return kinds, amounts
}

// income is the applicant's income group of the form.
func (sd *seeder) income(m eligibility.Member, day civil.Date, applicant bool) map[string]any {
	if m.Incomes == nil {
		return nil
	}
	out := map[string]any{}
	for _, y := range incomeYears(day) {
		in := m.IncomeFor(y.year)
		if in == nil {
			if len(m.Incomes) == 0 {
				out[y.prefix+"_kinds"] = []any{"none"}
			}
			continue
		}
		putIncome(out, y.prefix, in, true)
		if applicant && in.ChildSupportReceived != nil {
			out[y.prefix+"_child_support"] = strconv.FormatInt(*in.ChildSupportReceived, 10)
		}
		if applicant && in.Deductions != nil {
			out[y.prefix+"_deductions"] = deductionChoices(in.Deductions, y.prefix, out)
		}
	}
	return out
}

func deductionChoices(d *eligibility.Deductions, prefix string, out map[string]any) []any {
	var ch []any
	amount := func(choice, field string, v int64) {
		if v > 0 {
			ch = append(ch, choice)
			out[prefix+"_"+field] = strconv.FormatInt(v, 10)
		}
	}
	amount("medical", "medical", d.Medical)
	amount("casualty_loss", "casualty", d.CasualtyLoss)
	amount("small_business_mutual_aid", "mutual_aid", d.SmallBusinessMutualAid)
	amount("spouse_special", "spouse_special", d.SpouseSpecial)
	amount("disabled", "disabled", int64(d.Disabled))
	amount("special_disabled", "special_disabled", int64(d.SpecialDisabled))
	for _, f := range []struct {
		on     bool
		choice string
	}{{d.WorkingStudent, "working_student"}, {d.Widow, "widow"}, {d.SingleParent, "single_parent"}} {
		if f.on {
			ch = append(ch, f.choice)
		}
	}
	if len(ch) == 0 {
		ch = []any{"none"}
	}
	return ch
}

// memberIncome fills a listed member's income questions.
func (sd *seeder) memberIncome(p map[string]any, m eligibility.Member, day civil.Date, all bool) {
	if m.Incomes == nil {
		return
	}
	has := false
	for _, y := range incomeYears(day) {
		if in := m.IncomeFor(y.year); in != nil {
			if k, _ := kindsOf(in, all); len(k) > 0 && k[0] != "none" {
				has = true
			}
		}
	}
	p["has_income"] = has
	if !has {
		return
	}
	for _, y := range incomeYears(day) {
		in := m.IncomeFor(y.year)
		if in == nil {
			p[y.prefix+"_kinds"] = []any{"none"}
			continue
		}
		putIncome(p, y.prefix, in, all)
	}
}

// incomeYear is one of the form's two income years and the prefix of its
// questions.
type incomeYear struct {
	prefix string
	year   int
}

// incomeYears are the form's income years seen from day: 前年 and 前々年.
func incomeYears(day civil.Date) []incomeYear {
	return []incomeYear{{"prev", day.Year() - 1}, {"prev2", day.Year() - 2}}
}

// putIncome writes one year's income kinds and amounts under prefix.
func putIncome(out map[string]any, prefix string, in *eligibility.Income, all bool) {
	kinds, amounts := kindsOf(in, all)
	out[prefix+"_kinds"] = kinds
	for f, v := range amounts {
		out[prefix+"_"+f] = strconv.FormatInt(v, 10)
	}
}

var channelsAtDesk = []string{"counter", "phone", "visit", "line", "online"}

// casework adds the desk's later consultations, and for some families a
// conference, tasks and referrals.
func (sd *seeder) casework(ctx context.Context, ref *forms.Ref, at time.Time) error {
	now := sd.a.now()
	t := at
	for k := 0; k < sd.rng.IntN(4); k++ {
		t = t.Add(time.Duration(3+sd.rng.IntN(40)) * 24 * time.Hour)
		if t.After(now) {
			break
		}
		topics := []string{"childcare", "employment", "housing", "living", "child_support", "education"}
		c := casefile.Consultation{CaseID: ref.CaseID, OccurredAt: t.UTC(), Channel: channelsAtDesk[sd.rng.IntN(len(channelsAtDesk))],
			Staff: desk.User, Org: deskOrg, Topics: []string{topics[sd.rng.IntN(len(topics))]}, Summary: "継続相談（デモデータ）"}
		sd.clock.set(t.UTC())
		if err := sd.svc.Change(ctx, sd.actor(desk), consent.PurposeConsultation, func(ch *casefile.Changes) error { return ch.Create(&c) }); err != nil {
			return err
		}
	}
	if sd.rng.IntN(100) < 35 {
		org := []string{teateOrg, kosodateOrg, seikatsuOrg, jutakuOrg, shuroOrg}[sd.rng.IntN(5)]
		reason := map[string]string{teateOrg: "allowance", kosodateOrg: "childcare", seikatsuOrg: "living", jutakuOrg: "housing", shuroOrg: "employment"}[org]
		if err := sd.refer(ctx, ref.CaseID, org, reason, at.Add(48*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}

func (sd *seeder) refer(ctx context.Context, caseID, org, reason string, at time.Time) error {
	if now := sd.a.now(); at.After(now) {
		at = now
	}
	sd.clock.set(at.UTC())
	task := casefile.Task{CaseID: caseID, Title: "紹介: " + referralLabel(reason), AssigneeOrg: org, Due: civil.DateOf(at.In(jst).AddDate(0, 0, 14)), Status: "todo"}
	if err := sd.svc.Change(ctx, sd.actor(desk), consent.PurposeConsultation, func(ch *casefile.Changes) error { return ch.Create(&task) }); err != nil {
		return err
	}
	if err := sd.a.db.addReferral(ctx, referral{ID: casefile.NewID(), CaseID: caseID, Org: org, TaskID: task.ID, Reason: reason, ByUser: desk.User, At: at}); err != nil {
		return err
	}
	// the department opens the case the next working day: a read decided by
	// consent, in the disclosure register and in the report's sharing table
	if read := at.Add(20 * time.Hour); read.Before(sd.a.now()) {
		sd.clock.set(read.UTC())
		clerk := casefile.Actor{Tenant: sd.a.tenant, User: "seed-" + org, Org: org, Role: roleClerk, Client: "seed"}
		if _, err := sd.svc.ReadCase(ctx, clerk, caseID, casefile.ReadOptions{Purpose: consent.PurposeSharing}); err != nil && !errors.Is(err, casefile.ErrDenied) {
			return err
		}
	}
	return nil
}

// outreachFamilies records three families a push-type run must tell
// apart: one who newly qualifies for 児童扶養手当 and asked to be told by
// e-mail, one who did not consent to be told, one who already receives it.
func (sd *seeder) outreachFamilies(ctx context.Context) (DemoOutreach, error) {
	out := DemoOutreach{Notify: "青木 恵美", NoConsent: "森 由香", Receiving: "岡田 真理", Programme: "child-rearing-allowance", ProgramName: "児童扶養手当"}
	at := sd.a.now().In(jst).AddDate(0, 0, -10)
	at = time.Date(at.Year(), at.Month(), at.Day(), 14, 0, 0, 0, jst)
	day := civil.DateOf(at)
	for i, f := range []struct {
		fam, famKana, given, givenKana, email string
		notify                                bool
		receiving                             []any
	}{
		{"青木", "アオキ", "恵美", "エミ", "aoki.emi@example.com", true, []any{"child-allowance"}},
		{"森", "モリ", "由香", "ユカ", "mori.yuka@example.com", false, []any{"child-allowance"}},
		{"岡田", "オカダ", "真理", "マリ", "okada.mari@example.com", true, []any{"child-allowance", "child-rearing-allowance"}},
	} {
		answers := map[string]any{
			"municipality_code": sd.a.tenant, "grade_area": strconv.Itoa(sd.a.opts.GradeArea),
			"postal_code": "100-0011", "prefecture": "東京都", "city": "デモ区", "town": fmt.Sprintf("けやき坂2丁目%d-1", i+1),
			"troubles": []any{"living", "employment"}, "situation": "divorced", "applicant_role": "parent", "de_facto_partner": false,
			"applicant": map[string]any{"family_name": f.fam, "given_name": f.given, "family_kana": f.famKana, "given_kana": f.givenKana,
				"birth_date": civil.DateOf(at.AddDate(-36, 0, -i*40)).String(), "sex": "female", "resides_in_japan": true, "disability_kind": "none"},
			"children": []any{map[string]any{"id": "c1", "family_name": f.fam, "given_name": "ゆい", "birth_date": civil.DateOf(at.AddDate(-8, -2, 0)).String(),
				"lives_with": true, "same_livelihood": true, "supported": true, "in_facility": false, "resides_in_japan": true, "disability_kind": "none", "has_income": false}},
			"others": []any{},
			"applicant_income": map[string]any{"prev_kinds": []any{"salary_revenue"}, "prev_salary": "1500000", "prev_child_support": "0", "prev_deductions": []any{"none"},
				"prev2_kinds": []any{"salary_revenue"}, "prev2_salary": "1450000", "prev2_child_support": "0", "prev2_deductions": []any{"none"}},
			"receiving": f.receiving, "training_course": false, "education_course": false,
			"contact_ok": true, "contact_methods": []any{"email"}, "email": f.email,
			"consent_sharing": true, "consent_notification": f.notify, "consent_online_application": true,
		}
		sub, err := json.Marshal(map[string]any{"form": sd.a.form.ID(), "version": sd.a.form.Version(), "date": day.String(), "answers": answers})
		if err != nil {
			return out, err
		}
		checked, err := sd.a.form.Check(sub)
		if err != nil {
			return out, err
		}
		sd.clock.set(at.Add(time.Duration(i) * time.Minute).UTC())
		if _, err := forms.CreateCase(ctx, sd.svc, sd.actor(intake), checked, forms.RecordOptions{SubmissionID: fmt.Sprintf("SEED-PUSH-%d", i+1), At: at.UTC()}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// The family under a DV等支援措置: its address and contacts are masked for
// every department but the responsible desks, whatever the consent says.
const (
	dvTown     = "みどり台4丁目12-7"
	dvBuilding = "コーポ桜305"
	dvPhone    = "080-0000-7777"
	dvPostal   = "100-0099"
	dvEmail    = "sakura.m@example.com"
)

func (sd *seeder) dvFamily(ctx context.Context) (DemoDV, error) {
	at := sd.a.now().In(jst).AddDate(0, 0, -20)
	at = time.Date(at.Year(), at.Month(), at.Day(), 11, 0, 0, 0, jst)
	day := civil.DateOf(at)
	child := civil.DateOf(at.AddDate(-6, -3, 0))
	sub, err := json.Marshal(map[string]any{"form": sd.a.form.ID(), "version": sd.a.form.Version(), "date": day.String(), "answers": map[string]any{
		"municipality_code": sd.a.tenant, "grade_area": strconv.Itoa(sd.a.opts.GradeArea),
		"postal_code": dvPostal, "prefecture": "東京都", "city": "デモ区", "town": dvTown, "building": dvBuilding,
		"troubles": []any{"dv", "living", "childcare"}, "consult_text": "元夫から避難して転居しました。住所を知られたくありません。",
		"situation": "divorced", "applicant_role": "parent", "de_facto_partner": false,
		"applicant": map[string]any{"family_name": "緑川", "given_name": "さくら", "family_kana": "ミドリカワ", "given_kana": "サクラ",
			"birth_date": civil.DateOf(at.AddDate(-34, -2, 0)).String(), "sex": "female", "resides_in_japan": true, "disability_kind": "none"},
		"children": []any{map[string]any{"id": "c1", "family_name": "緑川", "given_name": "ひなた", "family_kana": "ミドリカワ", "given_kana": "ヒナタ",
			"birth_date": child.String(), "lives_with": true, "same_livelihood": true, "in_facility": false, "resides_in_japan": true,
			"disability_kind": "none", "has_income": false}},
		"others":           []any{},
		"applicant_income": map[string]any{"prev_kinds": []any{"salary_revenue"}, "prev_salary": "1800000", "prev_child_support": "0", "prev_deductions": []any{"none"}, "prev2_kinds": []any{"salary_revenue"}, "prev2_salary": "2100000", "prev2_child_support": "0", "prev2_deductions": []any{"none"}},
		"receiving":        []any{"child-allowance"},
		"training_course":  false, "education_course": false,
		"contact_ok": true, "contact_methods": []any{"phone", "email"}, "contact_times": []any{"平日12時〜17時"},
		"contact_note": "「市役所」と名乗らないでください", "phone": dvPhone, "email": dvEmail,
		"consent_sharing": true, "consent_notification": true, "consent_online_application": true,
	}})
	if err != nil {
		return DemoDV{}, err
	}
	checked, err := sd.a.form.Check(sub)
	if err != nil {
		return DemoDV{}, err
	}
	sd.clock.set(at.UTC())
	ref, err := forms.CreateCase(ctx, sd.svc, sd.actor(intake), checked, forms.RecordOptions{SubmissionID: "SEED-DV", At: at.UTC()})
	if err != nil {
		return DemoDV{}, err
	}
	mother, kid := ref.Members["p"].PersonID, ref.Members["c1"].PersonID
	sd.clock.set(at.Add(2 * time.Hour).UTC())
	err = sd.svc.Change(ctx, sd.actor(desk), consent.PurposeConsultation, func(ch *casefile.Changes) error {
		ex := casefile.Person{Name: casefile.Name{Family: "黒田", Given: "一郎"}, Sex: "male"}
		if err := ch.Create(&ex); err != nil {
			return err
		}
		id := casefile.NewID()
		r := casefile.AddressRestriction{Meta: casefile.Meta{ID: id}, Restriction: consent.Restriction{
			ID: id, Kind: consent.RestrictionDV, Subjects: []string{mother, kid}, Counterparties: []string{ex.ID},
			ProtectedFields: []string{"address", "contacts"}, ResponsibleOrgs: []string{deskOrg, shiminOrg},
			Period: consent.Period{Start: at.UTC(), End: at.AddDate(1, 0, 0).UTC()}, Source: "警察署の意見", VerifiedBy: desk.User,
		}}
		return ch.Create(&r)
	})
	if err != nil {
		return DemoDV{}, err
	}
	for i, org := range []string{kosodateOrg, teateOrg, hokenOrg, jutakuOrg} {
		reason := map[string]string{kosodateOrg: "childcare", teateOrg: "allowance", hokenOrg: "health", jutakuOrg: "housing"}[org]
		if err := sd.refer(ctx, ref.CaseID, org, reason, at.Add(time.Duration(3+i)*time.Hour)); err != nil {
			return DemoDV{}, err
		}
	}
	return DemoDV{CaseID: ref.CaseID, Name: "緑川 さくら", Protected: []string{"みどり台", dvBuilding, dvPhone, "1000099", dvPostal, dvEmail}}, nil
}
