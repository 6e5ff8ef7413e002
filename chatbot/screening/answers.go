package screening

import (
	"math"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/wareki"
)

func isUnknown(s string) bool {
	switch s {
	case "わからない", "わかりません", "分からない", "分かりません", "不明", "知らない":
		return true
	}
	return false
}

func parseYesNo(s string) (bool, bool) {
	switch s {
	case "はい", "ある", "あり", "いる", "yes", "y", "あった", "している", "ええ", "うん":
		return true, true
	case "いいえ", "ない", "なし", "いない", "no", "n", "なかった", "していない", "いや", "ううん":
		return false, true
	}
	return false, false
}

func parseCount(s string, max int) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "人"), "名")
	switch s {
	case "いない", "なし", "いません":
		return 0, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return 0, false
	}
	return n, true
}

// parseYen reads an amount as residents type it: 2400000, 2,400,000,
// 240万, 240万円, 1億2000万. chatbot.Input has been through chatbot.Normalize (NFKC).
func parseYen(s string) (int64, bool) {
	s = strings.NewReplacer(",", "", "円", "", " ", "", "約", "").Replace(s)
	if s == "" {
		return 0, false
	}
	var total int64
	for _, unit := range []struct {
		sep string
		mul int64
	}{{"億", 100_000_000}, {"万", 10_000}, {"千", 1_000}} {
		if before, after, ok := strings.Cut(s, unit.sep); ok {
			v, ok := parseDecimalYen(before, unit.mul)
			if !ok {
				return 0, false
			}
			total += v
			s = after
		}
	}
	if s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return 0, false
		}
		total += v
	}
	if total < 0 || total > eligibility.MaxYen {
		return 0, false
	}
	return total, true
}

// parseDecimalYen reads "240" or "12.5" times mul, exactly (no floats).
func parseDecimalYen(s string, mul int64) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > math.MaxInt64/mul {
		return 0, false
	}
	v := w * mul
	if frac != "" {
		if len(frac) > 4 {
			return 0, false
		}
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return 0, false
		}
		div := int64(1)
		for range frac {
			div *= 10
		}
		if (f*mul)%div != 0 {
			return 0, false
		}
		v += f * mul / div
	}
	return v, true
}

func truncateText(s string, max int) string {
	r := []rune(s)
	if len(r) > max {
		return string(r[:max])
	}
	return s
}

// apply records an answer; it returns a message asking again when the
// answer cannot be used. The value is read by the kind of fact (the
// catalog) and set through Household.SetFact, which checks it as the
// decoder would.
func (d *dialogue) apply(m eligibility.Missing, raw, text string) string {
	if strings.HasPrefix(m.Path, "extra.") {
		return d.applyExtra(m, raw, text)
	}
	f, ok := eligibility.FactFor(m.Path)
	if !ok {
		return "この項目はチャットではお答えいただけません。窓口でご相談ください。"
	}
	var v any
	switch {
	case f.Key == "incomes": // an income year: had income or none at all
		b, ok := parseYesNo(text)
		if !ok {
			return msgYesNo
		}
		entry := eligibility.Income{Year: m.Year}
		if !b {
			zero := int64(0)
			entry = eligibility.Income{Year: m.Year, SalaryRevenue: &zero, PensionRevenue: &zero, BusinessIncome: &zero,
				OtherIncome: &zero, ChildSupportReceived: &zero, Deductions: &eligibility.Deductions{}}
		}
		v = entry
	case f.Key == "deductions":
		b, ok := parseYesNo(text)
		if !ok {
			return msgYesNo
		}
		v = eligibility.Deductions{}
		if b {
			d.notes = append(d.notes, "所得控除（医療費控除など）があるとのことですが、チャットでは控除を引かずに計算しました。控除を引くと対象になったり金額が増えたりすることがあるので、窓口で確認してください。")
		}
	case f.Key == "disability":
		kind := map[string]eligibility.DisabilityKind{"なし": eligibility.DisabilityNone, "いいえ": eligibility.DisabilityNone, "身体": eligibility.DisabilityPhysical,
			"療育": eligibility.DisabilityIntellectual, "精神": eligibility.DisabilityMental}[text]
		if kind == "" {
			return msgButtons
		}
		v = eligibility.Disability{Kind: kind}
	case f.Key == "grade":
		i := memberIndex(m.Path)
		if i < 0 || i >= len(d.h.Members) || d.h.Members[i].Disability == nil {
			return "この項目はチャットではお答えいただけません。窓口でご相談ください。"
		}
		g := strings.ToUpper(raw)
		cand := &eligibility.Household{Members: []eligibility.Member{{Relation: eligibility.RelationSelf, Disability: &eligibility.Disability{Kind: d.h.Members[i].Disability.Kind, Grade: g}}}}
		if cand.Validate() != nil {
			return "等級として読めませんでした（身体障害者手帳は 1〜7、療育手帳は A・B など、精神は 1〜3）。"
		}
		v = g
	case f.Kind == eligibility.KindBool:
		b, ok := parseYesNo(text)
		if !ok {
			return msgYesNo
		}
		v = b
	case f.Kind == eligibility.KindYen, f.Kind == eligibility.KindInt:
		n, ok := parseYen(raw)
		if !ok {
			return "金額を数字で教えてください（例: 240万、2400000。なければ 0）。"
		}
		v = n
	case f.Kind == eligibility.KindDate:
		bd, err := wareki.Parse(raw)
		if err != nil {
			return "日付として読めませんでした（例: 2015-05-01、平成27年5月1日）。"
		}
		if bd.After(d.asOf) {
			return "生年月日は今日より前の日付で教えてください。"
		}
		v = bd
	case f.Kind == eligibility.KindEnum:
		for _, ev := range f.Enum {
			if text == ev.Value || text == chatbot.Normalize(ev.Label) {
				v = ev.Value
			}
		}
		if v == nil {
			return msgButtons
		}
	default:
		v = truncateText(raw, int(max(f.Max, 1)))
	}
	if err := d.h.SetFact(m.Path, v); err != nil {
		return "お答えを記録できませんでした。別の書き方で教えてください。"
	}
	return ""
}

// applyExtra records the answer for a local fact, by the type its pack
// declares.
func (d *dialogue) applyExtra(m eligibility.Missing, raw, text string) string {
	f, declared := d.extras[m.Field]
	var v any
	switch {
	case declared && f.Type == eligibility.ExtraBool:
		b, ok := parseYesNo(text)
		if !ok {
			return msgYesNo
		}
		v = b
	case declared && (f.Type == eligibility.ExtraInt || f.Type == eligibility.ExtraYen):
		n, ok := parseYen(raw)
		if !ok {
			return "数字で教えてください。"
		}
		v = n
	case declared:
		v = truncateText(raw, eligibility.MaxStringLength)
	default:
		if b, ok := parseYesNo(text); ok {
			v = b
		} else if n, ok := parseYen(raw); ok {
			v = n
		} else {
			v = truncateText(raw, eligibility.MaxStringLength)
		}
	}
	if err := d.h.SetFact(m.Path, v); err != nil {
		return "お答えを記録できませんでした。別の書き方で教えてください。"
	}
	return ""
}
