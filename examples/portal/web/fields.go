package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/forms"
)

// Rendering a form's fields as HTML controls and reading them back, for
// both the input form (②) and the online applications (⑤). Every value
// is sent to forms as the resident typed it; forms normalises and checks.

// fieldView is one control as the templates draw it.
type fieldView struct {
	Name         string // the answer's path, also the control's name
	ID           string
	Label        string
	Help         string
	Control      string // text, textarea, radio, checkbox, count, consent
	InputType    string // text, tel, email
	InputMode    string
	Autocomplete string
	Value        string
	Choices      []choiceView
	Required     bool
	Errors       []string
	Notice       string // a consent question's notice, exactly as recorded (its hash)
	NoticeVer    string
	Max          int
	Prefilled    bool   // application: copied from the record
	Note         string // application: why the family enters it
}

type choiceView struct {
	ID, Value, Label, Help string
	Checked                bool
}

// fieldGroup is the fields of one fieldset: a page's own fields, or one
// person of a list.
type fieldGroup struct {
	Legend string
	Fields []fieldView
}

// controlID makes an HTML id from a path.
func controlID(path string) string {
	r := strings.NewReplacer(".", "-", "[", "-", "]", "")
	return "f-" + r.Replace(path)
}

// newFieldView builds the control of field f answered at path.
func newFieldView(f forms.Field, path string, answers map[string]any) fieldView {
	v := fieldView{Name: path, ID: controlID(path), Label: f.Label, Help: f.Help, Required: f.Required, Control: "text", InputType: "text"}
	cur, has := getAnswer(answers, path)
	switch f.Type {
	case forms.TypeBool, forms.TypeConsent:
		v.Control = "radio"
		yes, no := "はい", "いいえ"
		if f.Type == forms.TypeConsent {
			v.Control, yes, no = "consent", "同意する", "同意しない"
			if f.Consent != nil {
				v.Notice = strings.TrimRight(f.Consent.Notice, "\n")
				v.NoticeVer = f.Consent.NoticeVersion
			}
		}
		b, isBool := cur.(bool)
		v.Choices = []choiceView{
			{ID: v.ID + "-yes", Value: "true", Label: yes, Checked: has && isBool && b},
			{ID: v.ID + "-no", Value: "false", Label: no, Checked: has && isBool && !b},
		}
	case forms.TypeChoice, forms.TypeChoices:
		v.Control = "radio"
		if f.Type == forms.TypeChoices {
			v.Control = "checkbox"
		}
		chosen := map[string]bool{}
		switch t := cur.(type) {
		case string:
			chosen[t] = true
		case []any:
			for _, x := range t {
				if s, ok := x.(string); ok {
					chosen[s] = true
				}
			}
		}
		for i, c := range f.Choices {
			v.Choices = append(v.Choices, choiceView{ID: v.ID + "-" + strconv.Itoa(i), Value: c.Value, Label: c.Label, Help: c.Help, Checked: chosen[c.Value]})
		}
	default:
		v.Value = answerText(cur)
		switch f.Type {
		case forms.TypeText:
			if f.Multiline {
				v.Control = "textarea"
			}
		case forms.TypeKana:
			v.Help = joinHelp(v.Help, "カタカナ・ひらがなで入力できます。")
		case forms.TypeDate:
			v.Help = joinHelp(v.Help, "例: 平成27年5月1日、H27.5.1、2015-05-01")
			if strings.HasSuffix(path, "birth_date") && !strings.Contains(path, "[") {
				v.Autocomplete = "bday"
			}
		case forms.TypeYen:
			v.InputMode = "numeric"
			if f.Units {
				v.Help = joinHelp(v.Help, "例: 1200000、120万")
			}
		case forms.TypeInt:
			v.InputMode = "numeric"
		case forms.TypePostal:
			v.InputMode, v.Autocomplete = "numeric", "postal-code"
			v.Help = joinHelp(v.Help, "例: 100-0001")
		case forms.TypePhone:
			v.InputType, v.Autocomplete = "tel", "tel"
			v.Help = joinHelp(v.Help, "例: 090-1234-5678")
		case forms.TypeEmail:
			v.InputType, v.Autocomplete = "email", "email"
		}
	}
	return v
}

func joinHelp(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// answerText writes a stored answer back into a text box.
func answerText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		if t {
			return "はい"
		}
		return "いいえ"
	default:
		return fmt.Sprint(t)
	}
}

// readField takes a posted control's value into the answers: as typed, or
// removed when left empty.
func readField(f forms.Field, path string, form url.Values, answers map[string]any) error {
	var v any
	switch f.Type {
	case forms.TypeBool, forms.TypeConsent:
		switch form.Get(path) {
		case "true":
			v = true
		case "false":
			v = false
		}
	case forms.TypeChoices:
		var l []any
		for _, s := range form[path] {
			if s = strings.TrimSpace(s); s != "" {
				l = append(l, s)
			}
		}
		if len(l) > 0 {
			v = l
		}
	default:
		if s := strings.TrimSpace(form.Get(path)); s != "" {
			v = s
		}
	}
	return setAnswer(answers, path, v)
}

// countView is the "how many" question of a member list.
func countView(f forms.Field, path string, answers map[string]any) fieldView {
	v := fieldView{Name: "count:" + path, ID: controlID("count-" + path), Control: "count", InputType: "text", InputMode: "numeric", Required: true}
	v.Label = countLabel(f)
	v.Help = f.Help
	v.Max = f.MaxItems
	if v.Max == 0 {
		v.Max = 20
	}
	if l, ok := getAnswerList(answers, path); ok {
		v.Value = strconv.Itoa(len(l))
	}
	return v
}

func countLabel(f forms.Field) string {
	switch f.Member {
	case "child":
		return f.Label + "の人数"
	default:
		return f.Label + "（人数）"
	}
}

func getAnswerList(answers map[string]any, path string) ([]any, bool) {
	v, ok := getAnswer(answers, path)
	if !ok {
		return nil, false
	}
	l, ok := v.([]any)
	return l, ok
}

// itemLegend names one person of a list for a fieldset legend.
func itemLegend(f forms.Field, index int) string {
	return fmt.Sprintf("%s（%d人目）", f.Label, index+1)
}
