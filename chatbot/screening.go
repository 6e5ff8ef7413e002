package chatbot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/civil"

	"golang.org/x/text/unicode/norm"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/wareki"
)

// Guided screening: a Dialogue that, for one programme, asks the resident
// only the facts the eligibility engine says are missing, one question at
// a time, and ends with the outcome and what to do next.
//
// The dialogue first asks who lives in the household (how many children,
// whether grandparents live there): the engine needs the members to exist
// before it can ask about them. From then on every question comes from the
// engine: after each answer the household is screened again, and the next
// fact in Outcome.Missing is asked. A fact the engine does not need is never
// asked. "わからない" on any question ends the dialogue with what is known
// and a desk to ask. Answers stay in the dialogue's memory only; they are
// never written to the event log.

// ScreeningName is the name under which ScreeningDialogue is usually
// registered; its buttons are "dialogue:screening:<programme id>".
const ScreeningName = "screening"

// ScreeningOption configures ScreeningDialogue.
type ScreeningOption func(*screeningConfig)

type screeningConfig struct {
	today        func() civil.Date
	municipality string
	gradeArea    int
	kb           *KnowledgeBase
	maxQuestions int
}

// WithScreeningDate sets the function giving the date screened for (the
// default is today in Japan).
func WithScreeningDate(today func() civil.Date) ScreeningOption {
	return func(c *screeningConfig) { c.today = today }
}

// WithMunicipality fills in the facts a resident does not know but the
// deployment does: the municipality code (全国地方公共団体コード) and its 級地
// (1–3; 0 when unknown).
func WithMunicipality(code string, gradeArea int) ScreeningOption {
	return func(c *screeningConfig) { c.municipality, c.gradeArea = code, gradeArea }
}

// WithScreeningDesks gives the knowledge base whose desks the final turn
// points to (the desk for the programme's category).
func WithScreeningDesks(kb *KnowledgeBase) ScreeningOption {
	return func(c *screeningConfig) { c.kb = kb }
}

// ScreeningDialogue returns a DialogueFactory for guided screening with
// engine; the factory's arg is a programme id of the engine. Register it
// with WithDialogue(ScreeningName, …).
func ScreeningDialogue(engine *eligibility.Engine, opts ...ScreeningOption) DialogueFactory {
	cfg := screeningConfig{maxQuestions: 40, today: func() civil.Date {
		return civil.DateOf(time.Now().In(time.FixedZone("JST", 9*3600)))
	}}
	for _, o := range opts {
		o(&cfg)
	}
	progs := map[string]eligibility.ProgramInfo{}
	for _, p := range engine.Programs() {
		progs[p.ID] = p
	}
	extras := map[string]eligibility.ExtraFact{}
	for _, f := range engine.ExtraFacts() {
		extras[f.Key] = f
	}
	return func(ctx context.Context, arg string) (Dialogue, error) {
		p, ok := progs[arg]
		if !ok {
			return nil, fmt.Errorf("%w: no programme %q to screen for", ErrNoDialogue, arg)
		}
		d := &screeningDialogue{engine: engine, cfg: cfg, prog: p, asOf: cfg.today(), extras: extras}
		d.h = &eligibility.Household{ID: "chat", Members: []eligibility.Member{{ID: "self", Relation: eligibility.RelationSelf}}}
		if cfg.municipality != "" {
			d.h.MunicipalityCode = new(cfg.municipality)
		}
		if cfg.gradeArea > 0 {
			d.h.GradeArea = new(cfg.gradeArea)
		}
		return d, nil
	}
}

type screeningDialogue struct {
	engine *eligibility.Engine
	cfg    screeningConfig
	prog   eligibility.ProgramInfo
	asOf   civil.Date
	h      *eligibility.Household
	// step is the composition question being asked, or stepFacts.
	step    int
	pending *eligibility.Missing
	asked   int
	extras  map[string]eligibility.ExtraFact // the packs' local facts
	notes   []string                         // assumptions made, told to the resident at the end
}

const (
	stepChildren = iota
	stepGrandparents
	stepFacts
)

func (d *screeningDialogue) needs(fact string) bool {
	for _, f := range d.prog.Facts {
		if strings.HasPrefix(f, fact) {
			return true
		}
	}
	return false
}

var countReplies = func(max int, none string) []QuickReply {
	qs := []QuickReply{{Label: none, Text: "0"}}
	for i := 1; i <= max; i++ {
		qs = append(qs, QuickReply{Label: fmt.Sprintf("%d人", i), Text: strconv.Itoa(i)})
	}
	return append(qs, QuickReply{Label: "わからない", Text: "わからない"})
}

// Start asks the first question.
func (d *screeningDialogue) Start(ctx context.Context) (Reply, error) {
	intro := fmt.Sprintf("%sの対象になるかを、いくつかの質問で確かめます（途中でやめるときは「やめる」と入力してください）。お答えはこの確認のためだけに使い、記録しません。\n\n", d.prog.Name)
	if !d.needs("members[]") {
		d.step = stepFacts
		r, _, err := d.advance(ctx)
		r.Text = intro + r.Text
		return r, err
	}
	d.step = stepChildren
	return Reply{Text: intro + "一緒に暮らしているお子さん（18歳になった後の最初の3月31日までのお子さんのほか、生活費を出している22歳までのお子さん）は何人ですか？",
		QuickReplies: countReplies(5, "いない")}, nil
}

// Next takes an answer and asks the next question, or ends.
func (d *screeningDialogue) Next(ctx context.Context, in Input) (Reply, bool, error) {
	// raw keeps dates and amounts as typed (width-folded); text is fully
	// normalised for words such as はい/ハイ.
	raw := strings.TrimSpace(norm.NFKC.String(in.Text))
	if in.Text == "" {
		raw = in.Postback
	}
	text := strings.TrimSpace(Normalize(raw))
	if isUnknown(text) {
		return d.finish(ctx, "ここまでのお答えで判定できる範囲をお知らせします。")
	}
	switch d.step {
	case stepChildren:
		n, ok := parseCount(text, 10)
		if !ok {
			return Reply{Text: "人数を数字で教えてください（例: 2）。", QuickReplies: countReplies(5, "いない")}, false, nil
		}
		for i := 1; i <= n; i++ {
			d.h.Members = append(d.h.Members, eligibility.Member{ID: fmt.Sprintf("子%d", i), Relation: eligibility.RelationChild})
		}
		d.step = stepGrandparents
		return Reply{Text: "あなたの父母（お子さんの祖父母）で、一緒に暮らしている方は何人ですか？",
			QuickReplies: countReplies(2, "いない")}, false, nil
	case stepGrandparents:
		n, ok := parseCount(text, 2)
		if !ok {
			return Reply{Text: "0〜2 の数字で教えてください。", QuickReplies: countReplies(2, "いない")}, false, nil
		}
		for i := 1; i <= n; i++ {
			d.h.Members = append(d.h.Members, eligibility.Member{ID: fmt.Sprintf("祖父母%d", i), Relation: eligibility.RelationParent, LivesWith: new(true)})
		}
		d.step = stepFacts
		return d.advance(ctx)
	}
	if d.pending == nil {
		return d.advance(ctx)
	}
	if msg := d.apply(*d.pending, raw, text); msg != "" {
		q := d.question(*d.pending)
		q.Text = msg + "\n" + q.Text
		return q, false, nil
	}
	d.pending = nil
	return d.advance(ctx)
}

// advance screens the household and asks the next missing fact, or ends.
func (d *screeningDialogue) advance(ctx context.Context) (Reply, bool, error) {
	out, err := d.screen(ctx)
	if err != nil {
		return Reply{Text: "申し訳ありません。判定できませんでした。窓口にお問い合わせください。"}, true, err
	}
	if len(out.Missing) == 0 || out.Status == eligibility.Ineligible || out.Error != nil {
		return d.end(out)
	}
	if d.asked >= d.cfg.maxQuestions {
		return d.end(out)
	}
	next := d.pick(out.Missing)
	d.pending = &next
	d.asked++
	return d.question(next), false, nil
}

func (d *screeningDialogue) screen(ctx context.Context) (*eligibility.Outcome, error) {
	s, err := d.engine.Screen(ctx, d.h, d.asOf, eligibility.OnlyPrograms(d.prog.ID))
	if err != nil {
		return nil, err
	}
	if len(s.Results) != 1 {
		return nil, errors.New("chatbot: screening returned no outcome")
	}
	return &s.Results[0], nil
}

// pick chooses the next fact to ask: the family situation first (it
// decides the most), then other household facts, then facts about the
// members (birth dates before incomes: a child past the age limit makes the
// income questions unnecessary), then incomes, deductions and local facts.
// Among equals, the applicant comes first (paths sort members[0] first).
func (d *screeningDialogue) pick(ms []eligibility.Missing) eligibility.Missing {
	rank := func(m eligibility.Missing) int {
		switch {
		case m.Path == "situation":
			return 0
		case strings.HasPrefix(m.Path, "extra."):
			return 6
		case !strings.HasPrefix(m.Path, "members"):
			return 1
		case m.Field == "deductions":
			return 5
		case m.Year != 0 && m.Field == "incomes":
			return 3
		case m.Year != 0:
			return 4
		}
		return 2
	}
	sorted := append([]eligibility.Missing(nil), ms...)
	sort.SliceStable(sorted, func(i, j int) bool { return rank(sorted[i]) < rank(sorted[j]) })
	return sorted[0]
}

// memberIndex returns the member index of a missing fact's path, or -1.
func memberIndex(path string) int {
	rest, ok := strings.CutPrefix(path, "members[")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest[:strings.IndexByte(rest, ']')])
	if err != nil {
		return -1
	}
	return n
}

func (d *screeningDialogue) who(m eligibility.Missing) string {
	i := memberIndex(m.Path)
	if i < 0 || i >= len(d.h.Members) {
		return ""
	}
	if d.h.Members[i].Relation == eligibility.RelationSelf {
		return "あなた"
	}
	id := d.h.Members[i].ID
	if strings.HasPrefix(id, "子") {
		return "お子さん（" + strings.TrimPrefix(id, "子") + "人目）"
	}
	if strings.HasPrefix(id, "祖父母") {
		return "同居の祖父母（" + strings.TrimPrefix(id, "祖父母") + "人目）"
	}
	return id
}

var yesNo = []QuickReply{{Label: "はい", Text: "はい"}, {Label: "いいえ", Text: "いいえ"}, {Label: "わからない", Text: "わからない"}}

func yenReplies() []QuickReply {
	return []QuickReply{{Label: "なし（0円）", Text: "0"}, {Label: "わからない", Text: "わからない"}}
}

func yearLabel(y int) string {
	if w, err := wareki.Format(civil.MustDate(max(1, min(y, 9999)), 12, 31), wareki.Kanji); err == nil {
		return fmt.Sprintf("%d年（%s）", y, strings.SplitN(w, "年", 2)[0]+"年")
	}
	return fmt.Sprintf("%d年", y)
}

var incomeQuestions = map[string]string{
	"salary_revenue":         "給与の収入（源泉徴収票の「支払金額」、税込みの年額）",
	"pension_revenue":        "公的年金等の収入（遺族年金・障害年金を除く年額）",
	"business_income":        "事業の所得（売上から経費を引いた額）",
	"other_income":           "そのほかの所得（不動産・配当など）",
	"child_support_received": "受け取った養育費の合計（お子さんのために受け取った分を含む）",
}

var boolQuestions = map[string]string{
	"de_facto_partner": "事実上の婚姻関係にある方（事実婚の相手）はいますか？",
	"resides_in_japan": "%sは日本国内に住所がありますか？",
	"in_facility":      "%sは児童福祉施設に入所しているか、里親に預けられていますか？",
	"supported":        "%sの生活費を、あなたが負担していますか？",
	"lives_with":       "%sはあなたと一緒に暮らしていますか？",
	"same_livelihood":  "%sはあなたと生計を同じくしていますか？",
	"allowance_level":  "%sの障害は、手当の対象となる程度と認められていますか（診断書で判定されます）？",
}

// question renders the question for a missing fact.
func (d *screeningDialogue) question(m eligibility.Missing) Reply {
	who := d.who(m)
	field := m.Field
	switch {
	case m.Year != 0 && field == "incomes":
		return Reply{Text: fmt.Sprintf("%sに%sの収入（給与・年金・事業など）はありましたか？", who, yearLabel(m.Year)),
			QuickReplies: []QuickReply{{Label: "収入があった", Text: "はい"}, {Label: "収入はなかった", Text: "いいえ"}, {Label: "わからない", Text: "わからない"}}}
	case m.Year != 0 && field == "deductions":
		return Reply{Text: fmt.Sprintf("%sの%s分の所得控除で、医療費控除・障害者控除・勤労学生控除などはありましたか？（社会保険料控除・基礎控除などは含みません）", who, yearLabel(m.Year)), QuickReplies: yesNo}
	case m.Year != 0:
		return Reply{Text: fmt.Sprintf("%sの%sの%sは、いくらでしたか？（例: 240万、2400000）", who, yearLabel(m.Year), incomeQuestions[field]), QuickReplies: yenReplies()}
	}
	if q, ok := boolQuestions[field]; ok {
		if strings.Contains(q, "%s") {
			q = fmt.Sprintf(q, who)
		}
		return Reply{Text: q, QuickReplies: yesNo}
	}
	switch field {
	case "birth_date":
		return Reply{Text: fmt.Sprintf("%sの生年月日を教えてください（例: 2015-05-01、平成27年5月1日）。", who), QuickReplies: []QuickReply{{Label: "わからない", Text: "わからない"}}}
	case "disability":
		return Reply{Text: fmt.Sprintf("%sは障害者手帳をお持ちですか？", who), QuickReplies: []QuickReply{
			{Label: "持っていない", Text: "なし"}, {Label: "身体障害者手帳", Text: "身体"}, {Label: "療育手帳", Text: "療育"},
			{Label: "精神保健福祉手帳", Text: "精神"}, {Label: "わからない", Text: "わからない"}}}
	case "grade":
		return Reply{Text: fmt.Sprintf("%sの障害者手帳の等級（程度）を教えてください（例: 2、A、B）。", who), QuickReplies: []QuickReply{{Label: "わからない", Text: "わからない"}}}
	}
	if f := enumField(field); f != nil {
		var qs []QuickReply
		for _, ev := range f.Enum {
			if len(qs) == MaxQuickReplies-1 {
				break
			}
			qs = append(qs, QuickReply{Label: truncateLabel(ev.Label), Text: ev.Value})
		}
		qs = append(qs, QuickReply{Label: "わからない", Text: "わからない"})
		text := fmt.Sprintf("%sを選んでください。", f.Label)
		if field == "situation" {
			text = "ひとり親になった事情に近いものを選んでください。"
		}
		if who != "" {
			text = who + "の" + text
		}
		return Reply{Text: text, QuickReplies: qs}
	}
	if strings.HasPrefix(m.Path, "extra.") {
		f, ok := d.extras[field]
		if !ok {
			return Reply{Text: fmt.Sprintf("「%s」について教えてください（はい／いいえ、または数字）。", field), QuickReplies: yesNo}
		}
		switch f.Type {
		case eligibility.ExtraBool:
			return Reply{Text: f.Label + "？", QuickReplies: yesNo}
		case eligibility.ExtraYen:
			return Reply{Text: f.Label + "を教えてください（例: 12万、120000。なければ 0）。", QuickReplies: yenReplies()}
		case eligibility.ExtraInt:
			return Reply{Text: f.Label + "を数字で教えてください。", QuickReplies: []QuickReply{{Label: "わからない", Text: "わからない"}}}
		}
		return Reply{Text: f.Label + "を教えてください。", QuickReplies: []QuickReply{{Label: "わからない", Text: "わからない"}}}
	}
	return Reply{Text: fmt.Sprintf("%sを教えてください。", m.Label), QuickReplies: []QuickReply{{Label: "わからない", Text: "わからない"}}}
}

func truncateLabel(s string) string {
	r := []rune(s)
	if len(r) > MaxQuickReplyLabel {
		return string(r[:MaxQuickReplyLabel-1]) + "…"
	}
	return s
}

func enumField(key string) *eligibility.FactField {
	for _, t := range eligibility.FactTypes() {
		if f := t.Field(key); f != nil && f.Kind == eligibility.KindEnum {
			f := *f
			return &f
		}
	}
	return nil
}

// apply records an answer; it returns a message asking again when the
// answer cannot be used.
func (d *screeningDialogue) apply(m eligibility.Missing, raw, text string) string {
	i := memberIndex(m.Path)
	var mem *eligibility.Member
	if i >= 0 && i < len(d.h.Members) {
		mem = &d.h.Members[i]
	}
	switch {
	case mem != nil && m.Year != 0:
		return d.applyIncome(mem, m, raw, text)
	case strings.HasPrefix(m.Path, "extra."):
		if d.h.Extra == nil {
			d.h.Extra = map[string]any{}
		}
		f, declared := d.extras[m.Field]
		switch {
		case declared && f.Type == eligibility.ExtraBool:
			b, ok := parseYesNo(text)
			if !ok {
				return "「はい」か「いいえ」で答えてください。"
			}
			d.h.Extra[m.Field] = b
		case declared && (f.Type == eligibility.ExtraInt || f.Type == eligibility.ExtraYen):
			n, ok := parseYen(raw)
			if !ok {
				return "数字で教えてください。"
			}
			d.h.Extra[m.Field] = n
		case declared:
			d.h.Extra[m.Field] = truncateText(raw, eligibility.MaxStringLength)
		default:
			if b, ok := parseYesNo(text); ok {
				d.h.Extra[m.Field] = b
			} else if n, ok := parseYen(raw); ok {
				d.h.Extra[m.Field] = n
			} else {
				d.h.Extra[m.Field] = truncateText(raw, eligibility.MaxStringLength)
			}
		}
		return ""
	}
	if _, ok := boolQuestions[m.Field]; ok {
		b, ok := parseYesNo(text)
		if !ok {
			return "「はい」か「いいえ」で答えてください。"
		}
		switch m.Field {
		case "de_facto_partner":
			d.h.DeFactoPartner = &b
		case "resides_in_japan":
			mem.ResidesInJapan = &b
		case "in_facility":
			mem.InFacility = &b
		case "supported":
			mem.Supported = &b
		case "lives_with":
			mem.LivesWith = &b
		case "same_livelihood":
			mem.SameLivelihood = &b
		case "allowance_level":
			if mem.Disability == nil {
				mem.Disability = &eligibility.Disability{Kind: eligibility.DisabilityOther}
			}
			mem.Disability.AllowanceLevel = &b
		}
		return ""
	}
	switch m.Field {
	case "birth_date":
		bd, err := wareki.Parse(raw)
		if err != nil {
			return "日付として読めませんでした（例: 2015-05-01、平成27年5月1日）。"
		}
		if bd.After(d.asOf) {
			return "生年月日は今日より前の日付で教えてください。"
		}
		mem.BirthDate = &bd
		return ""
	case "disability":
		kind := map[string]eligibility.DisabilityKind{"なし": eligibility.DisabilityNone, "いいえ": eligibility.DisabilityNone, "身体": eligibility.DisabilityPhysical,
			"療育": eligibility.DisabilityIntellectual, "精神": eligibility.DisabilityMental}[text]
		if kind == "" {
			return "ボタンから選んでください。"
		}
		mem.Disability = &eligibility.Disability{Kind: kind}
		return ""
	case "grade":
		g := strings.ToUpper(raw)
		dis := mem.Disability
		cand := &eligibility.Household{Members: []eligibility.Member{{Relation: eligibility.RelationSelf, Disability: &eligibility.Disability{Kind: dis.Kind, Grade: g}}}}
		if cand.Validate() != nil {
			return "等級として読めませんでした（身体障害者手帳は 1〜7、療育手帳は A・B など、精神は 1〜3）。"
		}
		dis.Grade = g
		return ""
	}
	if f := enumField(m.Field); f != nil {
		for _, ev := range f.Enum {
			if text == ev.Value || text == Normalize(ev.Label) {
				switch m.Field {
				case "situation":
					s := eligibility.Situation(ev.Value)
					d.h.Situation = &s
				case "applicant_role":
					r := eligibility.ApplicantRole(ev.Value)
					d.h.ApplicantRole = &r
				case "sex":
					s := eligibility.Sex(ev.Value)
					mem.Sex = &s
				default:
					return "ボタンから選んでください。"
				}
				return ""
			}
		}
		return "ボタンから選んでください。"
	}
	return "この項目はチャットではお答えいただけません。窓口でご相談ください。"
}

func (d *screeningDialogue) applyIncome(mem *eligibility.Member, m eligibility.Missing, raw, text string) string {
	var inc *eligibility.Income
	for k := range mem.Incomes {
		if mem.Incomes[k].Year == m.Year {
			inc = &mem.Incomes[k]
		}
	}
	switch m.Field {
	case "incomes":
		b, ok := parseYesNo(text)
		if !ok {
			return "「はい」か「いいえ」で答えてください。"
		}
		entry := eligibility.Income{Year: m.Year}
		if !b {
			zero := int64(0)
			entry = eligibility.Income{Year: m.Year, SalaryRevenue: &zero, PensionRevenue: &zero, BusinessIncome: &zero,
				OtherIncome: &zero, ChildSupportReceived: &zero, Deductions: &eligibility.Deductions{}}
		}
		if inc == nil {
			mem.Incomes = append(mem.Incomes, entry)
		} else {
			*inc = entry
		}
		return ""
	case "deductions":
		b, ok := parseYesNo(text)
		if !ok {
			return "「はい」か「いいえ」で答えてください。"
		}
		inc.Deductions = &eligibility.Deductions{}
		if b {
			d.notes = append(d.notes, "所得控除（医療費控除など）があるとのことですが、チャットでは控除を引かずに計算しました。控除を引くと対象になったり金額が増えたりすることがあるので、窓口で確認してください。")
		}
		return ""
	}
	v, ok := parseYen(raw)
	if !ok {
		return "金額を数字で教えてください（例: 240万、2400000。なければ 0）。"
	}
	switch m.Field {
	case "salary_revenue":
		inc.SalaryRevenue = &v
	case "pension_revenue":
		inc.PensionRevenue = &v
	case "business_income":
		inc.BusinessIncome = &v
	case "other_income":
		inc.OtherIncome = &v
	case "child_support_received":
		inc.ChildSupportReceived = &v
	}
	return ""
}

// finish ends the dialogue early with what is known.
func (d *screeningDialogue) finish(ctx context.Context, lead string) (Reply, bool, error) {
	out, err := d.screen(ctx)
	if err != nil {
		return Reply{Text: "申し訳ありません。判定できませんでした。窓口にお問い合わせください。"}, true, err
	}
	r, done, err := d.end(out)
	r.Text = lead + "\n" + r.Text
	return r, done, err
}

// end renders the outcome and what to do next.
func (d *screeningDialogue) end(o *eligibility.Outcome) (Reply, bool, error) {
	var b strings.Builder
	switch {
	case o.Error != nil:
		fmt.Fprintf(&b, "%sについては、チャットでは判定できませんでした。", d.prog.Name)
	case o.Status == eligibility.Eligible:
		fmt.Fprintf(&b, "お答えの内容では、%sの対象になる可能性があります。", d.prog.Name)
		if o.Amount != nil {
			fmt.Fprintf(&b, "\n目安の額: %s", o.Amount)
		}
	case o.Status == eligibility.Ineligible:
		fmt.Fprintf(&b, "お答えの内容では、%sの要件のうち次の点に当てはまらないようです。", d.prog.Name)
		for _, c := range o.Conditions {
			if c.Result != nil && !*c.Result {
				fmt.Fprintf(&b, "\n・%s", c.Reason)
			}
		}
	default:
		fmt.Fprintf(&b, "%sの対象かどうかは、次のことが分かると判定できます。", d.prog.Name)
		for i, m := range o.Missing {
			if i == 5 {
				fmt.Fprintf(&b, "\n・ほか %d 件", len(o.Missing)-5)
				break
			}
			fmt.Fprintf(&b, "\n・%s", strings.ReplaceAll(strings.ReplaceAll(m.Label, "申請者（self）", "あなた"), "（self）", ""))
		}
	}
	for _, w := range o.Warnings {
		fmt.Fprintf(&b, "\n※%s", w.Message)
	}
	for _, n := range d.notes {
		fmt.Fprintf(&b, "\n※%s", n)
	}
	b.WriteString("\n\nこれは目安です。正式な判定は、申請をいただいたうえで市区町村が行います。")
	r := Reply{}
	if desk := d.desk(); desk != nil {
		fmt.Fprintf(&b, "\n相談・申請の窓口: %s", desk.Name)
		if desk.Phone != "" {
			fmt.Fprintf(&b, "（電話 %s", desk.Phone)
			if desk.Hours != "" {
				fmt.Fprintf(&b, "、%s", desk.Hours)
			}
			b.WriteString("）")
		}
		r.Desk = desk
		if desk.URL != "" {
			r.Links = append(r.Links, Link{Label: "窓口のページ", URL: desk.URL})
		}
	} else {
		b.WriteString("\nお住まいの市区町村のひとり親支援の窓口にご相談ください。")
	}
	for _, s := range d.prog.Sources {
		if s.URL != "" {
			r.Links = append(r.Links, Link{Label: truncateLabel(s.Title), URL: s.URL})
			break
		}
	}
	r.Text = b.String()
	return r, true, nil
}

func (d *screeningDialogue) desk() *Desk {
	if d.cfg.kb == nil {
		return nil
	}
	if desk, ok := d.cfg.kb.DeskFor(&Entry{Category: d.prog.Category}); ok {
		return desk
	}
	return nil
}

func isUnknown(s string) bool {
	switch s {
	case "わからない", "わかりません", "分からない", "分かりません", "不明", "知らない":
		return true
	}
	return false
}

func parseYesNo(s string) (bool, bool) {
	switch s {
	case "はい", "ある", "あり", "いる", "yes", "y", "あった", "している", "ええ", "うん":
		return true, true
	case "いいえ", "ない", "なし", "いない", "no", "n", "なかった", "していない", "いや", "ううん":
		return false, true
	}
	return false, false
}

func parseCount(s string, max int) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "人"), "名")
	switch s {
	case "いない", "なし", "いません":
		return 0, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return 0, false
	}
	return n, true
}

// parseYen reads an amount as residents type it: 2400000, 2,400,000,
// 240万, 240万円, 1億2000万. Input has been through Normalize (NFKC).
func parseYen(s string) (int64, bool) {
	s = strings.NewReplacer(",", "", "円", "", " ", "", "約", "").Replace(s)
	if s == "" {
		return 0, false
	}
	var total int64
	for _, unit := range []struct {
		sep string
		mul int64
	}{{"億", 100_000_000}, {"万", 10_000}, {"千", 1_000}} {
		if before, after, ok := strings.Cut(s, unit.sep); ok {
			v, ok := parseDecimalYen(before, unit.mul)
			if !ok {
				return 0, false
			}
			total += v
			s = after
		}
	}
	if s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return 0, false
		}
		total += v
	}
	if total < 0 || total > eligibility.MaxYen {
		return 0, false
	}
	return total, true
}

// parseDecimalYen reads "240" or "12.5" times mul, exactly (no floats).
func parseDecimalYen(s string, mul int64) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > math.MaxInt64/mul {
		return 0, false
	}
	v := w * mul
	if frac != "" {
		if len(frac) > 4 {
			return 0, false
		}
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return 0, false
		}
		div := int64(1)
		for range frac {
			div *= 10
		}
		if (f*mul)%div != 0 {
			return 0, false
		}
		v += f * mul / div
	}
	return v, true
}

func truncateText(s string, max int) string {
	r := []rune(s)
	if len(r) > max {
		return string(r[:max])
	}
	return s
}
