package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/eligibility"
)

// progress shows how a long screening run is going on one line of a
// terminal: households done, the rate, and — when the input's size is
// known — the share read and the time left. It writes nothing until the run
// has lasted `after`, then at most every `every`, and clears its line at
// the end (or leaves a summary when asked to always show).
type progress struct {
	w      io.Writer
	now    func() time.Time
	after  time.Duration // the first line, once the run has lasted this long
	every  time.Duration // between lines
	always bool          // a summary line at the end, even for a short run
	total  int64         // bytes of input, 0 when not known (stdin)

	start, last time.Time
	shown       bool
}

// progressMode is --progress: auto (on a terminal, for long runs), always
// or never.
type progressMode string

// newProgress returns the progress display of a run, nil when it shows
// nothing. stdout is where results are written while the run goes on (nil
// when the output is written only at the end): in auto mode a terminal
// there means no progress line. total is the input's size in bytes, 0 when
// not known.
func newProgress(mode progressMode, stderr, stdout io.Writer, total int64) *progress {
	p := &progress{w: stderr, now: time.Now, after: 2 * time.Second, every: 250 * time.Millisecond, total: total}
	switch mode {
	case "never":
		return nil
	case "always":
		p.after, p.always = 0, true
	default:
		// On a terminal, unless the results go to the same screen: the
		// lines would tear the output apart.
		if !isTerminal(stderr) || isTerminal(stdout) {
			return nil
		}
	}
	p.start = p.now()
	return p
}

// isTerminal reports whether w is a terminal (a character device other
// than the null device). Pipes and files are not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}

// update is called after each household: n done so far, offset bytes of
// the input read.
func (p *progress) update(n int, offset int64) {
	if p == nil {
		return
	}
	now := p.now()
	if now.Sub(p.start) < p.after || (p.shown && now.Sub(p.last) < p.every) {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\r\x1b[K%s", p.line(n, offset, now))
}

// clear removes the line before something else is written to the
// terminal; the next update writes it again.
func (p *progress) clear() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.last = time.Time{}
	}
}

// done ends the display after n households.
func (p *progress) done(n int) {
	if p == nil {
		return
	}
	switch {
	case p.always:
		fmt.Fprintf(p.w, "\r\x1b[K%s\n", p.summary(n, p.now()))
	case p.shown:
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func (p *progress) line(n int, offset int64, now time.Time) string {
	elapsed := now.Sub(p.start)
	s := fmt.Sprintf("判定中: %s 世帯（%s 世帯/秒）", count(int64(n)), rate(n, elapsed))
	if p.total > 0 && offset > 0 && elapsed > 0 {
		share := min(offset, p.total) * 100 / p.total
		left := time.Duration(float64(elapsed) * float64(p.total-min(offset, p.total)) / float64(offset))
		s += fmt.Sprintf("　%d%%　残り 約%s", share, approx(left))
	}
	return s
}

func (p *progress) summary(n int, now time.Time) string {
	elapsed := now.Sub(p.start)
	return fmt.Sprintf("%s 世帯を %s で判定しました（%s 世帯/秒）", count(int64(n)), approx(elapsed), rate(n, elapsed))
}

// count writes a number with thousands separators: 12,345.
func count(n int64) string { return strings.TrimSuffix(eligibility.FormatYen(n), "円") }

// rate formats households per second.
func rate(n int, elapsed time.Duration) string {
	if elapsed <= 0 {
		return "-"
	}
	return count(int64(float64(n) / elapsed.Seconds()))
}

// approx writes a duration for people: 12秒, 3分20秒, 1時間5分.
func approx(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d秒", s)
	case s < 3600:
		return fmt.Sprintf("%d分%d秒", s/60, s%60)
	}
	return fmt.Sprintf("%d時間%d分", s/3600, s%3600/60)
}
