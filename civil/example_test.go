package civil_test

import (
	"fmt"

	"github.com/onestop-jp/onestop/civil"
)

// The statutory age: a child born on 2 April is 15 on 1 April, the day
// before the birthday; a child born on 1 April leaves school a year
// earlier.
func ExampleStatutoryAge() {
	for _, b := range []civil.Date{civil.MustDate(2010, 4, 1), civil.MustDate(2010, 4, 2)} {
		fmt.Println(b, "age on 2025-04-01:", civil.StatutoryAge(b, civil.MustDate(2025, 4, 1)),
			"18歳年度末:", civil.FirstMarch31AfterAge(b, 18))
	}
	// Output:
	// 2010-04-01 age on 2025-04-01: 15 18歳年度末: 2028-03-31
	// 2010-04-02 age on 2025-04-01: 15 18歳年度末: 2029-03-31
}

func ExampleDate_FiscalYear() {
	d := civil.MustDate(2026, 1, 10)
	fmt.Println(d.FiscalYear(), d.EndOfFiscalYear())
	// Output: 2025 2026-03-31
}

func ExampleParse() {
	for _, s := range []string{"2024-02-29", "2023-02-29", "2025/06/01"} {
		d, err := civil.Parse(s)
		fmt.Println(d, err)
	}
	// Output:
	// 2024-02-29 <nil>
	//  "2023-02-29" does not exist in the calendar: civil: not a date
	//  "2025/06/01" is not written YYYY-MM-DD: civil: not a date
}

// Children born on 1 April enter elementary school with the class before
// those born on 2 April.
func ExampleElementaryEntryYear() {
	fmt.Println(civil.ElementaryEntryYear(civil.MustDate(2019, 4, 1)))
	fmt.Println(civil.ElementaryEntryYear(civil.MustDate(2019, 4, 2)))
	// Output:
	// 2025
	// 2026
}

func ExampleSchoolGrade() {
	on := civil.MustDate(2025, 6, 1)
	fmt.Println(civil.SchoolGrade(civil.MustDate(2019, 4, 1), on))  // 小学1年
	fmt.Println(civil.SchoolGrade(civil.MustDate(2012, 5, 10), on)) // 中学1年
	// Output:
	// 1
	// 7
}
