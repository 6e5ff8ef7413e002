package web

import (
	"fmt"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/onestop-jp/onestop/casefile"
)

// routes maps every URL of the portal. Paths hold no personal data: a case
// is named by its UUID, everything a person types is posted.
func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded folder exists
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

	// resident side
	mux.HandleFunc("GET /{$}", a.resident(a.home))
	mux.HandleFunc("GET /chat", a.resident(a.chatPage))
	mux.HandleFunc("POST /chat", a.residentPost(a.limChat, a.chatPost))
	mux.HandleFunc("GET /check", a.resident(a.checkStartPage))
	mux.HandleFunc("POST /check", a.residentPost(a.limForm, a.checkStartPost))
	mux.HandleFunc("GET /check/step", a.resident(a.checkStepPage))
	mux.HandleFunc("POST /check/step", a.residentPost(a.limForm, a.checkStepPost))
	mux.HandleFunc("GET /check/result", a.resident(a.checkResultPage))
	mux.HandleFunc("POST /check/continue", a.residentPost(a.limForm, a.checkContinue))
	mux.HandleFunc("GET /check/review", a.resident(a.checkReviewPage))
	mux.HandleFunc("POST /check/submit", a.residentPost(a.limForm, a.checkSubmit))
	mux.HandleFunc("GET /check/done", a.resident(a.checkDonePage))
	mux.HandleFunc("GET /my", a.resident(a.myPage))
	mux.HandleFunc("POST /my/login", a.residentPost(nil, a.myLogin))
	mux.HandleFunc("POST /my/logout", a.residentPost(nil, a.myLogout))
	mux.HandleFunc("POST /my/withdraw", a.residentPost(a.limForm, a.myWithdraw))
	mux.HandleFunc("GET /my/apply", a.resident(a.applyListPage))
	mux.HandleFunc("POST /my/apply", a.residentPost(a.limForm, a.applyStart))
	mux.HandleFunc("GET /my/apply/form", a.resident(a.applyFormPage))
	mux.HandleFunc("POST /my/apply/form", a.residentPost(a.limForm, a.applySubmit))

	// staff side
	mux.HandleFunc("GET /staff/login", a.staffLoginPage)
	mux.HandleFunc("POST /staff/login", a.staffLogin)
	mux.HandleFunc("POST /staff/logout", a.staffPost(0, a.staffLogout))
	mux.HandleFunc("GET /staff/{$}", a.staffPage(0, a.staffHome))
	mux.HandleFunc("GET /staff/cases", a.staffPage(casefile.PermRead, a.caseList))
	mux.HandleFunc("GET /staff/cases/{id}", a.staffPage(casefile.PermRead, a.caseView))
	mux.HandleFunc("POST /staff/cases/{id}/consultations", a.staffPost(casefile.PermWrite, a.addConsultation))
	mux.HandleFunc("POST /staff/cases/{id}/conferences", a.staffPost(casefile.PermWrite, a.addConference))
	mux.HandleFunc("POST /staff/cases/{id}/tasks", a.staffPost(casefile.PermWrite, a.addTask))
	mux.HandleFunc("POST /staff/cases/{id}/tasks/{task}", a.staffPost(casefile.PermWrite, a.updateTask))
	mux.HandleFunc("POST /staff/cases/{id}/referrals", a.staffPost(casefile.PermWrite, a.addReferral))
	mux.HandleFunc("GET /staff/applications", a.staffPage(casefile.PermRead, a.applicationsPage))
	mux.HandleFunc("GET /staff/audit", a.staffPage(casefile.PermAudit, a.auditPage))
	mux.HandleFunc("POST /staff/audit/verify", a.staffPost(casefile.PermAudit, a.auditVerify))
	mux.HandleFunc("POST /staff/audit/checkpoint", a.staffPost(casefile.PermAudit, a.auditCheckpoint))
	mux.HandleFunc("GET /staff/report", a.staffPage(casefile.PermReport, a.reportPage))
	mux.HandleFunc("GET /staff/outreach", a.staffPage(casefile.PermRead|casefile.PermWrite, a.outreachPage))
	mux.HandleFunc("POST /staff/outreach/run", a.staffPost(casefile.PermRead|casefile.PermWrite, a.outreachRun))
	mux.HandleFunc("POST /staff/outreach/dispatch", a.staffPost(casefile.PermRead|casefile.PermWrite, a.outreachDispatch))
	mux.HandleFunc("GET /staff/outbox", a.staffPage(casefile.PermRead|casefile.PermWrite, a.outboxPage))
	mux.HandleFunc("GET /staff/faq", a.staffPage(casefile.PermRead|casefile.PermWrite, a.faqPage))
	mux.HandleFunc("GET /staff/faq.csv", a.staffPage(casefile.PermRead|casefile.PermWrite, a.faqCSV))

	var h http.Handler = mux
	h = http.NewCrossOriginProtection().Handler(h) // refuses cross-site posts (Sec-Fetch-Site, Origin)
	h = a.secureHeaders(h)
	h = a.logRequests(h)
	return h
}

type residentHandler func(w http.ResponseWriter, r *http.Request, s *session)

// resident serves a page with the resident's session, starting one (rate
// limited per client address) if there is none.
func (a *App) resident(h residentHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := a.sessionOrNew(w, r, a.residents, "resident")
		if s == nil {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		h(w, r, s)
	}
}

// sessionOrNew returns the request's session of st or starts one; it
// returns nil, having answered, when the client address has started too
// many sessions lately.
func (a *App) sessionOrNew(w http.ResponseWriter, r *http.Request, st *sessionStore, area string) *session {
	if s := st.get(r); s != nil {
		return s
	}
	if !a.limSession.allow(clientKey(r)) {
		a.tooMany(w, r, area)
		return nil
	}
	return st.create(w)
}

// residentPost serves a post: it needs the session, its CSRF token, and
// a token of lim for the session.
func (a *App) residentPost(lim *limiter, h residentHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := a.residents.get(r)
		if s == nil {
			a.message(w, r, http.StatusForbidden, "resident", "時間切れです",
				"一定時間操作がなかったため、入力内容を破棄しました。お手数ですが、はじめからやり直してください。")
			return
		}
		if !a.parsePost(w, r, "resident") {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.validCSRF(r.PostForm.Get("csrf")) {
			a.message(w, r, http.StatusForbidden, "resident", "送信できませんでした", "ページが古くなっています。ページを読み込み直してから、もう一度送信してください。")
			return
		}
		if !lim.allow("s:" + s.id) {
			a.tooMany(w, r, "resident")
			return
		}
		h(w, r, s)
	}
}

// parsePost reads a post's form; it answers and returns false when the
// body cannot be read.
func (a *App) parsePost(w http.ResponseWriter, r *http.Request, area string) bool {
	if err := r.ParseForm(); err != nil {
		a.message(w, r, http.StatusBadRequest, area, "送信できませんでした", "送信された内容を読み取れませんでした。")
		return false
	}
	return true
}

type staffHandler func(w http.ResponseWriter, r *http.Request, s *session, u *staffUser)

// staffPage serves a staff page to a logged-in user whose role has perm.
// The check here only hides what the role cannot use; casefile decides
// every read and write again, by role, department and consent.
func (a *App) staffPage(perm casefile.Permission, h staffHandler) http.HandlerFunc {
	return a.staffRoute(perm, false, h)
}

// staffPost is staffPage for posts: the CSRF token is checked first.
func (a *App) staffPost(perm casefile.Permission, h staffHandler) http.HandlerFunc {
	return a.staffRoute(perm, true, h)
}

func (a *App) staffRoute(perm casefile.Permission, post bool, h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := a.staff.get(r)
		if s == nil {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		if post && !a.parsePost(w, r, "staff") {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.staff == nil {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		if post && !s.validCSRF(r.PostForm.Get("csrf")) {
			a.message(w, r, http.StatusForbidden, "staff", "送信できませんでした", "ページが古くなっています。読み込み直してから送信してください。")
			return
		}
		if roles[s.staff.Role]&perm != perm {
			refusal := "この画面は、あなたの役割では使えません。"
			if post {
				refusal = "この操作は、あなたの役割では行えません。"
			}
			a.message(w, r, http.StatusForbidden, "staff", "権限がありません", refusal)
			return
		}
		h(w, r, s, s.staff)
	}
}

func (a *App) home(w http.ResponseWriter, r *http.Request, s *session) {
	a.render(w, r, http.StatusOK, "home", view{Title: "ひとり親家庭のための相談・手続き", Area: "resident", CSRF: s.csrf, Data: s.access != nil})
}

func (a *App) tooMany(w http.ResponseWriter, r *http.Request, area string) {
	w.Header().Set("Retry-After", "60")
	a.message(w, r, http.StatusTooManyRequests, area, "少し時間をおいてください", "短い時間に多くの操作がありました。1分ほどしてから、もう一度お試しください。")
}

// serverError logs the error's type (its text may quote personal data)
// and shows a generic page.
func (a *App) serverError(w http.ResponseWriter, r *http.Request, area string, err error) {
	a.log.Error("handler", "route", r.Pattern, "err_type", errType(err))
	a.message(w, r, http.StatusInternalServerError, area, "エラーが発生しました",
		"処理を完了できませんでした。時間をおいてもう一度お試しください。続くときは窓口にお問い合わせください。")
}

// errType names an error's chain of types, for logs without its text.
func errType(err error) string {
	if err == nil {
		return ""
	}
	s := fmt.Sprintf("%T", err)
	type unwrapper interface{ Unwrap() error }
	for u, ok := err.(unwrapper); ok; u, ok = err.(unwrapper) {
		err = u.Unwrap()
		if err == nil {
			break
		}
		s += "<" + fmt.Sprintf("%T", err)
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
