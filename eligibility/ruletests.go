package eligibility

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/internal/docnode"
)

// RuleTest is one case of a pack's rule tests: a household, a date, and
// the outcomes expected for some programmes. Rule tests live beside the
// pack, in its tests/ folder, as YAML:
//
//	tests:
//	  - name: 離婚・子1人・所得184万円（令和7年6月）
//	    as_of: 2025-06-01
//	    household:
//	      situation: divorced
//	      members:
//	        - {id: p, relation: self, incomes: [{year: 2023, salary_revenue: 3000000}]}
//	        - {id: c1, relation: child, birth_date: 2015-05-01}
//	    expect:
//	      child-rearing-allowance: {status: eligible, amount: 26920}
//	      child-allowance: {status: eligible, amount: 10000}
//
// An expectation checks only what it states: status, amount (null: no
// amount), missing (the exact list of missing fact paths), warnings
// (the exact list of warning codes) and values (named values of the
// programme, values: {level: 7}). A fixtures: key may hold YAML anchors
// that cases reuse, such as a parent (&parent) merged into members with
// <<: *parent.
type RuleTest struct {
	Name      string
	File      string
	Line      int
	AsOf      civil.Date
	Household *Household
	Expect    []Expectation
}

// Expectation is what a rule test expects of one programme.
type Expectation struct {
	Program string
	Line    int
	// Status, when not empty, must equal the outcome's status.
	Status Status
	// CheckAmount says Amount is checked: nil means no amount.
	CheckAmount bool
	Amount      *int64
	// CheckMissing says Missing (paths) is checked, as a set.
	CheckMissing bool
	Missing      []string
	// CheckWarnings says Warnings (codes) is checked, as a list.
	CheckWarnings bool
	Warnings      []string
	// Values are named values of the programme (values: in the pack) that
	// must equal the given scalar: an int64, a bool or a string. A rule
	// test of a programme without an amount checks its result this way
	// (the 軽減 割合 of 国民健康保険, a 支援区分).
	Values map[string]any
}

// LoadRuleTests reads the rule tests of a pack: every .yaml, .yml or .json
// file under tests/ in fsys. name prefixes file names in messages. A
// problem in any file is a *PackError with positions; no test is returned
// then, so a half-read test suite never passes silently.
func LoadRuleTests(fsys fs.FS, name string) ([]RuleTest, error) {
	files, err := dataFiles(fsys, "tests", func(p string) bool { return strings.HasPrefix(path.Base(p), ".") })
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading rule tests of %s: %w", name, err)
	}
	var ps problems
	var tests []RuleTest
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("reading rule tests of %s: %w", name, err)
		}
		tests = append(tests, parseRuleTests(&ps, path.Join(name, f), data)...)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return tests, nil
}

func parseRuleTests(ps *problems, file string, data []byte) []RuleTest {
	root, err := docnode.ParseYAML(data)
	if err != nil {
		var se *docnode.SyntaxError
		if errors.As(err, &se) {
			ps.add(Problem{Position: Position{file, se.Pos.Line, se.Pos.Col}, Code: "yaml", Message: yamlMessage(se, data), Detail: se.Msg})
		} else {
			ps.add(Problem{Position: Position{File: file}, Code: "yaml", Message: "YAML として読めません", Detail: err.Error()})
		}
		return nil
	}
	if root.Kind == docnode.Null {
		return nil
	}
	r := &nodeReader{ps: ps, file: file}
	// fixtures: holds YAML anchors (&name) that cases reuse (*name); it is
	// not read otherwise.
	if !r.object(root, "テストのファイル", "tests", "fixtures") {
		return nil
	}
	list := root.Get("tests")
	if list == nil || list.Kind != docnode.Array {
		r.fail(root, "missing", "tests:（テストケースの並び）を書いてください")
		return nil
	}
	var out []RuleTest
	for _, n := range list.Items {
		if !r.object(n, "テストケース", "name", "as_of", "household", "expect") {
			continue
		}
		t := RuleTest{File: file, Line: n.Pos.Line}
		t.Name = r.str(n, "name", true)
		t.AsOf = r.date(n, "as_of", true)
		hn := n.Get("household")
		if hn == nil {
			r.fail(n, "missing", "household:（世帯の情報）を書いてください")
		} else {
			h, err := householdFromNode(hn, "", 0)
			if err != nil {
				var fe *FactsError
				if errors.As(err, &fe) {
					for _, e := range fe.Errors {
						ps.errorf(file, e.Line, e.Col, "invalid", "%s", strings.TrimPrefix(e.Path+": "+e.Message, ": "))
					}
				}
			}
			t.Household = h
			if h != nil && !t.AsOf.IsZero() {
				for _, fe := range checkAsOf(h, t.AsOf) {
					at := hn.Get("members")
					var i int
					fmt.Sscanf(fe.Path, "members[%d]", &i)
					pos := hn.Pos
					if at != nil && i < len(at.Items) {
						if bd := at.Items[i].Get("birth_date"); bd != nil {
							pos = bd.Pos
						}
					}
					ps.errorf(file, pos.Line, pos.Col, "invalid", "%s: %s", fe.Path, fe.Message)
				}
			}
		}
		en := n.Get("expect")
		if en == nil || en.Kind != docnode.Object || len(en.Fields) == 0 {
			r.fail(n, "missing", "expect:（制度ID: 期待する結果）を1つ以上書いてください")
		} else {
			for _, f := range en.Fields {
				if x, ok := parseExpectation(r, f); ok {
					t.Expect = append(t.Expect, x)
				}
			}
		}
		out = append(out, t)
	}
	return out
}

func parseExpectation(r *nodeReader, f docnode.Field) (Expectation, bool) {
	x := Expectation{Program: f.Key, Line: f.KeyPos.Line}
	n := f.Value
	if !r.object(n, "期待する結果", "status", "amount", "missing", "warnings", "values") {
		return x, false
	}
	if s := n.Get("status"); s != nil {
		x.Status = Status(s.Text)
		switch x.Status {
		case Eligible, Ineligible, Undetermined:
		default:
			r.fail(s, "invalid", "status は eligible（対象）・ineligible（対象外）・undetermined（判定保留）のいずれかです")
		}
	}
	if a := n.Get("amount"); a != nil {
		x.CheckAmount = true
		if a.Kind != docnode.Null {
			v, err := a.Int()
			if err != nil || a.Kind != docnode.Number {
				r.fail(a, "invalid", "amount は円単位の整数（金額なしは null）で書いてください")
			} else {
				x.Amount = &v
			}
		}
	}
	strs := func(key string) ([]string, bool) {
		v := n.Get(key)
		if v == nil {
			return nil, false
		}
		if v.Kind != docnode.Array {
			r.fail(v, "invalid", "%s は [\"…\", …] の並びで書いてください", key)
			return nil, false
		}
		out := []string{}
		for _, it := range v.Items {
			if it.Kind != docnode.String {
				r.fail(it, "invalid", "%s の要素は文字列で書いてください", key)
				continue
			}
			out = append(out, it.Text)
		}
		return out, true
	}
	x.Missing, x.CheckMissing = strs("missing")
	x.Warnings, x.CheckWarnings = strs("warnings")
	if v := n.Get("values"); v != nil {
		if v.Kind != docnode.Object {
			r.fail(v, "invalid", "values は {名前: 値, …} の形で書いてください（例: values: {level: 7}）")
		} else {
			x.Values = map[string]any{}
			for _, f := range v.Fields {
				switch f.Value.Kind {
				case docnode.Number:
					i, err := f.Value.Int()
					if err != nil {
						r.fail(f.Value, "invalid", "values の %s は整数・真偽値・文字列で書いてください", f.Key)
						continue
					}
					x.Values[f.Key] = i
				case docnode.Bool:
					x.Values[f.Key] = f.Value.Text == "true"
				case docnode.String:
					x.Values[f.Key] = f.Value.Text
				default:
					r.fail(f.Value, "invalid", "values の %s は整数・真偽値・文字列で書いてください", f.Key)
				}
			}
		}
	}
	return x, true
}
