package ruletest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/onestop-jp/onestop/eligibility"
)

// Report is the result of running rule tests.
type Report struct {
	Cases []CaseResult
	// Coverage is that of the conditions of the programmes of CoveredPacks.
	Coverage []Coverage
	// CoveredPacks are the ids of the pack layers whose programmes
	// Coverage counts.
	CoveredPacks []string
}

// Option configures Run.
type Option func(*options)

type options struct {
	all      bool
	expected bool
}

// CoverAllLayers makes the coverage count the programmes of every layer of
// the engine, not only those of the top pack (the pack under test).
func CoverAllLayers() Option { return func(o *options) { o.all = true } }

// CoverExpectedOnly makes the coverage count a programme's conditions only
// in the cases that state an expectation for that programme. By default
// every case counts every programme it screens, so a condition can be
// "seen false" in a case that checks another programme's outcome and
// would pass whatever this programme decided; with this option a covered
// side is one a case actually checks.
func CoverExpectedOnly() Option { return func(o *options) { o.expected = true } }

// CaseResult is one case and what went wrong with it, if anything.
type CaseResult struct {
	Test     eligibility.RuleTest
	Failures []Failure
}

// Passed reports whether every expectation of the case held.
func (c CaseResult) Passed() bool { return len(c.Failures) == 0 }

// Failure is one expectation that did not hold.
type Failure struct {
	Program string
	Line    int
	Message string // Japanese
}

// Coverage is how often a condition was true, false or not known across
// the cases.
type Coverage struct {
	Program   string
	Condition int // 1-based
	Reason    string
	True      int
	False     int
	Unknown   int
}

// Covered reports whether cases found the condition both true and false.
func (c Coverage) Covered() bool { return c.True > 0 && c.False > 0 }

// Passed and Failed count the cases.
func (r *Report) Passed() int {
	n := 0
	for _, c := range r.Cases {
		if c.Passed() {
			n++
		}
	}
	return n
}

// Failed counts the cases with a failure.
func (r *Report) Failed() int { return len(r.Cases) - r.Passed() }

// Run screens every case with explanations and compares the outcomes with
// the expectations. Coverage counts the conditions of the programmes the
// top pack of e defines (the pack whose tests these are; a local pack
// layered on the national pack is not told about the national pack's
// conditions), or of every layer with CoverAllLayers; with
// CoverExpectedOnly a case counts only the programmes it expects. It stops
// early only when ctx is done.
func Run(ctx context.Context, e *eligibility.Engine, tests []eligibility.RuleTest, opts ...Option) (*Report, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o.run(ctx, e, tests)
}

func (opts options) run(ctx context.Context, e *eligibility.Engine, tests []eligibility.RuleTest) (*Report, error) {
	r := &Report{}
	layers := e.Packs()
	covered := map[string]bool{}
	for i, l := range layers {
		if opts.all || i == len(layers)-1 {
			covered[l.ID] = true
			r.CoveredPacks = append(r.CoveredPacks, l.ID)
		}
	}
	cov := map[string][]Coverage{}
	for _, p := range e.Programs() {
		if !covered[p.Pack] {
			continue
		}
		for i, reason := range p.Conditions {
			cov[p.ID] = append(cov[p.ID], Coverage{Program: p.ID, Condition: i + 1, Reason: reason})
		}
	}
	for _, t := range tests {
		cr := CaseResult{Test: t}
		if t.Household == nil {
			r.Cases = append(r.Cases, cr)
			continue
		}
		s, err := e.Screen(ctx, t.Household, t.AsOf, eligibility.WithExplanations())
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			cr.Failures = append(cr.Failures, Failure{Line: t.Line, Message: "判定できません: " + err.Error()})
			r.Cases = append(r.Cases, cr)
			continue
		}
		for _, o := range s.Results {
			if opts.expected && !expects(t, o.Program) {
				continue
			}
			cs := cov[o.Program]
			for i, c := range o.Conditions {
				if i >= len(cs) || o.Conditions[i].Reason != cs[i].Reason {
					continue // outside the effective period: one synthetic condition
				}
				switch {
				case c.Result == nil:
					cs[i].Unknown++
				case *c.Result:
					cs[i].True++
				default:
					cs[i].False++
				}
			}
		}
		for _, x := range t.Expect {
			o := s.Outcome(x.Program)
			if o == nil {
				cr.Failures = append(cr.Failures, Failure{Program: x.Program, Line: x.Line, Message: fmt.Sprintf("制度 %q はパックにありません", x.Program)})
				continue
			}
			cr.Failures = append(cr.Failures, compare(x, o)...)
		}
		r.Cases = append(r.Cases, cr)
	}
	ids := make([]string, 0, len(cov))
	for _, p := range e.Programs() {
		ids = append(ids, p.ID)
	}
	for _, id := range ids {
		r.Coverage = append(r.Coverage, cov[id]...)
	}
	return r, nil
}

// expects reports whether the case states an expectation for the programme.
func expects(t eligibility.RuleTest, program string) bool {
	return slices.ContainsFunc(t.Expect, func(x eligibility.Expectation) bool { return x.Program == program })
}

func compare(x eligibility.Expectation, o *eligibility.Outcome) []Failure {
	var fs []Failure
	fail := func(format string, args ...any) {
		fs = append(fs, Failure{Program: x.Program, Line: x.Line, Message: fmt.Sprintf(format, args...)})
	}
	if x.Status != "" && o.Status != x.Status {
		fail("判定が %s（%s）になりました。期待は %s（%s）%s", o.Status.Label(), o.Status, x.Status.Label(), x.Status, why(o))
	}
	if x.CheckAmount {
		switch {
		case x.Amount == nil && o.Amount != nil:
			fail("金額なしのはずが %s になりました", o.Amount)
		case x.Amount != nil && o.Amount == nil:
			fail("金額 %s のはずが、金額が出ませんでした%s", eligibility.FormatYen(*x.Amount), why(o))
		case x.Amount != nil && o.Amount.Yen != *x.Amount:
			fail("金額が %s になりました。期待は %s（差 %s）", eligibility.FormatYen(o.Amount.Yen), eligibility.FormatYen(*x.Amount), eligibility.FormatYen(o.Amount.Yen-*x.Amount))
		}
	}
	if x.CheckMissing {
		var got []string
		for _, m := range o.Missing {
			got = append(got, m.Path)
		}
		want := append([]string(nil), x.Missing...)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			fail("不足している情報が [%s] になりました。期待は [%s]", strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(x.Values)) {
		want := x.Values[name]
		found := false
		for _, v := range o.Values {
			if v.Name != name {
				continue
			}
			found = true
			if v.Value != want {
				fail("値 %s が %v になりました。期待は %v", name, v.Value, want)
			}
		}
		if !found {
			fail("値 %s がありません（制度の values: にない名前か、判定で計算されませんでした）", name)
		}
	}
	if x.CheckWarnings {
		var got []string
		for _, w := range o.Warnings {
			got = append(got, string(w.Code))
		}
		want := append([]string(nil), x.Warnings...)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			fail("警告が [%s] になりました。期待は [%s]", strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
	return fs
}

// why explains an outcome briefly: the failing or unknown conditions, the
// missing facts, or the error.
func why(o *eligibility.Outcome) string {
	var parts []string
	if o.Error != nil {
		parts = append(parts, "エラー: "+o.Error.Error())
	}
	for _, c := range o.Conditions {
		if c.Result == nil || !*c.Result {
			mark := "×"
			if c.Result == nil {
				mark = "？"
			}
			parts = append(parts, mark+c.Reason)
		}
	}
	for _, m := range o.Missing {
		parts = append(parts, "不足: "+m.Label)
	}
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, "、") + "）"
}

// WriteText writes the report for people, in Japanese: failures first,
// then a summary, then conditions that no case made both true and false.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, c := range r.Cases {
		for _, f := range c.Failures {
			fmt.Fprintf(&b, "不合格 %s:%d: %s", c.Test.File, f.Line, c.Test.Name)
			if f.Program != "" {
				fmt.Fprintf(&b, " [%s]", f.Program)
			}
			fmt.Fprintf(&b, ": %s\n", f.Message)
		}
	}
	fmt.Fprintf(&b, "テスト %d 件: 合格 %d 件、不合格 %d 件\n", len(r.Cases), r.Passed(), r.Failed())
	var uncovered []Coverage
	for _, c := range r.Coverage {
		if !c.Covered() {
			uncovered = append(uncovered, c)
		}
	}
	total := len(r.Coverage)
	fmt.Fprintf(&b, "要件の網羅（%s）: %d 件中 %d 件が真・偽の両方を確認済み\n", strings.Join(r.CoveredPacks, "・"), total, total-len(uncovered))
	for _, c := range uncovered {
		var miss []string
		if c.True == 0 {
			miss = append(miss, "真になるケース")
		}
		if c.False == 0 {
			miss = append(miss, "偽になるケース")
		}
		fmt.Fprintf(&b, "  未確認 %s 要件%d「%s」: %sがありません\n", c.Program, c.Condition, c.Reason, strings.Join(miss, "・"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// LoadDirs loads the packs in dirs (the first is the base, each later one
// layered on it), compiles them, and loads the rule tests of the last.
func LoadDirs(dirs ...string) (*eligibility.Engine, []eligibility.RuleTest, error) {
	var packs []*eligibility.Pack
	var last fs.FS
	var lastName string
	for _, d := range dirs {
		fsys := os.DirFS(d)
		p, err := eligibility.LoadPack(fsys, d)
		if err != nil {
			return nil, nil, err
		}
		packs = append(packs, p)
		last, lastName = fsys, d
	}
	e, err := eligibility.Compile(packs)
	if err != nil {
		return nil, nil, err
	}
	tests, err := eligibility.LoadRuleTests(last, lastName)
	if err != nil {
		return nil, nil, err
	}
	return e, tests, nil
}

// RunDirs is the go test entry point: it loads and compiles the packs in
// dirs, runs the rule tests of the last one as subtests, and logs the
// conditions no case made both true and false. A pack without tests fails.
func RunDirs(t *testing.T, dirs ...string) *Report {
	t.Helper()
	e, tests, err := LoadDirs(dirs...)
	if err != nil {
		t.Fatalf("loading %v:\n%v", dirs, err)
	}
	return RunEngine(t, e, tests)
}

// RunEngine runs rule tests against a compiled engine as subtests.
func RunEngine(t *testing.T, e *eligibility.Engine, tests []eligibility.RuleTest, opts ...Option) *Report {
	t.Helper()
	if len(tests) == 0 {
		t.Fatalf("no rule tests: add YAML files under the pack's tests/ folder")
	}
	r, err := Run(context.Background(), e, tests, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Cases {
		c := c
		t.Run(c.Test.Name, func(t *testing.T) {
			for _, f := range c.Failures {
				prog := ""
				if f.Program != "" {
					prog = " [" + f.Program + "]"
				}
				t.Errorf("%s:%d:%s %s", c.Test.File, f.Line, prog, f.Message)
			}
		})
	}
	for _, c := range r.Coverage {
		if !c.Covered() {
			t.Logf("coverage: %s condition %d (%s): true %d, false %d, unknown %d", c.Program, c.Condition, c.Reason, c.True, c.False, c.Unknown)
		}
	}
	return r
}
