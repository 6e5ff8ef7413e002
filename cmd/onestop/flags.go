package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/internal/textdist"

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

// cliFlags is a flag set that speaks Japanese: package flag's own
// messages ("flag provided but not defined: -x", "(default ...)") are
// replaced by Japanese ones, with a suggestion for a mistyped option.
type cliFlags struct {
	*flag.FlagSet
	cmd    string
	usage  string
	stderr io.Writer
}

// newFlagSet returns a flag set for the subcommand name (screen, pack
// check …) with the usage line shown on errors.
func newFlagSet(name, usage string, stderr io.Writer) *cliFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// Package flag prints nothing: parse reports errors in Japanese.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	cmd := name
	if !strings.HasPrefix(cmd, "onestop ") {
		cmd = "onestop " + name
	}
	return &cliFlags{FlagSet: fs, cmd: cmd, usage: usage, stderr: stderr}
}

// Usage prints the usage line and the options, in Japanese.
func (c *cliFlags) Usage() {
	var b strings.Builder
	fmt.Fprintf(&b, "使い方: %s\n\nオプション:\n", c.usage)
	c.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		fmt.Fprintf(&b, "  --%s", f.Name)
		if v := valueLabel(kind); v != "" {
			fmt.Fprintf(&b, " %s", v)
		}
		fmt.Fprintf(&b, "\n      %s", text)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			fmt.Fprintf(&b, "（既定: %s）", f.DefValue)
		}
		b.WriteString("\n")
	})
	io.WriteString(c.stderr, b.String())
}

// valueLabel names the value an option takes, from package flag's type
// word.
func valueLabel(kind string) string {
	switch kind {
	case "":
		return ""
	case "int", "uint", "int64", "uint64", "float":
		return "数"
	case "duration":
		return "時間"
	}
	return "値"
}

// parse parses the arguments, reporting an error in Japanese with the
// usage. flag.ErrHelp (-h) prints the usage and is returned as is.
func (c *cliFlags) parse(args []string) error {
	err := c.FlagSet.Parse(args)
	if err == nil {
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		c.Usage()
		return err
	}
	fmt.Fprintf(c.stderr, "%s: %s\n\n", c.cmd, c.translate(err))
	c.Usage()
	return err
}

// translate turns package flag's English error into Japanese.
func (c *cliFlags) translate(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-")
		var names []string
		c.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if s := textdist.Closest(name, names); s != "" {
			return fmt.Sprintf("オプション --%s はありません（もしかして --%s？）", name, s)
		}
		return fmt.Sprintf("オプション --%s はありません", name)
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return fmt.Sprintf("オプション --%s には値が必要です", strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-"))
	case strings.HasPrefix(msg, "invalid boolean value "):
		var v, name string
		if _, serr := fmt.Sscanf(msg, "invalid boolean value %q for %s", &v, &name); serr == nil {
			return fmt.Sprintf("オプション --%s の値 %q は true か false で指定してください", strings.TrimSuffix(strings.TrimLeft(name, "-"), ":"), v)
		}
	case strings.HasPrefix(msg, "invalid value "):
		// invalid value "x" for flag -name: reason
		var v string
		if _, serr := fmt.Sscanf(msg, "invalid value %q", &v); serr == nil {
			rest := msg[strings.Index(msg, " for flag ")+len(" for flag "):]
			name, reason, _ := strings.Cut(rest, ": ")
			if strings.HasPrefix(reason, "parse error") || strings.HasPrefix(reason, "value out of range") {
				reason = "数として読めません"
			}
			return fmt.Sprintf("オプション --%s の値 %q が正しくありません: %s", strings.TrimLeft(name, "-"), v, reason)
		}
	case strings.HasPrefix(msg, "bad flag syntax: "):
		return fmt.Sprintf("オプションの書き方が正しくありません（%s）", strings.TrimPrefix(msg, "bad flag syntax: "))
	}
	return msg
}

// parseInterleaved parses flags that may come after positional arguments
// (onestop screen a.jsonl --format json), which package flag alone stops
// at. "--" ends the flags.
func parseInterleaved(fs *cliFlags, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.parse(args); err != nil {
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

// flagExit is the exit code of a flag error: 0 for -h (the usage was
// asked for), 2 otherwise.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
