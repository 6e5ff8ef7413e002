package eligibility

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the screening's JSON form (the screening contract,
// the same document json.Marshal writes, without HTML escaping) to dst. It
// does not use reflection: the CLI writes one line per household with it.
func (s *Screening) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"household_id":`...)
	dst = appendString(dst, s.HouseholdID)
	dst = append(dst, `,"as_of":`...)
	dst = appendString(dst, s.AsOf.String())
	dst = append(dst, `,"pack":{"id":`...)
	dst = appendString(dst, s.Pack.ID)
	dst = append(dst, `,"version":`...)
	dst = appendString(dst, s.Pack.Version)
	if len(s.Pack.Layers) > 0 {
		dst = append(dst, `,"layers":[`...)
		for i, l := range s.Pack.Layers {
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
	dst = append(dst, `},"results":`...)
	if s.Results == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range s.Results {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = s.Results[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func (o *Outcome) appendJSON(dst []byte) []byte {
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
	for i := range o.Conditions {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = o.Conditions[i].appendJSON(dst)
	}
	dst = append(dst, `],"missing":`...)
	dst = appendMissing(dst, o.Missing, true)
	dst = append(dst, `,"warnings":[`...)
	for i, w := range o.Warnings {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"code":`...)
		dst = appendString(dst, string(w.Code))
		dst = append(dst, `,"message":`...)
		dst = appendString(dst, w.Message)
		if w.Parameter != "" {
			dst = append(dst, `,"parameter":`...)
			dst = appendString(dst, w.Parameter)
		}
		dst = append(dst, '}')
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
		dst = appendValues(dst, o.Values)
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

func (c *ConditionResult) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"reason":`...)
	dst = appendString(dst, c.Reason)
	dst = append(dst, `,"result":`...)
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
		dst = appendValues(dst, c.Values)
	}
	if len(c.Missing) > 0 {
		dst = append(dst, `,"missing":`...)
		dst = appendMissing(dst, c.Missing, false)
	}
	return append(dst, '}')
}

// appendMissing writes a list of missing facts; empty writes [] when
// emptyList (the outcome's list), else null.
func appendMissing(dst []byte, ms []Missing, emptyList bool) []byte {
	if ms == nil && !emptyList {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, m := range ms {
		if i > 0 {
			dst = append(dst, ',')
		}
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
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

func appendValues(dst []byte, vs []ValueUse) []byte {
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
	dst = appendString(dst, p.From.String())
	if p.Until != nil {
		dst = append(dst, `,"until":`...)
		dst = appendString(dst, p.Until.String())
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
