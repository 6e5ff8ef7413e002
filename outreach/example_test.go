package outreach_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/outreach"
	"github.com/onestop-jp/onestop/packs"
)

var jst = time.FixedZone("JST", 9*60*60)

// printer is a Notifier that prints instead of sending (a vendor's would
// call its SMS gateway, honouring Key as an idempotency key).
type printer struct{}

func (printer) Send(_ context.Context, m outreach.Message) (outreach.Receipt, error) {
	fmt.Printf("[%s] %s\n", m.Channel, m.Body)
	return outreach.Receipt{ProviderRef: "demo-1"}, nil
}

// One family, one run, one notice, sent in the mother's safe times. The
// case record does not hold every fact the rules read (whether the family
// lives in Japan, a de-facto partner …), so the notice asks the family to
// get in touch rather than saying they qualify.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, jst) // a Friday
	svc, _ := casefile.New(memstore.New(), casefile.Config{
		Roles: map[string]casefile.Permission{"caseworker": casefile.PermRead | casefile.PermWrite | casefile.PermConsent},
		Now:   func() time.Time { return now },
	})
	desk := casefile.Actor{Tenant: "131016", User: "staff-a", Org: "hitorioya-desk", Role: "caseworker"}
	mother := seed(ctx, svc, desk, now)

	nat, _ := eligibility.LoadPack(packs.National(), "packs/national")
	eng, _ := eligibility.Compile([]*eligibility.Pack{nat})
	msgs, err := outreach.DefaultMessages(outreach.Desk{Name: "こども家庭課", Sender: "千代田区", Phone: "03-3264-0151"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := outreach.New(svc, eng, msgs, outreach.WithPrograms("child-rearing-allowance"))
	rep, err := r.Run(ctx, desk, civil.MustDate(2026, 12, 4), outreach.RunOptions{RunID: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("notices planned:", rep.Planned)

	notes, _ := svc.Notifications(ctx, desk, casefile.NotificationQuery{PersonID: mother})
	fmt.Println("first send:", notes[0].Due.In(jst).Format("1/2 15:04"), "(土日祝日)")

	// Saturday morning, inside her safe times: the dispatcher sends.
	now = time.Date(2026, 12, 5, 9, 30, 0, 0, jst)
	d, _ := outreach.NewDispatcher(svc, msgs, printer{}, outreach.WithBatch(1))
	_, _ = d.Dispatch(ctx, desk)
	// Output:
	// notices planned: 1
	// first send: 12/5 09:00 (土日祝日)
	// [sms] 【千代田区】児童扶養手当の対象になるか確認させてください。
	// ひとり親家庭などで、18歳になった後の最初の3月31日まで（一定の障害がある場合は20歳未満）の子どもを育てている方に支給される手当です。所得に応じて全部支給または一部支給となります。
	// 申請・お問い合わせ: こども家庭課 03-3264-0151
}

// seed records a mother and her child and their consents to be notified.
func seed(ctx context.Context, svc *casefile.Service, desk casefile.Actor, now time.Time) string {
	mother := casefile.Person{Name: casefile.Name{Family: "山田", Given: "花子"}, BirthDate: civil.MustDate(1990, 5, 1), Sex: "female",
		Contacts: []casefile.Contact{{Type: "mobile", Value: "090-0000-0000", OKToContact: true, SafeTimes: "土日祝日", Preferred: true}}}
	child := casefile.Person{Name: casefile.Name{Family: "山田", Given: "太郎"}, BirthDate: civil.MustDate(2018, 8, 8)}
	_ = svc.Change(ctx, desk, consent.PurposeConsultation, func(c *casefile.Changes) error {
		_ = c.Create(&mother)
		_ = c.Create(&child)
		cf := casefile.CaseFile{SubjectID: mother.ID, Status: casefile.StatusOpen, OwnerOrg: desk.Org, OpenedOn: civil.MustDate(2026, 4, 1), Situation: "divorced"}
		_ = c.Create(&cf)
		for _, m := range []casefile.HouseholdMember{
			{CaseID: cf.ID, PersonID: mother.ID, Relationship: casefile.Relationship{Code: "self"}, LivesWith: new(true)},
			{CaseID: cf.ID, PersonID: child.ID, Relationship: casefile.Relationship{Code: "child"}, LivesWith: new(true)},
		} {
			_ = c.Create(&m)
		}
		return nil
	})
	given := now.AddDate(0, -1, 0)
	for i, p := range []casefile.Person{mother, child} {
		g := consent.Grantor{Person: p.ID, Capacity: consent.CapacitySelf}
		acts := []consent.Action{consent.ActionView, consent.ActionNotify}
		cats := []consent.Category{consent.CategoryIdentity, consent.CategoryContact, consent.CategoryHousehold, consent.CategoryIncomeTax, consent.CategorySupportInUse}
		if i == 1 {
			g = consent.Grantor{Person: mother.ID, Capacity: consent.CapacityLegalRepresentative, Basis: "親権者"}
			acts, cats = []consent.Action{consent.ActionView}, []consent.Category{consent.CategoryIdentity, consent.CategoryHousehold}
		}
		cs := consent.Consent{ID: fmt.Sprintf("c-%d", i), Subject: p.ID, Grantor: g, Manager: desk.Org, GivenAt: given,
			Period:   consent.Period{Start: given, End: given.AddDate(1, 0, 0)},
			Notice:   consent.Notice{Version: "1", TextHash: consent.HashNotice("説明"), Language: "ja", ShownAt: given.Add(-time.Minute)},
			Evidence: consent.Evidence{Channel: consent.ChannelPaper, Ref: fmt.Sprintf("DOC-%d", i), RecordedBy: "staff-a"},
			Provisions: []consent.Provision{{Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: desk.Org, Name: "ひとり親相談窓口"}},
				Purposes: []consent.Purpose{consent.PurposeNotification}, Actions: acts, Categories: cats}}}
		if _, err := svc.RecordConsent(ctx, desk, p.ID, consent.Event{ConsentID: cs.ID, Type: consent.EventGiven, At: given, EffectiveAt: given,
			By: "staff-a", Evidence: &cs.Evidence, Consent: &cs}); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	return mother.ID
}

// A person's safe times, and the next window to send in.
func ExampleParseSafeTimes() {
	st, err := outreach.ParseSafeTimes("平日9時〜12時、土日祝日。「市役所」と名乗らないでください")
	if err != nil {
		fmt.Println(err)
		return
	}
	friday := time.Date(2026, 12, 4, 13, 0, 0, 0, jst)
	start, end, _ := st.Next(friday, outreach.DefaultSendingHours, 14)
	fmt.Println(start.Format("Mon 15:04"), "–", end.Format("15:04"))

	_, err = outreach.ParseSafeTimes("夫が家にいない時")
	fmt.Println(err)
	// Output:
	// Sat 09:00 – 20:00
	// outreach: 連絡可能時間帯の1番目の指定が読み取れません: 曜日や時刻として読めない言葉があります
}

// The texts of a notice, in やさしい日本語, for LINE.
func ExampleMessages_Render() {
	msgs, _ := outreach.DefaultMessages(outreach.Desk{Name: "こども家庭課", Sender: "千代田区", Phone: "03-3264-0151"})
	r, _ := msgs.Render("child-rearing-allowance", casefile.ChannelLINE, outreach.VariantEasy, true, "", "")
	fmt.Println(r.Body)
	// Output:
	// 【千代田区】お知らせ
	// あなたは 「児童扶養手当」を もらえるかも しれません。
	//
	// ひとりで 子どもを 育てて いる 人などが もらえる お金です。もらえる 金額は 収入で 変わります。
	// もらうには 申し込みが 必要です。申し込んだ 次の 月の 分から もらえます。必要な 書類が ありますので、まず 窓口に 相談して ください。
	//
	// 聞きたい ときは: こども家庭課
	// 電話 03-3264-0151
}

// A texts file with a mistake: the problem comes back with its position,
// in Japanese, for the staff member who wrote it.
func ExampleLoadMessages() {
	src := strings.Replace(string(outreach.DefaultMessagesFile()), "period: calendar_year", "period: weekly", 1)
	_, err := outreach.LoadMessages([]byte(src), "messages.yaml")
	var me *outreach.MessagesError
	if errors.As(err, &me) {
		for _, p := range me.Problems {
			fmt.Println(p.Position, p.Message)
		}
	}
	// Output:
	// messages.yaml:90:13 programs.single-parent-deduction.period は once・fiscal_year・calendar_year・month のいずれかです
}

// The period of a notice: a person hears about a programme at most once
// in it (the outbox key is person, programme and period).
func ExamplePeriod_Key() {
	on := civil.MustDate(2027, 2, 3) // 令和8年度
	for _, p := range []outreach.Period{outreach.PeriodFiscalYear, outreach.PeriodCalendarYear, outreach.PeriodMonth, outreach.PeriodOnce} {
		fmt.Println(p, p.Key(on))
	}
	// Output:
	// fiscal_year FY2026
	// calendar_year CY2027
	// month 2027-02
	// once once
}

// SMS length in the units carriers count (UCS-2): a character outside the
// Basic Multilingual Plane, such as 𠮷, counts twice.
func ExampleSMSLength() {
	fmt.Println(outreach.SMSLength("【千代田区】お知らせ"))
	fmt.Println(outreach.SMSLength("𠮷田"))
	// Output:
	// 10
	// 3
}

// What `onestop outreach --dry-run` prints: counts by programme, channel and
// reason, never a person.
func ExampleReport_WriteText() {
	rep := &outreach.Report{RunID: "2026-12-04-a", AsOf: civil.MustDate(2026, 12, 4), DryRun: true,
		Cases: 1200, Screened: 1150, Planned: 95, Notified: 80,
		Households: map[string]int{"no_consent": 600, "no_new_programme": 470, "dv_restricted": 3, "case_closed": 47},
		Programmes: map[string]int{"already_receiving": 310},
		Notices:    map[string]map[string]int{"child-rearing-allowance": {"sms": 60, "post": 12}, "single-parent-deduction": {"email": 23}}}
	names := map[string]string{"child-rearing-allowance": "児童扶養手当", "single-parent-deduction": "ひとり親控除"}
	_ = rep.WriteText(os.Stdout, func(id string) string { return names[id] })
	// Output:
	// 支援情報の通知（プッシュ型支援） — 試行（通知は作成していません）
	// 基準日 2026-12-04　実行ID 2026-12-04-a
	//
	// 項目                 件数
	// ------------------  -----
	// 読み込んだケース    1,200
	// 判定した世帯        1,150
	// 通知する世帯           80
	// 作成される通知         95
	// 通知しなかった世帯  1,120
	//
	// 制度別・通知方法別の通知数
	// 制度          SMS  メール  LINE  郵送  計
	// ------------  ---  ------  ----  ----  --
	// 児童扶養手当   60       0     0    12  72
	// ひとり親控除    0      23     0     0  23
	//
	// 通知しなかった世帯（理由別）
	// 理由                                  件数
	// ------------------------------------  ----
	// 同意なし（または他の目的の同意のみ）   600
	// 新たに知らせる制度なし                 470
	// 終結したケース                          47
	// DV等支援措置で連絡先を使えない           3
	//
	// 通知から除いた制度（理由別、世帯×制度）
	// 理由                    件数
	// ----------------------  ----
	// 受給中（停止中を含む）   310
}
