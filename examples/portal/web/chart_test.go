package web

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/onestop-jp/onestop/casefile/report"
)

func TestChartsDrawOnlyReleasedCounts(t *testing.T) {
	cells := []report.Cell{{Count: 12}, {Suppressed: true}, {Count: 0}, {Count: 7}}
	c := columnChart("t", []string{"4月", "5月", "6月", "7月"}, cells)
	assert.Equal(t, "20", c.Ticks[len(c.Ticks)-1].Label, "the axis ends at a round number above the largest count")
	assert.True(t, c.Bars[1].Suppressed)
	assert.Zero(t, c.Bars[1].H, "a suppressed cell has no bar")
	assert.Empty(t, c.Bars[1].Value)
	assert.Greater(t, c.Bars[0].H, c.Bars[3].H)
	assert.Contains(t, c.Desc, "5月 X")
	for _, top := range []int{1, 2, 5, 10, 20, 50, 100} {
		n := tickCount(top)
		for i := 0; i <= n; i++ {
			assert.Zero(t, top*i%n, "ticks of %d are whole numbers", top)
		}
	}
	b := barChart("t", []string{"子育て", "DV・暴力"}, []report.Cell{{Count: 3}, {Suppressed: true}})
	assert.Equal(t, 420*3/5, b.Bars[0].W)
	assert.True(t, b.Bars[1].Suppressed)
}
