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
