// Package eligibility screens a household (世帯) for the programmes of one
// or more rule packs and says, for each programme, whether the household is
// eligible, ineligible or undetermined, how much it gets (exact yen), why,
// and which missing facts would decide it.
//
// The model, in the order a vendor meets it:
//
//   - Facts. A Household with its Members and their Incomes is the input.
//     Every optional fact is a pointer or a nil slice, and nil means "not
//     known" — never zero. DecodeHousehold and HouseholdReader read the JSON
//     form strictly, naming the path and line:column of every problem;
//     HouseholdSchema is its JSON Schema; FactTypes describes each fact with
//     its Japanese label.
//   - Packs. Policy staff write rules as data: a pack is a folder of YAML
//     (or JSON) files with dated parameters (手当額・限度額・率, each value
//     with the date it applies from and its source URL), local facts, and
//     programmes whose conditions and amounts are CEL expressions with
//     Japanese reasons. LoadPack reads a pack; a local pack extends a
//     national one.
//   - Engine. Compile type-checks every expression against the facts model
//     and the parameters, estimates its worst-case cost from the facts
//     model's size bounds and refuses a pack over budget; errors point at
//     file:line:column in words for a policy officer (PackError). An Engine
//     is immutable and safe for concurrent use.
//   - Screening. Engine.Screen evaluates every programme for a household on
//     a date. A fact that is not known makes the expressions that need it
//     unknown (CEL's unknown values, which propagate like partial
//     evaluation: false && unknown is false), so the outcome is decided
//     where it can be and undetermined otherwise, with Missing listing
//     the facts that would decide it — all of them in one round: answering
//     every fact of Missing, with any values, decides the outcome except for
//     follow-ups inside an answer (an income year's amounts once the year is
//     known to have income, a disability's grade once its kind is known),
//     and no fact the known facts make irrelevant is listed (complete.go).
//     A member born after the date screened for is an input error
//     (ErrBornAfterAsOf), not a member counted or left out. With WithExplanations an
//     outcome carries every condition, the named values, the parameters
//     used with their dated sources, and step-by-step income breakdowns.
//     Without explanations, screening runs on typed Go closures compiled
//     from each checked expression, cel-go's interpreter being the
//     reference they are tested against and the fallback for what they do
//     not cover (closure.go; Engine.InterpretedExpressions).
//   - Populations. Batch screens an iterator of households, or a stream of
//     JSON decoded on its workers, on N goroutines with the results in
//     input order, a bounded window, cancellation and per-household errors;
//     Engine.AppendJSON writes a screening's JSON with each programme's
//     constant parts prepared at Compile. Package impact compares a
//     population under two rule sets (a reform).
//   - Tests. Rule tests (RuleTest, LoadRuleTests) live beside a pack in its
//     tests/ folder; package ruletest runs them from go test and the CLI.
//
// Money is whole yen (int64) in facts and outcomes; rates are exact
// decimals in rules (decimal, round_yen with an explicit rounding mode);
// floats are never used. Dates are civil.Date, onestop's one date type, and
// ages follow 年齢計算ニ関スル法律 (civil.StatutoryAge). The income
// maths the programmes share (給与所得, 所得額, 扶養親族等, 住民税非課税) is in
// package income and exposed to rules as functions (LibraryFunctions).
//
// The guide for rule authors, in Japanese, is docs/rules.md.
package eligibility
