package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/wareki"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageSet holds one template per page, each parsed with the layout and the
// shared partials (html/template escapes every value by context).
type pageSet struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"yen": eligibility.FormatYen,
	"money": func(m *eligibility.Money) string {
		if m == nil {
			return ""
		}
		return moneyLabel(*m)
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(jst).Format("2006年1月2日 15:04")
	},
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(jst).Format("2006年1月2日")
	},
	"wareki":   warekiOf,
	"org":      orgName,
	"purpose":  func(p consent.Purpose) string { return p.Label() },
	"category": func(c consent.Category) string { return c.Label() },
	"lines":    func(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") },
	"add":      func(a, b int) int { return a + b },
	"join":     strings.Join,
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	},
	"taskStatuses": func() []struct{ Code, Label string } {
		return []struct{ Code, Label string }{{"todo", "未着手"}, {"doing", "対応中"}, {"done", "完了"}, {"cancelled", "取消"}}
	},
}

func parsePages() (*pageSet, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	ps := &pageSet{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := path.Base(n)
		if name == "layout.html" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, n); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		ps.byName[strings.TrimSuffix(name, ".html")] = t
	}
	return ps, nil
}

// view is what every page template receives.
type view struct {
	Title        string
	Area         string // resident or staff
	CSRF         string
	Staff        *staffUser
	Nav          []navItem
	Municipality string
	Notice       string
	Data         any
}

type navItem struct {
	Href, Label string
	Current     bool
}

// render writes a page with status. Pages are rendered to a buffer first,
// so a template error never sends half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	t := a.pages.byName[name]
	if t == nil {
		http.Error(w, "page not found", http.StatusInternalServerError)
		return
	}
	v.Municipality = a.opts.Municipality
	if v.Area == "staff" && v.Staff != nil {
		v.Nav = a.staffNav(r, v.Staff)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		a.log.Error("template", "page", name, "err", err.Error())
		http.Error(w, "内部エラーが発生しました。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// message renders a page with a heading and a text (errors, refusals).
func (a *App) message(w http.ResponseWriter, r *http.Request, status int, area, title, text string) {
	a.render(w, r, status, "message", view{Title: title, Area: area, Data: text})
}

func moneyLabel(m eligibility.Money) string {
	per := map[eligibility.AmountPer]string{"month": "月額 ", "year": "年額 ", "once": ""}[m.Per]
	return per + eligibility.FormatYen(m.Yen)
}

// warekiOf writes a civil date in 和暦 (令和8年12月4日) for people.
func warekiOf(s string) string {
	d, err := wareki.Parse(s)
	if err != nil {
		return s
	}
	return wareki.String(d)
}
