package eligibility

import (
	"errors"
	"fmt"

	"github.com/onestop-jp/onestop/civil"
)

// Facts are a household as it is on the date screened for (as of). A
// member born after that date does not exist on it: a birth date after
// the as-of date is an input error (a typo such as 2030 for 2020, or a
// household screened for a date before one of its members was born), never
// a member silently counted or silently left out. Screen refuses such a
// household with a *FactsError naming the member; so do rule tests, and
// ValidateOn checks it for a household built in Go.

// ErrBornAfterAsOf is the kind of FactError for a birth date after the date
// screened for.
var ErrBornAfterAsOf = errors.New("eligibility: a member's birth date is after the date screened for")

// checkAsOf returns the problems of h that depend on the date screened
// for: birth dates after it.
func checkAsOf(h *Household, asOf civil.Date) []FactError {
	var errs []FactError
	for i := range h.Members {
		m := &h.Members[i]
		if m.BirthDate != nil && m.BirthDate.After(asOf) {
			errs = append(errs, FactError{
				Path: fmt.Sprintf("members[%d].birth_date", i),
				Message: fmt.Sprintf("%sの生年月日（%s）が判定の基準日（%s）より後です。入力の誤りでないか確認してください（基準日にまだ生まれていない人は世帯員に含めません）",
					memberLabel(h, i), m.BirthDate, asOf),
				Err: ErrBornAfterAsOf,
			})
		}
	}
	return errs
}

// ValidateOn checks h like Validate and, in addition, against the date it
// is screened for: no member may be born after asOf. It returns a
// *FactsError.
func (h *Household) ValidateOn(asOf civil.Date) error {
	if err := h.Validate(); err != nil {
		return err
	}
	if errs := checkAsOf(h, asOf); len(errs) > 0 {
		return &FactsError{Errors: errs}
	}
	return nil
}
