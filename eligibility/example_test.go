package eligibility_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing/fstest"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/shopspring/decimal"
)

// A pack is loaded from a folder (any fs.FS), compiled once, and used to
// screen households; absent facts make an outcome undetermined and are
// named.
func Example() {
	pack, err := eligibility.LoadPack(os.DirFS("testdata/samplepack"), "samplepack")
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, err := eligibility.Compile([]*eligibility.Pack{pack})
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := eligibility.DecodeHousehold([]byte(`{
	  "id": "h1", "situation": "divorced", "de_facto_partner": false,
	  "members": [
	    {"id": "p", "relation": "self"},
	    {"id": "c1", "relation": "child", "birth_date": "2015-05-01"}
	  ]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := engine.Screen(context.Background(), h, civil.MustDate(2025, 6, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range s.Results {
		fmt.Printf("%s: %s", o.Name, o.Status.Label())
		if o.Amount != nil {
			fmt.Printf(" %s", o.Amount)
		}
		for _, m := range o.Missing {
			fmt.Printf(" [要確認: %s]", m.Label)
		}
		fmt.Println()
	}
	// Output:
	// 児童扶養手当: 判定保留 [要確認: 申請者の2023年分の所得]
	// 児童手当: 対象 10,000円/月
	// サンプル訪問支援（試験用の架空の制度）: 判定保留 5,000円（一時金） [要確認: 自宅への訪問支援を希望するか] [要確認: 申請者の日本国内に住所があるか]
}

// Local packs layer on a national one: the first pack is the base.
func ExampleCompile_layered() {
	national, _ := eligibility.LoadPack(os.DirFS("testdata/samplepack"), "samplepack")
	local, _ := eligibility.LoadPack(os.DirFS("testdata/samplelocal"), "samplelocal")
	engine, err := eligibility.Compile([]*eligibility.Pack{national, local})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range engine.Packs() {
		fmt.Println(p.ID, p.Version)
	}
	fmt.Println(len(engine.Programs()), "programmes")
	// Output:
	// sample 0.1.0
	// sample-local 0.1.0
	// 4 programmes
}

// Errors in a pack point at the file, line and column, in words for the
// policy officer who wrote it.
func ExampleLoadPack_errors() {
	fsys := fstest.MapFS{"pack.yaml": {Data: []byte(`pack: {id: t, version: "1", title: テスト, jurisdiction: {level: national, code: JP}}
programs:
  - id: p
    name: テスト
    category: 手当
    sources: [{title: 要綱}]
    effective: {from: 2025-04-01}
    conditions:
      - reason: 離婚していること
        expr: household.situaton == 'divorced'
`)}}
	pack, err := eligibility.LoadPack(fsys, "t")
	if err == nil {
		_, err = eligibility.Compile([]*eligibility.Pack{pack})
	}
	var pe *eligibility.PackError
	if errors.As(err, &pe) {
		p := pe.Problems[0]
		fmt.Printf("%s:%d:%d: %s\n", p.File, p.Line, p.Col, p.Message)
	}
	// Output:
	// t/pack.yaml:10:24: 要件 1: "situaton" という項目はありません（もしかして "situation"？）
}

// Decoding is strict and names the path and position of every problem.
func ExampleDecodeHousehold() {
	_, err := eligibility.DecodeHousehold([]byte(`{"members": [{"relation": "self", "birth_date": "2023-02-29",
	  "incomes": [{"year": 2024, "salary_revenue": -5}]}]}`))
	fmt.Println(err)
	// Output:
	// 1:49: members[0].birth_date: "2023-02-29" は存在しない日付です
	// 2:49: members[0].incomes[0].salary_revenue: 給与収入 に負の金額（-5）は指定できません
}

// A HouseholdReader streams households from JSON Lines, a JSON array or a
// single object; a broken record is reported and the next ones are read.
func ExampleHouseholdReader() {
	r := eligibility.NewHouseholdReader(strings.NewReader(`{"id":"a","members":[{"relation":"self"}]}
{"id":"b","members":[]}
{"id":"c","members":[{"relation":"self"}]}
`), "in.jsonl")
	for {
		h, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("skipped:", err)
			continue
		}
		fmt.Println("read", h.ID)
	}
	// Output:
	// read a
	// skipped: in.jsonl:2:21: 2件目: members: 世帯員 を 1 件以上指定してください
	// read c
}

// Ages follow 年齢計算ニ関スル法律: an age is reached the day before the
// birthday, so a child born on 1 April leaves the 18歳年度末 a year earlier
// than one born on 2 April.
func ExampleFirstMarch31AfterAge() {
	for _, b := range []civil.Date{civil.MustDate(2007, 4, 1), civil.MustDate(2007, 4, 2)} {
		fmt.Println(b, "→", civil.FirstMarch31AfterAge(b, 18), "age on 2025-03-31:", civil.StatutoryAge(b, civil.MustDate(2025, 3, 31)))
	}
	// Output:
	// 2007-04-01 → 2025-03-31 age on 2025-03-31: 18
	// 2007-04-02 → 2026-03-31 age on 2025-03-31: 17
}

// Money is exact: rounding is explicit, as 施行令 第2条の4 rounds the
// subtracted term to 10 yen.
func ExampleRoundYen() {
	x := decimal.RequireFromString("1030000").Mul(decimal.RequireFromString("0.0039568")) // 4,075.504
	for _, mode := range []eligibility.RoundingMode{eligibility.RoundHalfUp, eligibility.RoundDown} {
		v, _ := eligibility.RoundYen(x, 10, mode)
		fmt.Println(mode, v)
	}
	// Output:
	// half_up 4080
	// down 4070
}

// Screening a household built in Go: optional facts are pointers, and nil
// means not known.
func ExampleEngine_Screen() {
	pack, _ := eligibility.LoadPack(os.DirFS("testdata/samplepack"), "samplepack")
	engine, _ := eligibility.Compile([]*eligibility.Pack{pack})
	birth := civil.MustDate(2023, 1, 15)
	h := &eligibility.Household{
		ID: "go-built",
		Members: []eligibility.Member{
			{ID: "p", Relation: eligibility.RelationSelf},
			{ID: "c1", Relation: eligibility.RelationChild, BirthDate: &birth},
		},
	}
	if err := h.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	s, _ := engine.Screen(context.Background(), h, civil.MustDate(2025, 6, 1), eligibility.OnlyPrograms("child-allowance"))
	o := s.Results[0]
	fmt.Println(o.Status, o.Amount)
	// Output:
	// eligible 15,000円/月
}

// Rule tests live in the pack's tests/ folder.
func ExampleLoadRuleTests() {
	tests, err := eligibility.LoadRuleTests(os.DirFS("testdata/samplepack"), "samplepack")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := tests[0]
	fmt.Println(len(tests), "cases; first:", t.Name, t.AsOf, t.Expect[0].Program, t.Expect[0].Status)
	// Output:
	// 14 cases; first: 20歳（生計費負担）・17・14・7・2歳の5人で月10万円 2025-06-01 child-allowance eligible
}

// The facts a programme can read: a form asks nothing else.
func ExampleEngine_Programs() {
	pack, _ := eligibility.LoadPack(os.DirFS("testdata/samplepack"), "samplepack")
	engine, _ := eligibility.Compile([]*eligibility.Pack{pack})
	for _, p := range engine.Programs() {
		if p.ID == "visit-support" {
			fmt.Println(p.Name, p.Facts)
		}
	}
	// Output:
	// サンプル訪問支援（試験用の架空の制度） [extra.wants_visit members[].relation members[].resides_in_japan]
}

// Parameters resolved on a date show which figures are carried forward.
func ExampleEngine_Parameters() {
	pack, _ := eligibility.LoadPack(os.DirFS("testdata/samplepack"), "samplepack")
	engine, _ := eligibility.Compile([]*eligibility.Pack{pack})
	for _, p := range engine.Parameters(civil.MustDate(2026, 6, 1)) {
		if p.Name == "cra_full_first" {
			fmt.Println(p.Title, p.Value, "from", p.From, "carried forward:", p.CarriedForward)
		}
	}
	// Output:
	// 児童扶養手当 全部支給額（第1子） 46690 from 2025-04-01 carried forward: true
}

// The JSON Schema of the facts, for vendors' own validation and forms.
func ExampleHouseholdSchema() {
	schema := eligibility.HouseholdSchema()
	fmt.Println(strings.Contains(string(schema), `"$id": "`+eligibility.HouseholdSchemaID+`"`))
	// Output:
	// true
}

// The income year a date uses: 児童扶養手当 switches in November.
func ExampleIncomeYear() {
	for _, d := range []civil.Date{civil.MustDate(2025, 10, 31), civil.MustDate(2025, 11, 1)} {
		fmt.Println(d, "→", eligibility.IncomeYear(d, 11))
	}
	// Output:
	// 2025-10-31 → 2023
	// 2025-11-01 → 2024
}

func ExampleFormatYen() {
	fmt.Println(eligibility.FormatYen(1234000), eligibility.FormatYen(0))
	// Output:
	// 1,234,000円 0円
}

// Clone hands out a copy a form or a chatbot may change (answers filled
// in, a member added) without touching the household it came from.
func ExampleHousehold_Clone() {
	h, err := eligibility.DecodeHousehold([]byte(`{"id":"h1","members":[{"id":"p","relation":"self","birth_date":"1990-05-01"}],"receiving":[]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	draft := h.Clone()
	draft.Members[0].BirthDate = new(civil.MustDate(1991, 5, 1))
	draft.Receiving = append(draft.Receiving, "child-allowance")
	fmt.Println(*h.Members[0].BirthDate, h.Receiving)
	fmt.Println(*draft.Members[0].BirthDate, draft.Receiving)
	// Output:
	// 1990-05-01 []
	// 1991-05-01 [child-allowance]
}

// SetFact records answers by the path Missing names them, checked against
// the fact catalog; a refused answer leaves the household unchanged.
// Member.SetFact does the same for a member built on its own (a form's list
// item), by the path inside the member.
func ExampleHousehold_SetFact() {
	h := &eligibility.Household{Members: []eligibility.Member{{ID: "p", Relation: eligibility.RelationSelf}}}
	fmt.Println(h.SetFact("situation", "divorced"))
	fmt.Println(h.SetFact("members[0].incomes[year=2024].salary_revenue", int64(1_800_000)))
	fmt.Println(h.SetFact("members[0].sex", "男性"))

	var child eligibility.Member
	fmt.Println(child.SetFact("birth_date", civil.MustDate(2016, 4, 2)))
	fmt.Println(*h.Situation, *h.Members[0].IncomeFor(2024).SalaryRevenue, *child.BirthDate)
	// Output:
	// <nil>
	// <nil>
	// members[0].sex: "男性" は 性別 に使えない値です（使える値: female（女性）, male（男性））
	// <nil>
	// divorced 1800000 2016-04-02
}
