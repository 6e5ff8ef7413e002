package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/onestop-jp/onestop/civil"

	"github.com/stretchr/testify/require"
)

// marshalStd is the reference: encoding/json without HTML escaping.
func marshalStd(t testing.TB, v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	households := []string{
		benchHousehold,
		parent(`{"year":2023,"business_income":1840000,"other_income":0,"child_support_received":0}`, "2015-05-01"),
		`{"id":"\"quoted\" <tag> & \u2028","situation":"married","members":[{"relation":"self"},{"relation":"child","birth_date":"2015-05-01"}]}`,
		`{"members":[{"relation":"self"}]}`,
	}
	for _, dirs := range [][]string{{"testdata/samplepack"}, {"testdata/samplepack", "testdata/samplelocal"}} {
		e := loadSample(t, dirs...)
		for _, js := range households {
			for _, opts := range [][]ScreenOption{nil, {WithExplanations()}} {
				for _, at := range []civil.Date{d("2025-06-01"), d("2026-10-01")} {
					s, err := e.Screen(context.Background(), household(t, js), at, opts...)
					require.NoError(t, err)
					require.Equal(t, string(marshalStd(t, s)), string(s.AppendJSON(nil)))
				}
			}
		}
	}
	// A run-time error on an outcome.
	body := "    values:\n      - name: n\n        expr: household.count('child')\n    conditions:\n      - reason: r\n        expr: params.limit / n > 10\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2025-06-01"), WithExplanations())
	require.NoError(t, err)
	require.NotNil(t, s.Results[0].Error)
	require.Equal(t, string(marshalStd(t, s)), string(s.AppendJSON(nil)))
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "児童扶養手当", "\x00\x1f\"\\", "\xff\xfe", "\u2028\u2029<>&", "\t\n\r\b\f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString(nil, s)
		if want := marshalStd(t, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, encoding/json = %s", s, got, want)
		}
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	e := loadSample(b, "testdata/samplepack")
	s, err := e.Screen(context.Background(), household(b, benchHousehold), d("2025-06-01"))
	require.NoError(b, err)
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = s.AppendJSON(buf[:0])
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(s)
		}
	})
}
