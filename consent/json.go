package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// MaxJSONSize is the largest JSON document DecodeConsent and DecodeEvent
// accept.
const MaxJSONSize = 1 << 20

// Sentinel errors wrapped by *DecodeError (besides ErrUnknownCode for a
// code that is not in its table).
var (
	ErrSyntax         = errors.New("malformed JSON")
	ErrTooLarge       = errors.New("JSON document too large")
	ErrUnknownField   = errors.New("unknown field")
	ErrDuplicateField = errors.New("duplicate field")
	ErrWrongType      = errors.New("wrong JSON type")
	ErrBadTime        = errors.New("bad date or time")
)

// DecodeError reports why a JSON document was rejected and where: Path is
// a JSON-style path ("provisions[0].categories[2]"), Offset the byte offset
// of a syntax error. It wraps one of ErrSyntax, ErrTooLarge,
// ErrUnknownField, ErrDuplicateField, ErrWrongType, ErrBadTime or
// ErrUnknownCode.
type DecodeError struct {
	Path   string
	Offset int64
	Err    error
	Detail string
}

func (e *DecodeError) Error() string {
	where := e.Path
	if where == "" {
		where = "document"
	}
	if e.Err == ErrSyntax {
		where = fmt.Sprintf("offset %d", e.Offset)
	}
	if e.Detail == "" {
		return fmt.Sprintf("consent: JSON %s: %v", where, e.Err)
	}
	return fmt.Sprintf("consent: JSON %s: %v: %s", where, e.Err, e.Detail)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// DecodeConsent decodes a Consent from JSON strictly and validates it:
// unknown or duplicate keys, wrong JSON types (null included: omit a field
// instead), bad dates and unknown codes are *DecodeError; a consent that
// breaks the model's rules is a *ValidationError. Keys are matched exactly
// (case-sensitive). Times are RFC 3339 or, as a day in Japan, YYYY-MM-DD
// (see Period).
func DecodeConsent(data []byte) (Consent, error) {
	if err := precheck(data); err != nil {
		return Consent{}, err
	}
	c, err := decodeConsent(data, "")
	if err != nil {
		return Consent{}, err
	}
	if err := c.Validate(); err != nil {
		return Consent{}, err
	}
	return c, nil
}

// DecodeEvent decodes and validates an Event from JSON, as strictly as
// DecodeConsent.
func DecodeEvent(data []byte) (Event, error) {
	if err := precheck(data); err != nil {
		return Event{}, err
	}
	e, err := decodeEvent(data, "")
	if err != nil {
		return Event{}, err
	}
	if err := e.Validate(); err != nil {
		return Event{}, err
	}
	return e, nil
}

// UnmarshalJSON makes json.Unmarshal as strict as DecodeConsent.
func (c *Consent) UnmarshalJSON(data []byte) error {
	v, err := DecodeConsent(data)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// UnmarshalJSON makes json.Unmarshal as strict as DecodeEvent.
func (e *Event) UnmarshalJSON(data []byte) error {
	v, err := DecodeEvent(data)
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// MarshalJSON encodes the set as an array of codes in code-table order.
func (s CategorySet) MarshalJSON() ([]byte, error) {
	codes := make([]string, 0, s.Len())
	for _, c := range s.List() {
		codes = append(codes, c.String())
	}
	return json.Marshal(codes)
}

// UnmarshalJSON decodes an array of category codes strictly ("*" is not a
// member of a set; name the categories).
func (s *CategorySet) UnmarshalJSON(data []byte) error {
	if err := precheck(data); err != nil {
		return err
	}
	v, err := decodeCategorySet(data, "")
	if err != nil {
		return err
	}
	*s = v
	return nil
}

func decodeCategorySet(raw []byte, path string) (CategorySet, error) {
	var set CategorySet
	err := decodeArray(raw, path, func(v []byte, p string) error {
		c, err := decodeCode(v, p, "category", ParseCategory)
		if err != nil {
			return err
		}
		if c == CategoryAny {
			return &DecodeError{Path: p, Err: ErrUnknownCode, Detail: `"*" is not allowed in a category set`}
		}
		set = set.With(c)
		return nil
	})
	return set, err
}

// precheck rejects oversized, non-UTF-8 and syntactically broken input
// before any decoding, so that later steps see well-formed JSON only.
func precheck(data []byte) error {
	if len(data) > MaxJSONSize {
		return &DecodeError{Err: ErrTooLarge, Detail: fmt.Sprintf("%d bytes, limit %d", len(data), MaxJSONSize)}
	}
	if !utf8.Valid(data) {
		return &DecodeError{Err: ErrSyntax, Detail: "not valid UTF-8"}
	}
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return &DecodeError{Err: ErrSyntax, Offset: se.Offset, Detail: se.Error()}
		}
		return &DecodeError{Err: ErrSyntax, Detail: err.Error()}
	}
	return nil
}

func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func wrongType(path, want string, raw []byte) error {
	got := jsonKind(raw)
	detail := fmt.Sprintf("want %s, got %s", want, got)
	if got == "null" {
		detail += " (omit the field instead of null)"
	}
	return &DecodeError{Path: path, Err: ErrWrongType, Detail: detail}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decodeObject walks a JSON object, rejecting duplicate keys and keys field
// does not know (field returns false).
func decodeObject(raw []byte, path string, field func(key string, val []byte, path string) (bool, error)) error {
	if jsonKind(raw) != "object" {
		return wrongType(path, "object", raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return &DecodeError{Path: path, Err: ErrSyntax, Detail: err.Error()}
	}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return &DecodeError{Path: path, Err: ErrSyntax, Detail: err.Error()}
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return &DecodeError{Path: path, Err: ErrSyntax, Detail: err.Error()}
		}
		p := joinPath(path, key)
		if seen[key] {
			return &DecodeError{Path: p, Err: ErrDuplicateField}
		}
		seen[key] = true
		known, err := field(key, val, p)
		if err != nil {
			return err
		}
		if !known {
			return &DecodeError{Path: p, Err: ErrUnknownField, Detail: fmt.Sprintf("%q is not a field here", key)}
		}
	}
	return nil
}

func decodeArray(raw []byte, path string, elem func(val []byte, path string) error) error {
	if jsonKind(raw) != "array" {
		return wrongType(path, "array", raw)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return &DecodeError{Path: path, Err: ErrSyntax, Detail: err.Error()}
	}
	for i, it := range items {
		if err := elem(it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func decodeString(raw []byte, path string) (string, error) {
	if jsonKind(raw) != "string" {
		return "", wrongType(path, "string", raw)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", &DecodeError{Path: path, Err: ErrSyntax, Detail: err.Error()}
	}
	return s, nil
}

func decodeUint(raw []byte, path string) (uint64, error) {
	if jsonKind(raw) != "number" {
		return 0, wrongType(path, "number", raw)
	}
	n, err := strconv.ParseUint(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return 0, &DecodeError{Path: path, Err: ErrWrongType, Detail: "want a whole number ≥ 0"}
	}
	return n, nil
}

func decodeCode[T any](raw []byte, path, kind string, parse func(string) (T, error)) (T, error) {
	var zero T
	s, err := decodeString(raw, path)
	if err != nil {
		return zero, err
	}
	v, err := parse(s)
	if err != nil {
		return zero, &DecodeError{Path: path, Err: ErrUnknownCode, Detail: fmt.Sprintf("%s %q", kind, s)}
	}
	return v, nil
}

func decodeCodes[T any](raw []byte, path, kind string, parse func(string) (T, error)) ([]T, error) {
	out := []T{}
	err := decodeArray(raw, path, func(v []byte, p string) error {
		x, err := decodeCode(v, p, kind, parse)
		out = append(out, x)
		return err
	})
	return out, err
}

// Years outside this range are rejected: they are typing errors here, and
// they keep every accepted time encodable by encoding/json.
const minYear, maxYear = 1900, 2999

// decodeTime reads an RFC 3339 timestamp or a date in Japan; a date alone
// is the start of that day, or with end set the start of the next day.
func decodeTime(raw []byte, path string, end bool) (time.Time, error) {
	s, err := decodeString(raw, path)
	if err != nil {
		return time.Time{}, err
	}
	var t time.Time
	if len(s) == len("2006-01-02") {
		t, err = time.ParseInLocation("2006-01-02", s, jst)
		if err == nil && end {
			t = t.AddDate(0, 0, 1)
		}
	} else {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return time.Time{}, &DecodeError{Path: path, Err: ErrBadTime,
			Detail: fmt.Sprintf("%q: want RFC 3339 (2025-04-01T10:00:00+09:00) or a date (2025-04-01)", s)}
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, &DecodeError{Path: path, Err: ErrBadTime,
			Detail: fmt.Sprintf("%q: year outside %d–%d", s, minYear, maxYear)}
	}
	return t, nil
}

func decodeConsent(raw []byte, path string) (Consent, error) {
	var c Consent
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "id":
			c.ID, err = decodeString(v, p)
		case "subject":
			c.Subject, err = decodeString(v, p)
		case "grantor":
			c.Grantor, err = decodeGrantor(v, p)
		case "manager":
			c.Manager, err = decodeString(v, p)
		case "given_at":
			c.GivenAt, err = decodeTime(v, p, false)
		case "period":
			c.Period, err = decodePeriod(v, p)
		case "notice":
			c.Notice, err = decodeNotice(v, p)
		case "evidence":
			c.Evidence, err = decodeEvidence(v, p)
		case "provisions":
			c.Provisions, err = decodeProvisions(v, p, false)
		default:
			return false, nil
		}
		return true, err
	})
	return c, err
}

func decodeGrantor(raw []byte, path string) (Grantor, error) {
	var g Grantor
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "person":
			g.Person, err = decodeString(v, p)
		case "capacity":
			g.Capacity, err = decodeCode(v, p, "capacity", ParseCapacity)
		case "basis":
			g.Basis, err = decodeString(v, p)
		default:
			return false, nil
		}
		return true, err
	})
	return g, err
}

func decodePeriod(raw []byte, path string) (Period, error) {
	var pd Period
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "start":
			pd.Start, err = decodeTime(v, p, false)
		case "end":
			pd.End, err = decodeTime(v, p, true)
		default:
			return false, nil
		}
		return true, err
	})
	return pd, err
}

func decodeNotice(raw []byte, path string) (Notice, error) {
	var n Notice
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "version":
			n.Version, err = decodeString(v, p)
		case "text_hash":
			n.TextHash, err = decodeString(v, p)
		case "language":
			n.Language, err = decodeString(v, p)
		case "shown_at":
			n.ShownAt, err = decodeTime(v, p, false)
		default:
			return false, nil
		}
		return true, err
	})
	return n, err
}

func decodeEvidence(raw []byte, path string) (Evidence, error) {
	var e Evidence
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "channel":
			e.Channel, err = decodeCode(v, p, "channel", ParseChannel)
		case "ref":
			e.Ref, err = decodeString(v, p)
		case "witness":
			e.Witness, err = decodeString(v, p)
		case "recorded_by":
			e.RecordedBy, err = decodeString(v, p)
		default:
			return false, nil
		}
		return true, err
	})
	return e, err
}

func decodeProvisions(raw []byte, path string, exception bool) ([]Provision, error) {
	out := []Provision{}
	err := decodeArray(raw, path, func(v []byte, p string) error {
		pr, err := decodeProvision(v, p, exception)
		out = append(out, pr)
		return err
	})
	return out, err
}

func decodeProvision(raw []byte, path string, exception bool) (Provision, error) {
	var pr Provision
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "id":
			pr.ID, err = decodeString(v, p)
		case "period":
			pr.Period, err = decodePeriod(v, p)
		case "recipients":
			pr.Recipients = []Recipient{}
			err = decodeArray(v, p, func(v []byte, p string) error {
				r, err := decodeRecipient(v, p)
				pr.Recipients = append(pr.Recipients, r)
				return err
			})
		case "purposes":
			pr.Purposes, err = decodeCodes(v, p, "purpose", ParsePurpose)
		case "actions":
			pr.Actions, err = decodeCodes(v, p, "action", ParseAction)
		case "categories":
			pr.Categories, err = decodeCodes(v, p, "category", ParseCategory)
		case "exceptions":
			if exception {
				return true, &DecodeError{Path: p, Err: ErrUnknownField,
					Detail: "an exception cannot have exceptions of its own (one level only)"}
			}
			pr.Exceptions, err = decodeProvisions(v, p, true)
		default:
			return false, nil
		}
		return true, err
	})
	return pr, err
}

func decodeRecipient(raw []byte, path string) (Recipient, error) {
	var r Recipient
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "kind":
			r.Kind, err = decodeCode(v, p, "recipient kind", ParseRecipientKind)
		case "code":
			r.Code, err = decodeString(v, p)
		case "name":
			r.Name, err = decodeString(v, p)
		default:
			return false, nil
		}
		return true, err
	})
	return r, err
}

func decodeEvent(raw []byte, path string) (Event, error) {
	var e Event
	err := decodeObject(raw, path, func(k string, v []byte, p string) (bool, error) {
		var err error
		switch k {
		case "seq":
			e.Seq, err = decodeUint(v, p)
		case "consent_id":
			e.ConsentID, err = decodeString(v, p)
		case "type":
			e.Type, err = decodeCode(v, p, "event type", ParseEventType)
		case "at":
			e.At, err = decodeTime(v, p, false)
		case "effective_at":
			e.EffectiveAt, err = decodeTime(v, p, false)
		case "by":
			e.By, err = decodeString(v, p)
		case "reason":
			e.Reason, err = decodeString(v, p)
		case "evidence":
			var ev Evidence
			ev, err = decodeEvidence(v, p)
			e.Evidence = &ev
		case "consent":
			var c Consent
			c, err = decodeConsent(v, p)
			e.Consent = &c
		case "period":
			var pd Period
			pd, err = decodePeriod(v, p)
			e.Period = &pd
		case "notice":
			var n Notice
			n, err = decodeNotice(v, p)
			e.Notice = &n
		case "corrects":
			e.Corrects, err = decodeUint(v, p)
		default:
			return false, nil
		}
		return true, err
	})
	return e, err
}
