package eligibility

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/civil"
)

// AppendJSON appends the screening's JSON form (the screening contract,
// the same document json.Marshal writes, without HTML escaping) to dst. It
// does not use reflection. Engine.AppendJSON writes the same bytes faster
// for the engine's own screenings.
func (s *Screening) AppendJSON(dst []byte) []byte {
	return jsonWriter{}.screening(dst, s)
}

// jsonWriter writes screenings. With fragments (an engine's), the parts of
// an outcome that are the same for every household — a programme's name,
// a condition's reason, a local fact's question — are copied already
// escaped, wherever the outcome still holds them.
type jsonWriter struct {
	f *jsonFragments
}

func (w jsonWriter) screening(dst []byte, s *Screening) []byte {
	dst = append(dst, `{"household_id":`...)
	dst = appendString(dst, s.HouseholdID)
	dst = append(dst, `,"as_of":`...)
	dst = appendDate(dst, s.AsOf)
	if w.f != nil && w.f.samePack(s.Pack) {
		dst = append(dst, w.f.pack...)
	} else {
		dst = appendPackRef(dst, s.Pack)
	}
	dst = append(dst, `,"results":`...)
	if s.Results == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range s.Results {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = w.outcome(dst, &s.Results[i], i)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// appendPackRef writes ,"pack":{…}.
func appendPackRef(dst []byte, p PackRef) []byte {
	dst = append(dst, `,"pack":{"id":`...)
	dst = appendString(dst, p.ID)
	dst = append(dst, `,"version":`...)
	dst = appendString(dst, p.Version)
	if len(p.Layers) > 0 {
		dst = append(dst, `,"layers":[`...)
		for i, l := range p.Layers {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"id":`...)
			dst = appendString(dst, l.ID)
			dst = append(dst, `,"version":`...)
			dst = appendString(dst, l.Version)
			if l.Title != "" {
				dst = append(dst, `,"title":`...)
				dst = appendString(dst, l.Title)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// outcome writes the i-th outcome of a screening.
func (w jsonWriter) outcome(dst []byte, o *Outcome, i int) []byte {
	var pf *programFragments
	if w.f != nil {
		pf = w.f.program(o, i)
	}
	if pf != nil {
		dst = append(dst, pf.head...)
	} else {
		dst = append(dst, `{"program":`...)
		dst = appendString(dst, o.Program)
		dst = append(dst, `,"name":`...)
		dst = appendString(dst, o.Name)
		if o.Category != "" {
			dst = append(dst, `,"category":`...)
			dst = appendString(dst, o.Category)
		}
		dst = append(dst, `,"kind":`...)
		dst = appendString(dst, string(o.Kind))
		dst = append(dst, `,"status":`...)
	}
	dst = appendString(dst, string(o.Status))
	dst = append(dst, `,"amount":`...)
	if o.Amount == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, `{"yen":`...)
		dst = strconv.AppendInt(dst, o.Amount.Yen, 10)
		dst = append(dst, `,"per":`...)
		dst = appendString(dst, string(o.Amount.Per))
		dst = append(dst, '}')
	}
	dst = append(dst, `,"conditions":[`...)
	next := 0 // the programme's conditions are reported in order
	for i := range o.Conditions {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst, next = w.condition(dst, &o.Conditions[i], pf, next)
	}
	dst = append(dst, `],"missing":`...)
	dst = w.missing(dst, o.Missing, true)
	dst = append(dst, `,"warnings":[`...)
	for i := range o.Warnings {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = w.warning(dst, &o.Warnings[i])
	}
	dst = append(dst, ']')
	if e := o.Error; e != nil {
		dst = append(dst, `,"error":{"message":`...)
		dst = appendString(dst, e.Message)
		if e.File != "" {
			dst = append(dst, `,"file":`...)
			dst = appendString(dst, e.File)
		}
		if e.Line != 0 {
			dst = append(dst, `,"line":`...)
			dst = strconv.AppendInt(dst, int64(e.Line), 10)
		}
		if e.Col != 0 {
			dst = append(dst, `,"col":`...)
			dst = strconv.AppendInt(dst, int64(e.Col), 10)
		}
		if e.Where != "" {
			dst = append(dst, `,"where":`...)
			dst = appendString(dst, e.Where)
		}
		dst = append(dst, '}')
	}
	if len(o.Values) > 0 {
		dst = append(dst, `,"values":`...)
		dst = w.values(dst, o.Values)
	}
	if len(o.Parameters) > 0 {
		dst = append(dst, `,"parameters":[`...)
		for i := range o.Parameters {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = o.Parameters[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	if len(o.Breakdowns) > 0 {
		dst = append(dst, `,"breakdowns":[`...)
		for i, b := range o.Breakdowns {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"title":`...)
			dst = appendString(dst, b.Title)
			dst = append(dst, `,"steps":`...)
			if b.Steps == nil {
				dst = append(dst, "null"...)
			} else {
				dst = append(dst, '[')
				for j, st := range b.Steps {
					if j > 0 {
						dst = append(dst, ',')
					}
					dst = append(dst, `{"label":`...)
					dst = appendString(dst, st.Label)
					dst = append(dst, `,"op":`...)
					dst = appendString(dst, st.Op)
					dst = append(dst, `,"yen":`...)
					dst = strconv.AppendInt(dst, st.Yen, 10)
					if st.Law != "" {
						dst = append(dst, `,"law":`...)
						dst = appendString(dst, st.Law)
					}
					if st.Source != "" {
						dst = append(dst, `,"source":`...)
						dst = appendString(dst, st.Source)
					}
					if st.Unit != "" {
						dst = append(dst, `,"unit":`...)
						dst = appendString(dst, st.Unit)
					}
					dst = append(dst, '}')
				}
				dst = append(dst, ']')
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if len(o.Sources) > 0 {
		dst = append(dst, `,"sources":[`...)
		for i, s := range o.Sources {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"title":`...)
			dst = appendString(dst, s.Title)
			if s.URL != "" {
				dst = append(dst, `,"url":`...)
				dst = appendString(dst, s.URL)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// condition writes a condition; next is where to look for its reason
// among the programme's, returned moved past it.
func (w jsonWriter) condition(dst []byte, c *ConditionResult, pf *programFragments, next int) ([]byte, int) {
	if head, at := pf.condition(c.Reason, next); head != nil {
		dst = append(dst, head...)
		next = at + 1
	} else {
		dst = append(dst, `{"reason":`...)
		dst = appendString(dst, c.Reason)
		dst = append(dst, `,"result":`...)
	}
	switch {
	case c.Result == nil:
		dst = append(dst, "null"...)
	case *c.Result:
		dst = append(dst, "true"...)
	default:
		dst = append(dst, "false"...)
	}
	if c.Explanation != "" {
		dst = append(dst, `,"explanation":`...)
		dst = appendString(dst, c.Explanation)
	}
	if len(c.Values) > 0 {
		dst = append(dst, `,"values":`...)
		dst = w.values(dst, c.Values)
	}
	if len(c.Missing) > 0 {
		dst = append(dst, `,"missing":`...)
		dst = w.missing(dst, c.Missing, false)
	}
	return append(dst, '}'), next
}

func (w jsonWriter) warning(dst []byte, wn *Warning) []byte {
	if frag := w.f.warning(wn); frag != nil {
		return append(dst, frag...)
	}
	dst = append(dst, `{"code":`...)
	dst = appendString(dst, string(wn.Code))
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, wn.Message)
	if wn.Parameter != "" {
		dst = append(dst, `,"parameter":`...)
		dst = appendString(dst, wn.Parameter)
	}
	return append(dst, '}')
}

// missing writes a list of missing facts; empty writes [] when emptyList
// (the outcome's list), else null.
func (w jsonWriter) missing(dst []byte, ms []Missing, emptyList bool) []byte {
	if ms == nil && !emptyList {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range ms {
		if i > 0 {
			dst = append(dst, ',')
		}
		m := &ms[i]
		if frag := w.f.missing(m); frag != nil {
			dst = append(dst, frag...)
			continue
		}
		if p := w.f.missingParts(m); p != nil {
			dst = append(dst, p.head...)
			if m.MemberID != "" {
				dst = append(dst, `,"member_id":`...)
				dst = appendString(dst, m.MemberID)
			}
			dst = append(dst, p.tail...)
			continue
		}
		dst = appendMissing(dst, m)
	}
	return append(dst, ']')
}

func appendMissing(dst []byte, m *Missing) []byte {
	dst = append(dst, `{"path":`...)
	dst = appendString(dst, m.Path)
	if m.MemberID != "" {
		dst = append(dst, `,"member_id":`...)
		dst = appendString(dst, m.MemberID)
	}
	dst = append(dst, `,"field":`...)
	dst = appendString(dst, m.Field)
	if m.Year != 0 {
		dst = append(dst, `,"year":`...)
		dst = strconv.AppendInt(dst, int64(m.Year), 10)
	}
	dst = append(dst, `,"label":`...)
	dst = appendString(dst, m.Label)
	return append(dst, '}')
}

func (w jsonWriter) values(dst []byte, vs []ValueUse) []byte {
	dst = append(dst, '[')
	for i, v := range vs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"name":`...)
		dst = appendString(dst, v.Name)
		if v.Description != "" {
			dst = append(dst, `,"description":`...)
			dst = appendString(dst, v.Description)
		}
		dst = append(dst, `,"value":`...)
		dst = appendAny(dst, v.Value)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

func (p *ParamUse) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"name":`...)
	dst = appendString(dst, p.Name)
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, p.Title)
	dst = append(dst, `,"value":`...)
	dst = appendAny(dst, p.Value)
	if p.Unit != "" {
		dst = append(dst, `,"unit":`...)
		dst = appendString(dst, p.Unit)
	}
	dst = append(dst, `,"from":`...)
	dst = appendDate(dst, p.From)
	if p.Until != nil {
		dst = append(dst, `,"until":`...)
		dst = appendDate(dst, *p.Until)
	}
	dst = append(dst, `,"source":`...)
	dst = appendString(dst, p.Source)
	if p.Reference != "" {
		dst = append(dst, `,"reference":`...)
		dst = appendString(dst, p.Reference)
	}
	if p.CarriedForward {
		dst = append(dst, `,"carried_forward":true`...)
	}
	if p.PastReview {
		dst = append(dst, `,"past_review":true`...)
	}
	return append(dst, '}')
}

// appendAny writes the values explanations hold: nil, bool, int64, string
// and lists and maps of those; anything else through encoding/json.
func appendAny(dst []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		if t {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case int64:
		return strconv.AppendInt(dst, t, 10)
	case string:
		return appendString(dst, t)
	case []any:
		dst = append(dst, '[')
		for i, x := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendAny(dst, x)
		}
		return append(dst, ']')
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = appendAny(dst, t[k])
		}
		return append(dst, '}')
	}
	b, err := json.Marshal(v)
	if err != nil {
		return append(dst, "null"...)
	}
	return append(dst, b...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does with
// HTML escaping off: control characters, quotes, backslashes, invalid
// UTF-8 (as U+FFFD) and U+2028/U+2029 are escaped.
func appendString(dst []byte, s string) []byte {
	if plainJSON(s) {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	return appendEscaped(dst, s)
}

// plainJSON reports whether s is written in JSON as it is, between quotes:
// valid UTF-8 without control characters, quotes, backslashes, U+2028 or
// U+2029. Most of what a screening holds is.
func plainJSON(s string) bool {
	high := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			high = true
			// U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
			if c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&0xFE == 0xA8 {
				return false
			}
			continue
		}
		if c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return !high || utf8.ValidString(s)
}

// appendDate writes a date as its JSON string, as civil.Date's
// MarshalText: YYYY-MM-DD, "" for the zero date.
func appendDate(dst []byte, d civil.Date) []byte {
	y, m, day := d.Year(), int(d.Month()), d.Day()
	if d.IsZero() || y < 0 || y > 9999 {
		return appendString(dst, d.String())
	}
	return append(dst, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		'-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10), '"')
}

// appendEscaped is appendString for a string with something to escape.
func appendEscaped(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
