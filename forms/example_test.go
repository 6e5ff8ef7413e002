package forms_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/forms"
	"github.com/onestop-jp/onestop/packs"
)

// A front end posts what the family typed; Check normalises it and says,
// all at once and in Japanese, what to fix.
func ExampleForm_Check() {
	form, err := forms.Model()
	if err != nil {
		panic(err)
	}
	_, err = form.Check([]byte(`{"form": "jp-model", "date": "令和8年12月4日", "answers": {
		"postal_code": "〒１００ー０００１", "contact_ok": true, "contact_methods": ["phone"], "phone": "０９０－１２３４",
		"applicant": {"family_kana": "やまだ", "birth_date": "R10.1.1"}}}`))
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		for _, fe := range ve.Fields("phone") {
			fmt.Println(fe.Path, fe.Message)
		}
		for _, fe := range ve.Fields("applicant.birth_date") {
			fmt.Println(fe.Path, fe.Message)
		}
	}
	// Output:
	// phone 電話番号は0から始まる10桁または11桁の番号で入力してください（例: 090-1234-5678、03-1234-5678）
	// applicant.birth_date 生年月日に記入日より後の日付は入力できません
}

// Answers are normalised before they are validated and kept.
func ExampleChecked_Answers() {
	form, err := forms.Parse([]byte(`
form: {id: contact, version: "1", title: 連絡先}
pages:
  - id: p
    title: 連絡先
    fields:
      - {id: postal, type: postal, label: 郵便番号}
      - {id: phone, type: phone, label: 電話番号}
      - {id: kana, type: kana, label: フリガナ}
      - {id: since, type: date, label: 転入日}
      - {id: income, type: yen, units: true, label: 年収}
`), "contact.yaml")
	if err != nil {
		panic(err)
	}
	c, err := form.Check([]byte(`{"form": "contact", "date": "2026-12-04", "answers": {
		"postal": "〒１００ー０００１", "phone": "０９０－１２３４－５６７８", "kana": "ﾔﾏﾀﾞ　はなこ",
		"since": "R7.4.1", "income": "1,200万"}}`))
	if err != nil {
		panic(err)
	}
	a := c.Answers()
	fmt.Println(a["postal"], a["phone"], a["kana"], a["since"], a["income"])
	// Output: 1000001 090-1234-5678 ヤマダ ハナコ 2025-04-01 12000000
}

// After each page, Next says which fields are still worth asking. A
// married applicant is asked nothing about income for 児童扶養手当.
func ExampleForm_Next() {
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		panic(err)
	}
	engine, err := eligibility.Compile([]*eligibility.Pack{nat})
	if err != nil {
		panic(err)
	}
	form, err := forms.Model()
	if err != nil {
		panic(err)
	}
	for _, situation := range []string{"divorced", "married"} {
		q, err := form.Next(context.Background(), engine, []byte(`{"form": "jp-model", "date": "2026-12-04",
			"answers": {"municipality_code": "131016", "situation": "`+situation+`"}}`), forms.ForPrograms("child-rearing-allowance"))
		if err != nil {
			panic(err)
		}
		var rule []string
		for _, a := range q.Ask {
			if a.Kind == forms.AskRule {
				rule = append(rule, a.Path)
			}
		}
		fmt.Println(situation, q.Programs[0].Label, rule)
	}
	// Output:
	// divorced 判定保留 [applicant_role de_facto_partner applicant.resides_in_japan children[].birth_date children[].lives_with children[].in_facility children[].resides_in_japan children[].disability_kind children[].has_income others[].birth_date others[].lives_with others[].supported others[].has_income applicant_income.prev_kinds applicant_income.prev_child_support applicant_income.prev_deductions]
	// married 対象外 []
}

// A checked submission becomes a case with its consents, in one
// transaction; the online application is then filled from it, within the
// family's consent.
func ExamplePrefill() {
	ctx := context.Background()
	svc, err := casefile.New(memstore.New(), casefile.Config{
		Roles: map[string]casefile.Permission{
			"intake": casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent,
			"clerk":  casefile.PermRead,
		},
		Now: func() time.Time { return time.Date(2026, 12, 4, 10, 0, 0, 0, time.FixedZone("JST", 9*3600)) },
	})
	if err != nil {
		panic(err)
	}
	form, err := forms.Model()
	if err != nil {
		panic(err)
	}
	submission, err := os.ReadFile("testdata/submission.json")
	if err != nil {
		panic(err)
	}
	checked, err := form.Check(submission)
	if err != nil {
		panic(err)
	}
	intake := casefile.Actor{Tenant: "131016", User: "form-intake", Org: "hitorioya-desk", Role: "intake"}
	ref, err := forms.CreateCase(ctx, svc, intake, checked, forms.RecordOptions{SubmissionID: "WEB-2026-000123"})
	if err != nil {
		panic(err)
	}
	app, err := forms.Load(forms.ModelFiles(), forms.ChildRearingAllowancePath)
	if err != nil {
		panic(err)
	}
	clerk := casefile.Actor{Tenant: "131016", User: "k-01", Org: "kodomo-teate", Role: "clerk"}
	a, err := forms.Prefill(ctx, svc, clerk, app, ref.CaseID, forms.PrefillOptions{Applicant: ref.Members["p"].PersonID})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Title, a.Filled, "filled,", a.ToEnter, "to enter")
	for _, it := range a.Items[:2] {
		fmt.Println(it.Label, it.Display)
	}
	// Output:
	// 児童扶養手当認定請求書 32 filled, 15 to enter
	// 氏 山田
	// 名 花子
}
