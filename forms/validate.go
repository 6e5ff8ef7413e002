package forms

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	jalocale "github.com/go-playground/locales/ja"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	jatrans "github.com/go-playground/validator/v10/translations/ja"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/wareki"
)

// Validation runs github.com/go-playground/validator/v10 on every
// normalised answer, with the package's Japanese translations
// (translations/ja) and onestop's own tags for Japanese data. Each field is
// validated with VarWithKey under its label, so a message names the field
// as the family reads it; Check adds the path.

// Tags of our own, each with a Japanese message saying what to fix.
const (
	tagAnswered = "answered"    // the field has an answer (0 and false are answers)
	tagChosen   = "chosen"      // alias of answered for choice fields: 選んでください
	tagPostal   = "postal_jp"   // 7 digits
	tagPhone    = "phone_jp"    // a Japanese phone number
	tagKatakana = "katakana"    // full-width katakana
	tagDate     = "jp_date"     // a date (和暦 or Gregorian), normalised to YYYY-MM-DD
	tagPast     = "not_after"   // not after the form date (birth dates)
	tagLGCode   = "lg_code"     // 全国地方公共団体コード with the check digit
	tagYen      = "yen"         // whole yen, 0 to eligibility.MaxYen
	tagWhole    = "whole"       // a whole number
	tagBool     = "yes_no"      // true or false
	tagChoice   = "choice"      // a choice's value (oneof with our own message)
	tagExcl     = "exclusive"   // an exclusive choice is not combined with others
	tagCount    = "items_max"   // the number of a list's items
	tagUnknown  = "unknown_key" // a key the form does not have (decoding)
	tagType     = "wrong_type"  // a JSON value of the wrong kind (decoding)
)

type formDateKey struct{}

// checker is a validator with its Japanese translator. It is built once
// per Form and safe for concurrent use afterwards.
type checker struct {
	v     *validator.Validate
	trans ut.Translator
	// sets are the choice values of each choice field and excl the
	// exclusive choices, indexed by the tags' parameters; filled while the
	// form compiles, read-only afterwards.
	sets [][]string
	excl []Choice
}

// choiceTag returns the tag checking answers against values.
func (c *checker) choiceTag(values []string) string {
	c.sets = append(c.sets, values)
	return fmt.Sprintf("%s=%d", tagChoice, len(c.sets)-1)
}

// exclusiveTag returns the tag refusing ch combined with other choices.
func (c *checker) exclusiveTag(ch Choice) string {
	c.excl = append(c.excl, ch)
	return fmt.Sprintf("%s=%d", tagExcl, len(c.excl)-1)
}

func (c *checker) param(fl validator.FieldLevel) int {
	n, err := strconv.Atoi(fl.Param())
	if err != nil {
		return -1
	}
	return n
}

func newChecker() (*checker, error) {
	v := validator.New(validator.WithRequiredStructEnabled())
	ja := jalocale.New()
	uni := ut.New(ja, ja)
	trans, _ := uni.GetTranslator("ja")
	if err := jatrans.RegisterDefaultTranslations(v, trans); err != nil {
		return nil, fmt.Errorf("forms: validator translations: %w", err)
	}
	c := &checker{v: v, trans: trans}
	exclMessage := func(t ut.Translator, fe validator.FieldError) string {
		label := ""
		if n, err := strconv.Atoi(fe.Param()); err == nil && n >= 0 && n < len(c.excl) {
			label = c.excl[n].Label
		}
		s, err := t.T(tagExcl, fe.Field(), label)
		if err != nil {
			return fe.Field() + "の選び方を確かめてください"
		}
		return s
	}
	fns := []struct {
		tag      string
		fn       validator.FuncCtx
		evenNull bool
		msg      string
		custom   validator.TranslationFunc
	}{
		{tag: tagAnswered, fn: isAnswered, evenNull: true, msg: "{0}を入力してください"},
		{tag: tagPostal, fn: str(func(s string) bool { return len(s) == 7 && digitsOnly(s) }), msg: "{0}は7桁の数字で入力してください（例: 100-0001）"},
		{tag: tagPhone, fn: str(validPhone), msg: "{0}は0から始まる10桁または11桁の番号で入力してください（例: 090-1234-5678、03-1234-5678）"},
		{tag: tagKatakana, fn: str(isKatakanaName), msg: "{0}はカタカナで入力してください（ひらがなは自動でカタカナにします）"},
		{tag: tagDate, fn: str(isISODate), custom: dateMessage},
		{tag: tagPast, fn: notAfterFormDate, msg: "{0}に記入日より後の日付は入力できません"},
		{tag: tagLGCode, fn: str(func(s string) bool { return lgCodeProblem(s) == "" }), custom: lgCodeMessage},
		{tag: tagYen, fn: yenOK, msg: "{0}は0円以上の金額を円単位の数字で入力してください（例: {1}）", custom: yenMessage},
		{tag: tagWhole, fn: kindIs(reflect.Int64), msg: "{0}は整数で入力してください"},
		{tag: tagBool, fn: kindIs(reflect.Bool), msg: "{0}は「はい」か「いいえ」で答えてください"},
		{tag: tagChoice, fn: c.choiceOK, msg: "{0}は選択肢から選んでください"},
		{tag: tagExcl, fn: c.exclusiveOK, msg: "{0}で「{1}」とほかの選択肢を同時に選ぶことはできません", custom: exclMessage},
		{tag: tagCount, fn: countOK, msg: "{0}は{1}件まで入力できます"},
	}
	for _, f := range fns {
		if err := v.RegisterValidationCtx(f.tag, f.fn, f.evenNull); err != nil {
			return nil, fmt.Errorf("forms: validator tag %s: %w", f.tag, err)
		}
		tr := f.custom
		if tr == nil {
			tr = translateParam
		}
		msg := f.msg
		if err := v.RegisterTranslation(f.tag, trans, func(t ut.Translator) error { return t.Add(f.tag, msg, true) }, tr); err != nil {
			return nil, fmt.Errorf("forms: validator translation %s: %w", f.tag, err)
		}
	}
	v.RegisterAlias(tagChosen, tagAnswered)
	if err := v.RegisterTranslation(tagChosen, trans, func(t ut.Translator) error { return t.Add(tagChosen, "{0}を選んでください", true) }, translateParam); err != nil {
		return nil, err
	}
	return c, nil
}

// translateParam fills {0} with the field's label and {1} with the tag's
// parameter.
func translateParam(t ut.Translator, fe validator.FieldError) string {
	s, err := t.T(fe.Tag(), fe.Field(), fe.Param())
	if err != nil {
		return fe.Field() + "の入力を確かめてください"
	}
	return s
}

func dateMessage(_ ut.Translator, fe validator.FieldError) string {
	s, _ := fe.Value().(string)
	msg := "日付として読めません"
	if _, err := wareki.Parse(s); err != nil {
		if pe, ok := err.(*wareki.ParseError); ok && pe.Message != "" {
			msg = pe.Message
		}
	}
	return fe.Field() + ": " + msg + "（例: 令和7年4月1日、R7.4.1、2025-04-01）"
}

func yenMessage(t ut.Translator, fe validator.FieldError) string {
	ex := "1200000、1,200,000円"
	if fe.Param() == "units" {
		ex = "1200000、1,200,000円、120万、1万2千円"
	}
	s, err := t.T(tagYen, fe.Field(), ex)
	if err != nil {
		return fe.Field() + "は円単位の数字で入力してください"
	}
	return s
}

func lgCodeMessage(_ ut.Translator, fe validator.FieldError) string {
	s, _ := fe.Value().(string)
	return fe.Field() + ": " + lgCodeProblem(s)
}

func str(ok func(string) bool) validator.FuncCtx {
	return func(_ context.Context, fl validator.FieldLevel) bool {
		f := fl.Field()
		return f.Kind() == reflect.String && ok(f.String())
	}
}

func kindIs(k reflect.Kind) validator.FuncCtx {
	return func(_ context.Context, fl validator.FieldLevel) bool { return fl.Field().Kind() == k }
}

func isAnswered(_ context.Context, fl validator.FieldLevel) bool {
	f := fl.Field()
	switch f.Kind() {
	case reflect.String:
		return f.Len() > 0
	case reflect.Slice:
		return !f.IsNil()
	case reflect.Invalid:
		return false
	}
	return true
}

func yenOK(_ context.Context, fl validator.FieldLevel) bool {
	f := fl.Field()
	return f.Kind() == reflect.Int64 && f.Int() >= 0 && f.Int() <= eligibility.MaxYen
}

// choiceOK: a string must be one of the field's choices, and so must
// every element of a list.
func (c *checker) choiceOK(_ context.Context, fl validator.FieldLevel) bool {
	n := c.param(fl)
	if n < 0 || n >= len(c.sets) {
		return false
	}
	allowed := c.sets[n]
	f := fl.Field()
	switch f.Kind() {
	case reflect.String:
		return slices.Contains(allowed, f.String())
	case reflect.Slice:
		for i := 0; i < f.Len(); i++ {
			e := f.Index(i)
			if e.Kind() != reflect.String || !slices.Contains(allowed, e.String()) {
				return false
			}
		}
		return true
	}
	return false
}

// exclusiveOK refuses an exclusive choice (なし) combined with others.
func (c *checker) exclusiveOK(_ context.Context, fl validator.FieldLevel) bool {
	n := c.param(fl)
	f := fl.Field()
	if n < 0 || n >= len(c.excl) || f.Kind() != reflect.Slice || f.Len() < 2 {
		return true
	}
	for i := 0; i < f.Len(); i++ {
		if f.Index(i).String() == c.excl[n].Value {
			return false
		}
	}
	return true
}

func countOK(_ context.Context, fl validator.FieldLevel) bool {
	var n int
	if _, err := fmt.Sscan(fl.Param(), &n); err != nil {
		return false
	}
	return fl.Field().Kind() == reflect.Int && fl.Field().Int() <= int64(n)
}

func notAfterFormDate(ctx context.Context, fl validator.FieldLevel) bool {
	on, ok := ctx.Value(formDateKey{}).(civil.Date)
	f := fl.Field()
	if !ok || f.Kind() != reflect.String {
		return true
	}
	var d civil.Date
	if err := d.UnmarshalText([]byte(f.String())); err != nil {
		return true // jp_date reports it
	}
	return !d.After(on)
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isISODate(s string) bool {
	var d civil.Date
	return len(s) == 10 && d.UnmarshalText([]byte(s)) == nil && !d.IsZero()
}

// validPhone accepts a Japanese number after normalisation: 10 digits
// starting with 0 (fixed lines, 0120) or 11 digits starting with 050, 070,
// 080, 090, 0800 or 0570 variants, as 電気通信番号規則 allocates them.
func validPhone(s string) bool {
	d := phoneDigits(s)
	if len(d) < 10 || len(d) > 11 || d[0] != '0' {
		return false
	}
	if len(d) == 11 {
		switch d[:3] {
		case "050", "060", "070", "080", "090":
			return true
		}
		return d[:4] == "0800"
	}
	switch d[:3] {
	case "050", "060", "070", "080", "090":
		return false // these prefixes are 11-digit numbers
	}
	return d[1] != '0' || d[:4] == "0120" || d[:4] == "0570"
}

// lgCodeProblem checks a 全国地方公共団体コード (JIS X 0402 with 総務省's check
// digit: 11 − (Σ digit × weight mod 11) with weights 6, 5, 4, 3, 2, its last
// digit when that is 10 or 11) and says in Japanese what is wrong, or "".
func lgCodeProblem(code string) string {
	if len(code) != 6 || !digitsOnly(code) {
		return "全国地方公共団体コードは6桁の数字（検査数字を含む）で入力してください（例: 131016）"
	}
	if code[:2] < "01" || code[:2] > "47" {
		return "全国地方公共団体コードの先頭2桁（都道府県コード）は 01〜47 です"
	}
	sum := 0
	for i := 0; i < 5; i++ {
		sum += int(code[i]-'0') * (6 - i)
	}
	if check := (11 - sum%11) % 10; int(code[5]-'0') != check {
		return fmt.Sprintf("全国地方公共団体コードの検査数字（6桁目）が合いません（%s%d ではありませんか）", code[:5], check)
	}
	return ""
}

// fieldErrors turns a validator error into our FieldErrors at path.
func (c *checker) fieldErrors(err error, path string, out []FieldError) []FieldError {
	ves, ok := err.(validator.ValidationErrors)
	if !ok {
		return append(out, FieldError{Path: path, Code: CodeInvalid, Message: "入力を確かめてください"})
	}
	for _, fe := range ves {
		code, known := tagCodes[fe.Tag()]
		if !known {
			switch {
			case (fe.Tag() == "max" || fe.Tag() == "min") && fe.Kind() == reflect.String:
				code = CodeTooLong
			case fe.Tag() == "max" || fe.Tag() == "min":
				code = CodeRange
			default:
				code = CodeInvalid
			}
		}
		out = append(out, FieldError{Path: path, Label: fe.Field(), Code: code, Message: fe.Translate(c.trans)})
	}
	return out
}
