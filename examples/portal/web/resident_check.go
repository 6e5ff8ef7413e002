package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/forms"
)

// ② 「対象か調べる」: the input form, page by page, asking only what the
// rules still need (forms.Next after every page). Phase 1 asks the rule
// questions and shows where each programme stands; phase 2, only if the
// family goes on, asks what the record needs (names, address, contacts) and
// the consents (③), and records everything with forms.CreateCase.
//
// The answers live in the server-side session; nothing typed ever goes
// into a URL. Without JavaScript every step is a plain form post.

// checkFlow is one family's way through the form.
type checkFlow struct {
	Programs      []string // chosen programmes; empty: all
	Date          civil.Date
	Answers       map[string]any
	Shown         map[string]bool // paths asked at least once
	Steps         []flowStep      // the steps shown, in order
	Phase         int             // 1 screening, 2 record
	NoticeShownAt time.Time       // when the consent notices were first shown
	// current is the step shown last and not answered yet, so that its
	// post need not ask forms.Next again which questions it held.
	current *flowStep
}

// flowStep is one page of questions as shown.
type flowStep struct {
	Page  string
	Items []stepItem
}

// stepItem is one question: a field at a path, or a list's count.
type stepItem struct {
	Path  string
	Field string // template path
	Count bool
	Kind  forms.QuestionKind
}

const (
	phaseScreening = 1
	phaseRecord    = 2
)

// submission is the flow's answers as a submission to the model form.
func (a *App) submission(f *checkFlow) []byte {
	b, err := json.Marshal(map[string]any{"form": a.form.ID(), "version": a.form.Version(), "date": f.Date.String(), "answers": f.Answers})
	if err != nil {
		panic(err) // answers are decoded JSON values: always encodable
	}
	return b
}

func (a *App) nextOptions(f *checkFlow) []forms.Option {
	if len(f.Programs) == 0 {
		return nil
	}
	return []forms.Option{forms.ForPrograms(f.Programs...)}
}

// nextStep asks forms.Next where the family stands and returns the next page
// of questions not shown yet, or ok=false when there is none.
func (a *App) nextStep(ctx context.Context, f *checkFlow) (flowStep, *forms.Questions, bool, error) {
	q, err := a.form.Next(ctx, a.engine, a.submission(f), a.nextOptions(f)...)
	if err != nil {
		return flowStep{}, nil, false, err
	}
	var st flowStep
	for _, qu := range q.Ask {
		if f.Shown[qu.Path] {
			continue
		}
		if fd, ok := a.form.Field(qu.Field); ok && fd.SetBy == forms.SetByMunicipality {
			continue
		}
		if f.Phase == phaseScreening && qu.Kind != forms.AskRule && qu.Kind != forms.AskHousehold {
			continue
		}
		item := stepItem{Path: qu.Path, Field: qu.Field, Kind: qu.Kind}
		switch {
		case qu.Kind == forms.AskHousehold:
			item.Count = true
		case strings.Contains(qu.Path, "[]"):
			continue // asked per person once the list's count is known
		}
		if st.Page == "" {
			st.Page = qu.Page
		}
		if qu.Page != st.Page {
			continue
		}
		st.Items = append(st.Items, item)
	}
	return st, q, st.Page != "", nil
}

// checkStart is the first page: which programmes to look at.
type checkStartData struct {
	Programs []programChoice
}

type programChoice struct {
	ID, Name, Category string
	Checked            bool
}

func (a *App) checkStartPage(w http.ResponseWriter, r *http.Request, s *session) {
	want := r.URL.Query().Get("program")
	var d checkStartData
	for _, p := range a.engine.Programs() {
		d.Programs = append(d.Programs, programChoice{ID: p.ID, Name: p.Name, Category: p.Category, Checked: p.ID == want})
	}
	a.render(w, r, http.StatusOK, "check_start", view{Title: "対象か調べる", Area: "resident", CSRF: s.csrf, Data: d})
}

func (a *App) checkStartPost(w http.ResponseWriter, r *http.Request, s *session) {
	known := map[string]bool{}
	for _, p := range a.engine.Programs() {
		known[p.ID] = true
	}
	var chosen []string
	for _, id := range r.PostForm["program"] {
		if known[id] && !slices.Contains(chosen, id) {
			chosen = append(chosen, id)
		}
	}
	f := &checkFlow{Programs: chosen, Date: a.today(), Answers: map[string]any{}, Shown: map[string]bool{}, Phase: phaseScreening}
	// what the municipality's system knows is never asked
	f.Answers["municipality_code"] = a.tenant
	f.Answers["grade_area"] = strconv.Itoa(a.opts.GradeArea)
	s.check = f
	http.Redirect(w, r, "/check/step", http.StatusSeeOther)
}

// stepData is what the step template draws.
type stepData struct {
	Index      int
	PageTitle  string
	PageHelp   string
	Groups     []fieldGroup
	Errors     []forms.FieldError
	Phase      int
	Back       int // step index to go back to; -1: none
	Progress   string
	HasConsent bool
}

// checkStepPage shows the current step (the next one not shown yet), or
// an earlier step with ?n=.
func (a *App) checkStepPage(w http.ResponseWriter, r *http.Request, s *session) {
	f := s.check
	if f == nil {
		http.Redirect(w, r, "/check", http.StatusSeeOther)
		return
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("n")); err == nil && n >= 0 && n < len(f.Steps) {
		a.renderStep(w, r, s, n, f.Steps[n], f.Answers, nil, http.StatusOK)
		return
	}
	st, _, ok, err := a.nextStep(r.Context(), f)
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	if !ok {
		a.stepsDone(w, r, f)
		return
	}
	f.current = &st
	a.renderStep(w, r, s, len(f.Steps), st, f.Answers, nil, http.StatusOK)
}

// stepsDone goes on from the last step of a phase.
func (a *App) stepsDone(w http.ResponseWriter, r *http.Request, f *checkFlow) {
	if f.Phase == phaseScreening {
		http.Redirect(w, r, "/check/result", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/check/review", http.StatusSeeOther)
}

func (a *App) renderStep(w http.ResponseWriter, r *http.Request, s *session, index int, st flowStep, answers map[string]any, errs []forms.FieldError, status int) {
	f := s.check
	d := stepData{Index: index, Phase: f.Phase, Back: index - 1, Errors: errs}
	for _, p := range a.form.Pages() {
		if p.ID == st.Page {
			d.PageTitle, d.PageHelp = p.Title, p.Help
		}
	}
	byPath := map[string][]string{}
	for _, e := range errs {
		byPath[e.Path] = append(byPath[e.Path], e.Message)
	}
	for _, it := range st.Items {
		fd, ok := a.form.Field(it.Field)
		if !ok {
			continue
		}
		var v fieldView
		legend := ""
		if it.Count {
			v = countView(fd, it.Path, answers)
			v.Errors = byPath["count:"+it.Path]
		} else {
			v = newFieldView(fd, it.Path, answers)
			v.Errors = byPath[it.Path]
			if list, i, ok := itemOf(it.Path); ok {
				if lf, ok := a.form.Field(templatePath(list)); ok {
					legend = itemLegend(lf, i)
				}
			}
			if fd.Type == forms.TypeConsent {
				d.HasConsent = true
				if f.NoticeShownAt.IsZero() {
					f.NoticeShownAt = a.now()
				}
			}
		}
		if n := len(d.Groups); n == 0 || d.Groups[n-1].Legend != legend {
			d.Groups = append(d.Groups, fieldGroup{Legend: legend})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Fields = append(g.Fields, v)
	}
	if f.Phase == phaseScreening {
		d.Progress = "対象か調べる"
	} else {
		d.Progress = "相談・手続きの入力"
	}
	a.render(w, r, status, "check_step", view{Title: d.PageTitle, Area: "resident", CSRF: s.csrf, Data: d})
}

// checkStepPost takes the answers of one step, checks them, and goes on.
func (a *App) checkStepPost(w http.ResponseWriter, r *http.Request, s *session) {
	f := s.check
	if f == nil {
		http.Redirect(w, r, "/check", http.StatusSeeOther)
		return
	}
	n, err := strconv.Atoi(r.PostForm.Get("step"))
	if err != nil || n < 0 || n > len(f.Steps) {
		http.Redirect(w, r, "/check/step", http.StatusSeeOther)
		return
	}
	// the step's questions come from the server, never from the post
	var st flowStep
	switch {
	case n < len(f.Steps):
		st = f.Steps[n]
	case f.current != nil:
		st = *f.current
	default:
		var ok bool
		if st, _, ok, err = a.nextStep(r.Context(), f); err != nil {
			a.serverError(w, r, "resident", err)
			return
		} else if !ok {
			a.stepsDone(w, r, f)
			return
		}
	}
	answers := cloneAnswers(f.Answers).(map[string]any)
	var errs []forms.FieldError
	for _, it := range st.Items {
		fd, ok := a.form.Field(it.Field)
		if !ok {
			continue
		}
		if it.Count {
			if fe := readCount(fd, it.Path, r.PostForm.Get("count:"+it.Path), answers); fe != nil {
				errs = append(errs, *fe)
			}
			continue
		}
		if err := readField(fd, it.Path, r.PostForm, answers); err != nil {
			errs = append(errs, forms.FieldError{Path: it.Path, Label: fd.Label, Message: "この項目を読み取れませんでした。"})
		}
	}
	errs = append(errs, a.stepErrors(f, answers, st)...)
	if len(errs) > 0 {
		a.renderStep(w, r, s, n, st, answers, errs, http.StatusUnprocessableEntity)
		return
	}
	f.Answers = answers
	f.current = nil
	for _, it := range st.Items {
		f.Shown[it.Path] = true
	}
	if n < len(f.Steps) {
		f.Steps[n] = st
	} else {
		f.Steps = append(f.Steps, st)
	}
	http.Redirect(w, r, "/check/step", http.StatusSeeOther)
}

// readCount creates or resizes a member list from its "how many" answer.
func readCount(fd forms.Field, path, raw string, answers map[string]any) *forms.FieldError {
	max := fd.MaxItems
	if max == 0 {
		max = 20
	}
	raw = strings.TrimSpace(toHalfWidthDigits(raw))
	k, err := strconv.Atoi(raw)
	if err != nil || k < 0 || k > max {
		return &forms.FieldError{Path: "count:" + path, Label: countLabel(fd), Code: forms.CodeRange,
			Message: "0から" + strconv.Itoa(max) + "までの数で入力してください"}
	}
	prefix := fd.IDPrefix
	if prefix == "" {
		prefix = "m"
	}
	if err := setListLength(answers, path, k, prefix); err != nil {
		return &forms.FieldError{Path: "count:" + path, Message: "人数を読み取れませんでした。"}
	}
	return nil
}

func toHalfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// stepErrors checks the answers so far and keeps the problems of this
// step's questions: required answers missing, dates that are not dates …
// Problems of questions not asked yet wait for their own step.
func (a *App) stepErrors(f *checkFlow, answers map[string]any, st flowStep) []forms.FieldError {
	tmp := *f
	tmp.Answers = answers
	_, err := a.form.Check(a.submission(&tmp))
	var ve *forms.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	here := map[string]bool{}
	for _, it := range st.Items {
		here[it.Path] = true
	}
	var out []forms.FieldError
	for _, e := range ve.Errors {
		if here[e.Path] {
			out = append(out, e)
		}
	}
	return out
}

// resultData is the screening result page.
type resultData struct {
	Eligible     []forms.ProgramStatus
	Undetermined []forms.ProgramStatus
	Ineligible   []forms.ProgramStatus
	Date         string
}

func (a *App) checkResultPage(w http.ResponseWriter, r *http.Request, s *session) {
	f := s.check
	if f == nil {
		http.Redirect(w, r, "/check", http.StatusSeeOther)
		return
	}
	q, err := a.form.Next(r.Context(), a.engine, a.submission(f), a.nextOptions(f)...)
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	d := resultData{Date: f.Date.String()}
	for _, p := range q.Programs {
		switch p.Status {
		case "eligible":
			d.Eligible = append(d.Eligible, p)
		case "ineligible":
			d.Ineligible = append(d.Ineligible, p)
		default:
			d.Undetermined = append(d.Undetermined, p)
		}
	}
	a.render(w, r, http.StatusOK, "check_result", view{Title: "判定の結果（目安）", Area: "resident", CSRF: s.csrf, Data: d})
}

// checkContinue starts phase 2: the record and the consents.
func (a *App) checkContinue(w http.ResponseWriter, r *http.Request, s *session) {
	if s.check == nil {
		http.Redirect(w, r, "/check", http.StatusSeeOther)
		return
	}
	s.check.Phase = phaseRecord
	http.Redirect(w, r, "/check/step", http.StatusSeeOther)
}
