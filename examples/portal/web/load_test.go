package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoad200Residents: 200 residents at once, each from its own loopback
// address (127.0.1.1 …), go through the whole input form — the start page,
// every page of questions, the result, the record's pages, the review and
// the submission that records their case and consents — with the default
// rate limits, on the default SQLite store. It reports the latency of every
// request (p50, p95, p99, max) and the errors. It takes a minute or two, so
// it runs only when asked:
//
//	ONESTOP_PORTAL_LOAD=1 go test ./examples/portal/web -run TestLoad200Residents -v
//
// (ONESTOP_PORTAL_LOAD=50 runs 50 residents.)
func TestLoad200Residents(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("ONESTOP_PORTAL_LOAD"))
	if err != nil || n <= 0 {
		t.Skip("load test: set ONESTOP_PORTAL_LOAD=1 (200 residents) or a number of residents")
	}
	if n == 1 {
		n = 200
	}
	p := newTestPortal(t, 10, Limits{})
	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	record := func(d time.Duration, status int, expect bool) {
		mu.Lock()
		defer mu.Unlock()
		lat = append(lat, d)
		if !expect {
			errs[strconv.Itoa(status)]++
		}
	}
	cpu0 := cpuTime()
	start := time.Now()
	var wg sync.WaitGroup
	done := make(chan int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ag := loadAgent(t, p, i, record)
			ok := func() bool {
				defer func() {
					if v := recover(); v != nil {
						mu.Lock()
						errs[fmt.Sprint("flow: ", v)]++
						mu.Unlock()
					}
				}()
				ag.screen(mother)
				ag.record(mother)
				return true
			}()
			if ok {
				done <- 1
			}
		}()
	}
	wg.Wait()
	close(done)
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	completed := len(done)
	slices.Sort(lat)
	pct := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	t.Logf("residents %d, completed %d, requests %d, wall %s, %.0f requests/s", n, completed, len(lat), wall.Round(time.Millisecond), float64(len(lat))/wall.Seconds())
	t.Logf("latency p50 %s, p95 %s, p99 %s, max %s", pct(.50).Round(time.Millisecond), pct(.95).Round(time.Millisecond), pct(.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	t.Logf("CPU (user+system, server and clients in one process) %s: %s per resident, %s per request",
		cpu.Round(time.Millisecond), (cpu / time.Duration(n)).Round(100*time.Microsecond), (cpu / time.Duration(len(lat))).Round(10*time.Microsecond))
	t.Logf("errors: %v", errs)
	require.Equal(t, n, completed, "every resident completes the form")
	require.Empty(t, errs)
}

// cpuTime is the process's user and system CPU time so far: on a shared
// machine it says what the work costs where wall time says how busy the
// machine was.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAgent is a resident's browser on its own loopback address, timing
// every request.
func loadAgent(t *testing.T, p *testPortal, i int, record func(time.Duration, int, bool)) *agent {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	ip := net.IPv4(127, 0, byte(1+i/250), byte(1+i%250))
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 10 * time.Second}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}, MaxIdleConnsPerHost: 2}
	return &agent{t: &loadT{T: t}, base: p.srv.URL, c: &http.Client{Jar: jar, Timeout: 2 * time.Minute, Transport: &timed{rt: tr, record: record}}}
}

// timed records the latency and status of each request.
type timed struct {
	rt     http.RoundTripper
	record func(time.Duration, int, bool)
}

func (tr *timed) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := tr.rt.RoundTrip(req)
	if err != nil {
		tr.record(time.Since(start), 0, false)
		return nil, err
	}
	tr.record(time.Since(start), res.StatusCode, res.StatusCode < 400)
	return res, nil
}

// loadT turns a failed step of one resident into a panic that the
// resident's goroutine counts as an error (FailNow may not be called from
// other goroutines).
type loadT struct {
	*testing.T
}

func (l *loadT) Helper()                           {}
func (l *loadT) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (l *loadT) FailNow()                          { panic("failed") }
func (l *loadT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (l *loadT) Logf(string, ...any)               {}
