package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// Fuzz targets for what the portal parses itself: answer paths, receipt
// numbers and access codes as people type them, and the posted forms of
// the chat and the input form (forms, chatbot and casefile fuzz their own
// parsers).

func FuzzAnswerPaths(f *testing.F) {
	for _, s := range []string{"situation", "applicant.birth_date", "children[1].birth_date", "children[].x", "a..b", "x[999]", "[0]", "a[-1].b", "a[0"} {
		f.Add(s, "value", 2)
	}
	f.Fuzz(func(t *testing.T, path, value string, n int) {
		root := map[string]any{}
		_ = setListLength(root, "children", n%12, "c")
		if err := setAnswer(root, path, value); err == nil {
			got, ok := getAnswer(root, path)
			if !ok || got != value {
				t.Fatalf("set %q then get: %v %v", path, got, ok)
			}
			if err := setAnswer(root, path, nil); err != nil {
				t.Fatalf("remove %q: %v", path, err)
			}
		}
		tp := templatePath(path)
		if strings.Count(tp, "[") != strings.Count(path, "[") {
			t.Fatalf("templatePath(%q) = %q", path, tp)
		}
		if list, i, ok := itemOf(path); ok && (i < 0 || !strings.HasPrefix(path, list)) {
			t.Fatalf("itemOf(%q) = %q %d", path, list, i)
		}
		_ = cloneAnswers(root)
	})
}

func FuzzAccessCode(f *testing.F) {
	for _, s := range []string{"WEB-20261204-7KQ3MZ", "web20261204 7kq3mz", "ＷＥＢ－２０２６１２０４－７ＫＱ３ＭＺ", "ABCD-EFGH-JKMN-PQRS", "ilo", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := normalizeCode(s)
		for _, r := range c {
			if !strings.ContainsRune(crockford, r) && r != 'U' {
				t.Fatalf("normalizeCode(%q) = %q has %q", s, c, r)
			}
		}
		if normalizeCode(c) != c {
			t.Fatalf("normalizeCode is not idempotent on %q", s)
		}
		if no := normalizeReceiptNo(s); no != "" {
			if len(no) != len("WEB-20261204-7KQ3MZ") || normalizeReceiptNo(no) != no {
				t.Fatalf("normalizeReceiptNo(%q) = %q", s, no)
			}
		}
		if accessHash("WEB-20261204-7KQ3MZ", s) != accessHash("WEB-20261204-7KQ3MZ", c) {
			t.Fatalf("the hash of %q depends on how it was typed", s)
		}
	})
}

// fuzzPortal is a portal without demo data and without rate limits.
func fuzzPortal(f *testing.F) *App {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(f.TempDir(), "portal.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	unlimited := Limit{PerMinute: 1e9, Burst: 1 << 30}
	app, err := New(ctx, Options{Store: st, Limits: Limits{Chat: unlimited, Form: unlimited, NewSession: unlimited, Login: unlimited}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(app.Close)
	return app
}

// post sends a form with a session and its token.
func fuzzPost(t *testing.T, app *App, path string, body string) *httptest.ResponseRecorder {
	get := httptest.NewRecorder()
	app.ServeHTTP(get, httptest.NewRequest(http.MethodGet, "/chat", nil))
	cookie := get.Result().Cookies()[0]
	s := app.residents.lookup(cookie.Value)
	form := body + "&csrf=" + url.QueryEscape(s.csrf)
	return fuzzDo(app, path, form, cookie)
}

func fuzzDo(app *App, path, form string, cookie *http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	return rec
}

// noRawMarkup fails when a page echoes markup a person typed unescaped.
func noRawMarkup(t *testing.T, input, page string) {
	if strings.Contains(input, "<script") && strings.Contains(page, "<script>alert") {
		t.Fatalf("the page echoes a script tag unescaped")
	}
}

func FuzzChatPost(f *testing.F) {
	app := fuzzPortal(f)
	for _, s := range []string{"text=児童扶養手当", "text=<script>alert(1)</script>", "button=3", "button=-1", "text=" + strings.Repeat("あ", 600), "text=%ff%fe", "button=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rec := fuzzPost(t, app, "/chat", body)
		switch rec.Code {
		case http.StatusSeeOther, http.StatusOK, http.StatusUnprocessableEntity, http.StatusBadRequest:
		default:
			t.Fatalf("POST /chat %q: status %d", body, rec.Code)
		}
		noRawMarkup(t, body, rec.Body.String())
	})
}

func FuzzCheckStepPost(f *testing.F) {
	app := fuzzPortal(f)
	for _, s := range []string{
		"step=0&situation=divorced&applicant_role=parent&de_facto_partner=false",
		"step=0&count:children=3&count:others=x",
		"step=0&count:children=999",
		"step=0&applicant.birth_date=令和99年13月40日",
		"step=5&children[0].birth_date=2015-05-01",
		"step=-1", "step=0&situation=<script>alert(1)</script>",
		"step=0&children[9999].x=1&%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !utf8.ValidString(body) {
			return
		}
		get := httptest.NewRecorder()
		app.ServeHTTP(get, httptest.NewRequest(http.MethodGet, "/check", nil))
		cookie := get.Result().Cookies()[0]
		s := app.residents.lookup(cookie.Value)
		csrf := "&csrf=" + url.QueryEscape(s.csrf)
		if rec := fuzzDo(app, "/check", "program=child-rearing-allowance"+csrf, cookie); rec.Code != http.StatusSeeOther {
			t.Fatalf("start: %d", rec.Code)
		}
		for range 2 { // the first page, then whatever comes next
			rec := fuzzDo(app, "/check/step", body+csrf, cookie)
			switch rec.Code {
			case http.StatusSeeOther, http.StatusOK, http.StatusUnprocessableEntity, http.StatusBadRequest:
			default:
				t.Fatalf("POST /check/step %q: status %d\n%s", body, rec.Code, rec.Body.String())
			}
			noRawMarkup(t, body, rec.Body.String())
		}
		page := httptest.NewRequest(http.MethodGet, "/check/step", nil)
		page.AddCookie(cookie)
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, page)
		if rec.Code >= 500 {
			t.Fatalf("GET /check/step after %q: status %d", body, rec.Code)
		}
	})
}
