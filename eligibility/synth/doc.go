// Package synth generates realistic synthetic households (世帯) for tests,
// benchmarks and demonstrations of the eligibility engine: single mothers
// and fathers after divorce, bereavement or an unmarried birth, a few
// married couples and grandparents raising grandchildren (養育者); children
// of every age up to young adults, some with a disability certificate;
// salary (part-time and full-time), business and pension income that drifts
// from year to year; 養育費 received; grandparents living together, often
// pensioners; de-facto partners; and, at a chosen rate, facts left unknown
// (an income year, a birth date, the family situation), so that screening
// gives eligible, ineligible and undetermined outcomes in realistic
// proportions.
//
// Generation is deterministic: the same Config (Seed included) yields the
// same households in the same order, on every platform, so a benchmark or
// a failing test can be reproduced. The figures are plausible, not
// statistics: they are drawn from ranges chosen to resemble the 全国ひとり親
// 世帯等調査 picture (mostly mothers, low and part-time earnings, 養育費 for
// about a quarter), not sampled from it. Nothing here describes a real
// person.
//
//	g, _ := synth.New(synth.Config{Seed: 1, AsOf: civil.MustDate(2026, 11, 23)})
//	h := g.Next() // *eligibility.Household, valid for the engine
//
// A Generator is not safe for concurrent use; create one per goroutine
// (with different seeds) to generate in parallel.
package synth
