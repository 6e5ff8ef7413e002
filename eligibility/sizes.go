package eligibility

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrTooLarge is returned by Screen for a household beyond the facts
// model's size bounds (MaxMembers, MaxIncomes, MaxReceiving, MaxExtra,
// MaxStringLength). DecodeHousehold never returns such a household; the
// bounds are what the compile-time cost estimate of every rule assumes.
var ErrTooLarge = errors.New("eligibility: the household exceeds the facts model's size bounds")

// tooLong reports whether s is longer than MaxStringLength characters.
func tooLong(s string) bool {
	return len(s) > MaxStringLength && utf8.RuneCountInString(s) > MaxStringLength
}

// checkExtraSizes bounds the local facts: their number, their strings and
// lists.
func checkExtraSizes(extra map[string]any) error {
	if len(extra) == 0 {
		return nil // ranging over an empty map is not free
	}
	if len(extra) > MaxExtra {
		return fmt.Errorf("%w: %d extra facts (at most %d)", ErrTooLarge, len(extra), MaxExtra)
	}
	for k, v := range extra {
		switch t := v.(type) {
		case string:
			if tooLong(t) {
				return fmt.Errorf("%w: extra.%s is longer than %d characters", ErrTooLarge, k, MaxStringLength)
			}
		case []any:
			if len(t) > MaxReceiving {
				return fmt.Errorf("%w: extra.%s has more than %d entries", ErrTooLarge, k, MaxReceiving)
			}
		}
	}
	return nil
}
