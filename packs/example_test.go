package packs_test

import (
	"context"
	"fmt"
	"log"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/packs"
)

// Screening a household with the embedded national pack: worked example A
// of 児童扶養手当 (給与収入 3,000,000 yen in 2023, one child) in June 2025.
func ExampleNational() {
	p, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		panic(err)
	}
	e, err := eligibility.Compile([]*eligibility.Pack{p})
	if err != nil {
		panic(err)
	}
	h, err := eligibility.DecodeHousehold([]byte(`{"situation":"divorced","applicant_role":"parent","de_facto_partner":false,
	 "members":[
	  {"relation":"self","resides_in_japan":true,"incomes":[{"year":2023,"salary_revenue":3000000,"pension_revenue":0,
	   "business_income":0,"other_income":0,"child_support_received":0,"deductions":{}}]},
	  {"relation":"child","birth_date":"2015-05-01","in_facility":false,"resides_in_japan":true,"incomes":[]}]}`))
	if err != nil {
		panic(err)
	}
	s, err := e.Screen(context.Background(), h, civil.MustDate(2025, 6, 1), eligibility.OnlyPrograms("child-rearing-allowance"))
	if err != nil {
		panic(err)
	}
	o := s.Outcome("child-rearing-allowance")
	fmt.Println(o.Name, o.Status.Label(), o.Amount)
	// Output: 児童扶養手当 対象 26,920円/月
}

// Layering the Tokyo pack on the national one adds 東京都's programmes.
func ExampleTokyo() {
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		panic(err)
	}
	tok, err := eligibility.LoadPack(packs.Tokyo(), "packs/tokyo")
	if err != nil {
		panic(err)
	}
	e, err := eligibility.Compile([]*eligibility.Pack{nat, tok})
	if err != nil {
		panic(err)
	}
	for _, p := range e.Programs() {
		if p.Pack == packs.TokyoID {
			fmt.Println(p.ID, p.Name)
		}
	}
	// Output:
	// welfare-fund-loan 母子及び父子福祉資金（東京都）
	// tokyo-child-rearing-allowance 児童育成手当（東京都）
	// tokyo-child-disability-allowance 児童育成手当 障害手当（東京都）
	// single-parent-medical ひとり親家庭等医療費助成（東京都・マル親）
}

// The README's first Go program: screen one household with the embedded
// national pack and print the outcomes. TestReadmeProgram checks that the
// README shows exactly this body and this output.
func Example_screen() {
	ctx := context.Background()
	pack, err := eligibility.LoadPack(packs.National(), "packs/national") // or os.DirFS("my-pack")
	if err != nil {
		log.Fatal(err)
	}
	engine, err := eligibility.Compile([]*eligibility.Pack{pack}) // once; safe for concurrent use
	if err != nil {
		log.Fatal(err)
	}
	// Strict: an error names the path and line:col. Absent facts are unknown, never zero.
	h, err := eligibility.DecodeHousehold([]byte(`{
	  "situation": "divorced", "applicant_role": "parent", "de_facto_partner": false,
	  "members": [
	    {"relation": "self", "resides_in_japan": true, "incomes": [
	      {"year": 2023, "salary_revenue": 3000000, "pension_revenue": 0, "business_income": 0,
	       "other_income": 0, "child_support_received": 0, "deductions": {}}]},
	    {"relation": "child", "birth_date": "2015-05-01", "in_facility": false, "resides_in_japan": true, "incomes": []}]}`))
	if err != nil {
		log.Fatal(err)
	}
	// Screen every programme of the pack, or some: here three. WithExplanations() adds the reasons.
	s, err := engine.Screen(ctx, h, civil.MustDate(2025, 6, 1),
		eligibility.OnlyPrograms("child-allowance", "child-rearing-allowance", "single-parent-deduction"))
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range s.Results {
		fmt.Println(o)
	}
	// Output:
	// 児童手当: 対象 10,000円/月
	// 児童扶養手当: 対象 26,920円/月
	// ひとり親控除: 判定保留（要確認: 申請者の2024年分の所得）
}
