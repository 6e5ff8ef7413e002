package consent_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/onestop-jp/onestop/consent"
)

var jst = time.FixedZone("JST", 9*60*60)

// given is the mother's consent as recorded at the desk: the desk and the
// child-support department may view her basic information and contacts
// for the consultation and for sharing; the desk alone may view her
// health information (named: 要配慮 is never covered by "*").
func given() consent.Event {
	at := time.Date(2025, 4, 1, 10, 0, 0, 0, jst)
	desk := consent.Recipient{Kind: consent.RecipientDepartment, Code: "hitorioya-desk", Name: "こども家庭課 ひとり親相談窓口"}
	kosodate := consent.Recipient{Kind: consent.RecipientDepartment, Code: "kosodate-shien", Name: "子育て支援課"}
	c := consent.Consent{
		ID:      "c-2025-0001",
		Subject: "p-mother",
		Grantor: consent.Grantor{Person: "p-mother", Capacity: consent.CapacitySelf},
		Manager: "hitorioya-desk",
		GivenAt: at,
		Period:  consent.Period{Start: at, End: time.Date(2026, 4, 1, 0, 0, 0, 0, jst)},
		Notice: consent.Notice{Version: "3", TextHash: consent.HashNotice("同意説明文 第3版"), Language: "ja",
			ShownAt: at.Add(-10 * time.Minute)},
		Evidence: consent.Evidence{Channel: consent.ChannelPaper, Ref: "DOC-2025-0001", RecordedBy: "staff-a"},
		Provisions: []consent.Provision{
			{
				Recipients: []consent.Recipient{desk, kosodate},
				Purposes:   []consent.Purpose{consent.PurposeConsultation, consent.PurposeSharing},
				Actions:    []consent.Action{consent.ActionView},
				Categories: []consent.Category{consent.CategoryIdentity, consent.CategoryContact},
			},
			{
				Recipients: []consent.Recipient{desk},
				Purposes:   []consent.Purpose{consent.PurposeConsultation},
				Actions:    []consent.Action{consent.ActionView},
				Categories: []consent.Category{consent.CategoryHealthDisability},
			},
		},
	}
	return consent.Event{ConsentID: c.ID, Type: consent.EventGiven, At: at, EffectiveAt: at,
		By: "staff-a", Evidence: &c.Evidence, Consent: &c}
}

// Record a consent: append its "given" event to the log and read the
// derived state back.
func ExampleLog_Append() {
	log := consent.NewLog()
	ev, err := log.Append(given())
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, _ := log.Record(ev.ConsentID)
	fmt.Println("seq:", ev.Seq)
	fmt.Println("status now:", rec.Status(time.Date(2025, 4, 2, 9, 0, 0, 0, jst)).Label())
	fmt.Println("status after the period:", rec.Status(time.Date(2026, 4, 1, 0, 0, 0, 0, jst)).Label())

	// A verbal consent without a witness is refused, with a message for staff.
	bad := given()
	c := *bad.Consent
	c.ID, bad.ConsentID = "c-2025-0002", "c-2025-0002"
	c.Evidence = consent.Evidence{Channel: consent.ChannelVerbal, RecordedBy: "staff-a"}
	bad.Consent, bad.Evidence = &c, &c.Evidence
	_, err = log.Append(bad)
	var ve *consent.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Problems[0].Path+":", ve.Problems[0].Message)
	}
	// Output:
	// seq: 1
	// status now: 有効
	// status after the period: 期間満了
	// consent.evidence.witness: 口頭での同意には立会人（記録者とは別の職員）が必要です
}

// Decide: the child-support department may view the basic information it
// was given consent for, but not the health information.
func ExampleDecider_Decide() {
	log := consent.NewLog()
	if _, err := log.Append(given()); err != nil {
		fmt.Println(err)
		return
	}
	d, err := consent.Compile(consent.Policy{Events: log.Events()})
	if err != nil {
		fmt.Println(err)
		return
	}
	dec, err := d.Decide(consent.Request{
		Actor:      consent.Actor{User: "staff-k", Org: "kosodate-shien", Role: "caseworker"},
		Subject:    "p-mother",
		Action:     consent.ActionView,
		Purpose:    consent.PurposeSharing,
		Categories: consent.Categories(consent.CategoryIdentity, consent.CategoryHealthDisability),
		At:         time.Date(2025, 5, 1, 14, 0, 0, 0, jst),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dec.Effect, dec.Basis, dec.ConsentIDs())
	fmt.Println("permitted:", dec.Permitted)
	fmt.Println("withheld:", dec.Withheld, "-", dec.CategoryReason(consent.CategoryHealthDisability).Label())
	fmt.Println("obligations:", dec.Obligations)
	// Output:
	// partial consent [c-2025-0001]
	// permitted: identity
	// withheld: health_disability - この提供先・目的・行為を対象とする有効な同意がありません
	// obligations: audit,record_disclosure
}

// Redact a record view under a DV等支援措置: outside the responsible desk the
// protected address and contacts are absent from the view, and listed as
// withheld.
func ExampleDecider_Redact() {
	log := consent.NewLog()
	if _, err := log.Append(given()); err != nil {
		fmt.Println(err)
		return
	}
	d, err := consent.Compile(consent.Policy{
		Events: log.Events(),
		Restrictions: []consent.Restriction{{
			ID:              "R-2025-07",
			Kind:            consent.RestrictionDV,
			Subjects:        []string{"p-mother"},
			Counterparties:  []string{"p-former-spouse"},
			ProtectedFields: []string{"address", "contacts"},
			ResponsibleOrgs: []string{"hitorioya-desk", "shimin-ka"},
			Period: consent.Period{Start: time.Date(2025, 3, 1, 0, 0, 0, 0, jst),
				End: time.Date(2026, 3, 1, 0, 0, 0, 0, jst)},
			Source:     "警察署の意見",
			VerifiedBy: "staff-b",
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// casefile flattens its record into fields: path, category, value.
	view := consent.View{Subject: "p-mother", Fields: []consent.Field{
		{Path: "name", Category: consent.CategoryIdentity, Value: "山田 花子"},
		{Path: "address.line1", Category: consent.CategoryIdentity, Value: "〇〇市△△町1-2-3"},
		{Path: "contacts.0.value", Category: consent.CategoryContact, Value: "090-0000-0000"},
		{Path: "health.notes", Category: consent.CategoryHealthDisability, Value: "通院中"},
	}}
	out, err := d.Redact(consent.Request{
		Actor:   consent.Actor{User: "staff-k", Org: "kosodate-shien"},
		Action:  consent.ActionView,
		Purpose: consent.PurposeSharing,
		At:      time.Date(2025, 5, 1, 14, 0, 0, 0, jst),
	}, view)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range out.Fields {
		fmt.Printf("shown    %-16s %v\n", f.Path, f.Value)
	}
	for _, w := range out.Withheld {
		fmt.Printf("withheld %-16s %s\n", w.Path, w.Reason)
	}
	// Output:
	// shown    name             山田 花子
	// withheld address.line1    restricted
	// withheld contacts.0.value restricted
	// withheld health.notes     no_consent
}

// Withdraw: from the withdrawal's effective time every decision denies, and
// the recipients who received data under the consent are listed so that
// they can be told.
func ExampleRecipientsToTell() {
	log := consent.NewLog()
	if _, err := log.Append(given()); err != nil {
		fmt.Println(err)
		return
	}
	d, _ := consent.Compile(consent.Policy{Events: log.Events()})
	ask := func(d *consent.Decider, at time.Time) consent.Decision {
		dec, _ := d.Decide(consent.Request{
			Actor:   consent.Actor{User: "staff-k", Org: "kosodate-shien"},
			Subject: "p-mother", Action: consent.ActionView, Purpose: consent.PurposeSharing,
			Categories: consent.Categories(consent.CategoryIdentity), At: at,
		})
		return dec
	}
	// The caller keeps the disclosure log (casefile derives it from its audit log).
	var disclosures []consent.Disclosure
	if disc, ok := ask(d, time.Date(2025, 5, 1, 14, 0, 0, 0, jst)).Disclosure(); ok {
		disclosures = append(disclosures, disc)
	}

	withdrawnAt := time.Date(2025, 6, 1, 9, 0, 0, 0, jst)
	_, err := log.Append(consent.Event{ConsentID: "c-2025-0001", Type: consent.EventWithdrawn,
		At: withdrawnAt, EffectiveAt: withdrawnAt, By: "staff-a",
		Evidence: &consent.Evidence{Channel: consent.ChannelLINE, RecordedBy: "staff-a"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ = consent.Compile(consent.Policy{Events: log.Events()})
	fmt.Println("after:", ask(d, withdrawnAt).Reason().Label())

	rec, _ := log.Record("c-2025-0001")
	tell, _ := consent.RecipientsToTell(rec, disclosures)
	for _, r := range tell {
		fmt.Printf("tell %s (%s): %s, %d time(s), last %s\n", r.Name, r.Recipient, r.Categories.Labels(), r.Count, consent.FormatDate(r.Last))
	}
	// Output:
	// after: 同意は撤回されています
	// tell 子育て支援課 (kosodate-shien): 基本情報, 1 time(s), last 令和7年5月1日
}

// Print a receipt for the resident.
func ExampleReceipt_Text() {
	log := consent.NewLog()
	if _, err := log.Append(given()); err != nil {
		fmt.Println(err)
		return
	}
	rec, _ := log.Record("c-2025-0001")
	rc, err := consent.NewReceipt(rec, consent.Controller{
		Name:         "〇〇市",
		Municipality: "999999",
		Desk:         "こども家庭課 ひとり親相談窓口",
		Phone:        "000-000-0000",
		Withdrawal:   "窓口・電話・市公式LINEでお申し出ください。",
	}, time.Date(2025, 4, 1, 10, 5, 0, 0, jst))
	if err != nil {
		fmt.Println(err)
		return
	}
	rc.SubjectName, rc.GrantorName = "山田 花子", "山田 花子"
	fmt.Print(rc.Text())
	// Output:
	// 個人情報の利用・提供に関する同意の控え
	// ========================================
	// 控え番号: c-2025-0001/1
	// 発行日時: 令和7年4月1日 10時05分
	//
	// 【管理者】
	//   〇〇市（団体コード 999999）
	//   担当窓口: こども家庭課 ひとり親相談窓口
	//   電話: 000-000-0000
	//
	// 【同意の内容】
	//   同意番号: c-2025-0001
	//   状態: 有効
	//   情報の本人: 山田 花子
	//   同意した人: 山田 花子（本人）
	//   同意日時: 令和7年4月1日 10時00分
	//   有効期間: 令和7年4月1日 10時00分から令和8年3月31日まで
	//   同意の方法: 紙の同意書（記録番号 DOC-2025-0001）
	//   説明文: 第3版（言語 ja、SHA-256 d9403878701c0600078455d39ec1b688dfd73062ef5d09f788ae8f1e8a73e3f6）
	//   根拠: 個人情報の保護に関する法律第69条第2項第1号（本人の同意）
	//
	// 【利用・提供 1】
	//   提供先: こども家庭課 ひとり親相談窓口（庁内部署）、子育て支援課（庁内部署）
	//   利用目的: 相談対応、関係部署での共有
	//   行為: 閲覧
	//   情報の種類: 基本情報、連絡先
	//
	// 【利用・提供 2】
	//   提供先: こども家庭課 ひとり親相談窓口（庁内部署）
	//   利用目的: 相談対応
	//   行為: 閲覧
	//   情報の種類: 健康・障害【要配慮】
	//
	// ※ 特に慎重な取扱いを要する情報（健康・障害）を含みます。これらは種類を明示して同意いただいた場合に限り利用・提供します。
	// ※ 個人番号（マイナンバー）は、この同意によって利用・提供されることはありません。
	//
	// 【同意の撤回】
	//   撤回はいつでもでき、不利益な取扱いを受けることはありません。撤回した日時以降、新たな利用・提供は行いません。撤回の前に情報を受け取った提供先には、撤回されたことをお知らせします。
	//   撤回の方法: 窓口・電話・市公式LINEでお申し出ください。
}

// Decode a consent from JSON strictly: mistakes are typed errors with a path.
func ExampleDecodeConsent() {
	_, err := consent.DecodeConsent([]byte(`{"id": "c-1", "provisions": [{"purposes": ["marketing"]}]}`))
	var de *consent.DecodeError
	if errors.As(err, &de) {
		fmt.Println(de.Path, errors.Is(err, consent.ErrUnknownCode))
	}
	_, err = consent.DecodeConsent([]byte(`{"id": "c-1", "subjct": "p-1"}`))
	fmt.Println(errors.Is(err, consent.ErrUnknownField), err)
	// Output:
	// provisions[0].purposes[0] true
	// true consent: JSON subjct: unknown field: "subjct" is not a field here
}

// Redact with decisions made separately, one per subject: fields of a
// subject without a decision are withheld (deny by default).
func ExampleRedact() {
	log := consent.NewLog()
	if _, err := log.Append(given()); err != nil {
		fmt.Println(err)
		return
	}
	d, _ := consent.Compile(consent.Policy{Events: log.Events()})
	dec, _ := d.Decide(consent.Request{
		Actor:   consent.Actor{User: "staff-a", Org: "hitorioya-desk"},
		Subject: "p-mother", Action: consent.ActionView, Purpose: consent.PurposeConsultation,
		Categories: consent.Categories(consent.CategoryIdentity, consent.CategoryHealthDisability),
		At:         time.Date(2025, 5, 1, 14, 0, 0, 0, jst),
	})
	out, err := consent.Redact(consent.View{Subject: "p-mother", Fields: []consent.Field{
		{Path: "name", Category: consent.CategoryIdentity, Value: "山田 花子"},
		{Path: "health.notes", Category: consent.CategoryHealthDisability, Value: "通院中"},
		{Path: "household.members.1.name", Category: consent.CategoryIdentity, Subject: "p-child", Value: "山田 太郎"},
		{Path: "mynumber", Category: consent.CategoryMyNumber, Value: "123456789012"},
	}}, dec)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range out.Fields {
		fmt.Println("shown   ", f.Path)
	}
	for _, w := range out.Withheld {
		fmt.Println("withheld", w.Path, w.Reason.Label())
	}
	// Output:
	// shown    name
	// shown    health.notes
	// withheld household.members.1.name この人の情報についての判断がありません
	// withheld mynumber 個人番号（マイナンバー）は対象外です（番号法第19条）
}
