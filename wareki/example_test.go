package wareki_test

import (
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/wareki"
)

func ExampleParse() {
	for _, s := range []string{"令和7年4月1日", "R07/04/01", "平成31年4月30日", "令和元年5月1日", "２０２５年４月１日"} {
		d, err := wareki.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, "=", d)
	}
	// Output:
	// 令和7年4月1日 = 2025-04-01
	// R07/04/01 = 2025-04-01
	// 平成31年4月30日 = 2019-04-30
	// 令和元年5月1日 = 2019-05-01
	// ２０２５年４月１日 = 2025-04-01
}

func ExampleParse_error() {
	_, err := wareki.Parse("平成31年5月1日")
	fmt.Println(errors.Is(err, wareki.ErrOutOfEra))
	var pe *wareki.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Column, pe.Message)
	}
	// Output:
	// true
	// 3 平成31年5月1日は平成の期間外です（平成は1989年1月8日から2019年4月30日まで）
}

func ExampleFormat() {
	d := civil.MustDate(2019, 5, 1)
	for _, style := range []wareki.Style{wareki.Kanji, wareki.Short, wareki.Padded, wareki.Legacy} {
		s, _ := wareki.Format(d, style)
		fmt.Println(s)
	}
	// Output:
	// 令和元年5月1日
	// R1.5.1
	// R01/05/01
	// 5010501
}
