package forms_test

import (
	"errors"
	"fmt"

	"github.com/onestop-jp/onestop/forms"
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
