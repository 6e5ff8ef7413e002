package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

func TestSecurityHeadersAndCookies(t *testing.T) {
	p := newTestPortal(t, 2, Limits{})
	res, err := http.Get(p.srv.URL + "/chat")
	require.NoError(t, err)
	res.Body.Close()
	h := res.Header
	assert.Equal(t, contentSecurityPolicy, h.Get("Content-Security-Policy"))
	assert.NotContains(t, h.Get("Content-Security-Policy"), "unsafe-inline")
	assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	assert.Equal(t, "DENY", h.Get("X-Frame-Options"))
	assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"))
	assert.Equal(t, "no-store", h.Get("Cache-Control"))
	cookies := res.Cookies()
	require.Len(t, cookies, 1)
	c := cookies[0]
	assert.Equal(t, "portal_r", c.Name)
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.False(t, c.Secure, "plain HTTP on loopback")
	assert.Len(t, c.Value, 43, "256 random bits")

	staff, err := http.Get(p.srv.URL + "/staff/login")
	require.NoError(t, err)
	staff.Body.Close()
	sc := staff.Cookies()[0]
	assert.Equal(t, "/staff", sc.Path)
	assert.Equal(t, http.SameSiteStrictMode, sc.SameSite)
}

func TestSecureCookiesOverTLS(t *testing.T) {
	st := newSessionStore(residentSession, residentPolicy, time.Now, 10, true)
	rec := newRecorder()
	st.create(rec)
	c := rec.cookies()[0]
	assert.Equal(t, "__Host-portal_r", c.Name)
	assert.True(t, c.Secure)
	assert.Equal(t, "/", c.Path)
}

func TestPostsNeedTheSessionsCSRFToken(t *testing.T) {
	p := newTestPortal(t, 2, Limits{})
	ag := p.agent(t)
	ag.get("/chat").ok()
	ag.post("/chat", url.Values{"text": {"保育園"}, "csrf": {"forged"}})
	assert.Equal(t, http.StatusForbidden, ag.code)
	// a post without any session
	other := p.agent(t)
	other.post("/chat", url.Values{"text": {"保育園"}})
	assert.Equal(t, http.StatusForbidden, other.code)
	// a cross-site post is refused before the token is even read
	req, err := http.NewRequest(http.MethodPost, p.srv.URL+"/chat", strings.NewReader("text=x"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := ag.c.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	// the staff login too
	st := p.agent(t)
	st.get("/staff/login").ok()
	st.post("/staff/login", url.Values{"user": {"hitorioya.sato"}, "password": {testPassword("hitorioya.sato")}, "csrf": {"x"}})
	assert.Equal(t, http.StatusForbidden, st.code)
}

func TestStaffPagesNeedLoginAndRole(t *testing.T) {
	p := newTestPortal(t, 2, testLimits)
	anon := p.agent(t)
	anon.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, path := range []string{"/staff/", "/staff/cases", "/staff/cases/" + p.seed.DV.CaseID, "/staff/audit", "/staff/report", "/staff/applications"} {
		anon.get(path)
		assert.Equal(t, http.StatusSeeOther, anon.code, path)
	}
	clerk := p.agent(t).staffLogin("kosodate.ito")
	clerk.get("/staff/audit")
	assert.Equal(t, http.StatusForbidden, clerk.code, "a clerk is no auditor")
	clerk.get("/staff/report")
	assert.Equal(t, http.StatusForbidden, clerk.code)
	clerk.post("/staff/cases/"+p.seed.DV.CaseID+"/consultations", url.Values{"summary": {"x"}, "channel": {"counter"}})
	assert.Equal(t, http.StatusForbidden, clerk.code, "a clerk writes nothing")
	auditor := p.agent(t).staffLogin("kansa.matsumoto")
	auditor.get("/staff/cases")
	assert.Equal(t, http.StatusForbidden, auditor.code, "an auditor reads no case")

	wrong := p.agent(t)
	wrong.get("/staff/login").ok()
	wrong.post("/staff/login", url.Values{"user": {"hitorioya.sato"}, "password": {"wrong"}})
	assert.Equal(t, http.StatusUnprocessableEntity, wrong.code)
	assert.Contains(t, wrong.text(), "ユーザーIDまたはパスワードが正しくありません")
	wrong.post("/staff/login", url.Values{"user": {"nobody"}, "password": {"wrong"}})
	assert.Contains(t, wrong.text(), "ユーザーIDまたはパスワードが正しくありません", "the same answer for an unknown user")
}

func TestStaffAccountLocksAfterFailures(t *testing.T) {
	p := newTestPortal(t, 1, testLimits)
	ag := p.agent(t)
	ag.get("/staff/login").ok()
	for range staffMaxFailures {
		ag.post("/staff/login", url.Values{"user": {"teate.tanaka"}, "password": {"guess"}})
	}
	ag.post("/staff/login", url.Values{"user": {"teate.tanaka"}, "password": {testPassword("teate.tanaka")}})
	assert.Equal(t, http.StatusTooManyRequests, ag.code, "locked even with the right password")
}

func TestResidentAccessCodeLocksAfterFailures(t *testing.T) {
	p := newTestPortal(t, 1, testLimits)
	res := p.agent(t)
	res.screen(mother)
	no, code := res.record(mother)
	ag := p.agent(t)
	ag.get("/my").ok()
	ag.post("/my/login", url.Values{"receipt_no": {no}, "code": {"AAAA-AAAA-AAAA-AAAA"}})
	assert.Equal(t, http.StatusUnprocessableEntity, ag.code)
	for range accessMaxFailures - 1 {
		ag.post("/my/login", url.Values{"receipt_no": {no}, "code": {"AAAA-AAAA-AAAA-AAAA"}})
	}
	ag.post("/my/login", url.Values{"receipt_no": {no}, "code": {code}})
	assert.Equal(t, http.StatusTooManyRequests, ag.code)

	// typed as people type: lower case, full width, no hyphens
	other := p.agent(t)
	other.get("/my").ok()
	p.app.db.attemptSucceeded(context.Background(), accessCodes, no)
	typed := strings.ToLower(strings.ReplaceAll(code, "-", ""))
	other.post("/my/login", url.Values{"receipt_no": {strings.ToLower(no)}, "code": {toFullWidth(typed)}}).ok()
	assert.Contains(t, other.text(), "同意の内容")
}

func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '!' && r <= '~' {
			return r - '!' + '！'
		}
		return r
	}, s)
}

func TestChatIsRateLimitedPerSession(t *testing.T) {
	p := newTestPortal(t, 1, Limits{Chat: Limit{PerMinute: 1, Burst: 3}})
	ag := p.agent(t)
	ag.get("/chat").ok()
	for i := range 3 {
		ag.post("/chat", url.Values{"text": {"保育園"}})
		require.Equal(t, http.StatusOK, ag.code, "message %d", i)
	}
	ag.post("/chat", url.Values{"text": {"保育園"}})
	assert.Equal(t, http.StatusTooManyRequests, ag.code)
}

func TestChatRefusesLongMessagesAndShowsTheDVOverride(t *testing.T) {
	p := newTestPortal(t, 1, Limits{})
	ag := p.agent(t)
	ag.get("/chat").ok()
	ag.post("/chat", url.Values{"text": {strings.Repeat("あ", maxChatText+1)}})
	assert.Equal(t, http.StatusUnprocessableEntity, ag.code)
	ag.get("/chat").ok()
	ag.post("/chat", url.Values{"text": {"夫に殴られて逃げたい"}}).ok()
	assert.Contains(t, ag.page, `role="alert"`)
	assert.Contains(t, ag.page, `href="tel:%238008"`)
	assert.Contains(t, ag.text(), "DV相談+")
	// hand-off: nothing matched, the desk is shown
	ag.post("/chat", url.Values{"text": {"宇宙旅行の補助金はありますか"}}).ok()
	assert.Contains(t, ag.text(), "お問い合わせ")
}

func TestSessionsExpire(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, jst)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	st := newSessionStore(staffSession, staffPolicy, clock, 10, false)
	rec := newRecorder()
	s := st.create(rec)
	req := rec.requestWithCookies()
	require.Same(t, s, st.get(req))
	mu.Lock()
	now = now.Add(staffPolicy.idle + time.Second)
	mu.Unlock()
	assert.Nil(t, st.get(req), "idle too long")

	s = st.create(rec)
	req = rec.requestWithCookies()
	for range 40 {
		mu.Lock()
		now = now.Add(staffPolicy.idle - time.Minute)
		mu.Unlock()
		if st.get(req) == nil {
			break
		}
	}
	mu.Lock()
	lived := now.Sub(s.created)
	mu.Unlock()
	assert.LessOrEqual(t, lived, staffPolicy.absolute+staffPolicy.idle, "no session outlives the absolute limit")
}

// The request log names the route and status, never a path with an id, a
// query, a name or a receipt number.
func TestLogsHoldNoPersonalData(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "portal.db"))
	require.NoError(t, err)
	defer st.Close()
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	app, err := New(ctx, Options{Store: st, Logger: logger, Limits: testLimits})
	require.NoError(t, err)
	defer app.Close()
	pw := map[string]string{}
	for _, s := range demoStaff {
		pw[s.User] = testPassword(s.User)
	}
	seed, err := app.Seed(ctx, SeedOptions{Households: 2, Seed: 1, PasswordIterations: 1000, Passwords: pw})
	require.NoError(t, err)
	p := &testPortal{app: app, seed: seed}
	p.srv = newServer(t, app)
	res := p.agent(t)
	res.get("/chat").ok()
	res.post("/chat", url.Values{"text": {"山田花子です。電話は090-1234-5678"}}).ok()
	res.screen(mother)
	no, code := res.record(mother)
	desk := p.agent(t).staffLogin("hitorioya.sato")
	desk.get("/staff/cases/" + seed.DV.CaseID).ok()
	mu.Lock()
	log := buf.String()
	mu.Unlock()
	require.Contains(t, log, `route="GET /staff/cases/{id}"`)
	for _, v := range []string{"山田", "花子", "090-1234-5678", no, code, seed.DV.CaseID, "緑川", "みどり台", "pw-"} {
		assert.NotContains(t, log, v)
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
