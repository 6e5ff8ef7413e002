package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// The desk's casework: consultation entries, case conferences, tasks (who
// does what by when) and referrals to other departments. Each is one
// Service.Change by the logged-in caseworker, validated, authorised (the
// desk must own the case; DV and health labels need PermSensitive) and
// audited by casefile.

// isoDateTime writes an RFC 3339 time in Japan time.
func isoDateTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.In(jst).Format("2006年1月2日 15:04")
}

func (a *App) caseURL(id string) string { return "/staff/cases/" + id }

// changeDone redirects back to the case, or shows why the change was refused.
func (a *App) changeDone(w http.ResponseWriter, r *http.Request, id string, err error) {
	var ve *casefile.ValidationError
	switch {
	case err == nil:
		http.Redirect(w, r, a.caseURL(id)+"#casework", http.StatusSeeOther)
	case errors.As(err, &ve):
		var msgs []string
		for _, p := range ve.Problems {
			msgs = append(msgs, p.Message)
		}
		a.message(w, r, http.StatusUnprocessableEntity, "staff", "入力内容を確認してください", strings.Join(msgs, "\n"))
	case errors.Is(err, casefile.ErrConflict):
		a.message(w, r, http.StatusConflict, "staff", "更新が重なりました", "ほかの職員が先に更新しました。ケースを開き直してから、もう一度操作してください。")
	default:
		a.staffError(w, r, err)
	}
}

func limited(s string, n int) (string, bool) {
	s = strings.TrimSpace(s)
	return s, utf8.RuneCountInString(s) <= n
}

// allowed keeps the values that are codes of table.
func allowed(values []string, table []casefile.Label) []string {
	var out []string
	for _, v := range values {
		if slices.ContainsFunc(table, func(l casefile.Label) bool { return l.Code == v }) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func sensitiveLabels(values []string) []string {
	var out []string
	for _, v := range values {
		if (v == "dv_related" || v == "health_disability") && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (a *App) addConsultation(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	id := r.PathValue("id")
	f := r.PostForm
	summary, ok1 := limited(f.Get("summary"), 200)
	body, ok2 := limited(f.Get("body"), 4000)
	if !ok1 || !ok2 {
		a.message(w, r, http.StatusUnprocessableEntity, "staff", "入力内容を確認してください", "要旨は200文字、内容は4000文字までです。")
		return
	}
	c := casefile.Consultation{CaseID: id, OccurredAt: a.now(), Channel: f.Get("channel"), Staff: u.UserID, Org: u.Org,
		Topics: allowed(f["topic"], casefile.Topics()), Summary: summary, Body: body, Labels: sensitiveLabels(f["label"])}
	err := a.svc.Change(r.Context(), a.actor(u), consent.PurposeConsultation, func(ch *casefile.Changes) error { return ch.Create(&c) })
	a.changeDone(w, r, id, err)
}

func (a *App) addConference(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	id := r.PathValue("id")
	f := r.PostForm
	minutes, ok := limited(f.Get("minutes"), 4000)
	if !ok {
		a.message(w, r, http.StatusUnprocessableEntity, "staff", "入力内容を確認してください", "記録は4000文字までです。")
		return
	}
	held, err := time.ParseInLocation("2006-01-02T15:04", f.Get("held_at"), jst)
	if err != nil {
		a.message(w, r, http.StatusUnprocessableEntity, "staff", "入力内容を確認してください", "開催日時を入力してください。")
		return
	}
	c := casefile.Conference{CaseID: id, Kind: f.Get("kind"), HeldAt: held, LegalBasis: strings.TrimSpace(f.Get("legal_basis")),
		KeyPerson: u.UserID, Minutes: minutes, Labels: sensitiveLabels(f["label"])}
	if c.Kind == "child_protection_council" || c.Kind == "support_meeting" {
		c.Confidentiality = "児童福祉法第25条の5・生活困窮者自立支援法第9条第5項の守秘義務"
	}
	for _, org := range f["participant"] {
		if orgName(org) != org && !slices.ContainsFunc(c.Participants, func(p casefile.Participant) bool { return p.Org == org }) {
			c.Participants = append(c.Participants, casefile.Participant{Org: org})
		}
	}
	err = a.svc.Change(r.Context(), a.actor(u), consent.PurposeConsultation, func(ch *casefile.Changes) error { return ch.Create(&c) })
	a.changeDone(w, r, id, err)
}

func (a *App) addTask(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	id := r.PathValue("id")
	f := r.PostForm
	title, ok := limited(f.Get("title"), 200)
	if !ok {
		a.message(w, r, http.StatusUnprocessableEntity, "staff", "入力内容を確認してください", "内容は200文字までです。")
		return
	}
	due, _ := civil.Parse(f.Get("due"))
	t := casefile.Task{CaseID: id, Title: title, AssigneeOrg: f.Get("assignee_org"), Due: due, Status: "todo"}
	if orgName(t.AssigneeOrg) == t.AssigneeOrg {
		t.AssigneeOrg = ""
	}
	err := a.svc.Change(r.Context(), a.actor(u), consent.PurposeConsultation, func(ch *casefile.Changes) error { return ch.Create(&t) })
	a.changeDone(w, r, id, err)
}

func (a *App) updateTask(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	id, taskID := r.PathValue("id"), r.PathValue("task")
	status := r.PostForm.Get("status")
	if !casefile.ValidID(taskID) {
		a.message(w, r, http.StatusNotFound, "staff", "見つかりません", "タスクが見つかりません。")
		return
	}
	err := a.svc.Change(r.Context(), a.actor(u), consent.PurposeConsultation, func(ch *casefile.Changes) error {
		var t casefile.Task
		if err := ch.Get(taskID, &t); err != nil {
			return err
		}
		if t.CaseID != id {
			return &casefile.NotFoundError{Kind: casefile.KindTask, ID: taskID}
		}
		t.Status = status
		return ch.Update(&t)
	})
	a.changeDone(w, r, id, err)
}

// addReferral refers the family to another department: a task in the
// record (who does what by when) and an entry in that department's
// referral inbox. What the department then sees is decided by consent.
func (a *App) addReferral(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	id := r.PathValue("id")
	org, reason := r.PostForm.Get("org"), r.PostForm.Get("reason")
	if org == deskOrg || orgName(org) == org || referralLabel(reason) == reason {
		a.message(w, r, http.StatusUnprocessableEntity, "staff", "入力内容を確認してください", "紹介先と用件を選んでください。")
		return
	}
	t := casefile.Task{CaseID: id, Title: "紹介: " + referralLabel(reason), AssigneeOrg: org, Due: civil.DateOf(a.now().In(jst).AddDate(0, 0, 14)), Status: "todo"}
	err := a.svc.Change(r.Context(), a.actor(u), consent.PurposeConsultation, func(ch *casefile.Changes) error { return ch.Create(&t) })
	if err == nil {
		err = a.db.addReferral(r.Context(), referral{ID: casefile.NewID(), CaseID: id, Org: org, TaskID: t.ID, Reason: reason, ByUser: u.UserID, At: a.now()})
	}
	a.changeDone(w, r, id, err)
}

type applicationsData struct {
	Rows []applicationRow
}

type applicationRow struct {
	AppNo, Title, CaseID string
	At                   time.Time
	Items                []row
}

// applicationsPage is a department's inbox of online applications: only
// those sent to it.
func (a *App) applicationsPage(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	apps, err := a.db.applications(r.Context(), u.Org)
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	var d applicationsData
	for _, ap := range apps {
		row := applicationRow{AppNo: ap.AppNo, Title: ap.Title, CaseID: ap.CaseID, At: ap.At}
		form := a.appForm(ap.FormID)
		var sub struct {
			Answers map[string]any `json:"answers"`
		}
		if form != nil && json.Unmarshal([]byte(ap.Body), &sub) == nil {
			row.Items = a.applicationRows(form, sub.Answers)
		}
		d.Rows = append(d.Rows, row)
	}
	a.render(w, r, http.StatusOK, "staff_applications", view{Title: "申請の受付", Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
}
