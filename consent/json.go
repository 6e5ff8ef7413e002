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
	c, err := newReader(data).consent("")
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
	e, err := newReader(data).event("")
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

func decodeCategorySet(data []byte, path string) (CategorySet, error) {
	var set CategorySet
	r := newReader(data)
	err := r.array(path, func(p string) error {
		c, err := readCode(r, p, "category", ParseCategory)
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
	if json.Valid(data) {
		return nil
	}
	// Only now pay for an error with an offset.
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

// reader decodes one well-formed JSON document (precheck passed) from a
// single token stream, tracking the path for errors. Every read either
// consumes exactly one value or fails; a failure ends decoding.
type reader struct{ dec *json.Decoder }

func newReader(data []byte) *reader {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return &reader{dec: d}
}

func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "object"
		}
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "number"
}

func wrongType(path, want string, tok json.Token) error {
	got := tokenKind(tok)
	detail := fmt.Sprintf("want %s, got %s", want, got)
	if got == "null" {
		detail += " (omit the field instead of null)"
	}
	return &DecodeError{Path: path, Err: ErrWrongType, Detail: detail}
}

func (r *reader) token(path string) (json.Token, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return nil, &DecodeError{Path: path, Err: ErrSyntax, Detail: err.Error()}
	}
	return tok, nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// object reads an object, calling field for each key with the key's path;
// field must read the value and return false for a key it does not know.
// Duplicate keys are rejected.
func (r *reader) object(path string, field func(key, path string) (bool, error)) error {
	tok, err := r.token(path)
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return wrongType(path, "object", tok)
	}
	seen := make(map[string]bool)
	for r.dec.More() {
		tok, err := r.token(path)
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		p := joinPath(path, key)
		if seen[key] {
			return &DecodeError{Path: p, Err: ErrDuplicateField}
		}
		seen[key] = true
		known, err := field(key, p)
		if err != nil {
			return err
		}
		if !known {
			return &DecodeError{Path: p, Err: ErrUnknownField, Detail: fmt.Sprintf("%q is not a field here", key)}
		}
	}
	_, err = r.token(path) // '}'
	return err
}

// array reads an array, calling elem for each element with its path.
func (r *reader) array(path string, elem func(path string) error) error {
	tok, err := r.token(path)
	if err != nil {
		return err
	}
	if tok != json.Delim('[') {
		return wrongType(path, "array", tok)
	}
	for i := 0; r.dec.More(); i++ {
		if err := elem(fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	_, err = r.token(path) // ']'
	return err
}

func (r *reader) string(path string) (string, error) {
	tok, err := r.token(path)
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", wrongType(path, "string", tok)
	}
	return s, nil
}

func (r *reader) uint(path string) (uint64, error) {
	tok, err := r.token(path)
	if err != nil {
		return 0, err
	}
	n, ok := tok.(json.Number)
	if !ok {
		return 0, wrongType(path, "number", tok)
	}
	v, err := strconv.ParseUint(string(n), 10, 64)
	if err != nil {
		return 0, &DecodeError{Path: path, Err: ErrWrongType, Detail: "want a whole number ≥ 0, got " + string(n)}
	}
	return v, nil
}

func readCode[T any](r *reader, path, kind string, parse func(string) (T, error)) (T, error) {
	var zero T
	s, err := r.string(path)
	if err != nil {
		return zero, err
	}
	v, err := parse(s)
	if err != nil {
		return zero, &DecodeError{Path: path, Err: ErrUnknownCode, Detail: fmt.Sprintf("%s %q", kind, s)}
	}
	return v, nil
}

func readCodes[T any](r *reader, path, kind string, parse func(string) (T, error)) ([]T, error) {
	out := []T{}
	err := r.array(path, func(p string) error {
		x, err := readCode(r, p, kind, parse)
		out = append(out, x)
		return err
	})
	return out, err
}

// Years outside this range are rejected: they are typing errors here, and
// they keep every accepted time encodable by encoding/json.
const minYear, maxYear = 1900, 2999

// time reads an RFC 3339 timestamp or a date in Japan; a date alone is the
// start of that day, or with end set the start of the next day.
func (r *reader) time(path string, end bool) (time.Time, error) {
	s, err := r.string(path)
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

func (r *reader) consent(path string) (Consent, error) {
	var c Consent
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "id":
			c.ID, err = r.string(p)
		case "subject":
			c.Subject, err = r.string(p)
		case "grantor":
			c.Grantor, err = r.grantor(p)
		case "manager":
			c.Manager, err = r.string(p)
		case "given_at":
			c.GivenAt, err = r.time(p, false)
		case "period":
			c.Period, err = r.period(p)
		case "notice":
			c.Notice, err = r.notice(p)
		case "evidence":
			c.Evidence, err = r.evidence(p)
		case "provisions":
			c.Provisions, err = r.provisions(p, false)
		default:
			return false, nil
		}
		return true, err
	})
	return c, err
}

func (r *reader) grantor(path string) (Grantor, error) {
	var g Grantor
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "person":
			g.Person, err = r.string(p)
		case "capacity":
			g.Capacity, err = readCode(r, p, "capacity", ParseCapacity)
		case "basis":
			g.Basis, err = r.string(p)
		default:
			return false, nil
		}
		return true, err
	})
	return g, err
}

func (r *reader) period(path string) (Period, error) {
	var pd Period
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "start":
			pd.Start, err = r.time(p, false)
		case "end":
			pd.End, err = r.time(p, true)
		default:
			return false, nil
		}
		return true, err
	})
	return pd, err
}

func (r *reader) notice(path string) (Notice, error) {
	var n Notice
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "version":
			n.Version, err = r.string(p)
		case "text_hash":
			n.TextHash, err = r.string(p)
		case "language":
			n.Language, err = r.string(p)
		case "shown_at":
			n.ShownAt, err = r.time(p, false)
		default:
			return false, nil
		}
		return true, err
	})
	return n, err
}

func (r *reader) evidence(path string) (Evidence, error) {
	var e Evidence
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "channel":
			e.Channel, err = readCode(r, p, "channel", ParseChannel)
		case "ref":
			e.Ref, err = r.string(p)
		case "witness":
			e.Witness, err = r.string(p)
		case "recorded_by":
			e.RecordedBy, err = r.string(p)
		default:
			return false, nil
		}
		return true, err
	})
	return e, err
}

func (r *reader) provisions(path string, exception bool) ([]Provision, error) {
	out := []Provision{}
	err := r.array(path, func(p string) error {
		pr, err := r.provision(p, exception)
		out = append(out, pr)
		return err
	})
	return out, err
}

func (r *reader) provision(path string, exception bool) (Provision, error) {
	var pr Provision
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "id":
			pr.ID, err = r.string(p)
		case "period":
			pr.Period, err = r.period(p)
		case "recipients":
			pr.Recipients = []Recipient{}
			err = r.array(p, func(p string) error {
				rc, err := r.recipient(p)
				pr.Recipients = append(pr.Recipients, rc)
				return err
			})
		case "purposes":
			pr.Purposes, err = readCodes(r, p, "purpose", ParsePurpose)
		case "actions":
			pr.Actions, err = readCodes(r, p, "action", ParseAction)
		case "categories":
			pr.Categories, err = readCodes(r, p, "category", ParseCategory)
		case "exceptions":
			if exception {
				return true, &DecodeError{Path: p, Err: ErrUnknownField,
					Detail: "an exception cannot have exceptions of its own (one level only)"}
			}
			pr.Exceptions, err = r.provisions(p, true)
		default:
			return false, nil
		}
		return true, err
	})
	return pr, err
}

func (r *reader) recipient(path string) (Recipient, error) {
	var rc Recipient
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "kind":
			rc.Kind, err = readCode(r, p, "recipient kind", ParseRecipientKind)
		case "code":
			rc.Code, err = r.string(p)
		case "name":
			rc.Name, err = r.string(p)
		default:
			return false, nil
		}
		return true, err
	})
	return rc, err
}

func (r *reader) event(path string) (Event, error) {
	var e Event
	err := r.object(path, func(k, p string) (bool, error) {
		var err error
		switch k {
		case "seq":
			e.Seq, err = r.uint(p)
		case "consent_id":
			e.ConsentID, err = r.string(p)
		case "type":
			e.Type, err = readCode(r, p, "event type", ParseEventType)
		case "at":
			e.At, err = r.time(p, false)
		case "effective_at":
			e.EffectiveAt, err = r.time(p, false)
		case "by":
			e.By, err = r.string(p)
		case "reason":
			e.Reason, err = r.string(p)
		case "evidence":
			var ev Evidence
			ev, err = r.evidence(p)
			e.Evidence = &ev
		case "consent":
			var c Consent
			c, err = r.consent(p)
			e.Consent = &c
		case "period":
			var pd Period
			pd, err = r.period(p)
			e.Period = &pd
		case "notice":
			var n Notice
			n, err = r.notice(p)
			e.Notice = &n
		case "corrects":
			e.Corrects, err = r.uint(p)
		default:
			return false, nil
		}
		return true, err
	})
	return e, err
}
