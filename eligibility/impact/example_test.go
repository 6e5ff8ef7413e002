package impact_test

import (
	"context"
	"fmt"
	"strings"
	"testing/fstest"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/impact"
)

// A reform is a pack layered on the rules in force; Compare screens a
// population under both and counts what changes.
func ExampleCompare() {
	base, _ := eligibility.LoadPack(fstest.MapFS{"pack.yaml": {Data: []byte(testBase)}}, "base")
	reform, _ := eligibility.LoadPack(fstest.MapFS{"pack.yaml": {Data: []byte(testReform)}}, "reform")
	now, err := eligibility.Compile([]*eligibility.Pack{base})
	if err != nil {
		fmt.Println(err)
		return
	}
	after, err := eligibility.Compile([]*eligibility.Pack{base, reform})
	if err != nil {
		fmt.Println(err)
		return
	}
	households := strings.NewReader(testHouseholds)
	rep, err := impact.Compare(context.Background(), now, after, households, "households.jsonl",
		impact.Options{AsOf: civil.MustDate(2025, 6, 1), Sample: -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d households, %d gain, %d lose, %d skipped\n", rep.Households, rep.Gaining, rep.Losing, rep.Skipped)
	for _, p := range rep.Programs {
		fmt.Printf("%s: +%d −%d, %d円/月, %d円/年\n", p.Name, p.Gain, p.Lose, p.Cost.Monthly, p.Cost.Yearly)
	}
	// Output:
	// 4 households, 2 gain, 1 lose, 1 skipped
	// 試験の手当: +1 −1, 36000円/月, 432000円/年
	// 試験の一時金: +0 −0, 0円/月, 0円/年
	// 試験の新制度: +1 −0, 0円/月, 12000円/年
}
