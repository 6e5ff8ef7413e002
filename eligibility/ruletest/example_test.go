package ruletest_test

import (
	"context"
	"fmt"
	"os"

	"github.com/onestop-jp/onestop/eligibility/ruletest"
)

// Run the sample pack's own rule tests and print the Japanese summary.
func ExampleRun() {
	engine, tests, err := ruletest.LoadDirs("../testdata/samplepack")
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := ruletest.Run(context.Background(), engine, tests)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report.Passed(), "passed,", report.Failed(), "failed")
	report.WriteText(os.Stdout)
	// Output:
	// 14 passed, 0 failed
	// テスト 14 件: 合格 14 件、不合格 0 件
	// 要件の網羅（sample）: 7 件中 7 件が真・偽の両方を確認済み
}

// Count each condition only in the cases that check its programme's
// outcome, and list any side no such case has seen. In the sample pack,
// the age condition of 児童扶養手当 is false only in a case that checks
// 児童手当: by default it counts as covered, here it does not.
func ExampleCoverExpectedOnly() {
	engine, tests, err := ruletest.LoadDirs("../testdata/samplepack")
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := ruletest.Run(context.Background(), engine, tests, ruletest.CoverExpectedOnly())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range report.Coverage {
		if c.True == 0 {
			fmt.Println(c.Program, c.Condition, "never seen true")
		}
		if c.False == 0 {
			fmt.Println(c.Program, c.Condition, "never seen false")
		}
	}
	fmt.Println(len(report.Coverage), "conditions counted")
	// Output:
	// child-rearing-allowance 3 never seen false
	// 7 conditions counted
}
