package eligibility

import "github.com/onestop-jp/onestop/civil"

// d parses a date written in a test.
func d(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}
