package synth_test

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

func Example() {
	g, err := synth.New(synth.Config{Seed: 1, AsOf: civil.MustDate(2026, 11, 23)})
	if err != nil {
		panic(err)
	}
	for i := 0; i < 3; i++ {
		h := g.Next()
		children := 0
		for _, m := range h.Members {
			if m.Relation == eligibility.RelationChild {
				children++
			}
		}
		fmt.Printf("%s %s %s children=%d members=%d\n", h.ID, *h.MunicipalityCode, *h.Situation, children, len(h.Members))
	}
	// Output:
	// synth-1-1 422011 divorced children=2 members=3
	// synth-1-2 131121 abandoned children=1 members=2
	// synth-1-3 133612 married children=1 members=3
}
