package web

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// testPortal is a portal on a fresh SQLite file with a small demo seed.
type testPortal struct {
	app  *App
	srv  *httptest.Server
	seed *SeedResult
}

// testLimits let a test log in as every department.
var testLimits = Limits{Login: Limit{PerMinute: 600, Burst: 200}}

// testClock starts on a Friday at 10:00 in Japan and runs: office hours,
// so that push notices are due at once, whatever time the tests run.
func testClock() func() time.Time {
	base, start := time.Date(2026, 12, 4, 10, 0, 0, 0, jst), time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}

// testPassword is every demo account's password in tests.
func testPassword(user string) string { return "pw-" + user }

func newTestPortal(t testing.TB, households int, limits Limits) *testPortal {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return newTestPortalOn(t, st, households, limits)
}

func newTestPortalOn(t testing.TB, st *sqlstore.Store, households int, limits Limits) *testPortal {
	t.Helper()
	ctx := context.Background()
	app, err := New(ctx, Options{Store: st, Limits: limits, Now: testClock()})
	require.NoError(t, err)
	t.Cleanup(app.Close)
	pw := map[string]string{}
	for _, s := range demoStaff {
		pw[s.User] = testPassword(s.User)
	}
	seed, err := app.Seed(ctx, SeedOptions{Households: households, Seed: 7, PasswordIterations: 1000, Passwords: pw})
	require.NoError(t, err)
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	return &testPortal{app: app, srv: srv, seed: seed}
}

// agent is one browser without JavaScript: a cookie jar and the last page.
type agent struct {
	t    testing.TB
	c    *http.Client
	base string
	page string
	code int
}

func (p *testPortal) agent(t testing.TB) *agent {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &agent{t: t, base: p.srv.URL, c: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
}

func (ag *agent) do(req *http.Request) {
	ag.t.Helper()
	res, err := ag.c.Do(req)
	require.NoError(ag.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(ag.t, err)
	ag.page, ag.code = string(b), res.StatusCode
}

func (ag *agent) get(path string) *agent {
	ag.t.Helper()
	req, err := http.NewRequest(http.MethodGet, ag.base+path, nil)
	require.NoError(ag.t, err)
	ag.do(req)
	return ag
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post sends a form with the CSRF token of the current page.
func (ag *agent) post(path string, form url.Values) *agent {
	ag.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if m := csrfRE.FindStringSubmatch(ag.page); m != nil && form.Get("csrf") == "" {
		form.Set("csrf", html.UnescapeString(m[1]))
	}
	req, err := http.NewRequest(http.MethodPost, ag.base+path, strings.NewReader(form.Encode()))
	require.NoError(ag.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ag.do(req)
	return ag
}

func (ag *agent) ok() *agent {
	ag.t.Helper()
	require.Equal(ag.t, http.StatusOK, ag.code, "page:\n%s", mainOf(ag.page))
	return ag
}

// text is the page's main content without tags.
func (ag *agent) text() string { return textOf(mainOf(ag.page)) }

var tagRE = regexp.MustCompile(`<[^>]*>`)

func textOf(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(s, " "))), " ")
}

func mainOf(page string) string {
	i, j := strings.Index(page, "<main"), strings.Index(page, "</main>")
	if i < 0 || j < i {
		return page
	}
	return page[i:j]
}

// inputs lists the names of the form controls on the page, in order.
var inputRE = regexp.MustCompile(`<(?:input|textarea|select)[^>]*\sname="([^"]+)"`)

func (ag *agent) inputs() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range inputRE.FindAllStringSubmatch(mainOf(ag.page), -1) {
		n := html.UnescapeString(m[1])
		if n == "csrf" || n == "step" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// family is a resident's answers, by template path (children[].x) or
// count question; a function of the concrete path for per-person values.
type family func(path string) ([]string, bool)

// mother is a divorced mother of two with a part-time salary.
func mother(path string) ([]string, bool) {
	births := []string{"平成28年4月1日", "R2.8.20"}
	given := []string{"太郎", "次郎"}
	if list, i, ok := itemOf(path); ok && list == "children" {
		switch templatePath(path) {
		case "children[].birth_date":
			return []string{births[i]}, true
		case "children[].given_name":
			return []string{given[i]}, true
		}
	}
	v, ok := map[string][]string{
		"situation": {"divorced"}, "applicant_role": {"parent"}, "de_facto_partner": {"false"},
		"applicant.birth_date": {"1990-05-10"}, "applicant.sex": {"female"}, "applicant.resides_in_japan": {"true"},
		"applicant.disability_kind": {"none"}, "count:children": {"2"}, "count:others": {"0"},
		"children[].lives_with": {"true"}, "children[].same_livelihood": {"true"}, "children[].supported": {"true"},
		"children[].in_facility": {"false"}, "children[].resides_in_japan": {"true"}, "children[].disability_kind": {"none"},
		"children[].has_income": {"false"}, "children[].family_name": {"山田"}, "children[].family_kana": {"ヤマダ"},
		"children[].given_kana":       {""},
		"applicant_income.prev_kinds": {"salary_revenue"}, "applicant_income.prev_salary": {"180万"},
		"applicant_income.prev_child_support": {"0"}, "applicant_income.prev_deductions": {"none"},
		"applicant_income.prev2_kinds": {"salary_revenue"}, "applicant_income.prev2_salary": {"175万"},
		"applicant_income.prev2_child_support": {"0"}, "applicant_income.prev2_deductions": {"none"},
		"receiving": {"child-allowance"}, "training_course": {"false"}, "education_course": {"false"}, "loan_kind": {""},
		"postal_code": {"〒１００ー０００１"}, "prefecture": {"東京都"}, "city": {"デモ区"}, "town": {"あおば町1-2-3"}, "building": {""},
		"troubles": {"childcare", "employment"}, "consult_text": {"仕事と保育園のことを相談したいです。"},
		"applicant.family_name": {"山田"}, "applicant.given_name": {"花子"}, "applicant.family_kana": {"やまだ"}, "applicant.given_kana": {"ハナコ"},
		"contact_ok": {"true"}, "contact_methods": {"phone"}, "contact_times": {"平日9時〜12時"}, "contact_note": {""},
		"phone": {"090-1234-5678"}, "consent_sharing": {"true"}, "consent_notification": {"true"}, "consent_online_application": {"true"},
	}[templatePath(path)]
	return v, ok
}

// answerStep fills every control of the current step from the family.
func (ag *agent) answerStep(f family) url.Values {
	ag.t.Helper()
	form := url.Values{}
	m := regexp.MustCompile(`name="step" value="(\d+)"`).FindStringSubmatch(ag.page)
	require.NotNil(ag.t, m, "not a step page:\n%s", ag.text())
	form.Set("step", m[1])
	for _, name := range ag.inputs() {
		v, ok := f(name)
		if !ok {
			// a question this family has no answer for (a field added to
			// the model form later) is left blank, as a resident may; a
			// required one then fails the step with its message
			ag.t.Logf("no answer for %q: left blank", name)
			continue
		}
		for _, x := range v {
			if x != "" {
				form.Add(name, x)
			}
		}
	}
	return form
}

// screen goes from the form's start to the result page.
func (ag *agent) screen(f family, programs ...string) {
	ag.t.Helper()
	ag.get("/check").ok()
	ag.post("/check", url.Values{"program": programs}).ok()
	for i := 0; strings.Contains(ag.page, `action="/check/step"`); i++ {
		require.Less(ag.t, i, 30, "too many steps")
		ag.post("/check/step", ag.answerStep(f)).ok()
	}
	require.Contains(ag.t, ag.text(), "判定の結果（目安）")
}

// record goes on from the result page to the receipt.
func (ag *agent) record(f family) (receiptNo, code string) {
	ag.t.Helper()
	ag.post("/check/continue", nil).ok()
	for i := 0; strings.Contains(ag.page, `action="/check/step"`); i++ {
		require.Less(ag.t, i, 30, "too many steps")
		ag.post("/check/step", ag.answerStep(f)).ok()
	}
	require.Contains(ag.t, ag.text(), "入力内容の確認")
	ag.post("/check/submit", nil).ok()
	require.Contains(ag.t, ag.text(), "受け付けました")
	no := regexp.MustCompile(`id="receipt-no">([^<]+)<`).FindStringSubmatch(ag.page)
	cd := regexp.MustCompile(`id="access-code">([^<]+)<`).FindStringSubmatch(ag.page)
	require.NotNil(ag.t, no)
	require.NotNil(ag.t, cd)
	return no[1], cd[1]
}

func (ag *agent) staffLogin(user string) *agent {
	ag.t.Helper()
	ag.get("/staff/login").ok()
	ag.post("/staff/login", url.Values{"user": {user}, "password": {testPassword(user)}}).ok()
	require.Contains(ag.t, ag.text(), "職員メニュー", "login as %s", user)
	return ag
}

func newServer(t testing.TB, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// recorder is an httptest.ResponseRecorder that hands its cookies to a
// request.
type recorder struct{ *httptest.ResponseRecorder }

func newRecorder() *recorder { return &recorder{httptest.NewRecorder()} }

func (r *recorder) cookies() []*http.Cookie { return r.Result().Cookies() }

func (r *recorder) requestWithCookies() *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	cs := r.cookies()
	req.AddCookie(cs[len(cs)-1])
	return req
}
