package latency

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	assert.Equal(t, time.Duration(5), Percentile(d, 50))
	assert.Equal(t, time.Duration(10), Percentile(d, 99))
	assert.Equal(t, time.Duration(1), Percentile(d, 0))
	assert.Zero(t, Percentile(nil, 50))
}

func BenchmarkMeasure(b *testing.B) {
	Measure(b, []string{"a", "bb"}, func(s string) { _ = len(s) })
}
