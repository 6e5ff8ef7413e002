package forms

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
)

// testForm has one field of every type.
const testForm = `
form: {id: test-form, version: "1", title: テスト}
pages:
  - id: p1
    title: ページ1
    fields:
      - {id: name, type: name, label: 氏名, required: true}
      - {id: kana, type: kana, label: フリガナ, required: true}
      - {id: born, type: date, label: 生年月日, past: true, required: true}
      - {id: moved, type: date, label: 転入日}
      - {id: income, type: yen, label: 収入, units: true}
      - {id: rent, type: yen, label: 家賃, max: 300000}
      - {id: months, type: int, label: 月数, min: 1, max: 24}
      - {id: works, type: bool, label: 働いていますか, required: true}
      - {id: employer, type: text, label: 勤務先, visible_if: works, required: true, max_length: 10}
      - {id: postal, type: postal, label: 郵便番号}
      - {id: phone, type: phone, label: 電話番号}
      - {id: mail, type: email, label: メール}
      - {id: city, type: lg_code, label: 市区町村コード}
      - id: color
        type: choice
        label: 色
        choices: [{value: red, label: 赤}, {value: blue, label: 青}]
      - id: pets
        type: choices
        label: ペット
        required: true
        choices: [{value: dog, label: 犬}, {value: cat, label: 猫}, {value: none, label: いない, exclusive: true}]
      - id: kids
        type: list
        label: こども
        max_items: 2
        fields:
          - {id: born, type: date, label: こどもの生年月日, past: true, required: true}
`

func mustParse(t *testing.T, src string) *Form {
	t.Helper()
	f, err := Parse([]byte(src), "test.yaml")
	require.NoError(t, err)
	return f
}

func submission(form string, answers map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"form": form, "date": "2026-12-04", "answers": answers})
	return b
}

func validationErrors(t *testing.T, err error) map[string][]FieldError {
	t.Helper()
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "want a *ValidationError, got %v", err)
	out := map[string][]FieldError{}
	for _, fe := range ve.Errors {
		out[fe.Path] = append(out[fe.Path], fe)
	}
	return out
}

func TestCheckNormalises(t *testing.T) {
	f := mustParse(t, testForm)
	c, err := f.Check(submission("test-form", map[string]any{
		"name": "山田　花子", "kana": "ﾔﾏﾀﾞ ﾊﾅｺ", "born": "R2.5.1", "moved": "令和7年4月1日",
		"income": "1,200万", "rent": "８万", "months": "１２", "works": "はい", "employer": "ＡＢＣ商事",
		"postal": "〒１００ー０００１", "phone": "０９０－１２３４－５６７８", "mail": "ｈａｎａｋｏ@example.jp",
		"city": "１３１０１６", "color": "赤", "pets": []string{"dog", "cat", "dog"},
		"kids": []any{map[string]any{"born": "H30.1.2"}},
	}))
	var ve *ValidationError
	if errors.As(err, &ve) {
		// rent: 8万 is not allowed without units
		require.Len(t, ve.Errors, 1, "%v", err)
		assert.Equal(t, "rent", ve.Errors[0].Path)
		assert.Equal(t, CodeYen, ve.Errors[0].Code)
	}
	c, err = f.Check(submission("test-form", map[string]any{
		"name": "山田　花子", "kana": "ﾔﾏﾀﾞ ﾊﾅｺ", "born": "R2.5.1", "moved": "令和7年4月1日",
		"income": "1,200万", "rent": "８００００", "months": "１２", "works": "はい", "employer": "ＡＢＣ商事",
		"postal": "〒１００ー０００１", "phone": "０９０－１２３４－５６７８", "mail": "ｈａｎａｋｏ@example.jp",
		"city": "１３１０１６", "color": "赤", "pets": []string{"dog", "cat", "dog"},
		"kids": []any{map[string]any{"born": "H30.1.2"}},
	}))
	require.NoError(t, err)
	got := c.Answers()
	assert.Equal(t, "山田 花子", got["name"])
	assert.Equal(t, "ヤマダ ハナコ", got["kana"])
	assert.Equal(t, "2020-05-01", got["born"])
	assert.Equal(t, "2025-04-01", got["moved"])
	assert.Equal(t, int64(12_000_000), got["income"])
	assert.Equal(t, int64(80_000), got["rent"])
	assert.Equal(t, int64(12), got["months"])
	assert.Equal(t, true, got["works"])
	assert.Equal(t, "ABC商事", got["employer"])
	assert.Equal(t, "1000001", got["postal"])
	assert.Equal(t, "090-1234-5678", got["phone"])
	assert.Equal(t, "hanako@example.jp", got["mail"])
	assert.Equal(t, "131016", got["city"])
	assert.Equal(t, "red", got["color"]) // a label is read as its choice
	assert.Equal(t, []string{"dog", "cat"}, got["pets"])
	assert.Equal(t, []map[string]any{{"born": "2018-01-02"}}, got["kids"])
	assert.Equal(t, civil.MustDate(2026, 12, 4), c.Date())

	// normalisation is idempotent: the checked submission checks to itself
	again, err := json.Marshal(c)
	require.NoError(t, err)
	c2, err := f.Check(again)
	require.NoError(t, err)
	assert.Equal(t, c.Answers(), c2.Answers())
}

func TestCheckReportsEveryErrorAtOnce(t *testing.T) {
	f := mustParse(t, testForm)
	_, err := f.Check(submission("test-form", map[string]any{
		"kana": "山田", "born": "2030-01-01", "moved": "R1.4.30", "income": "約120万", "rent": 400000,
		"months": 30, "works": true, "employer": "とても長い名前の勤務先です", "postal": "100-001",
		"phone": "123", "mail": "not-an-address", "city": "131017", "color": "green",
		"pets":  []string{"none", "dog"},
		"kids":  []any{map[string]any{"born": "2027-01-01"}, map[string]any{}, map[string]any{"born": "x"}},
		"extra": 1,
	}))
	errs := validationErrors(t, err)
	want := map[string]ErrorCode{
		"name": CodeRequired, "kana": CodeKatakana, "born": CodeAfterForm, "moved": CodeDate, "income": CodeYen,
		"rent": CodeRange, "months": CodeRange, "employer": CodeTooLong, "postal": CodePostal, "phone": CodePhone,
		"mail": CodeEmail, "city": CodeLGCode, "color": CodeChoice, "pets": CodeExclusive, "kids": CodeTooMany,
		"kids[0].born": CodeAfterForm, "kids[1].born": CodeRequired, "kids[2].born": CodeDate, "extra": CodeUnknown,
	}
	for path, code := range want {
		if assert.Contains(t, errs, path) {
			assert.Equal(t, code, errs[path][0].Code, path)
			assert.NotEmpty(t, errs[path][0].Message, path)
		}
	}
	assert.Len(t, errs, len(want), "%v", err)
	// messages are Japanese and name the field as the family reads it
	assert.Equal(t, "氏名を入力してください", errs["name"][0].Message)
	assert.Equal(t, "フリガナはカタカナで入力してください（ひらがなは自動でカタカナにします）", errs["kana"][0].Message)
	assert.Equal(t, "生年月日に記入日より後の日付は入力できません", errs["born"][0].Message)
	assert.Contains(t, errs["moved"][0].Message, "令和の期間外")
	assert.Contains(t, errs["income"][0].Message, "120万")
	assert.Equal(t, "家賃は300,000以下でなければなりません", errs["rent"][0].Message) // validator's ja translation
	assert.Equal(t, "勤務先の長さは最大でも10文字でなければなりません", errs["employer"][0].Message)
	assert.Contains(t, errs["postal"][0].Message, "7桁")
	assert.Contains(t, errs["city"][0].Message, "131016 ではありませんか")
	assert.Equal(t, "色は選択肢から選んでください", errs["color"][0].Message)
	assert.Equal(t, "ペットで「いない」とほかの選択肢を同時に選ぶことはできません", errs["pets"][0].Message)
	assert.Equal(t, "こどもは2件まで入力できます", errs["kids"][0].Message)
	assert.Equal(t, "メールは正しいメールアドレスでなければなりません", errs["mail"][0].Message)
	assert.Equal(t, "こどもの生年月日を入力してください", errs["kids[1].born"][0].Message)
}

func TestCheckVisibility(t *testing.T) {
	f := mustParse(t, testForm)
	base := map[string]any{"name": "山田", "kana": "ヤマダ", "born": "2020-01-01", "pets": []string{"none"}}
	// works false: the employer is not asked, so its answer is dropped
	a := clone(base)
	a["works"], a["employer"] = false, "ABC"
	c, err := f.Check(submission("test-form", a))
	require.NoError(t, err)
	assert.NotContains(t, c.Answers(), "employer")
	assert.Equal(t, []string{"employer"}, c.Dropped())
	// works true: the employer is required
	a["works"] = true
	delete(a, "employer")
	_, err = f.Check(submission("test-form", a))
	errs := validationErrors(t, err)
	assert.Equal(t, CodeRequired, errs["employer"][0].Code)
	// works not answered: required, and the employer is not asked
	delete(a, "works")
	_, err = f.Check(submission("test-form", a))
	errs = validationErrors(t, err)
	assert.Contains(t, errs, "works")
	assert.NotContains(t, errs, "employer")
	assert.Equal(t, "働いていますかを選んでください", errs["works"][0].Message)
}

func TestCheckEnvelope(t *testing.T) {
	f := mustParse(t, testForm)
	ok := map[string]any{"name": "山田", "kana": "ヤマダ", "born": "2020-01-01", "works": false, "pets": []string{"cat"}}
	cases := []struct {
		name string
		doc  string
		path string
		code ErrorCode
	}{
		{"not json", `{"form": `, "", CodeSyntax},
		{"not an object", `[]`, "", CodeType},
		{"other form", `{"form": "other", "date": "2026-12-04", "answers": {}}`, "form", CodeForm},
		{"other version", `{"form": "test-form", "version": "0", "date": "2026-12-04", "answers": {}}`, "version", CodeForm},
		{"no date", `{"form": "test-form", "answers": {}}`, "date", CodeNoDate},
		{"bad date", `{"form": "test-form", "date": "someday", "answers": {}}`, "date", CodeNoDate},
		{"unknown key", `{"form": "test-form", "date": "2026-12-04", "answer": {}}`, "answer", CodeUnknown},
		{"wrong type", `{"form": "test-form", "date": "2026-12-04", "answers": {"name": 12}}`, "name", CodeType},
		{"wrong list", `{"form": "test-form", "date": "2026-12-04", "answers": {"kids": {}}}`, "kids", CodeType},
		{"duplicate item id", `{"form": "test-form", "date": "2026-12-04", "answers": {"kids": [{"id": "a"}, {"id": "a"}]}}`, "kids[1].id", CodeDuplicate},
		{"bad item id", `{"form": "test-form", "date": "2026-12-04", "answers": {"kids": [{"id": "A B"}]}}`, "kids[0].id", CodeInvalid},
		{"duplicate key", `{"form": "test-form", "form": "test-form"}`, "", CodeSyntax},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.Check([]byte(c.doc))
			errs := validationErrors(t, err)
			require.Contains(t, errs, c.path, "%v", err)
			assert.Equal(t, c.code, errs[c.path][0].Code)
		})
	}
	// the form date may come from the caller
	b, _ := json.Marshal(map[string]any{"form": "test-form", "answers": ok})
	c, err := f.Check(b, On(civil.MustDate(2026, 12, 4)))
	require.NoError(t, err)
	assert.Equal(t, "2026-12-04", c.Date().String())
	// but the submission's own date wins
	b, _ = json.Marshal(map[string]any{"form": "test-form", "date": "R8.12.1", "answers": ok})
	c, err = f.Check(b, On(civil.MustDate(2026, 12, 4)))
	require.NoError(t, err)
	assert.Equal(t, "2026-12-01", c.Date().String())
	// too large
	_, err = f.Check(make([]byte, MaxSubmissionSize+1))
	errs := validationErrors(t, err)
	assert.Equal(t, CodeTooLarge, errs[""][0].Code)
}

func TestCheckModelSubmission(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	data, err := os.ReadFile("testdata/submission.json")
	require.NoError(t, err)
	c, err := f.Check(data)
	require.NoError(t, err)
	a := c.Answers()
	assert.Equal(t, "1000001", a["postal_code"])
	assert.Equal(t, "090-1234-5678", a["phone"])
	assert.Equal(t, "divorced", a["situation"])
	app := a["applicant"].(map[string]any)
	assert.Equal(t, "ヤマダ", app["family_kana"])
	assert.Equal(t, "ハナコ", app["given_kana"])
	assert.Equal(t, "1988-05-10", app["birth_date"])
	inc := a["applicant_income"].(map[string]any)
	assert.Equal(t, int64(12_000_000), inc["prev_salary"])
}

// TestModelErrorsHavePaths checks paths inside groups and lists of the
// model form.
func TestModelErrorsHavePaths(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	data, err := os.ReadFile("testdata/submission.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	ans := doc["answers"].(map[string]any)
	ans["applicant"].(map[string]any)["family_kana"] = "山田"
	ans["children"].([]any)[1].(map[string]any)["birth_date"] = "令和9年1月1日"
	ans["applicant_income"].(map[string]any)["prev_kinds"] = []string{"salary_revenue", "pension_revenue"}
	ans["phone"] = "０９０－１２３４"
	b, _ := json.Marshal(doc)
	_, err = f.Check(b)
	errs := validationErrors(t, err)
	assert.Equal(t, CodeKatakana, errs["applicant.family_kana"][0].Code)
	assert.Equal(t, CodeAfterForm, errs["children[1].birth_date"][0].Code)
	assert.Equal(t, CodeRequired, errs["applicant_income.prev_pension"][0].Code) // opened by the answer above
	assert.Equal(t, CodePhone, errs["phone"][0].Code)
	assert.Equal(t, "氏（フリガナ）はカタカナで入力してください（ひらがなは自動でカタカナにします）", errs["applicant.family_kana"][0].Message)
	assert.True(t, strings.HasPrefix(err.Error(), "forms: jp-model: 入力に誤りがあります"))
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
