package screening

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/civil"

	"golang.org/x/text/unicode/norm"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/eligibility"
)

// Name is the name under which a screening dialogue is usually
// registered; its buttons are "dialogue:screening:<programme id>". It is
// chatbot.ScreeningName, the name the conversation starts screening under
// when a resident asks in words (「自分がもらえるか知りたい」).
const Name = chatbot.ScreeningName

// Option configures New.
type Option func(*config)

type config struct {
	today        func() civil.Date
	municipality string
	gradeArea    int
	kb           *chatbot.KnowledgeBase
	maxQuestions int
}

// WithDate sets the function giving the date screened for (the
// default is today in Japan).
func WithDate(today func() civil.Date) Option {
	return func(c *config) { c.today = today }
}

// WithMunicipality fills in the facts a resident does not know but the
// deployment does: the municipality code (全国地方公共団体コード) and its 級地
// (1–3; 0 when unknown).
func WithMunicipality(code string, gradeArea int) Option {
	return func(c *config) { c.municipality, c.gradeArea = code, gradeArea }
}

// WithDesks gives the knowledge base whose desks the final turn
// points to (the desk for the programme's category).
func WithDesks(kb *chatbot.KnowledgeBase) Option {
	return func(c *config) { c.kb = kb }
}

// New returns a chatbot.DialogueFactory for guided screening with
// engine; the factory's arg is a programme id of the engine. Register it
// with chatbot.WithDialogue(Name, …).
func New(engine *eligibility.Engine, opts ...Option) chatbot.DialogueFactory {
	cfg := config{maxQuestions: 40, today: func() civil.Date {
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
	return func(ctx context.Context, arg string) (chatbot.Dialogue, error) {
		p, ok := progs[arg]
		if !ok {
			return nil, fmt.Errorf("%w: no programme %q to screen for", chatbot.ErrNoDialogue, arg)
		}
		d := &dialogue{engine: engine, cfg: cfg, prog: p, asOf: cfg.today(), extras: extras}
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

type dialogue struct {
	engine *eligibility.Engine
	cfg    config
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

func (d *dialogue) needs(fact string) bool {
	for _, f := range d.prog.Facts {
		if strings.HasPrefix(f, fact) {
			return true
		}
	}
	return false
}

// Start asks the first question.
func (d *dialogue) Start(ctx context.Context) (chatbot.Reply, error) {
	intro := fmt.Sprintf("%sの対象になるかを、いくつかの質問で確かめます（途中でやめるときは「やめる」と入力してください）。お答えはこの確認のためだけに使い、記録しません。\n\n", d.prog.Name)
	if !d.needs("members[]") {
		d.step = stepFacts
		r, _, err := d.advance(ctx)
		r.Text = intro + r.Text
		return r, err
	}
	d.step = stepChildren
	return chatbot.Reply{Text: intro + childrenQuestion, QuickReplies: countReplies(5, "いない")}, nil
}

// The household questions asked before the engine's.
const (
	childrenQuestion     = "一緒に暮らしているお子さん（18歳になった後の最初の3月31日までのお子さんのほか、生活費を出している22歳までのお子さん）は何人ですか？"
	grandparentsQuestion = "あなたの父母（お子さんの祖父母）で、一緒に暮らしている方は何人ですか？"
)

// Why an answer could not be used, when the buttons say what can be.
const (
	msgYesNo   = "「はい」か「いいえ」で答えてください。"
	msgButtons = "ボタンから選んでください。"
)

// retry asks q again after an answer that could not be used: why, then the
// buttons named as they are labelled (a reprompt that says 「はい」か
// 「いいえ」 under buttons labelled 収入があった／収入はなかった would leave a
// resident guessing), then the question.
func retry(why string, q chatbot.Reply) chatbot.Reply {
	var labels []string
	for _, b := range q.QuickReplies {
		labels = append(labels, "「"+b.Label+"」")
	}
	if len(labels) > 0 {
		switch why {
		case msgYesNo, msgButtons:
			why = "下のボタン（" + strings.Join(labels, "") + "）から選んでください。"
		default:
			why += "ボタン（" + strings.Join(labels, "") + "）からも選べます。"
		}
	}
	q.Text = why + "\n" + q.Text
	return q
}

// Next takes an answer and asks the next question, or ends.
func (d *dialogue) Next(ctx context.Context, in chatbot.Input) (chatbot.Reply, bool, error) {
	// raw keeps dates and amounts as typed (width-folded); text is fully
	// normalised for words such as はい/ハイ.
	raw := strings.TrimSpace(norm.NFKC.String(in.Text))
	if in.Text == "" {
		raw = in.Postback
	}
	text := strings.TrimSpace(chatbot.Normalize(raw))
	if isUnknown(text) {
		return d.finish(ctx, "ここまでのお答えで判定できる範囲をお知らせします。")
	}
	switch d.step {
	case stepChildren:
		n, ok := parseCount(text, 10)
		if !ok {
			return retry("人数を数字で教えてください（例: 2）。", chatbot.Reply{Text: childrenQuestion, QuickReplies: countReplies(5, "いない")}), false, nil
		}
		for i := 1; i <= n; i++ {
			d.h.Members = append(d.h.Members, eligibility.Member{ID: fmt.Sprintf("子%d", i), Relation: eligibility.RelationChild})
		}
		d.step = stepGrandparents
		return chatbot.Reply{Text: grandparentsQuestion, QuickReplies: countReplies(2, "いない")}, false, nil
	case stepGrandparents:
		n, ok := parseCount(text, 2)
		if !ok {
			return retry("0〜2 の数字で教えてください。", chatbot.Reply{Text: grandparentsQuestion, QuickReplies: countReplies(2, "いない")}), false, nil
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
		return retry(msg, d.question(*d.pending)), false, nil
	}
	d.pending = nil
	return d.advance(ctx)
}

// advance screens the household and asks the next missing fact, or ends.
func (d *dialogue) advance(ctx context.Context) (chatbot.Reply, bool, error) {
	out, err := d.screen(ctx)
	if err != nil {
		return chatbot.Reply{Text: "申し訳ありません。判定できませんでした。窓口にお問い合わせください。"}, true, err
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

func (d *dialogue) screen(ctx context.Context) (*eligibility.Outcome, error) {
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
func (d *dialogue) pick(ms []eligibility.Missing) eligibility.Missing {
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

// finish ends the dialogue early with what is known.
func (d *dialogue) finish(ctx context.Context, lead string) (chatbot.Reply, bool, error) {
	out, err := d.screen(ctx)
	if err != nil {
		return chatbot.Reply{Text: "申し訳ありません。判定できませんでした。窓口にお問い合わせください。"}, true, err
	}
	r, done, err := d.end(out)
	r.Text = lead + "\n" + r.Text
	return r, done, err
}

// end renders the outcome and what to do next.
func (d *dialogue) end(o *eligibility.Outcome) (chatbot.Reply, bool, error) {
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
	// Warnings are written for staff (a parameter carried forward, with its
	// name); residents get what it means for them, once.
	var notes []string
	for _, w := range o.Warnings {
		if n := residentWarning(w); !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	for _, n := range d.notes {
		if !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	for _, n := range notes {
		fmt.Fprintf(&b, "\n※%s", n)
	}
	b.WriteString("\n\nこれは目安です。正式な判定は、申請をいただいたうえで市区町村が行います。")
	r := chatbot.Reply{}
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
			r.Links = append(r.Links, chatbot.Link{Label: "窓口のページ", URL: desk.URL})
		}
	} else {
		b.WriteString("\nお住まいの市区町村のひとり親支援の窓口にご相談ください。")
	}
	for _, s := range d.prog.Sources {
		if s.URL != "" {
			r.Links = append(r.Links, chatbot.Link{Label: truncateLabel(s.Title), URL: s.URL})
			break
		}
	}
	r.Text = b.String()
	return r, true, nil
}

func (d *dialogue) desk() *chatbot.Desk {
	if d.cfg.kb == nil {
		return nil
	}
	if desk, ok := d.cfg.kb.DeskFor(&chatbot.Entry{Category: d.prog.Category}); ok {
		return desk
	}
	return nil
}

// residentWarning says what an engine warning means for a resident. The
// warnings' own messages name parameters and are for staff.
func residentWarning(w eligibility.Warning) string {
	switch w.Code {
	case eligibility.WarningCarriedForward, eligibility.WarningPastReview:
		return "金額や基準の一部は、最新の改定がまだ反映されていない値で計算しています。正確な金額は窓口でご確認ください。"
	}
	return "この結果には、窓口で確認が必要な点があります。"
}
