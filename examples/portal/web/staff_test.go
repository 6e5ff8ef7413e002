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

// The push-type dry run lists the family who newly qualifies and asked to
// be told, and not those who did not consent or already receive it; the
// real run puts the notice in the outbox, and sending writes it to the
// demo's outbox page.
func TestPushTypeDryRunListsTheExpectedFamilies(t *testing.T) {
	p := newTestPortal(t, 4, testLimits)
	o := p.seed.Outreach
	desk := p.agent(t).staffLogin("hitorioya.sato")
	desk.get("/staff/outreach").ok()
	desk.post("/staff/outreach/run", url.Values{"mode": {"dry"}, "as_of": {p.app.today().String()}}).ok()
	families := tableOf(desk.page, "families")
	require.NotEmpty(t, families, desk.text())
	row := ""
	for _, r := range families {
		if strings.Contains(r, o.Notify) {
			row = r
		}
		assert.NotContains(t, r, o.NoConsent, "no consent to be told")
		if strings.Contains(r, o.Receiving) {
			assert.NotContains(t, r, o.ProgramName, "already receiving it")
		}
		assert.NotContains(t, r, p.seed.DV.Name, "the DV family's only contacts are protected")
	}
	assert.Contains(t, row, o.ProgramName, "the family who newly qualifies: %v", families)
	assert.Contains(t, row, "メール")

	desk.post("/staff/outreach/run", url.Values{"mode": {"real"}, "as_of": {p.app.today().String()}}).ok()
	assert.Regexp(t, `登録したお知らせ [1-9]`, desk.text())
	desk.post("/staff/outreach/dispatch", nil).ok()
	desk.get("/staff/outbox").ok()
	assert.Contains(t, desk.text(), "aoki.emi@example.com", "the notice to 青木 went out by e-mail")
	assert.NotContains(t, desk.text(), "mori.yuka@example.com")
	// a second run writes nothing twice
	desk.get("/staff/outreach").ok()
	desk.post("/staff/outreach/run", url.Values{"mode": {"real"}, "as_of": {p.app.today().String()}}).ok()
	assert.Contains(t, desk.text(), "登録したお知らせ 0件")

	clerk := p.agent(t).staffLogin("kosodate.ito")
	clerk.get("/staff/outreach")
	assert.Equal(t, http.StatusForbidden, clerk.code)
}

// tableOf returns the rows of the table with id, as text.
func tableOf(page, id string) []string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return nil
	}
	j := strings.Index(page[i:], "</table>")
	var rows []string
	for _, tr := range strings.Split(page[i:i+j], "<tr>")[1:] {
		if strings.Contains(tr, "<td") {
			rows = append(rows, textOf(tr))
		}
	}
	return rows
}

// The statistics office sees the released tables of the closed year with
// small counts suppressed and the charts drawn from them; the auditor
// verifies the chain against the signed checkpoints.
func TestReportAndAuditPages(t *testing.T) {
	p := newTestPortal(t, 12, testLimits)
	rep := p.agent(t).staffLogin("kikaku.sasaki")
	rep.get("/staff/report").ok()
	assert.Contains(t, rep.text(), "令和7年度 相談内容別・月別 相談件数（延べ）")
	assert.Contains(t, rep.page, `<svg role="img"`)
	assert.Contains(t, rep.page, ">X</td>", "small counts are suppressed")
	assert.NotContains(t, rep.page, `<script>`, "the charts are drawn on the server, with no inline script")
	rep.get("/staff/report?fy=2026").ok()
	assert.Contains(t, rep.text(), "以降）に公表できます", "the open year is not released")

	aud := p.agent(t).staffLogin("kansa.matsumoto")
	aud.get("/staff/audit").ok()
	aud.post("/staff/audit/checkpoint", nil).ok()
	assert.Contains(t, aud.text(), "チェックポイントを作成しました")
	aud.post("/staff/audit/verify", nil).ok()
	assert.Contains(t, aud.text(), "改ざんは見つかりませんでした")
	assert.Regexp(t, `照合したチェックポイント: [1-9]`, aud.text())
}
