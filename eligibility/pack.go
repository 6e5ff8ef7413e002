package eligibility

import (
	"io/fs"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/internal/docnode"
)

// Pack is a rule pack as written by policy staff, loaded but not compiled:
// metadata, dated parameters and programmes, each remembering the file and
// position it came from. Compile turns one or more packs (a national pack
// and the local packs layered on it) into an Engine.
type Pack struct {
	ID           string
	Version      string
	Title        string
	Description  string
	Jurisdiction Jurisdiction
	// Extends is the id of the pack this one layers on (a local pack on the
	// national one); "" for a base pack.
	Extends string
	// Library is the version of the rule library the pack was written for
	// (pack: library: N): its rules see the functions of that version only.
	// 0 when the pack does not say: the current LibraryVersion.
	Library    uint32
	Parameters []*Parameter
	Programs   []*Program
	// Facts declares the local facts (household.extra) the pack's rules
	// read, with Japanese labels, so that a missing one is asked in words.
	Facts []*ExtraFact

	// Name is how the pack's files are named in messages (a directory).
	Name string
	// FS holds the pack's files; rule tests are read from its tests/ folder.
	FS      fs.FS
	sources map[string][]byte
}

// Jurisdiction is the public body whose rules a pack holds.
type Jurisdiction struct {
	Level string // national, prefecture or municipality
	Code  string // "JP", a prefecture code "13", or a municipality code "131016"
	Name  string // 日本, 東京都, 千代田区
}

// ExtraFact declares a local fact: a key of household.extra that a pack's
// rules read, such as the months of a training course.
type ExtraFact struct {
	Key         string
	Label       string // the question's subject, in Japanese: 養成機関での修業期間（月数）
	Type        ExtraType
	Description string

	// Pos is where the fact is declared.
	Pos Position
}

// ExtraType is the type of a local fact's value.
type ExtraType string

// Local fact types.
const (
	ExtraBool ExtraType = "bool" // はい / いいえ
	ExtraInt  ExtraType = "int"  // a whole number (months, people)
	ExtraYen  ExtraType = "yen"  // an amount in yen
	ExtraText ExtraType = "text" // a word or a choice
)

// Parameter is a dated parameter: a figure set by law or by a body (an
// amount, an income limit, a rate) with the dates its values apply from.
type Parameter struct {
	Name        string
	Title       string
	Type        ParamType
	Unit        string
	Reference   string // the provision that sets it (児童扶養手当法施行令第2条の2)
	Description string
	Values      []ParamValue
	// CarryForward allows the last value to be used after its Until date,
	// with CarryForwardWarning attached to every outcome that uses it: for a
	// figure revised every year whose new value is not yet published.
	CarryForward        bool
	CarryForwardWarning string
	// Override marks a local pack's parameter that replaces the one of the
	// same name in the pack it extends.
	Override bool

	// Pos is where the parameter is defined.
	Pos Position
}

// ParamValue is one value of a Parameter and the period it applies to.
type ParamValue struct {
	From     civil.Date // the first day the value applies
	Until    civil.Date // the last day, or zero while it applies until replaced
	ReviewBy civil.Date // a date by which the value must be checked again, or zero
	Value    any        // int64, decimal.Decimal, civil.Date, bool, string, []int64 or []decimal.Decimal
	Source   string
	Note     string
	Pos      Position
}

// ParamType is the type of a parameter's values.
type ParamType string

// Parameter types.
const (
	ParamYen         ParamType = "yen"          // whole yen
	ParamInt         ParamType = "int"          // a count or other whole number
	ParamDecimal     ParamType = "decimal"      // an exact rate: 0.0256619
	ParamDate        ParamType = "date"         // YYYY-MM-DD
	ParamBool        ParamType = "bool"         // true / false
	ParamText        ParamType = "text"         // a string
	ParamYenList     ParamType = "yen_list"     // [690000, 1070000, …]
	ParamIntList     ParamType = "int_list"     // [1, 2, 3]
	ParamDecimalList ParamType = "decimal_list" // ["0.0256619", …]
)

var paramTypes = []ParamType{ParamYen, ParamInt, ParamDecimal, ParamDate, ParamBool, ParamText, ParamYenList, ParamIntList, ParamDecimalList}

// Program is one programme (制度) of a pack.
type Program struct {
	ID       string
	Name     string // Japanese name: 児童扶養手当
	Category string // 手当, 税, 医療, 就労, 貸付 …
	// Kind: entitlement (the default), estimate or referral.
	Kind        Kind
	Authority   string // who runs it: 国・市区町村 (こども家庭庁)
	Description string
	Sources     []Source
	Effective   Period
	// Values are named intermediate values, in order; a value may use the
	// values above it.
	Values     []NamedValue
	Conditions []Condition
	Amount     *Amount
	// Override marks a local pack's programme that replaces the one with the
	// same id in the pack it extends.
	Override bool

	// Pos is where the programme is written.
	Pos Position
}

// Source is a legal or official source of a programme.
type Source struct {
	Title string
	URL   string
}

// Period is a range of dates; a zero Until means open-ended.
type Period struct {
	From  civil.Date
	Until civil.Date
}

// Contains reports whether d falls in the period.
func (p Period) Contains(d civil.Date) bool {
	if !p.From.IsZero() && d.Before(p.From) {
		return false
	}
	return p.Until.IsZero() || !d.After(p.Until)
}

// NamedValue is a named intermediate value of a programme.
type NamedValue struct {
	Name        string
	Description string
	Expr        Expr
}

// Condition is one eligibility condition: a CEL expression that must be
// true, with the reason shown to people.
type Condition struct {
	// Reason says in Japanese what the condition requires.
	Reason string
	Expr   Expr
	// Explain, when set, is a CEL string expression evaluated for
	// explanations, such as "所得額 " + format_yen(income) + " …".
	Explain *Expr
}

// Amount is how much a programme gives, in CEL, and per what.
type Amount struct {
	Expr        Expr
	Per         AmountPer
	Description string
}

// AmountPer is the period of an amount.
type AmountPer string

// Amount periods.
const (
	PerMonth AmountPer = "month" // 月額
	PerYear  AmountPer = "year"  // 年額
	PerOnce  AmountPer = "once"  // 一時金
)

// Expr is a CEL expression written in a pack, with where it was written.
type Expr struct {
	Source string
	File   string
	node   *docnode.Node
}

// Pos returns the file position of the expression's first character.
func (e Expr) Pos() Position {
	if e.node == nil {
		return Position{File: e.File}
	}
	return Position{File: e.File, Line: e.node.Pos.Line, Col: e.node.Pos.Col}
}
