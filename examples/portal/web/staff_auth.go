package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
)

// Staff log in per department with a local account (a demo stand-in for
// the municipality's identity provider). The account names the department
// and the role; every page then acts as casefile.Actor{Org, Role, User}, so
// casefile and consent decide what the department may see and do.

const (
	staffMaxFailures = 5
	staffLock        = 15 * time.Minute
)

type loginData struct {
	Error string
	User  string
}

func (a *App) staffLoginPage(w http.ResponseWriter, r *http.Request) {
	s := a.sessionOrNew(w, r, a.staff, "staff")
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.staff != nil {
		http.Redirect(w, r, "/staff/", http.StatusSeeOther)
		return
	}
	a.render(w, r, http.StatusOK, "staff_login", view{Title: "職員ログイン", Area: "staff", CSRF: s.csrf, Data: loginData{}})
}

func (a *App) staffLogin(w http.ResponseWriter, r *http.Request) {
	s := a.staff.get(r)
	if s == nil {
		http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := r.ParseForm(); err != nil || !s.validCSRF(r.PostForm.Get("csrf")) {
		a.message(w, r, http.StatusForbidden, "staff", "送信できませんでした", "ページを読み込み直してから、もう一度ログインしてください。")
		return
	}
	user := strings.TrimSpace(r.PostForm.Get("user"))
	fail := func(status int, msg string) {
		a.render(w, r, status, "staff_login", view{Title: "職員ログイン", Area: "staff", CSRF: s.csrf, Data: loginData{Error: msg, User: user}})
	}
	if !a.limLogin.allow("ip:" + clientKey(r)) {
		fail(http.StatusTooManyRequests, "ログインの試行が多すぎます。しばらくしてからお試しください。")
		return
	}
	const generic = "ユーザーIDまたはパスワードが正しくありません。"
	u, err := a.db.staff(r.Context(), user)
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	now := a.now()
	if u == nil {
		// the same work as a real check, so that timing does not tell
		// which user ids exist
		_, _ = checkPassword(dummyHash, r.PostForm.Get("password"))
		fail(http.StatusUnprocessableEntity, generic)
		return
	}
	if now.Before(u.lockedUntil) {
		fail(http.StatusTooManyRequests, "パスワードの誤りが続いたため、このアカウントは一時的にロックされています。15分ほどしてからお試しください。")
		return
	}
	ok, err := checkPassword(u.hash, r.PostForm.Get("password"))
	if err != nil || !ok {
		if err := a.db.attemptFailed(r.Context(), staffLogins, u.UserID, now, staffMaxFailures, staffLock); err != nil {
			a.serverError(w, r, "staff", err)
			return
		}
		fail(http.StatusUnprocessableEntity, generic)
		return
	}
	if err := a.db.attemptSucceeded(r.Context(), staffLogins, u.UserID); err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	a.staff.rotate(w, s)
	s.staff = u
	a.log.Info("staff login", "org", u.Org, "role", u.Role)
	http.Redirect(w, r, "/staff/", http.StatusSeeOther)
}

// dummyHash is checked against when the user id is unknown.
var dummyHash = func() string {
	h, err := hashPassword("not a password", 1000)
	if err != nil {
		panic(err)
	}
	return h
}()

func (a *App) staffLogout(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	a.staff.destroy(w, s)
	http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
}

// actor is the logged-in staff member as casefile sees them.
func (a *App) actor(u *staffUser) casefile.Actor {
	return casefile.Actor{Tenant: a.tenant, User: u.UserID, Org: u.Org, Role: u.Role, Client: "portal"}
}

// staffNav lists the pages the user's role can use.
func (a *App) staffNav(r *http.Request, u *staffUser) []navItem {
	p := roles[u.Role]
	var nav []navItem
	add := func(perm casefile.Permission, href, label string) {
		if p&perm == perm {
			nav = append(nav, navItem{Href: href, Label: label, Current: r.URL.Path == href})
		}
	}
	add(0, "/staff/", "ホーム")
	add(casefile.PermRead, "/staff/cases", "ケース")
	add(casefile.PermRead, "/staff/applications", "申請の受付")
	if u.Org == deskOrg {
		add(casefile.PermRead|casefile.PermWrite, "/staff/outreach", "プッシュ型支援")
		add(casefile.PermRead|casefile.PermWrite, "/staff/faq", "チャットの見直し")
	}
	add(casefile.PermAudit, "/staff/audit", "監査")
	add(casefile.PermReport, "/staff/report", "実施状況")
	return nav
}

func (a *App) staffHome(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	a.render(w, r, http.StatusOK, "staff_home", view{Title: "職員メニュー", Area: "staff", CSRF: s.csrf, Staff: u, Data: a.staffNav(r, u)})
}
