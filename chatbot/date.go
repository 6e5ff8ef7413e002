package chatbot

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"strings"

	"github.com/onestop-jp/onestop/wareki"
)

// ParseDate reads a 更新日 as staff type it in a spreadsheet: 2025-04-01,
// 2025/4/1, 2025年4月1日, 令和7年4月1日, 令和元年5月1日, R7.4.1, full-width
// digits too (see package wareki for every accepted form). Errors wrap ErrBadDate and the wareki
// error that says what is wrong (an era boundary such as 平成31年5月1日, a
// day that does not exist, …).
func ParseDate(s string) (civil.Date, error) {
	d, err := wareki.Parse(strings.TrimSpace(s))
	if err != nil {
		return civil.Date{}, fmt.Errorf("chatbot: date %q: %w: %w", s, ErrBadDate, err)
	}
	return d, nil
}
