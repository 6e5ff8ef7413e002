package main

import (
	"flag"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"io"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/wareki"
)

// jst is Japan Standard Time. Japan has no daylight saving, so a fixed zone
// is exact and needs no tz database on the machine.
var jst = time.FixedZone("JST", 9*60*60)

// today returns today's date in Japan.
func today() civil.Date { return civil.DateOf(time.Now().In(jst)) }

// parseDate reads a date the way staff type it: 2025-06-01, 2025/6/1,
// 令和7年6月1日, R7.6.1 …
func parseDate(s string) (civil.Date, error) { return wareki.Parse(s) }

// dateFlag is a flag holding a date.
type dateFlag struct {
	d   civil.Date
	set bool
}

func (f *dateFlag) String() string { return f.d.String() }

func (f *dateFlag) Set(s string) error {
	d, err := parseDate(s)
	if err != nil {
		return fmt.Errorf("日付として読めません: %v", err)
	}
	f.d, f.set = d, true
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (f *listFlag) String() string     { return strings.Join(*f, ",") }
func (f *listFlag) Set(s string) error { *f = append(*f, s); return nil }

// parseInterleaved parses flags that may come after positional arguments
// (onestop screen a.jsonl --format json), which package flag alone stops
// at. "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a flag set that reports errors in Japanese usage.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "使い方: %s\n\nオプション:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}
