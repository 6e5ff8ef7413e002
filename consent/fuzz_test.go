package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// isTypedDecodeError reports whether err is one of the documented error
// types of DecodeConsent / DecodeEvent.
func isTypedDecodeError(err error) bool {
	var de *DecodeError
	var ve *ValidationError
	return errors.As(err, &de) || errors.As(err, &ve)
}

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{``, `{}`, `null`, `[]`, `{"id":1}`, `{"id":"a","id":"b"}`,
		`{"period":{"start":"2025-02-30"}}`, `{"provisions":[{"exceptions":[{"exceptions":[]}]}]}`,
		`{"given_at":"9999-12-31T23:59:59+23:59"}`, `{"period":{"start":"2025-04-01","end":"2999-12-31"}}`} {
		f.Add([]byte(s))
	}
}

// FuzzDecodeConsent: decoding never panics, rejects with a typed error, and
// whatever it accepts encodes and decodes back to the same JSON.
func FuzzDecodeConsent(f *testing.F) {
	addSeeds(f, "consent.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeConsent(data)
		if err != nil {
			if !isTypedDecodeError(err) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("decoded consent does not validate: %v", err)
		}
		b1, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("accepted consent does not encode: %v", err)
		}
		c2, err := DecodeConsent(b1)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b1, err)
		}
		b2, err := json.Marshal(c2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("round trip changed the consent:\n%s\n%s", b1, b2)
		}
		// An accepted consent must be usable end to end.
		ev := givenEvent(c)
		if _, err := NewLog().Append(ev); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("append: %v", err)
		}
	})
}

// FuzzDecodeEvent: as FuzzDecodeConsent, for events.
func FuzzDecodeEvent(f *testing.F) {
	addSeeds(f, "event_withdrawn.json", "consent.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEvent(data)
		if err != nil {
			if !isTypedDecodeError(err) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		b1, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("accepted event does not encode: %v", err)
		}
		e2, err := DecodeEvent(b1)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b1, err)
		}
		b2, _ := json.Marshal(e2)
		if !bytes.Equal(b1, b2) {
			t.Fatalf("round trip changed the event:\n%s\n%s", b1, b2)
		}
	})
}

// FuzzCategorySetJSON: a category set decodes strictly and round-trips.
func FuzzCategorySetJSON(f *testing.F) {
	for _, s := range []string{`[]`, `["identity","contact"]`, `["*"]`, `["my_number"]`, `[1]`, `null`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s CategorySet
		if err := s.UnmarshalJSON(data); err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if s&^allCategoryBits != 0 {
			t.Fatalf("set has stray bits: %b", s)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back CategorySet
		if err := back.UnmarshalJSON(b); err != nil || back != s {
			t.Fatalf("round trip: %v %v %v", s, back, err)
		}
	})
}
