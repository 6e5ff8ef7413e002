package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A resident with no JavaScript: chat, screening, record with consents,
// the access code, the application prefilled from the record.
func TestResidentFlowWithoutJavaScript(t *testing.T) {
	p := newTestPortal(t, 6, Limits{})
	ag := p.agent(t)

	ag.get("/chat").ok()
	assert.Contains(t, ag.text(), "個人情報は入力しないでください")
	ag.post("/chat", url.Values{"text": {"児童扶養手当とはどんな制度ですか"}}).ok()
	assert.Contains(t, ag.page, `href="/check?program=child-rearing-allowance"`, "the 対象か調べる button opens the input form")

	ag.screen(mother, "child-rearing-allowance")
	res := ag.text()
	assert.Contains(t, res, "児童扶養手当")
	assert.Contains(t, res, "対象になる見込みの制度")
	assert.Regexp(t, `月額 [0-9,]+円`, res)
	assert.NotContains(t, res, "山田", "nothing personal was asked for screening")

	no, code := ag.record(mother)
	assert.Regexp(t, `^WEB-\d{8}-[0-9A-Z]{6}$`, no)
	assert.Regexp(t, `^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`, code)
	assert.Contains(t, ag.text(), "同意の控え")
	assert.Contains(t, ag.text(), "関係部署での共有")
	// the code is shown once
	ag.get("/check/done").ok()
	assert.NotContains(t, ag.page, code)

	ag.get("/my").ok()
	assert.Contains(t, ag.text(), "同意の内容")
	assert.Contains(t, ag.text(), "こども手当担当")

	// the application, filled from the record
	ag.get("/my/apply").ok()
	ag.post("/my/apply", url.Values{"app": {"child-rearing-allowance-claim"}}).ok()
	assert.Contains(t, ag.text(), "記録から転記")
	assert.Contains(t, ag.page, `value="山田"`)
	form := url.Values{}
	for _, name := range ag.inputs() {
		if v := valueOf(ag.page, name); v != "" {
			form.Set(name, v)
		}
	}
	for k, v := range map[string]string{"applicant.occupation": "パート（スーパー）", "situation_date": "令和6年3月31日", "partner": "false",
		"pension": "false", "bank": "デモ銀行", "branch": "本店", "account_type": "ordinary", "account_number": "1234567", "account_holder": "ヤマダ ハナコ",
		"children[0].relationship_text": "長男", "children[1].relationship_text": "二男"} {
		form.Set(k, v)
	}
	for _, name := range ag.inputs() {
		if strings.HasPrefix(name, "applicant.") || strings.HasPrefix(name, "children[") {
			if form.Get(name) == "" {
				if v, ok := mother(strings.Replace(name, "applicant.", "applicant.", 1)); ok && len(v) > 0 {
					form.Set(name, v[0])
				}
			}
		}
	}
	ag.post("/my/apply/form", form)
	require.Equal(t, http.StatusOK, ag.code, ag.text())
	assert.Contains(t, ag.text(), "申請を受け付けました")
	assert.Regexp(t, `APP-\d{4}-[0-9A-Z]{8}`, ag.text())

	// the Tokyo application (マル親) goes to 医療費助成担当, also named by the consent
	ag.get("/my/apply").ok()
	ag.post("/my/apply", url.Values{"app": {"tokyo-single-parent-medical-claim"}}).ok()
	assert.Contains(t, ag.text(), "ひとり親家庭等医療費助成")
	assert.Contains(t, ag.page, `value="山田"`, "filled from the record for 医療費助成担当")
	assert.Contains(t, ag.text(), "健康保険の種類")

	// the department receives it, and the desk's record says the family applied
	st := p.agent(t).staffLogin("teate.tanaka")
	st.get("/staff/applications").ok()
	assert.Contains(t, st.text(), "児童扶養手当認定請求書")
	assert.Contains(t, st.text(), "デモ銀行")
	other := p.agent(t).staffLogin("kosodate.ito")
	other.get("/staff/applications").ok()
	assert.NotContains(t, other.text(), "デモ銀行", "only the recipient department sees an application")
}

var valueRE = regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`)
var checkedRE = regexp.MustCompile(`name="([^"]+)" value="([^"]*)" checked`)

// valueOf returns a text box's value or a checked choice on the page.
func valueOf(page, name string) string {
	for _, m := range checkedRE.FindAllStringSubmatch(page, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	for _, m := range valueRE.FindAllStringSubmatch(page, -1) {
		if m[1] == name && !strings.Contains(m[0], "checked") {
			if regexp.MustCompile(`type="(radio|checkbox)"[^>]*name="` + regexp.QuoteMeta(name) + `"`).MatchString(page) {
				continue
			}
			return m[2]
		}
	}
	return ""
}
