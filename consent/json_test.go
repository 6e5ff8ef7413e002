package consent

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleConsentJSON(t testing.TB) []byte {
	b, err := os.ReadFile("testdata/consent.json")
	require.NoError(t, err)
	return b
}

func TestDecodeConsentSample(t *testing.T) {
	c, err := DecodeConsent(sampleConsentJSON(t))
	require.NoError(t, err)
	assert.Equal(t, "c-2025-0001", c.ID)
	assert.Equal(t, CapacitySelf, c.Grantor.Capacity)
	require.Len(t, c.Provisions, 3)
	assert.Equal(t, []Category{CategoryAny}, c.Provisions[0].Categories)
	assert.Equal(t, []Purpose{PurposeConsultation, PurposeSharing}, c.Provisions[0].Purposes)
	require.Len(t, c.Provisions[0].Exceptions, 1)
	assert.Equal(t, []Category{CategoryConsultation}, c.Provisions[0].Exceptions[0].Categories)
	// Dates alone are days in Japan; an end date is inclusive.
	assert.True(t, c.Period.Start.Equal(time.Date(2025, 4, 1, 0, 0, 0, 0, jst)))
	assert.True(t, c.Period.End.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, jst)))
	assert.True(t, c.Period.Contains(time.Date(2026, 3, 31, 23, 59, 59, 0, jst)))
	assert.False(t, c.Period.Contains(time.Date(2026, 4, 1, 0, 0, 0, 0, jst)))

	// Round trip: encode, decode, encode again gives the same bytes.
	b1, err := json.Marshal(c)
	require.NoError(t, err)
	c2, err := DecodeConsent(b1)
	require.NoError(t, err)
	b2, err := json.Marshal(c2)
	require.NoError(t, err)
	assert.JSONEq(t, string(b1), string(b2))
	assert.Equal(t, string(b1), string(b2))

	// json.Unmarshal is just as strict.
	var viaStd Consent
	require.NoError(t, json.Unmarshal(sampleConsentJSON(t), &viaStd))
	assert.Equal(t, c.ID, viaStd.ID)
	err = json.Unmarshal([]byte(strings.Replace(string(sampleConsentJSON(t)), `"manager"`, `"Manager"`, 1)), &viaStd)
	assert.ErrorIs(t, err, ErrUnknownField, "keys are case-sensitive")
}

func TestDecodeConsentErrors(t *testing.T) {
	sample := string(sampleConsentJSON(t))
	replace := func(old, new string) string {
		require.Contains(t, sample, old)
		return strings.Replace(sample, old, new, 1)
	}
	tests := []struct {
		name string
		in   string
		want error
		path string
	}{
		{"unknown top-level key", replace(`"manager"`, `"managr"`), ErrUnknownField, "managr"},
		{"unknown nested key", replace(`"capacity": "self"`, `"capacity": "self", "age": 30`), ErrUnknownField, "grantor.age"},
		{"duplicate key", replace(`"subject": "p-mother",`, `"subject": "p-mother", "subject": "p-other",`), ErrDuplicateField, "subject"},
		{"string for object", replace(`"grantor": {"person": "p-mother", "capacity": "self"}`, `"grantor": "p-mother"`), ErrWrongType, "grantor"},
		{"number for string", replace(`"id": "c-2025-0001"`, `"id": 2025`), ErrWrongType, "id"},
		{"null", replace(`"id": "c-2025-0001"`, `"id": null`), ErrWrongType, "id"},
		{"object for array", replace(`"purposes": ["notification"]`, `"purposes": {"notification": true}`), ErrWrongType, "provisions[2].purposes"},
		{"bool in code list", replace(`"actions": ["notify"]`, `"actions": [true]`), ErrWrongType, "provisions[2].actions[0]"},
		{"unknown purpose", replace(`"purposes": ["notification"]`, `"purposes": ["marketing"]`), ErrUnknownCode, "provisions[2].purposes[0]"},
		{"unknown category", replace(`"categories": ["health_disability"]`, `"categories": ["health"]`), ErrUnknownCode, "provisions[1].categories[0]"},
		{"unknown channel", replace(`"channel": "paper"`, `"channel": "fax"`), ErrUnknownCode, "evidence.channel"},
		{"bad date", replace(`"start": "2025-04-01", "end": "2026-03-31"`, `"start": "2025-04-01", "end": "2026-02-30"`), ErrBadTime, "period.end"},
		{"bad timestamp", replace(`"given_at": "2025-04-01T10:00:00+09:00"`, `"given_at": "2025-04-01 10:00"`), ErrBadTime, "given_at"},
		{"timestamp without zone", replace(`"given_at": "2025-04-01T10:00:00+09:00"`, `"given_at": "2025-04-01T10:00:00"`), ErrBadTime, "given_at"},
		{"和暦 is not a JSON date", replace(`"given_at": "2025-04-01T10:00:00+09:00"`, `"given_at": "令和7年4月1日"`), ErrBadTime, "given_at"},
		{"year out of range", replace(`"given_at": "2025-04-01T10:00:00+09:00"`, `"given_at": "0001-04-01T10:00:00+09:00"`), ErrBadTime, "given_at"},
		{"nested exceptions", replace(`"categories": ["consultation"]}`, `"categories": ["consultation"], "exceptions": []}`), ErrUnknownField, "provisions[0].exceptions[0].exceptions"},
		{"syntax", sample[:len(sample)-3], ErrSyntax, ""},
		{"trailing data", sample + "{}", ErrSyntax, ""},
		{"not an object", `["c-1"]`, ErrWrongType, ""},
		{"empty", ``, ErrSyntax, ""},
		{"invalid UTF-8", replace(`"p-mother"`, "\"p-\xff\""), ErrSyntax, ""},
		{"too large", `{"id":"` + strings.Repeat("x", MaxJSONSize) + `"}`, ErrTooLarge, ""},
		{"valid JSON, invalid consent", replace(`"channel": "paper", "ref": "DOC-2025-0001"`, `"channel": "verbal"`), ErrInvalid, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := DecodeConsent([]byte(tc.in))
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "got %v, want %v", err, tc.want)
			assert.Equal(t, Consent{}, c, "nothing half-decoded is returned")
			if tc.want == ErrInvalid {
				var ve *ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "evidence.witness", ve.Problems[0].Path)
				return
			}
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, tc.path, de.Path)
			assert.Contains(t, de.Error(), "consent: JSON")
		})
	}
}

func TestDecodeErrorMessages(t *testing.T) {
	_, err := DecodeConsent([]byte(`{"id": null}`))
	assert.EqualError(t, err, "consent: JSON id: wrong JSON type: want string, got null (omit the field instead of null)")
	_, err = DecodeConsent([]byte(`{"id": "x",}`))
	assert.Contains(t, err.Error(), "consent: JSON offset 12: malformed JSON")
	_, err = DecodeConsent([]byte(`{"provisions": [{"purposes": ["x"]}]}`))
	assert.EqualError(t, err, `consent: JSON provisions[0].purposes[0]: unknown code: purpose "x"`)
}

func TestDecodeEvent(t *testing.T) {
	b, err := os.ReadFile("testdata/event_withdrawn.json")
	require.NoError(t, err)
	e, err := DecodeEvent(b)
	require.NoError(t, err)
	assert.Equal(t, EventWithdrawn, e.Type)
	assert.Equal(t, uint64(2), e.Seq)
	require.NotNil(t, e.Evidence)
	assert.Equal(t, ChannelLINE, e.Evidence.Channel)
	assert.True(t, e.EffectiveAt.Before(e.At), "a late-recorded withdrawal")

	// A given event carries the whole consent.
	given := `{"consent_id":"c-2025-0001","type":"given","at":"2025-04-01T10:00:00+09:00","effective_at":"2025-04-01T10:00:00+09:00",` +
		`"by":"staff-a","evidence":{"channel":"paper","ref":"DOC-2025-0001","recorded_by":"staff-a"},"consent":` + string(sampleConsentJSON(t)) + `}`
	e, err = DecodeEvent([]byte(given))
	require.NoError(t, err)
	require.NotNil(t, e.Consent)
	assert.Len(t, e.Consent.Provisions, 3)

	// Events survive a store round trip through Log.Events and json.
	l := NewLog()
	_, err = l.Append(e)
	require.NoError(t, err)
	raw, err := json.Marshal(l.Events())
	require.NoError(t, err)
	var back []Event
	require.NoError(t, json.Unmarshal(raw, &back))
	l2, err := Replay(back)
	require.NoError(t, err)
	assert.Equal(t, 1, l2.Len())

	tests := []struct {
		name string
		in   string
		want error
		path string
	}{
		{"negative seq", `{"seq": -1}`, ErrWrongType, "seq"},
		{"fractional seq", `{"seq": 1.5}`, ErrWrongType, "seq"},
		{"string seq", `{"seq": "1"}`, ErrWrongType, "seq"},
		{"unknown type", `{"type": "revoked"}`, ErrUnknownCode, "type"},
		{"bad nested consent", `{"consent": {"idd": "x"}}`, ErrUnknownField, "consent.idd"},
		{"unknown key", `{"note": "x"}`, ErrUnknownField, "note"},
		{"semantic", `{"consent_id": "c", "type": "withdrawn", "at": "2025-04-01", "effective_at": "2025-04-01", "by": "s"}`, ErrInvalid, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeEvent([]byte(tc.in))
			assert.True(t, errors.Is(err, tc.want), "got %v", err)
			var de *DecodeError
			if errors.As(err, &de) {
				assert.Equal(t, tc.path, de.Path)
			}
		})
	}
}
