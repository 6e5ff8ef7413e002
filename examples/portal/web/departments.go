package web

import "github.com/onestop-jp/onestop/casefile"

// The municipality's departments (部署) and roles. The codes are the ones the
// model form's consent questions name (forms/model/jp-model.yaml), so what a
// family consents to on the form is what decides each department's view.
// A municipality replaces them with its own organisation chart.

// department is one organisational unit that staff log in for.
type department struct {
	Code string
	Name string
}

const (
	deskOrg        = "hitorioya-desk" // the one-stop desk that owns every case
	teateOrg       = "kodomo-teate"
	kosodateOrg    = "kosodate-shien"
	seikatsuOrg    = "seikatsu-fukushi"
	jutakuOrg      = "jutaku"
	shuroOrg       = "shuro-shien"
	hokenOrg       = "hoken-center"
	iryoOrg        = "iryo-josei"
	shiminOrg      = "shimin-ka"
	kikakuOrg      = "kikaku"
	johoSeisakuOrg = "joho-seisaku"
)

var departments = []department{
	{deskOrg, "こども家庭課 ひとり親相談窓口"},
	{teateOrg, "こども手当担当（児童扶養手当・児童手当）"},
	{kosodateOrg, "子育て支援課"},
	{seikatsuOrg, "生活福祉課"},
	{jutakuOrg, "住宅課"},
	{shuroOrg, "就労支援担当"},
	{hokenOrg, "保健センター"},
	{iryoOrg, "医療費助成担当"},
	{shiminOrg, "市民課"},
	{kikakuOrg, "企画課（統計）"},
	{johoSeisakuOrg, "情報政策課（監査）"},
}

// orgName returns a department's Japanese name, or the code.
func orgName(code string) string {
	for _, d := range departments {
		if d.Code == code {
			return d.Name
		}
	}
	return code
}

func orgNames() map[string]string {
	m := make(map[string]string, len(departments))
	for _, d := range departments {
		m[d.Code] = d.Name
	}
	return m
}

// Roles. Staff roles are held by people who log in; system roles by the
// portal itself when it acts for a resident, and only on that resident's
// own record.
const (
	roleCaseworker  = "caseworker"   // 相談支援員 at the one-stop desk
	roleClerk       = "clerk"        // staff of a related department
	roleReporter    = "reporter"     // 実施状況報告 (statistics)
	roleAuditor     = "auditor"      // audit log verification
	roleIntake      = "web-intake"   // system: records the input form (desk)
	roleSelfService = "self-service" // system: a resident's own consents and disclosures
	roleApplication = "application"  // system: a recipient department's online application intake
)

// roles is the RBAC table given to casefile. Consent and DV等支援措置 only ever
// narrow what a role allows.
var roles = map[string]casefile.Permission{
	roleCaseworker:  casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent | casefile.PermExport,
	roleClerk:       casefile.PermRead,
	roleReporter:    casefile.PermReport,
	roleAuditor:     casefile.PermAudit,
	roleIntake:      casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent,
	roleSelfService: casefile.PermConsent | casefile.PermAudit,
	roleApplication: casefile.PermRead,
}

var roleNames = map[string]string{
	roleCaseworker: "相談支援員",
	roleClerk:      "担当職員",
	roleReporter:   "統計担当",
	roleAuditor:    "監査担当",
}

// referralReasons are what the desk may refer a family to another
// department for. A fixed list keeps free text (and personal data) out of
// the referral index.
var referralReasons = []struct{ Code, Label string }{
	{"allowance", "手当の手続き"},
	{"childcare", "保育・子育て支援"},
	{"health", "健康・保健の相談"},
	{"living", "生活・家計の相談"},
	{"housing", "住まいの相談"},
	{"employment", "就労支援"},
}

func referralLabel(code string) string {
	for _, r := range referralReasons {
		if r.Code == code {
			return r.Label
		}
	}
	return code
}
