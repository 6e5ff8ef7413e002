package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func testProgress(w *bytes.Buffer, total int64, always bool) (*progress, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, jst)}
	p := &progress{w: w, now: c.now, after: 2 * time.Second, every: 250 * time.Millisecond, total: total, always: always}
	if always {
		p.after = 0
	}
	p.start = c.now()
	return p, c
}

func TestProgressShowsCountRateAndTimeLeftForLongRuns(t *testing.T) {
	var w bytes.Buffer
	p, c := testProgress(&w, 1000, false)
	c.advance(time.Second)
	p.update(5000, 100)
	assert.Empty(t, w.String(), "nothing for a short run")
	c.advance(time.Second)
	p.update(10000, 250)
	assert.Equal(t, "\r\x1b[K判定中: 10,000 世帯（5,000 世帯/秒）　25%　残り 約6秒", w.String())
	w.Reset()
	c.advance(100 * time.Millisecond)
	p.update(10500, 260)
	assert.Empty(t, w.String(), "at most every 250 ms")
	c.advance(200 * time.Millisecond)
	p.update(11000, 300)
	assert.Contains(t, w.String(), "11,000 世帯")
	w.Reset()
	p.clear()
	assert.Equal(t, "\r\x1b[K", w.String(), "cleared before an error line")
	w.Reset()
	p.done(40000)
	assert.Equal(t, "\r\x1b[K", w.String(), "the line is cleared at the end")
}

func TestProgressWithoutASize(t *testing.T) {
	var w bytes.Buffer
	p, c := testProgress(&w, 0, false)
	c.advance(3 * time.Minute)
	p.update(900000, 12345)
	assert.Equal(t, "\r\x1b[K判定中: 900,000 世帯（5,000 世帯/秒）", w.String(), "standard input: no share, no time left")
	assert.Equal(t, "1時間5分", approx(65*time.Minute+20*time.Second))
	assert.Equal(t, "3分20秒", approx(200*time.Second))
}

func TestProgressAlwaysSummarises(t *testing.T) {
	var w bytes.Buffer
	p, c := testProgress(&w, 0, true)
	c.advance(1500 * time.Millisecond)
	p.done(3000)
	assert.Equal(t, "\r\x1b[K3,000 世帯を 2秒 で判定しました（2,000 世帯/秒）\n", w.String())
	var nilProgress *progress
	nilProgress.update(1, 1) // never: no display, no panic
	nilProgress.done(1)
}

func TestTerminalDetection(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(w), "a pipe")
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a file")
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer null.Close()
	assert.False(t, isTerminal(null), "the null device")
	assert.False(t, isTerminal(&bytes.Buffer{}))
	assert.Nil(t, newProgress("auto", w, f, 0), "stderr piped: quiet")
	assert.Nil(t, newProgress("never", w, f, 0))
	assert.NotNil(t, newProgress("always", w, f, 0))
}

// Piped, the CLI writes nothing but the results and the errors; asked to,
// it summarises the run.
func TestScreenProgressWhenPipedAndWhenAsked(t *testing.T) {
	in := strings.Repeat(`{"id":"h","members":[{"relation":"self"},{"relation":"child","birth_date":"2015-05-01"}]}`+"\n", 50)
	f := writeFile(t, "h.jsonl", in)
	_, errOut, code := runCLI(t, "", "screen", "--format", "json", "--pack", samplePack, "--as-of", "2025-06-01", f)
	assert.Equal(t, 0, code)
	assert.Empty(t, errOut, "piped: no progress")
	_, errOut, code = runCLI(t, "", "screen", "--progress", "always", "--format", "json", "--pack", samplePack, "--as-of", "2025-06-01", f)
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "50 世帯を ")
	assert.Contains(t, errOut, "世帯/秒）\n")
	_, errOut, code = runCLI(t, "", "screen", "--progress", "sometimes", f)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--progress は auto・always・never")
}
