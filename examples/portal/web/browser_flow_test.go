package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrowser is the portal in a real browser, as its people use it.
func TestBrowser(t *testing.T) {
	p, b := browserPortal(t, 6)

	// a resident on a phone: the chat, 「対象か調べる」, the result, the
	// record with consents, the access code, the application
	res := b.tab(true)
	res.open("/")
	res.accessible()
	res.shot("01-home", true)

	res.click(`a[href="/chat"]`)
	res.say("児童扶養手当とはどんな制度ですか")
	require.Contains(t, res.text(), "児童扶養手当")
	res.say("夫に殴られて逃げたい")
	assert.Contains(t, res.text(), "DV相談+", "the DV override shows the emergency contacts")
	res.accessible()
	res.shot("02-chat-dv-override", true)
	res.say("090-1234-5678に電話ください。飼っている猫の予防接種の補助はありますか")
	res.say("児童扶養手当とはどんな制度ですか")
	res.click(`a[href="/check?program=child-rearing-allowance"]`)
	require.Contains(t, res.text(), "対象か調べる")
	checked := false
	res.eval(`document.querySelector('input[value="child-rearing-allowance"]').checked`, &checked)
	assert.True(t, checked, "the chat's programme is chosen")
	res.accessible()
	res.shot("03-check-start", true)
	res.submit("/check")
	for i := 0; strings.Contains(res.location(), "/check/step"); i++ {
		require.Less(t, i, 30)
		if i == 2 {
			res.accessible()
			res.shot("04-check-step", true)
		}
		res.answer(mother)
		res.submit("/check/step")
	}
	result := res.text()
	require.Contains(t, result, "判定の結果（目安）")
	assert.Regexp(t, `児童扶養手当\s+月額 [0-9,]+円`, result)
	res.accessible()
	res.shot("05-check-result", true)

	res.submit("/check/continue")
	for i := 0; strings.Contains(res.location(), "/check/step"); i++ {
		require.Less(t, i, 30)
		if strings.Contains(res.text(), "情報の共有への同意") {
			assert.Contains(t, res.text(), "健康・障害とDVに関する情報は共有しません", "the notice is shown as recorded")
			res.accessible()
			res.shot("06-consent", true)
		}
		res.answer(mother)
		res.submit("/check/step")
	}
	require.Contains(t, res.text(), "入力内容の確認")
	res.submit("/check/submit")
	done := res.text()
	require.Contains(t, done, "受け付けました")
	receiptNo := regexp.MustCompile(`WEB-\d{8}-[0-9A-Z]{6}`).FindString(done)
	code := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(done)
	require.NotEmpty(t, receiptNo)
	require.NotEmpty(t, code)
	res.accessible()
	res.shot("07-receipt", false)

	res.click(`main a[href="/my/apply"]`)
	res.submit("/my/apply") // the first: 児童扶養手当認定請求書
	require.Contains(t, res.text(), "記録から転記")
	for name, v := range map[string]string{"applicant.occupation": "パート（スーパー）", "situation_date": "令和6年3月31日",
		"bank": "デモ銀行", "branch": "本店", "account_number": "1234567", "account_holder": "ヤマダ ハナコ",
		"children[0].relationship_text": "長男", "children[1].relationship_text": "二男"} {
		res.set(name, v)
	}
	// what the record does not hold (the screening for one programme did
	// not need the applicant's birth date), the family enters
	var empty []string
	res.eval(`Array.from(document.querySelectorAll("main input[type=text]")).filter(e => !e.value).map(e => e.name)`, &empty)
	for _, name := range empty {
		if v, ok := mother(name); ok && len(v) > 0 && v[0] != "" {
			res.set(name, v[0])
		}
	}
	for name, v := range map[string]string{"partner": "false", "pension": "false", "account_type": "ordinary"} {
		res.choose(name, v)
	}
	res.accessible()
	res.shot("08-application", true)
	res.submit("/my/apply/form")
	require.Contains(t, res.text(), "申請を受け付けました")

	// the desk at a desktop: the new case, referred to 子育て支援課 and 保健センター
	desk := b.tab(false)
	desk.login("hitorioya.sato")
	desk.open("/staff/cases")
	desk.accessible()
	desk.shot("10-staff-cases", true)
	desk.click(`main a:is([href^="/staff/cases/"])`)
	id := strings.TrimPrefix(desk.location(), "/staff/cases/")
	require.Contains(t, desk.text(), "山田 花子")
	desk.accessible()
	desk.shot("11-staff-case-desk", true)
	for _, org := range []string{kosodateOrg, hokenOrg} {
		desk.do(chromedp.SetValue(chromedp.CSS(`#r-org`), org))
		desk.click(`form[action$="/referrals"] button[type="submit"]`)
	}

	// ④ push-type support: the dry run lists the family who newly
	// qualifies and asked to be told, and not those who did not
	o := p.seed.Outreach
	desk.open("/staff/outreach")
	desk.click(`form[action="/staff/outreach/run"] button[value="dry"]`)
	var families []string
	desk.eval(`Array.from(document.querySelectorAll("#families tbody tr")).map(r => r.innerText)`, &families)
	found := false
	for _, f := range families {
		if strings.Contains(f, o.Notify) && strings.Contains(f, o.ProgramName) {
			found = true
		}
		assert.NotContains(t, f, o.NoConsent)
		assert.NotContains(t, f, p.seed.DV.Name)
		if strings.Contains(f, o.Receiving) {
			assert.NotContains(t, f, o.ProgramName)
		}
	}
	assert.True(t, found, "the dry run lists %s for %s: %v", o.Notify, o.ProgramName, families)
	desk.accessible()
	desk.shot("16-outreach-dry-run", true)
	desk.click(`form[action="/staff/outreach/run"] button[value="real"]`)
	desk.submit("/staff/outreach/dispatch")
	desk.open("/staff/outbox")
	assert.Contains(t, desk.text(), "aoki.emi@example.com")
	desk.accessible()
	desk.shot("17-outbox", false)

	// FAQ upkeep: what the chat could not answer, personal data masked,
	// the DV message's text not kept
	desk.open("/staff/faq")
	review := desk.text()
	assert.Contains(t, review, "猫の予防接種")
	assert.NotContains(t, review, "090-1234-5678")
	assert.NotContains(t, review, "殴られ")
	desk.accessible()
	desk.shot("18-chat-review", true)

	kosodate := b.tab(false)
	kosodate.login("kosodate.ito")
	kosodate.open("/staff/cases")
	kosodate.click(`main a[href="/staff/cases/` + id + `"]`)
	kt := kosodate.text()
	assert.Contains(t, kt, "山田 花子", "sharing covers identity")
	assert.Contains(t, kt, "本人の同意")
	kosodate.accessible()
	kosodate.shot("12-staff-case-other-department", true)

	hoken := b.tab(false)
	hoken.login("hoken.kato")
	hoken.open("/staff/cases/" + id)
	assert.Contains(t, hoken.text(), "表示できる情報はありません", "no consent names 保健センター")
	assert.NotContains(t, hoken.html(), "山田")

	// the resident withdraws; the department then sees nothing
	res.open("/my")
	assert.Contains(t, res.text(), "子育て支援課", "the disclosure register")
	res.accessible()
	res.shot("09-my-page", true)
	res.submit("/my/withdraw")
	res.choose("scope", "family")
	res.submit("/my/withdraw")
	require.Contains(t, res.text(), "同意を取り消しました")
	kosodate.open("/staff/cases/" + id)
	assert.Contains(t, kosodate.text(), "表示できる情報はありません", "the withdrawal takes effect")
	assert.NotContains(t, kosodate.html(), "山田")

	// a resident who comes back with the receipt number and code
	back := b.tab(true)
	back.open("/my")
	back.set("receipt_no", strings.ToLower(receiptNo))
	back.set("code", strings.ReplaceAll(code, "-", ""))
	back.submit("/my/login")
	assert.Contains(t, back.text(), "撤回済み")
	if b.axe != "" {
		assert.GreaterOrEqual(t, b.checks, 10, "axe-core ran on the main pages")
	}
	t.Logf("%d pages checked by axe-core; screenshots: %v", b.checks, b.taken)
}

// say sends a chat message, typed into the message box.
func (tb *tab) say(text string) {
	tb.b.t.Helper()
	tb.do(chromedp.SendKeys(chromedp.CSS("#chat-text"), text))
	tb.click(`form.chat-input button[type="submit"]`)
}

func (tb *tab) login(user string) {
	tb.b.t.Helper()
	tb.open("/staff/login")
	tb.set("user", user)
	tb.set("password", testPassword(user))
	tb.submit("/staff/login")
	require.Contains(tb.b.t, tb.text(), "職員メニュー", "login as %s", user)
}

// TestBrowserDVAddressNeverShown logs in as every department but the
// responsible desk and looks at every page it can reach: the protected
// address, postal code, phone and e-mail are nowhere in the documents.
func TestBrowserDVAddressNeverShown(t *testing.T) {
	households := 4
	if *updateScreenshots {
		households = 60 // a report worth looking at
	}
	p, b := browserPortal(t, households)
	dv := p.seed.DV

	desk := b.tab(false)
	desk.login("hitorioya.sato")
	desk.open("/staff/cases/" + dv.CaseID)
	assert.Contains(t, desk.html(), dv.Protected[1], "the responsible desk sees it (the canary is real)")

	for _, s := range demoStaff {
		if s.Org == deskOrg {
			continue
		}
		tb := b.tab(false)
		tb.login(s.User)
		var links []string
		tb.eval(`Array.from(document.querySelectorAll("header nav a")).map(a => a.getAttribute("href"))`, &links)
		seen := map[string]bool{}
		sawFamily := false
		for len(links) > 0 {
			href := links[0]
			links = links[1:]
			if seen[href] || !strings.HasPrefix(href, "/staff/") {
				continue
			}
			seen[href] = true
			tb.open(href)
			doc := tb.html()
			for _, v := range dv.Protected {
				assert.NotContains(t, doc, v, "%s sees a protected value on %s", s.User, href)
			}
			if strings.Contains(href, dv.CaseID) && strings.Contains(doc, dv.Name) {
				sawFamily = true
				if s.Org == kosodateOrg {
					tb.accessible()
					tb.shot("13-staff-case-dv-masked", true)
				}
			}
			var more []string
			tb.eval(`Array.from(document.querySelectorAll("main a")).map(a => a.getAttribute("href")).filter(h => h && h.startsWith("/staff/"))`, &more)
			links = append(links, more...)
		}
		if s.Org == kosodateOrg || s.Org == teateOrg || s.Org == jutakuOrg {
			assert.True(t, sawFamily, "%s was referred the family and sees its name, never its address", s.User)
		}
		if s.Role == roleReporter {
			tb.open("/staff/report")
			assert.Contains(t, tb.html(), "<svg")
			tb.accessible()
			tb.shot("14-report", true)
		}
		if s.Role == roleAuditor {
			tb.open("/staff/audit")
			tb.submit("/staff/audit/verify")
			assert.Contains(t, tb.text(), "改ざんは見つかりませんでした")
			tb.accessible()
			tb.shot("15-audit", false)
		}
	}
}

// TestBrowserKeyboardOnly uses the chat and the start of the form with the
// keyboard alone: the skip link comes first, every control is reached in
// order with a visible focus, and Enter and Space do the rest.
func TestBrowserKeyboardOnly(t *testing.T) {
	_, b := browserPortal(t, 1)
	tb := b.tab(true)
	tb.open("/chat")

	first := tb.pressTab()
	assert.Equal(t, "a:#main", first.Desc, "the skip link comes first")
	assert.True(t, first.Outline, "focus is visible")
	tb.do(chromedp.KeyEvent(kb.Enter))
	var inMain bool
	tb.eval(`document.activeElement.id === "main"`, &inMain)
	assert.True(t, inMain, "the skip link moves the focus to the content")

	// tab to the message box, type, and send with Enter
	var trail []string
	for i := 0; i < 40; i++ {
		f := tb.pressTab()
		trail = append(trail, f.Desc)
		assert.True(t, f.Outline, "no visible focus on %s", f.Desc)
		if f.Desc == "input:text" {
			break
		}
	}
	require.Contains(t, trail, "input:text", "the message box is reachable: %v", trail)
	tb.do(chromedp.KeyEvent("保育園に入りたい"))
	_, err := run(tb, chromedp.WaitEvent(pageLoad, nil, chromedp.KeyEvent(kb.Enter)))
	require.NoError(t, err)
	assert.Contains(t, tb.text(), "保育")

	// the form's first page with the keyboard: check a programme with Space, submit with Enter
	tb.open("/check")
	reached := map[string]bool{}
	for i := 0; i < 60; i++ {
		f := tb.pressTab()
		reached[f.Desc] = true
		assert.True(t, f.Outline, "no visible focus on %s", f.Desc)
		if f.Desc == "input:program" && !reached["checked"] {
			tb.do(chromedp.KeyEvent(" "))
			reached["checked"] = true
		}
		if strings.HasPrefix(f.Desc, "button:") {
			break
		}
	}
	var programs int
	tb.eval(`document.querySelectorAll('input[name="program"]:checked').length`, &programs)
	assert.Equal(t, 1, programs, "Space checks the box")
	_, err = run(tb, chromedp.WaitEvent(pageLoad, nil, chromedp.KeyEvent(kb.Enter)))
	require.NoError(t, err)
	assert.Contains(t, tb.location(), "/check/step")
	// a radio group is one tab stop; arrows choose within it
	group := ""
	for i := 0; i < 30 && group == ""; i++ {
		f := tb.pressTab()
		assert.True(t, f.Outline, "no visible focus on %s", f.Desc)
		if f.Type == "radio" {
			group = f.Name
			tb.do(chromedp.KeyEvent(kb.ArrowDown))
		}
	}
	require.NotEmpty(t, group, "the step has a radio group")
	var chosen string
	tb.eval(`(document.querySelector('input[name="`+group+`"]:checked') || {}).value || ""`, &chosen)
	assert.NotEmpty(t, chosen, "arrow keys choose within a radio group")
}

// The accessibility check finds what it should: a page with an unlabelled
// field and an image without text fails it (so a clean portal page means
// something).
func TestBrowserAxeFindsViolations(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>x</title></head><body><main><input type="text" name="q"><img src="/x.png"></main></body></html>`)
	}))
	b := newBrowser(t, srv.URL)
	if b.axe == "" {
		t.Skip("axe-core not installed")
	}
	tb := b.tab(false)
	tb.open("/")
	var ids []string
	for _, v := range tb.axeViolations() {
		ids = append(ids, v.ID)
	}
	assert.Contains(t, ids, "label", "the unlabelled input")
	assert.Contains(t, ids, "image-alt", "the image without alt text")
}
