package eligibility

import (
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
)

// Another programme's outcome in a rule: program('child-rearing-allowance')
// is the outcome of that programme for the same household and date, so a
// local programme for "households that qualify for 児童扶養手当" says so
// instead of copying the income test.
//
// The id is a string literal, so the references are known at compile time:
// the engine screens a programme after those it refers to (whatever the
// pack order; Screening.Results stay in pack order), refuses references in
// a cycle with the cycle's path, and counts the facts of the programmes
// referred to among the programme's own (ProgramInfo.Facts). An outcome
// that is undetermined is unknown in the rule: program('x').eligible is
// unknown with x's missing facts, so they become the referring
// programme's Missing too.

// programResultType is the type of program('id').
var programResultType = types.NewObjectType("onestop.ProgramResult", traits.IndexerType|traits.FieldTesterType)

const (
	programOverload = "onestop_program"
	// programsVar is the activation name of the screening's outcomes so far.
	programsVar = "@programs"
)

func programDecls() []libOverload {
	return []libOverload{
		{fn: "program", id: programOverload, params: []param{p("id", types.StringType)}, result: programResultType, since: 2,
			doc: "別の制度の判定結果（同じ世帯・同じ基準日）。.eligible（対象か）、.status（'eligible' か 'ineligible'）、.amount（円。対象外なら 0）、.per（'month' など）、.values.名前（その制度の values の値）。" +
				"その制度が未確定なら不明になり、その制度に足りない情報がこの制度にも足りない情報になります。制度IDは文字列で直接書きます（例: program('child-rearing-allowance').eligible）。互いに参照し合う（循環する）ことはできません",
			cost: constCost(1),
			// Planned by engineDecorator, which reads the screening; this
			// binding runs only if a program is built without it.
			impl: unary(func(id types.String) ref.Val {
				return types.NewErr("program(%q): この式は制度の判定の中でだけ評価できます", string(id))
			})},
	}
}

// programRef is one program('id') call: the programme referred to and
// where the call is, for the cycle message.
type programRef struct {
	target int
	pos    Position
}

// programCall is a planned program('id') call: it reads the outcome the
// screening recorded for the programme.
type programCall struct {
	id     int64
	target string
}

func (c *programCall) ID() int64 { return c.id }

func (c *programCall) Eval(act interpreter.Activation) ref.Val {
	return interpreter.EvalActivation(act, c.Exec)
}

func (c *programCall) Exec(fr *interpreter.ExecutionFrame) ref.Val {
	v, ok := fr.ResolveName(programsVar)
	res, isRes := v.(*programResults)
	if !ok || !isRes {
		return types.NewErr("program(%q): この式は制度の判定の中でだけ評価できます", c.target)
	}
	return res.get(c.target)
}

// programResults are the outcomes of the programmes referred to, recorded
// during one screening in dependency order.
type programResults struct {
	byID map[string]int
	vals []ref.Val // per programme index; nil until screened
	// lazy, when set, is the closure path's screening, which boxes an
	// outcome it recorded when it is first read (cenv.boxResult).
	lazy *cenv
}

func (r *programResults) get(id string) ref.Val {
	if i, ok := r.byID[id]; ok {
		if r.vals[i] == nil && r.lazy != nil {
			r.vals[i] = r.lazy.boxResult(i)
		}
		if r.vals[i] != nil {
			return r.vals[i]
		}
	}
	return types.NewErr("program(%q): この制度の判定結果がありません", id)
}

// programResult builds the value of program('id') from the programme's
// outcome: cond is the unknown of its conditions, amount that of its
// amount, values the named values other programmes read.
func programResult(p *program, out *Outcome, cond, amount *types.Unknown, values map[ref.Val]ref.Val) ref.Val {
	vals := make([]ref.Val, 5) // eligible, status, amount, per, values
	per := ""
	if p.src.Amount != nil {
		per = string(p.src.Amount.Per)
	}
	vals[3] = types.String(per)
	vals[4] = types.NewRefValMap(types.DefaultTypeAdapter, values)
	noAmount := func() ref.Val {
		if p.src.Amount == nil {
			return types.NewErr("program(%q).amount: この制度には金額がありません", p.src.ID)
		}
		return nil
	}
	switch {
	case out.Status == Ineligible:
		vals[0], vals[1], vals[2] = types.False, types.String(Ineligible), types.Int(0)
		if e := noAmount(); e != nil {
			vals[2] = e
		}
	case out.Status == Eligible:
		vals[0], vals[1] = types.True, types.String(Eligible)
		switch {
		case noAmount() != nil:
			vals[2] = noAmount()
		case out.Amount != nil:
			vals[2] = types.Int(out.Amount.Yen)
		case amount != nil:
			vals[2] = amount
		default:
			vals[2] = types.NewErr("program(%q).amount: 金額を計算できませんでした", p.src.ID)
		}
	case out.Error != nil:
		err := types.NewErr("制度 %q（%s）の判定でエラーが起きたため、その結果を使えません: %s", p.src.ID, p.src.Name, out.Error.Message)
		vals[0], vals[1], vals[2] = err, err, err
	case cond == nil && amount == nil:
		err := types.NewErr("program(%q): 判定結果を使えません", p.src.ID)
		vals[0], vals[1], vals[2] = err, err, err
	default:
		u := cond
		if u == nil {
			u = amount
		}
		vals[0], vals[1] = u, u
		vals[2] = types.MergeUnknowns(cond, amount)
		if e := noAmount(); e != nil {
			vals[2] = e
		}
	}
	return newRecord(programResultType, vals...)
}

// programDecorator plans program('id') calls as programCall, which reads
// the screening's outcomes from the activation.
func programDecorator(i interpreter.InterpretableV2) (interpreter.InterpretableV2, error) {
	call, ok := i.(interpreter.InterpretableCall)
	if !ok || call.OverloadID() != programOverload || len(call.Args()) != 1 {
		return i, nil
	}
	c, ok := call.Args()[0].(interpreter.InterpretableConst)
	if !ok {
		return i, nil // refused at compile time: the id must be a literal
	}
	id, ok := c.Value().(types.String)
	if !ok {
		return i, nil
	}
	return &programCall{id: call.ID(), target: string(id)}, nil
}
