// Package packs holds the rule packs built into onestop: the national pack
// jp-national (国の制度: 児童扶養手当, 児童手当, ひとり親控除, 住民税非課税,
// 高等職業訓練促進給付金, 自立支援教育訓練給付金, 母子父子寡婦福祉資金貸付金) and
// the Tokyo pack jp-tokyo (東京都の制度: 児童育成手当, ひとり親家庭等医療費助成),
// which extends the national one the way any prefecture's or city's own pack
// does.
//
// A pack is data, not Go: YAML files that policy staff read and edit, with
// every figure dated and sourced (see docs/national-pack.md), and rule tests
// beside it in tests/. This package only embeds the files; load and compile
// them with package eligibility:
//
//	nat, _ := eligibility.LoadPack(packs.National(), "packs/national")
//	tok, _ := eligibility.LoadPack(packs.Tokyo(), "packs/tokyo")
//	eng, _ := eligibility.Compile([]*eligibility.Pack{nat, tok})
//
// The returned file systems are read-only views of the embedded files, safe
// for concurrent use. The package's tests run every rule test of both packs
// and the OpenFisca-Japan conformance cases (docs/conformance.md).
package packs
