package casefile_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/onestop-jp/onestop/casefile"
)

var birthDateValue = regexp.MustCompile(`"birth_date"\s*:\s*"([^"\\]{4,})"`)

// FuzzPersonJSON: a person decoded from outside JSON (a form, another
// system) either decodes or fails with an error that never repeats the
// birth date (privacy probe F12); a bad date is a *ValidationError on
// birth_date.
func FuzzPersonJSON(f *testing.F) {
	f.Add([]byte(`{"name":{"family":"山田","given":"花子"},"birth_date":"1990-05-01","address":{"city":"千代田区"}}`))
	f.Add([]byte(`{"name":{"family":"山田"},"birth_date":"1990-02-31"}`))
	f.Add([]byte(`{"name":{"family":"山田"},"birth_date":"平成2年2月3日"}`))
	f.Add([]byte(`{"external_ids":[{"system":"atena","value":"0012345"}],"incomes":[{"year":2025,"kind":"salary_revenue","amount":"x"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p casefile.Person
		err := json.Unmarshal(b, &p)
		if err == nil {
			return
		}
		if m := birthDateValue.FindSubmatchIndex(b); m != nil {
			date := string(b[m[2]:m[3]])
			// The same input with the date replaced by a sentinel tells the
			// message's own text (生年月日 …) from a repeated value: short
			// dates can be fragments of the message itself.
			sentinel := append(append(append([]byte{}, b[:m[2]]...), "QQQQ"...), b[m[3]:]...)
			var q casefile.Person
			qerr := json.Unmarshal(sentinel, &q)
			if strings.Contains(err.Error(), date) && (qerr == nil || !strings.Contains(qerr.Error(), date)) {
				t.Fatalf("error repeats the birth date %q: %v", date, err)
			}
		}
		var ve *casefile.ValidationError
		if errors.As(err, &ve) && (len(ve.Problems) != 1 || ve.Problems[0].Field != "birth_date") {
			t.Fatalf("unexpected validation error %v", err)
		}
	})
}
