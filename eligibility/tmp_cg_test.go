package eligibility_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

//go:noinline
func cgScreen(e *eligibility.Engine, h *eligibility.Household, only eligibility.ScreenOption) {
	if _, err := e.Screen(context.Background(), h, benchAsOf, only); err != nil {
		panic(err)
	}
}

//go:noinline
func cgHand(h *eligibility.Household, p *craParams) { handwrittenCRA(h, benchAsOf, p) }

func TestTmpCallgrind(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CG_N"))
	if n == 0 {
		t.Skip()
	}
	e := compileSet(t, diffPackSets[0])
	hs, err := synth.Households(synth.Config{Seed: 13, AsOf: benchAsOf}, 2000)
	if err != nil {
		t.Fatal(err)
	}
	p := craParamsAt(t, e, benchAsOf)
	only := eligibility.OnlyPrograms("child-rearing-allowance")
	for i := range n {
		cgScreen(e, hs[i%len(hs)], only)
		cgHand(hs[i%len(hs)], &p)
	}
}
