package forms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/internal/docnode"
)

// MaxSubmissionSize bounds a submission's JSON; the model form's largest
// honest submission is a few kilobytes.
const MaxSubmissionSize = 256 << 10

// Option configures Check and Next.
type Option func(*options)

type options struct {
	date     civil.Date
	programs []string
}

// On gives the form date (記入日) for a submission that does not carry
// one. The form date decides which years 前年 and 前々年 are, refuses
// birth dates after it, and is the date outcomes are for.
func On(d civil.Date) Option { return func(o *options) { o.date = d } }

// ForPrograms limits Next to the programmes with these ids (the
// programmes the family chose); all programmes otherwise.
func ForPrograms(ids ...string) Option {
	return func(o *options) { o.programs = append(o.programs, ids...) }
}

// Checked is a submission that passed validation, with every answer
// normalised and the answers to fields not shown left out. Map it to
// facts with Household and to a case record with CreateCase.
type Checked struct {
	form    *Form
	date    civil.Date
	root    *group
	dropped []string
	h       *eligibility.Household // the facts, built once; handed out as copies
}

// Form returns the form the submission was checked against.
func (c *Checked) Form() *Form { return c.form }

// Date returns the form date.
func (c *Checked) Date() civil.Date { return c.date }

// Dropped lists the paths of answers given to fields that were not shown
// (their condition was false): they were left out, not kept.
func (c *Checked) Dropped() []string { return append([]string(nil), c.dropped...) }

// Answers returns the normalised answers in the submission's JSON form
// (a fresh map the caller owns).
func (c *Checked) Answers() map[string]any { return c.root.jsonMap() }

// MarshalJSON writes the normalised submission; Check accepts it as it is.
func (c *Checked) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Form    string         `json:"form"`
		Version string         `json:"version"`
		Date    string         `json:"date"`
		Answers map[string]any `json:"answers"`
	}{c.form.info.ID, c.form.info.Version, c.date.String(), c.root.jsonMap()})
}

// Check decodes a submission, normalises every answer, evaluates which
// fields are shown, and validates every shown field. It returns the
// checked submission, or a *ValidationError listing every problem at once
// (each with its path and a Japanese message) and nothing else.
//
// A submission is JSON:
//
//	{"form": "jp-model", "version": "2026.1", "date": "令和8年12月4日",
//	 "answers": {"postal_code": "〒100-0001", "children": [{"birth_date": "R2.5.1"}]}}
func (f *Form) Check(data []byte, opts ...Option) (*Checked, error) {
	var o options
	for _, op := range opts {
		op(&o)
	}
	st, errs := f.evaluate(data, o, false)
	var h *eligibility.Household
	if len(errs) == 0 && f.info.Kind == KindForm {
		var refs []memberRef
		h, refs = f.household(st.root, st.date, false)
		errs = gradeErrors(h, refs)
	}
	if len(errs) > 0 {
		return nil, &ValidationError{Form: f.info.ID, Errors: errs}
	}
	return &Checked{form: f, date: st.date, root: st.root, dropped: st.dropped, h: h}, nil
}

// visibility of one answer.
const (
	visUnknown uint8 = iota // not evaluated
	visShown
	visHidden
	visPending // the condition reads an answer not given yet: a follow-up
)

// state is one evaluation of a submission.
type state struct {
	date    civil.Date
	root    *group
	dropped []string
}

// evaluate decodes, normalises, decides visibility and validates. In
// lenient mode (Next) an invalid answer is treated as not given and its
// error is returned alongside.
func (f *Form) evaluate(data []byte, o options, lenient bool) (*state, []FieldError) {
	st := &state{root: newGroup(f.root)}
	d := &decoder{f: f, ids: map[string]string{selfID: "申請者"}}
	if len(data) > MaxSubmissionSize {
		return st, []FieldError{{Code: CodeTooLarge, Message: fmt.Sprintf("送信内容が大きすぎます（%d バイトまで）", MaxSubmissionSize)}}
	}
	doc, err := docnode.ParseJSON(data)
	if err != nil {
		msg := "JSON として読めません"
		var se *docnode.SyntaxError
		if errors.As(err, &se) {
			msg = fmt.Sprintf("JSON として読めません（%d行%d列）", se.Pos.Line, se.Pos.Col)
		}
		return st, []FieldError{{Code: CodeSyntax, Message: msg}}
	}
	if doc.Kind != docnode.Object {
		return st, []FieldError{{Code: CodeType, Message: "送信内容は {\"form\": …, \"answers\": {…}} の形のオブジェクトで送ってください"}}
	}
	var answers *docnode.Node
	for _, fl := range doc.Fields {
		switch fl.Key {
		case "form":
			if fl.Value.Text != f.info.ID || fl.Value.Kind != docnode.String {
				d.fail("form", nil, CodeForm, "このフォーム（%s）への回答ではありません（%q）", f.info.ID, fl.Value.Text)
			}
		case "version":
			if fl.Value.Kind != docnode.String || fl.Value.Text != f.info.Version {
				d.fail("version", nil, CodeForm, "フォームの版が違います（%s への回答を送ってください）", f.info.Version)
			}
		case "date":
			if fl.Value.Kind == docnode.Null {
				continue
			}
			s, derr := normDate(fl.Value.Text)
			var dt civil.Date
			if fl.Value.Kind != docnode.String || derr != nil || dt.UnmarshalText([]byte(s)) != nil {
				d.fail("date", nil, CodeNoDate, "記入日が日付として読めません（例: 令和8年12月4日、2026-12-04）")
				continue
			}
			st.date = dt
		case "answers":
			answers = fl.Value
		default:
			d.fail(fl.Key, nil, CodeUnknown, "%q は送信内容にない項目です（form・version・date・answers）", fl.Key)
		}
	}
	if st.date.IsZero() {
		st.date = o.date
	}
	if st.date.IsZero() {
		d.fail("date", nil, CodeNoDate, "記入日（date）がありません")
	}
	if answers != nil && answers.Kind != docnode.Null {
		d.decodeGroup(st.root, answers, "", false)
	}
	w := &walker{f: f, st: st, lenient: lenient, errs: d.errs}
	w.ctx = context.WithValue(context.Background(), formDateKey{}, st.date)
	w.group(st.root, nil, "")
	return st, w.errs
}

// walker decides visibility and validates, in document order.
type walker struct {
	f       *Form
	st      *state
	ctx     context.Context
	lenient bool
	errs    []FieldError
}

// scope resolves the names of a visibility condition: the fields of its
// group, then of the groups around it. An answer not given, not valid or
// not shown is not found, which makes the condition unknown.
type scope struct {
	g      *group
	parent *scope
}

func (s *scope) ResolveName(name string) (any, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		i, ok := sc.g.n.byID[name]
		if !ok {
			continue
		}
		v := &sc.g.vals[i]
		if !v.set || !v.ok || v.vis != visShown {
			return nil, false
		}
		switch t := sc.g.n.kids[i].typ; t {
		case TypeGroup, TypeList:
			return nil, false
		default:
			return v.goValue(t), true
		}
	}
	return nil, false
}

func (s *scope) Parent() interpreter.Activation { return nil }

func (w *walker) group(g *group, parent *scope, path string) {
	sc := &scope{g: g, parent: parent}
	for i, n := range g.n.kids {
		v := &g.vals[i]
		vis := visShown
		if n.prg != nil {
			out, _, err := n.prg.Eval(sc)
			switch {
			case err != nil:
				vis = visPending
			case out == types.True:
				vis = visShown
			case out == types.False:
				vis = visHidden
			default:
				vis = visPending
			}
		}
		if vis != visShown {
			if v.set {
				w.st.dropped = append(w.st.dropped, joinPath(path, n.f.ID))
			}
			*v = value{vis: vis}
			continue
		}
		v.vis = visShown
		w.validate(v, n, path)
		switch {
		case !v.set:
		case n.typ == TypeGroup:
			w.group(v.g, sc, joinPath(path, n.f.ID))
		case n.typ == TypeList:
			p := joinPath(path, n.f.ID)
			for j, it := range v.items {
				w.group(it, sc, p+"["+strconv.Itoa(j)+"]")
			}
		}
	}
}

// validate runs the field's validator tags on its answer; in is the path
// of the group holding it.
func (w *walker) validate(v *value, n *node, in string) {
	chk := w.f.chk
	if !v.set {
		if n.reqTag != "" && !w.lenient { // Next: a question not answered yet is no error
			err := chk.v.VarWithKeyCtx(w.ctx, n.f.Label, "", n.reqTag)
			if err != nil {
				w.errs = chk.fieldErrors(err, joinPath(in, n.f.ID), w.errs)
			}
		}
		return
	}
	if n.tag == "" {
		return
	}
	if err := chk.v.VarWithKeyCtx(w.ctx, n.f.Label, v.ref(n.typ), n.tag); err != nil {
		w.errs = chk.fieldErrors(err, joinPath(in, n.f.ID), w.errs)
		if w.lenient {
			*v = value{vis: v.vis}
		}
	}
}
