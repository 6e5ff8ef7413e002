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

var caseLinkRE = regexp.MustCompile(`href="/staff/cases/([0-9a-f-]{36})"`)

// caseOf finds the desk's case of a name in the case list.
func (ag *agent) caseOf(name string) string {
	ag.t.Helper()
	for page := 1; page < 20; page++ {
		ag.get("/staff/cases?page=" + itoa(page)).ok()
		re := regexp.MustCompile(`href="/staff/cases/([0-9a-f-]{36})">` + regexp.QuoteMeta(name) + `<`)
		if m := re.FindStringSubmatch(ag.page); m != nil {
			return m[1]
		}
		if !strings.Contains(ag.page, "?page="+itoa(page+1)) {
			break
		}
	}
	ag.t.Fatalf("no case of %s in the desk's list", name)
	return ""
}

// A department sees what the family's consent allows it, and nothing
// once the consent is withdrawn; the family sees who received their data.
func TestDepartmentsSeeWhatConsentAllowsUntilWithdrawn(t *testing.T) {
	p := newTestPortal(t, 4, testLimits)
	res := p.agent(t)
	res.screen(mother)
	no, code := res.record(mother)

	desk := p.agent(t).staffLogin("hitorioya.sato")
	id := desk.caseOf("山田 花子")
	desk.get("/staff/cases/" + id).ok()
	assert.Contains(t, desk.text(), "あおば町1-2-3", "the desk sees the address")
	assert.Contains(t, desk.text(), "仕事と保育園のことを相談したいです", "and the consultation")
	for _, org := range []string{kosodateOrg, hokenOrg} {
		desk.post("/staff/cases/"+id+"/referrals", url.Values{"org": {org}, "reason": {"childcare"}}).ok()
	}

	kosodate := p.agent(t).staffLogin("kosodate.ito")
	kosodate.get("/staff/cases").ok()
	assert.Contains(t, kosodate.page, "/staff/cases/"+id)
	kosodate.get("/staff/cases/" + id).ok()
	kt := kosodate.text()
	assert.Contains(t, kt, "山田 花子", "sharing covers identity")
	assert.Contains(t, kt, "090-1234-5678", "and contacts")
	assert.Contains(t, kt, "本人の同意")

	hoken := p.agent(t).staffLogin("hoken.kato")
	hoken.get("/staff/cases/" + id).ok()
	assert.Contains(t, hoken.text(), "表示できる情報はありません", "the family did not consent to 保健センター")
	assert.NotContains(t, hoken.text(), "山田")

	// a department the case was not referred to cannot open it
	teate := p.agent(t).staffLogin("teate.tanaka")
	teate.get("/staff/cases/" + id)
	assert.Equal(t, http.StatusNotFound, teate.code)

	// the family sees the disclosure, and withdraws
	res.get("/my").ok()
	if strings.Contains(res.text(), "受付番号または確認コード") {
		res.post("/my/login", url.Values{"receipt_no": {no}, "code": {code}}).ok()
	}
	assert.Contains(t, res.text(), "子育て支援課", "the disclosure register names the department")
	m := regexp.MustCompile(`name="consent_id" value="(consent_sharing\.[^"]+)"`).FindStringSubmatch(res.page)
	require.NotNil(t, m)
	res.post("/my/withdraw", url.Values{"consent_id": {m[1]}}).ok()
	assert.Contains(t, res.text(), "次の同意を取り消します")
	assert.Contains(t, res.text(), "家族の分（2人）")
	res.post("/my/withdraw", url.Values{"consent_id": {m[1]}, "confirm": {"yes"}, "scope": {"family"}}).ok()
	assert.Contains(t, res.text(), "同意を取り消しました")
	assert.Contains(t, res.text(), "子育て支援課", "the departments to tell")

	kosodate.get("/staff/cases/" + id).ok()
	assert.Contains(t, kosodate.text(), "表示できる情報はありません", "the withdrawal takes effect at once")
	assert.NotContains(t, kosodate.text(), "山田")
}

// staffPages are every page a staff member can reach from the menu, the
// case list and the cases in it.
func (ag *agent) staffPages() map[string]string {
	pages := map[string]string{}
	for _, path := range []string{"/staff/", "/staff/cases", "/staff/applications", "/staff/report", "/staff/audit"} {
		ag.get(path)
		pages[path] = ag.page
		if path == "/staff/cases" {
			for page := 2; strings.Contains(ag.page, "?page="+itoa(page)); page++ {
				ag.get("/staff/cases?page=" + itoa(page))
				pages[path+"?page="+itoa(page)] = ag.page
			}
		}
	}
	for path, page := range pages {
		if !strings.HasPrefix(path, "/staff/cases") {
			continue
		}
		for _, m := range caseLinkRE.FindAllStringSubmatch(page, -1) {
			ag.get("/staff/cases/" + m[1])
			pages["/staff/cases/"+m[1]] = ag.page
		}
	}
	return pages
}

// A DV-protected address and contacts never appear on any page of a
// department other than the responsible desks, whatever it was referred
// and consented to.
func TestDVAddressNeverLeavesTheResponsibleDesk(t *testing.T) {
	p := newTestPortal(t, 4, testLimits)
	dv := p.seed.DV
	require.NotEmpty(t, dv.Protected)

	desk := p.agent(t).staffLogin("hitorioya.sato")
	desk.get("/staff/cases/" + dv.CaseID).ok()
	for _, v := range dv.Protected[:2] {
		assert.Contains(t, desk.page, v, "the responsible desk sees the protected address (the canary is real)")
	}
	for _, s := range demoStaff {
		if s.Org == deskOrg {
			continue
		}
		ag := p.agent(t).staffLogin(s.User)
		pages := ag.staffPages()
		sawCase := false
		for path, page := range pages {
			for _, v := range dv.Protected {
				assert.NotContains(t, page, v, "%s sees a protected value on %s", s.User, path)
			}
			if strings.Contains(path, dv.CaseID) && strings.Contains(page, dv.Name) {
				sawCase = true
			}
		}
		if s.Org == kosodateOrg || s.Org == teateOrg || s.Org == jutakuOrg {
			assert.True(t, sawCase, "%s was referred the family and sees its name, not its address", s.User)
		}
	}
}
