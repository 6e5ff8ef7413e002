package docnode

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// jsonLines is n records shaped like `onestop synth`'s households (about
// 1.2 KB each), one per line.
func jsonLines(n int) []byte {
	var b []byte
	for i := 0; i < n; i++ {
		b = fmt.Appendf(b, `{"id":"synth-1-%d","municipality_code":"422011","situation":"divorced","applicant_role":"parent","de_facto_partner":false,"grade_area":2,"members":[{"id":"p","relation":"self","birth_date":"1970-08-21","sex":"female","disability":{"kind":"mental","grade":"2"},"lives_with":true,"resides_in_japan":true,"incomes":[{"year":2023,"salary_revenue":%d,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{}},{"year":2024,"salary_revenue":2953000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{}},{"year":2025,"salary_revenue":2894000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{"medical":96000}}]},{"id":"c1","relation":"child","birth_date":"2004-05-31","disability":{"kind":"none"},"lives_with":true,"supported":false,"in_facility":false,"resides_in_japan":true,"incomes":[]},{"id":"c2","relation":"child","birth_date":"2020-01-28","disability":{"kind":"none"},"lives_with":true,"in_facility":false,"resides_in_japan":true,"incomes":[]}],"receiving":["child-allowance","child-rearing-allowance"]}`+"\n", i, 1000*i%9000000)
	}
	return b
}

// BenchmarkStreamJSONLines is what the reading goroutine of a batch does
// for each household of a JSON Lines file: NextRaw, the record's text cut
// out, unparsed. One op is one record.
func BenchmarkStreamJSONLines(b *testing.B) {
	const n = 4096
	data := jsonLines(n)
	b.SetBytes(int64(len(data) / n))
	b.ReportAllocs()
	var s *Stream
	for b.Loop() {
		raw, err := s.next()
		if err == io.EOF {
			s = NewStream(bytes.NewReader(data))
			raw, err = s.NextRaw()
		}
		if err != nil || raw.Text == "" {
			b.Fatal(err)
		}
	}
}

func (s *Stream) next() (RawValue, error) {
	if s == nil {
		return RawValue{}, io.EOF
	}
	return s.NextRaw()
}
