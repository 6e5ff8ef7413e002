package web

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Browser tests drive Debian's headless Chromium through the DevTools
// protocol (chromedp): the pages as a resident and as staff see them, with
// the Content-Security-Policy enforced, keyboard-only use, an accessibility
// check by axe-core in every main page, and screenshots at a phone's and a
// desktop's width.
//
// Locally they skip when Chromium is absent; in CI (CI=true) its absence
// fails them. `go test ./examples/portal/web -run Browser -update-screenshots`
// rewrites examples/portal/screenshots/.

var updateScreenshots = flag.Bool("update-screenshots", false, "write the browser tests' screenshots to examples/portal/screenshots")

const (
	mobileW, mobileH   = 390, 844
	desktopW, desktopH = 1280, 900
)

func inCI() bool { return os.Getenv("CI") == "true" }

// chromiumPath finds the browser, or skips (fails in CI).
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ONESTOP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if inCI() {
		t.Fatal("Chromium is required for the browser tests in CI (.ci/run installs Debian's chromium package)")
	}
	t.Skip("Chromium not found (install Debian's chromium package, or set ONESTOP_CHROMIUM): browser tests skipped")
	return ""
}

// axeSource is axe-core, installed by `npm ci` in examples/portal.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if inCI() {
			t.Fatalf("axe-core is required for the accessibility checks in CI (npm ci in examples/portal): %v", err)
		}
		t.Log("axe-core not installed (run npm ci in examples/portal): accessibility checks skipped")
		return ""
	}
	return string(b)
}

type browser struct {
	t      *testing.T
	ctx    context.Context
	base   string
	axe    string
	shots  string
	taken  []string
	checks int
}

// browserPortal is a test portal with households and a browser on it;
// browser tests do not run with -short.
func browserPortal(t *testing.T, households int) (*testPortal, *browser) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	p := newTestPortal(t, households, testLimits)
	return p, newBrowser(t, p.srv.URL)
}

func newBrowser(t *testing.T, base string) *browser {
	path := chromiumPath(t)
	b := &browser{t: t, base: base, axe: axeSource(t), shots: t.TempDir()}
	if *updateScreenshots {
		b.shots = filepath.Join("..", "screenshots")
		require.NoError(t, os.MkdirAll(b.shots, 0o755))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "ja"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopW, desktopH),
	)
	t.Cleanup(cancelAlloc)
	// the browser starts with its first (blank) tab; each person's tab is
	// then a browser context of its own
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(cancelRoot)
	require.NoError(t, chromedp.Do(root), "starting Chromium")
	b.ctx = root
	return b
}

// tab is one person's browser window: its own cookies (a browser context of
// its own), at a phone's width or a desktop's.
type tab struct {
	b      *browser
	ctx    context.Context
	mobile bool
}

func (b *browser) tab(mobile bool) *tab {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	tb := &tab{b: b, ctx: ctx, mobile: mobile}
	// every CSP violation on any page is recorded, to be checked after each load
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
	})
	require.NoError(b.t, err)
	tb.viewport(mobile)
	return tb
}

func (tb *tab) viewport(mobile bool) {
	tb.b.t.Helper()
	var err error
	if mobile {
		err = chromedp.Do(tb.ctx, chromedp.EmulateViewport(mobileW, mobileH, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
	} else {
		err = chromedp.Do(tb.ctx, chromedp.EmulateViewport(desktopW, desktopH, chromedp.EmulateScale(1)))
	}
	require.NoError(tb.b.t, err)
	tb.mobile = mobile
}

// step is the time one browser action may take.
const step = 30 * time.Second

// run runs an action with the step's deadline (a missing element fails
// the test instead of waiting forever).
func run[T any](tb *tab, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	return chromedp.Run(ctx, a)
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.b.t.Helper()
	_, err := run(tb, chromedp.Steps(steps...))
	require.NoError(tb.b.t, err)
}

// loaded checks every page the tab arrives at: no CSP violation.
func (tb *tab) loaded() {
	tb.b.t.Helper()
	v, err := run(tb, chromedp.Evaluate[[]string](`window.__csp || []`))
	require.NoError(tb.b.t, err)
	assert.Empty(tb.b.t, v, "Content-Security-Policy violations on %s", tb.location())
}

func (tb *tab) open(path string) *tab {
	tb.b.t.Helper()
	tb.do(chromedp.Navigate(tb.b.base + path))
	tb.loaded()
	return tb
}

// click clicks an element that loads a page, and waits for it.
func (tb *tab) click(sel string) *tab {
	tb.b.t.Helper()
	_, err := run(tb, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)))
	require.NoError(tb.b.t, err, "click %s on %s", sel, tb.location())
	tb.loaded()
	return tb
}

// submit submits the form posting to action by its (first) submit button.
func (tb *tab) submit(action string) *tab {
	return tb.click(`main form[action="` + action + `"] button[type="submit"]`)
}

func (tb *tab) location() string {
	loc, _ := run(tb, chromedp.Location())
	return strings.TrimPrefix(loc, tb.b.base)
}

func (tb *tab) eval(js string, out any) {
	tb.b.t.Helper()
	raw, err := run(tb, chromedp.Evaluate[[]byte](js))
	require.NoError(tb.b.t, err, js)
	if out != nil {
		require.NoError(tb.b.t, json.Unmarshal(raw, out))
	}
}

// text is what the page's main shows.
func (tb *tab) text() string {
	var s string
	tb.eval(`document.querySelector("main").innerText`, &s)
	return s
}

// html is the whole document, for checks that nothing leaks anywhere in it.
func (tb *tab) html() string {
	var s string
	tb.eval(`document.documentElement.outerHTML`, &s)
	return s
}

func (tb *tab) set(name, value string) {
	tb.b.t.Helper()
	_, err := run(tb, chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`main [name=%q]`, name)), value))
	require.NoError(tb.b.t, err, "setting %s on %s", name, tb.location())
}

func (tb *tab) choose(name, value string) {
	tb.b.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`main input[name=%q][value=%q]`, name, value)), chromedp.NodeVisible))
}

type control struct {
	Name, Type string
}

func (tb *tab) controls() []control {
	var cs []control
	tb.eval(`Array.from(document.querySelectorAll("main form input, main form textarea, main form select"))
		.filter(e => e.name && e.name !== "csrf" && e.name !== "step" && e.type !== "hidden")
		.map(e => ({Name: e.name, Type: e.type}))`, &cs)
	return cs
}

// answer fills the page's controls from a family's answers.
func (tb *tab) answer(f family) {
	tb.b.t.Helper()
	done := map[string]bool{}
	for _, c := range tb.controls() {
		if done[c.Name] {
			continue
		}
		done[c.Name] = true
		v, ok := f(c.Name)
		if !ok {
			tb.b.t.Logf("no answer for %q: left blank", c.Name)
			continue
		}
		switch c.Type {
		case "radio", "checkbox":
			for _, x := range v {
				if x != "" {
					tb.choose(c.Name, x)
				}
			}
		default:
			if len(v) > 0 && v[0] != "" {
				tb.set(c.Name, v[0])
			}
		}
	}
}

// shot saves a screenshot of the whole page at the tab's width, and, with
// both, at the other width too.
func (tb *tab) shot(name string, both bool) {
	tb.b.t.Helper()
	widths := []bool{tb.mobile}
	if both {
		widths = append(widths, !tb.mobile)
	}
	orig := tb.mobile
	for _, m := range widths {
		if m != tb.mobile {
			tb.viewport(m)
		}
		suffix := "desktop"
		if m {
			suffix = "mobile"
			// a phone never scrolls sideways: content fits the width
			var over []string
			tb.eval(`Array.from(document.querySelectorAll("body *")).filter(e => {
				if (e.closest(".table-wrap, figure.chart, pre")) return false;
				const r = e.getBoundingClientRect(); return r.right > document.documentElement.clientWidth + 1;
			}).slice(0, 5).map(e => e.tagName + "." + e.className)`, &over)
			assert.Empty(tb.b.t, over, "%s overflows a %dpx screen", name, mobileW)
		}
		png, err := run(tb, chromedp.FullScreenshot(100))
		require.NoError(tb.b.t, err)
		file := fmt.Sprintf("%s-%s.png", name, suffix)
		require.NoError(tb.b.t, os.WriteFile(filepath.Join(tb.b.shots, file), png, 0o644))
		tb.b.taken = append(tb.b.taken, file)
	}
	if tb.mobile != orig {
		tb.viewport(orig)
	}
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// accessible runs axe-core (WCAG 2.1 A and AA rules) on the page and
// fails the test for every violation.
func (tb *tab) accessible() {
	tb.b.t.Helper()
	if tb.b.axe == "" {
		return
	}
	for _, v := range tb.axeViolations() {
		tb.b.t.Errorf("accessibility (axe-core) on %s: %s [%s] %s at %v", tb.location(), v.ID, v.Impact, v.Help, v.Nodes)
	}
	tb.b.checks++
}

func (tb *tab) axeViolations() []axeViolation {
	tb.b.t.Helper()
	_, err := run(tb, chromedp.Evaluate[chromedp.Void](tb.b.axe))
	require.NoError(tb.b.t, err)
	raw, err := run(tb, chromedp.Evaluate[[]byte](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	require.NoError(tb.b.t, err)
	var vs []axeViolation
	require.NoError(tb.b.t, json.Unmarshal(raw, &vs))
	return vs
}

// focusTrail tabs through the page from the top and returns what got the
// focus, as "tag:name-or-text" and whether a focus outline was drawn.
type focused struct {
	Desc    string `json:"desc"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Outline bool   `json:"outline"`
}

func (tb *tab) pressTab() focused {
	tb.b.t.Helper()
	tb.do(chromedp.KeyEvent(kb.Tab))
	var f focused
	tb.eval(`(() => { const e = document.activeElement; if (!e || e === document.body) return {desc: "body", outline: false};
		const s = getComputedStyle(e); const d = e.tagName.toLowerCase() + ":" + (e.name || e.getAttribute("href") || e.innerText.trim().slice(0, 20));
		return {desc: d, type: e.type || "", name: e.name || "", outline: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none"}; })()`, &f)
	return f
}

var pageLoad = page.LoadEventFired
