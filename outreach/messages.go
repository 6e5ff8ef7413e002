package outreach

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"text/template"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/internal/docnode"
)

// Messages are the texts of notices: for each programme what it is and how
// to apply, in standard Japanese and in やさしい日本語, and for each channel
// (SMS, e-mail, LINE, post) and variant a template that lays them out with
// the desk's name, place, phone and web page. Staff write them in a YAML
// file (see DefaultMessages for the one shipped); LoadMessages checks every
// template by rendering it for every programme, channel and variant, with
// and without a name and an amount, against the channel's limits (an SMS
// of at most Limits.SMS characters).
//
// What a template can show is only MessageData: the programme, the desk,
// whether the family looks eligible or should ask, and — only where the
// person's consent and choice allow it — their name (post, e-mail) and the
// amount. Nothing else about the person is within reach of a template.
type Messages struct {
	Desk     Desk
	Limits   Limits
	programs map[string]*programText
	channels map[string]map[string]*layout // channel -> variant -> layout
	file     string
}

// Desk is the municipal desk a notice sends people to.
type Desk struct {
	Name   string `json:"name"`   // こども家庭課 ひとり親相談窓口
	Sender string `json:"sender"` // 差出人: the municipality only (○○市); shown on SMS, LINE and envelopes
	Phone  string `json:"phone"`
	Hours  string `json:"hours,omitempty"` // 平日 8時30分〜17時15分
	Place  string `json:"place,omitempty"` // ○○市役所 本庁舎2階 12番窓口
	URL    string `json:"url,omitempty"`
}

// Limits bound the rendered messages.
type Limits struct {
	// SMS is the most characters of an SMS, counted as UCS-2 units (a
	// character outside the BMP counts twice): 70 for one message on every
	// phone, at most 670 (the long SMS of the Japanese carriers since
	// 2019). Default 670.
	SMS int
}

// Message variants.
const (
	VariantStandard = "standard"
	VariantEasy     = "easy" // やさしい日本語
)

// ProgramText is what a programme is and how to apply, in one variant.
type ProgramText struct {
	ID   string
	Name string
	What string // what the programme is (one or two sentences)
	How  string // how and where to apply
}

type programText struct {
	name     string
	period   Period
	notify   bool
	variants map[string]ProgramText
	pos      eligibility.Position
}

type layout struct {
	subject *template.Template // e-mail and post only
	body    *template.Template
	pos     eligibility.Position
}

// MessageData is what a template sees.
type MessageData struct {
	Program ProgramText
	Desk    Desk
	// Likely is true when screening found the family eligible ("may
	// receive"), false when it could not decide without more facts from
	// them ("please ask us").
	Likely bool
	// Name is the addressee's name, for post and e-mail when consent
	// covers it; empty otherwise.
	Name string
	// Amount is the amount (月額 46,690円), only on a channel the person
	// chose amounts for and when consent covers it; empty otherwise.
	Amount string
}

// MessagesError lists every problem of a messages file.
type MessagesError struct {
	Problems []MessagesProblem
}

// MessagesProblem is one problem at a position; Message is Japanese, for
// the staff who wrote the file.
type MessagesProblem struct {
	eligibility.Position
	Message string
	Detail  string // the template engine's message, when there is one
}

func (e *MessagesError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Position.String() + ": " + p.Message
		if p.Detail != "" {
			lines[i] += " (" + p.Detail + ")"
		}
	}
	return "outreach: 通知文面の定義に誤りがあります:\n" + strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrMessages) true.
func (e *MessagesError) Unwrap() error { return ErrMessages }

// ErrMessages is wrapped by every *MessagesError.
var ErrMessages = errors.New("outreach: invalid messages")

// MaxMessagesSize bounds a messages file.
const MaxMessagesSize = 1 << 20

// Channel limits that are not configurable.
const (
	maxSMS          = 670
	maxLINE         = 5000 // characters of a LINE text message
	maxEmailSubject = 100
)

//go:embed messages/default.yaml
var defaultMessages []byte

// DefaultMessagesFile returns the shipped messages file, to copy and
// adapt (it has no desk: add yours).
func DefaultMessagesFile() []byte { return append([]byte(nil), defaultMessages...) }

// DefaultMessages returns the messages shipped with onestop for the
// programmes of the embedded packs, with desk as the desk every notice
// points to (Name, Sender and Phone are required).
func DefaultMessages(desk Desk) (*Messages, error) {
	m, err := LoadMessages(defaultMessages, "outreach/messages/default.yaml")
	if err != nil {
		return nil, err
	}
	return m.WithDesk(desk)
}

// LoadMessages reads a messages file (YAML or JSON). name is how the file
// is called in errors. A file without a desk can be completed with
// WithDesk; its templates are checked then.
func LoadMessages(data []byte, name string) (*Messages, error) {
	l := &msgLoader{file: name}
	if len(data) > MaxMessagesSize {
		l.add(docnode.Pos{}, "", "ファイルが大きすぎます（%d バイトまで）", MaxMessagesSize)
		return nil, l.err()
	}
	root, err := docnode.ParseYAML(data)
	if err != nil {
		var se *docnode.SyntaxError
		if errors.As(err, &se) {
			l.add(se.Pos, se.Msg, "YAML（または JSON）として読めません")
		} else {
			l.add(docnode.Pos{}, err.Error(), "YAML（または JSON）として読めません")
		}
		return nil, l.err()
	}
	m := &Messages{programs: map[string]*programText{}, channels: map[string]map[string]*layout{}, file: name, Limits: Limits{SMS: maxSMS}}
	top := l.object(root, "", "version", "desk", "limits", "programs", "channels")
	if top == nil {
		return nil, l.err()
	}
	if v := top["version"]; v == nil || v.Text != "1" {
		l.add(root.Pos, "", "version: 1 を書いてください（この形式の版）")
	}
	if n := top["desk"]; n != nil {
		if d := l.object(n, "desk", "name", "sender", "phone", "hours", "place", "url"); d != nil {
			m.Desk = Desk{Name: l.str(d["name"], "desk.name"), Sender: l.str(d["sender"], "desk.sender"), Phone: l.str(d["phone"], "desk.phone"),
				Hours: l.str(d["hours"], "desk.hours"), Place: l.str(d["place"], "desk.place"), URL: l.str(d["url"], "desk.url")}
		}
	}
	if n := top["limits"]; n != nil {
		if lim := l.object(n, "limits", "sms"); lim != nil && lim["sms"] != nil {
			v, err := lim["sms"].Int()
			if err != nil || v < 1 || v > maxSMS {
				l.add(lim["sms"].Pos, "", "limits.sms は 1〜%d の整数です（1通で届くのは70文字）", maxSMS)
			} else {
				m.Limits.SMS = int(v)
			}
		}
	}
	l.programs(top["programs"], m)
	l.channels(top["channels"], m)
	if err := l.err(); err != nil {
		return nil, err
	}
	if m.Desk != (Desk{}) {
		return m.WithDesk(m.Desk)
	}
	return m, nil
}

type msgLoader struct {
	file string
	ps   []MessagesProblem
}

func (l *msgLoader) add(pos docnode.Pos, detail, format string, args ...any) {
	l.ps = append(l.ps, MessagesProblem{Position: eligibility.Position{File: l.file, Line: pos.Line, Col: pos.Col},
		Message: fmt.Sprintf(format, args...), Detail: detail})
}

func (l *msgLoader) err() error {
	if len(l.ps) == 0 {
		return nil
	}
	return &MessagesError{Problems: l.ps}
}

// object reads an object with the given keys; an unknown key is a problem.
func (l *msgLoader) object(n *docnode.Node, path string, keys ...string) map[string]*docnode.Node {
	if n == nil || n.Kind != docnode.Object {
		var pos docnode.Pos
		if n != nil {
			pos = n.Pos
		}
		l.add(pos, "", "%s はキーと値の組（オブジェクト）にしてください", orRoot(path))
		return nil
	}
	out := map[string]*docnode.Node{}
	for _, f := range n.Fields {
		if len(keys) > 0 && !slices.Contains(keys, f.Key) {
			l.add(f.KeyPos, "", "%s に %q というキーはありません（使えるキー: %s）", orRoot(path), f.Key, strings.Join(keys, ", "))
			continue
		}
		out[f.Key] = f.Value
	}
	return out
}

func orRoot(path string) string {
	if path == "" {
		return "ファイルの最上位"
	}
	return path
}

// str reads a string (a number or boolean as written is taken as text).
func (l *msgLoader) str(n *docnode.Node, path string) string {
	if n == nil || n.Kind == docnode.Null {
		return ""
	}
	if n.Kind == docnode.Object || n.Kind == docnode.Array {
		l.add(n.Pos, "", "%s は文字列にしてください", path)
		return ""
	}
	return strings.TrimSpace(n.Text)
}

func (l *msgLoader) programs(n *docnode.Node, m *Messages) {
	progs := l.object(n, "programs")
	if len(progs) == 0 {
		if n != nil {
			l.add(n.Pos, "", "programs: に制度を1つ以上書いてください")
		} else {
			l.add(docnode.Pos{}, "", "programs: がありません")
		}
		return
	}
	for _, f := range n.Fields {
		id, pn := f.Key, f.Value
		path := "programs." + id
		if id == "" || strings.ContainsAny(id, "| \t") {
			l.add(f.KeyPos, "", "制度ID %q は使えません", id)
			continue
		}
		p := l.object(pn, path, "name", "period", "notify", "standard", "easy")
		if p == nil {
			continue
		}
		pt := &programText{name: l.str(p["name"], path+".name"), period: PeriodFiscalYear, notify: true, variants: map[string]ProgramText{},
			pos: eligibility.Position{File: l.file, Line: pn.Pos.Line, Col: pn.Pos.Col}}
		if pt.name == "" {
			l.add(pn.Pos, "", "%s.name（制度名）を書いてください", path)
		}
		if v := p["notify"]; v != nil {
			if v.Kind != docnode.Bool {
				l.add(v.Pos, "", "%s.notify は true か false です", path)
			}
			pt.notify = v.Text == "true"
		}
		if v := p["period"]; v != nil {
			per := Period(l.str(v, path+".period"))
			if !per.valid() {
				l.add(v.Pos, "", "%s.period は once・fiscal_year・calendar_year・month のいずれかです", path)
			} else {
				pt.period = per
			}
		}
		for _, variant := range []string{VariantStandard, VariantEasy} {
			vn := p[variant]
			if vn == nil {
				if pt.notify {
					l.add(pn.Pos, "", "%s.%s（%s）の説明を書いてください", path, variant, variantLabel(variant))
				}
				continue
			}
			vt := l.object(vn, path+"."+variant, "what", "how")
			if vt == nil {
				continue
			}
			text := ProgramText{ID: id, Name: pt.name, What: l.str(vt["what"], path+"."+variant+".what"), How: l.str(vt["how"], path+"."+variant+".how")}
			if text.What == "" || text.How == "" {
				l.add(vn.Pos, "", "%s.%s には what（どんな制度か）と how（申請の方法・場所）の両方を書いてください", path, variant)
			}
			pt.variants[variant] = text
		}
		m.programs[id] = pt
	}
}

func variantLabel(v string) string {
	if v == VariantEasy {
		return "やさしい日本語"
	}
	return "標準"
}

func (l *msgLoader) channels(n *docnode.Node, m *Messages) {
	chs := l.object(n, "channels", casefile.ChannelSMS, casefile.ChannelEmail, casefile.ChannelLINE, casefile.ChannelPost)
	if chs == nil {
		return
	}
	for _, ch := range []string{casefile.ChannelSMS, casefile.ChannelEmail, casefile.ChannelLINE, casefile.ChannelPost} {
		cn := chs[ch]
		path := "channels." + ch
		if cn == nil {
			l.add(n.Pos, "", "%s（%s）の文面を書いてください", path, casefile.NotifyChannelLabel(ch))
			continue
		}
		vs := l.object(cn, path, VariantStandard, VariantEasy)
		if vs == nil {
			continue
		}
		m.channels[ch] = map[string]*layout{}
		for _, variant := range []string{VariantStandard, VariantEasy} {
			vn := vs[variant]
			vpath := path + "." + variant
			if vn == nil {
				l.add(cn.Pos, "", "%s（%s）を書いてください", vpath, variantLabel(variant))
				continue
			}
			keys := []string{"body"}
			if ch == casefile.ChannelEmail || ch == casefile.ChannelPost {
				keys = append(keys, "subject")
			}
			lt := l.object(vn, vpath, keys...)
			if lt == nil {
				continue
			}
			out := &layout{pos: eligibility.Position{File: l.file, Line: vn.Pos.Line, Col: vn.Pos.Col}}
			out.body = l.template(lt["body"], vpath+".body")
			if len(keys) > 1 {
				out.subject = l.template(lt["subject"], vpath+".subject")
			}
			m.channels[ch][variant] = out
		}
	}
}

func (l *msgLoader) template(n *docnode.Node, path string) *template.Template {
	src := l.str(n, path)
	if src == "" {
		var pos docnode.Pos
		if n != nil {
			pos = n.Pos
		}
		l.add(pos, "", "%s を書いてください", path)
		return nil
	}
	t, err := template.New(path).Option("missingkey=error").Parse(src)
	if err != nil {
		l.add(n.Pos, err.Error(), "%s のテンプレートを読めません（{{ }} の書き方を確かめてください）", path)
		return nil
	}
	return t
}

// WithDesk returns a copy of m that points to desk, with every template
// checked for it.
func (m *Messages) WithDesk(desk Desk) (*Messages, error) {
	out := *m
	out.Desk = desk
	var ps []MessagesProblem
	add := func(pos eligibility.Position, detail, format string, args ...any) {
		ps = append(ps, MessagesProblem{Position: pos, Message: fmt.Sprintf(format, args...), Detail: detail})
	}
	top := eligibility.Position{File: m.file}
	if strings.TrimSpace(desk.Name) == "" || strings.TrimSpace(desk.Sender) == "" || strings.TrimSpace(desk.Phone) == "" {
		add(top, "", "窓口（desk）の name（窓口名）・sender（差出人）・phone（電話番号）を設定してください")
		return nil, &MessagesError{Problems: ps}
	}
	for _, id := range m.ProgramIDs() {
		p := m.programs[id]
		if !p.notify {
			continue
		}
		for _, ch := range []string{casefile.ChannelSMS, casefile.ChannelEmail, casefile.ChannelLINE, casefile.ChannelPost} {
			for _, variant := range []string{VariantStandard, VariantEasy} {
				lt := m.channels[ch][variant]
				for _, d := range sampleData(p.variants[variant], desk, ch) {
					msg, err := lt.render(d)
					if err != nil {
						add(lt.pos, err.Error(), "channels.%s.%s を制度 %s で作れません", ch, variant, id)
						continue
					}
					if problem := out.checkRendered(ch, msg); problem != "" {
						add(lt.pos, "", "channels.%s.%s（制度 %s）: %s", ch, variant, id, problem)
					}
				}
			}
		}
	}
	if len(ps) > 0 {
		return nil, &MessagesError{Problems: dedupe(ps)}
	}
	return &out, nil
}

func dedupe(ps []MessagesProblem) []MessagesProblem {
	var out []MessagesProblem
	seen := map[string]bool{}
	for _, p := range ps {
		k := p.Position.String() + p.Message
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// sampleData are the combinations a template must render: eligible or
// not, with and without a name and an amount (as the channel allows).
func sampleData(p ProgramText, desk Desk, ch string) []MessageData {
	var out []MessageData
	for _, likely := range []bool{true, false} {
		for _, name := range []string{"", "山田 花子"} {
			if name != "" && ch != casefile.ChannelPost && ch != casefile.ChannelEmail {
				continue
			}
			for _, amount := range []string{"", "月額 46,690円"} {
				if amount != "" && !likely {
					continue
				}
				out = append(out, MessageData{Program: p, Desk: desk, Likely: likely, Name: name, Amount: amount})
			}
		}
	}
	return out
}

// Rendered is a message laid out for a channel.
type Rendered struct {
	Subject string // e-mail subject, or the heading of a letter
	Body    string
}

// maxRendered bounds what one template may write (a loop in a template
// must not fill the memory).
const maxRendered = 64 << 10

// limited is a buffer that refuses to grow past maxRendered.
type limited struct{ bytes.Buffer }

var errTooLong = errors.New("the message is longer than 64 KiB")

func (w *limited) Write(p []byte) (int, error) {
	if w.Len()+len(p) > maxRendered {
		return 0, errTooLong
	}
	return w.Buffer.Write(p)
}

func (lt *layout) render(d MessageData) (Rendered, error) {
	var out Rendered
	var b limited
	if lt.subject != nil {
		if err := lt.subject.Execute(&b, d); err != nil {
			return out, err
		}
		out.Subject = strings.TrimSpace(b.String())
		b.Reset()
	}
	if err := lt.body.Execute(&b, d); err != nil {
		return out, err
	}
	out.Body = strings.TrimSpace(b.String())
	return out, nil
}

// checkRendered returns what is wrong with a rendered message ("" if
// nothing).
func (m *Messages) checkRendered(ch string, r Rendered) string {
	switch {
	case r.Body == "":
		return "本文が空になります"
	case strings.Contains(r.Body+r.Subject, "<no value>"):
		return "値のない項目を使っています"
	case !utf8.ValidString(r.Body + r.Subject):
		return "文字として読めない部分があります"
	}
	switch ch {
	case casefile.ChannelSMS:
		if n := SMSLength(r.Body); n > m.Limits.SMS {
			return fmt.Sprintf("SMS が %d 文字になり、上限 %d 文字を超えます", n, m.Limits.SMS)
		}
	case casefile.ChannelLINE:
		if n := utf8.RuneCountInString(r.Body); n > maxLINE {
			return fmt.Sprintf("LINE のメッセージが %d 文字になり、上限 %d 文字を超えます", n, maxLINE)
		}
	case casefile.ChannelEmail, casefile.ChannelPost:
		if r.Subject == "" || strings.ContainsAny(r.Subject, "\r\n") || utf8.RuneCountInString(r.Subject) > maxEmailSubject {
			return fmt.Sprintf("件名は1行・%d文字以内にしてください", maxEmailSubject)
		}
	}
	return ""
}

// SMSLength counts an SMS as the carriers do for Japanese text (UCS-2):
// one unit per character of the Basic Multilingual Plane, two for others
// (most emoji).
func SMSLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// ProgramIDs lists the programmes the messages describe, sorted.
func (m *Messages) ProgramIDs() []string {
	ids := make([]string, 0, len(m.programs))
	for id := range m.programs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Notifies reports whether notices are sent for a programme: it has texts
// and is not marked notify: false (a tax status used by other programmes,
// for instance).
func (m *Messages) Notifies(program string) bool {
	p := m.programs[program]
	return p != nil && p.notify
}

// PeriodOf returns the period rule of a programme (fiscal year when the
// programme has no texts).
func (m *Messages) PeriodOf(program string) Period {
	if p := m.programs[program]; p != nil {
		return p.period
	}
	return PeriodFiscalYear
}

// Missing returns the programmes of programs the messages say nothing
// about (neither texts nor notify: false): they are never notified.
func (m *Messages) Missing(programs []eligibility.ProgramInfo) []string {
	var out []string
	for _, p := range programs {
		if m.programs[p.ID] == nil {
			out = append(out, p.ID)
		}
	}
	return out
}

// Render lays out the notice of a programme for a channel and variant.
func (m *Messages) Render(program, channel, variant string, likely bool, name, amount string) (Rendered, error) {
	p := m.programs[program]
	if p == nil || !p.notify {
		return Rendered{}, fmt.Errorf("outreach: no texts for programme %q", program)
	}
	lt := m.channels[channel][variant]
	if lt == nil {
		return Rendered{}, fmt.Errorf("outreach: no layout for %s/%s", channel, variant)
	}
	if channel != casefile.ChannelPost && channel != casefile.ChannelEmail {
		name = "" // an SMS or a LINE message names nobody: others may see it
	}
	if !likely {
		amount = ""
	}
	r, err := lt.render(MessageData{Program: p.variants[variant], Desk: m.Desk, Likely: likely, Name: name, Amount: amount})
	if err != nil {
		return Rendered{}, fmt.Errorf("outreach: render %s/%s for %s: %w", channel, variant, program, err)
	}
	if problem := m.checkRendered(channel, r); problem != "" {
		return Rendered{}, fmt.Errorf("outreach: render %s/%s for %s: %s", channel, variant, program, problem)
	}
	return r, nil
}
