package eligibility

import (
	"maps"
	"slices"

	"github.com/shopspring/decimal"
)

// Compile keeps a deep copy of what it reads from the packs, so that an
// Engine is a snapshot: a caller who edits a Pack after compiling it (or
// reuses it for another Compile) changes nothing in engines already built.

// snapshot returns a deep copy of the pack's parts that an Engine keeps.
func (p *Pack) snapshot() *Pack {
	c := *p
	c.Parameters = make([]*Parameter, len(p.Parameters))
	for i, par := range p.Parameters {
		c.Parameters[i] = par.clone()
	}
	c.Programs = make([]*Program, len(p.Programs))
	for i, pr := range p.Programs {
		c.Programs[i] = pr.clone()
	}
	c.Facts = make([]*ExtraFact, len(p.Facts))
	for i, f := range p.Facts {
		cf := *f
		c.Facts[i] = &cf
	}
	c.sources = maps.Clone(p.sources)
	return &c
}

func (p *Parameter) clone() *Parameter {
	c := *p
	c.Values = slices.Clone(p.Values)
	for i := range c.Values {
		switch v := c.Values[i].Value.(type) {
		case []int64:
			c.Values[i].Value = slices.Clone(v)
		case []decimal.Decimal:
			c.Values[i].Value = slices.Clone(v)
		}
	}
	return &c
}

func (p *Program) clone() *Program {
	c := *p
	c.Sources = slices.Clone(p.Sources)
	c.Values = slices.Clone(p.Values)
	c.Conditions = slices.Clone(p.Conditions)
	for i := range c.Conditions {
		if e := c.Conditions[i].Explain; e != nil {
			ec := *e
			c.Conditions[i].Explain = &ec
		}
	}
	if p.Amount != nil {
		a := *p.Amount
		c.Amount = &a
	}
	return &c
}
