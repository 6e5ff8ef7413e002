package eligibility_test

import (
	"fmt"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/eligibility"
)

// 東京都 ひとり親家庭等医療費助成: the 医療証 runs January to December on the
// income of two years before, so November and December use Y−2 as well.
func ExampleIncomeYearBack() {
	for _, d := range []civil.Date{civil.MustDate(2025, 10, 31), civil.MustDate(2025, 11, 1), civil.MustDate(2026, 1, 1)} {
		fmt.Println(d, "→", eligibility.IncomeYearBack(d, 1, 2))
	}
	// Output:
	// 2025-10-31 → 2023
	// 2025-11-01 → 2023
	// 2026-01-01 → 2024
}
