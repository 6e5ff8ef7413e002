package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/forms"
)

// ⑤ The online application, filled from the record (once-only): forms.Prefill
// reads the case as the department the application goes to, for the purpose
// online_application — casefile decides it by the family's consent, masks
// what a DV等支援措置 protects, and puts the read in the disclosure register.
// What the read did not give, the family enters; nothing else is asked
// twice. The sent application goes to that department's inbox, and the
// desk's record notes that the family applied.

type applyFlow struct {
	FormID  string
	Answers map[string]any
	Date    string
	Items   map[string]forms.Item // by path
	Filled  int
	ToEnter int
}

// appForm returns the application definition with id.
func (a *App) appForm(id string) *forms.Form {
	for _, f := range a.apps {
		if f.ID() == id {
			return f
		}
	}
	return nil
}

type applyListData struct {
	Apps []applyChoice
}

type applyChoice struct {
	ID, Title, Program, Recipient, Description string
}

func (a *App) applyListPage(w http.ResponseWriter, r *http.Request, s *session) {
	if s.access == nil {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	var d applyListData
	for _, f := range a.apps {
		info := f.Info()
		c := applyChoice{ID: info.ID, Title: info.Title, Description: info.Description}
		if info.Application != nil {
			c.Recipient = info.Application.Recipient.Name
			c.Program = info.Application.Program
		}
		d.Apps = append(d.Apps, c)
	}
	a.render(w, r, http.StatusOK, "apply_list", view{Title: "オンライン申請", Area: "resident", CSRF: s.csrf, Data: d})
}

// recipientActor is the department an application goes to, reading the
// record for it.
func (a *App) recipientActor(app *forms.Form) casefile.Actor {
	return casefile.Actor{Tenant: a.tenant, User: "online-application", Org: app.Info().Application.Recipient.Code, Role: roleApplication, Client: "portal"}
}

func (a *App) applyStart(w http.ResponseWriter, r *http.Request, s *session) {
	ra := s.access
	if ra == nil {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	app := a.appForm(r.PostForm.Get("app"))
	if app == nil || app.Info().Application == nil {
		a.message(w, r, http.StatusNotFound, "resident", "申請が見つかりません", "一覧から申請を選んでください。")
		return
	}
	filled, err := forms.Prefill(r.Context(), a.svc, a.recipientActor(app), app, ra.Ref.CaseID, forms.PrefillOptions{Applicant: ra.applicant(), On: a.today()})
	if err != nil {
		var re *forms.RecordError
		if errors.As(err, &re) || errors.Is(err, casefile.ErrDenied) {
			a.message(w, r, http.StatusForbidden, "resident", "記録から転記できませんでした",
				"記録からの転記はできませんでした。申請書は窓口でもお出しいただけます。")
			return
		}
		a.serverError(w, r, "resident", err)
		return
	}
	var sub struct {
		Date    string         `json:"date"`
		Answers map[string]any `json:"answers"`
	}
	if err := json.Unmarshal(filled.Submission(), &sub); err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	if sub.Answers == nil {
		sub.Answers = map[string]any{}
	}
	f := &applyFlow{FormID: app.ID(), Answers: sub.Answers, Date: sub.Date, Items: map[string]forms.Item{}, Filled: filled.Filled, ToEnter: filled.ToEnter}
	for _, it := range filled.Items {
		f.Items[it.Path] = it
	}
	s.apply = f
	http.Redirect(w, r, "/my/apply/form", http.StatusSeeOther)
}

type applyFormData struct {
	Title       string
	Description string
	Recipient   string
	Pages       []applyPage
	Filled      int
	ToEnter     int
	Errors      []forms.FieldError
}

type applyPage struct {
	Title  string
	Help   string
	Groups []fieldGroup
}

// applyFields lists the application's controls, page by page, for the
// answers at hand (list items as the record gave them).
func (a *App) applyFields(app *forms.Form, f *applyFlow, errs []forms.FieldError) []applyPage {
	byPath := map[string][]string{}
	for _, e := range errs {
		byPath[e.Path] = append(byPath[e.Path], e.Message)
	}
	var pages []applyPage
	for _, p := range app.Pages() {
		ap := applyPage{Title: p.Title, Help: p.Help}
		var walk func(fields []forms.Field, prefix, legend string)
		walk = func(fields []forms.Field, prefix, legend string) {
			for _, fd := range fields {
				if fd.SetBy == forms.SetByMunicipality {
					continue
				}
				path := prefix + fd.ID
				switch fd.Type {
				case forms.TypeGroup:
					walk(fd.Fields, path+".", fd.Label)
					continue
				case forms.TypeList:
					items, _ := getAnswerList(f.Answers, path)
					for i := range items {
						walk(fd.Fields, path+"["+strconv.Itoa(i)+"].", itemLegend(fd, i))
					}
					continue
				}
				v := newFieldView(fd, path, f.Answers)
				v.Errors = byPath[path]
				if it, ok := f.Items[path]; ok {
					v.Prefilled = it.Status == forms.ItemFilled
					if it.Status == forms.ItemToEnter {
						v.Note = it.Note
					}
				}
				if fd.VisibleIf != "" {
					v.Help = joinHelp(v.Help, "（前の質問の答えによって必要なときだけ入力します）")
				}
				if n := len(ap.Groups); n == 0 || ap.Groups[n-1].Legend != legend {
					ap.Groups = append(ap.Groups, fieldGroup{Legend: legend})
				}
				ap.Groups[len(ap.Groups)-1].Fields = append(ap.Groups[len(ap.Groups)-1].Fields, v)
			}
		}
		walk(p.Fields, "", "")
		pages = append(pages, ap)
	}
	return pages
}

func (a *App) applyFormPage(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderApply(w, r, s, nil, http.StatusOK)
}

func (a *App) renderApply(w http.ResponseWriter, r *http.Request, s *session, errs []forms.FieldError, status int) {
	f := s.apply
	if s.access == nil || f == nil {
		http.Redirect(w, r, "/my/apply", http.StatusSeeOther)
		return
	}
	app := a.appForm(f.FormID)
	info := app.Info()
	d := applyFormData{Title: info.Title, Description: info.Description, Recipient: info.Application.Recipient.Name,
		Pages: a.applyFields(app, f, errs), Filled: f.Filled, ToEnter: f.ToEnter, Errors: errs}
	a.render(w, r, status, "apply_form", view{Title: info.Title, Area: "resident", CSRF: s.csrf, Data: d})
}

type applyDoneData struct {
	AppNo     string
	Title     string
	Recipient string
}

func (a *App) applySubmit(w http.ResponseWriter, r *http.Request, s *session) {
	ra, f := s.access, s.apply
	if ra == nil || f == nil {
		http.Redirect(w, r, "/my/apply", http.StatusSeeOther)
		return
	}
	app := a.appForm(f.FormID)
	answers := cloneAnswers(f.Answers).(map[string]any)
	for _, p := range a.applyFields(app, f, nil) {
		for _, g := range p.Groups {
			for _, v := range g.Fields {
				fd, ok := app.Field(templatePath(v.Name))
				if !ok {
					continue
				}
				if err := readField(fd, v.Name, r.PostForm, answers); err != nil {
					a.serverError(w, r, "resident", err)
					return
				}
			}
		}
	}
	f.Answers = answers
	sub, err := json.Marshal(map[string]any{"form": app.ID(), "version": app.Version(), "date": f.Date, "answers": answers})
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	checked, err := app.Check(sub)
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		a.renderApply(w, r, s, ve.Errors, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	body, err := json.Marshal(checked)
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	info := app.Info()
	appNo := "APP-" + a.today().String()[:4] + "-" + randomCode(8)
	ctx := r.Context()
	if err := a.db.addApplication(ctx, application{AppNo: appNo, Org: info.Application.Recipient.Code, Program: info.Application.Program,
		CaseID: ra.Ref.CaseID, FormID: app.ID(), Title: info.Title, Body: string(body), At: a.now()}); err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	// the desk's record notes the application, so that push-type support
	// does not announce a programme the family has applied for
	err = a.svc.Change(ctx, a.intakeActor(), consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Create(&casefile.SupportInUse{PersonID: ra.applicant(), CaseID: ra.Ref.CaseID, SchemeCode: info.Application.Program,
			Status: "applied", SourceSystem: "portal", AsOf: a.now(), SourceRef: appNo})
	})
	if err != nil {
		a.log.Warn("noting the application in the record", "err_type", errType(err))
	}
	s.apply = nil
	a.render(w, r, http.StatusOK, "apply_done", view{Title: "申請を受け付けました", Area: "resident", CSRF: s.csrf,
		Data: applyDoneData{AppNo: appNo, Title: info.Title, Recipient: info.Application.Recipient.Name}})
}

// applicationRows lists a received application's answers for its
// department: label and value, in the form's order.
func (a *App) applicationRows(app *forms.Form, answers map[string]any) []row {
	var out []row
	var walk func(fields []forms.Field, prefix, legend string)
	walk = func(fields []forms.Field, prefix, legend string) {
		for _, fd := range fields {
			path := prefix + fd.ID
			switch fd.Type {
			case forms.TypeGroup:
				walk(fd.Fields, path+".", fd.Label+" ")
				continue
			case forms.TypeList:
				items, _ := getAnswerList(answers, path)
				for i := range items {
					walk(fd.Fields, path+"["+strconv.Itoa(i)+"].", itemLegend(fd, i)+" ")
				}
				continue
			}
			v, ok := getAnswer(answers, path)
			if !ok {
				continue
			}
			out = append(out, row{Label: legend + fd.Label, Value: displayAnswer(fd, v)})
		}
	}
	for _, p := range app.Pages() {
		walk(p.Fields, "", "")
	}
	return out
}
