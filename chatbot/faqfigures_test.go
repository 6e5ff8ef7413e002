package chatbot_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/packs"
)

// fiscalYearRe finds the fiscal year an FAQ answer states its figures for,
// e.g. 「令和8年度（2026年4月〜2027年3月）」.
var fiscalYearRe = regexp.MustCompile(`令和\d+年度（(\d{4})年4月〜`)

// TestFAQChildRearingAllowanceFiguresMatchPack checks the 児童扶養手当
// figures of the default FAQ (jifu-amount, jifu-partial-calc) against the
// embedded national pack for the fiscal year each answer names: a pack
// update that changes the amounts or coefficients fails here until the FAQ
// text follows. The chatbot package itself does not import the rule engine;
// only this test does.
func TestFAQChildRearingAllowanceFiguresMatchPack(t *testing.T) {
	kb, err := chatbot.Default()
	require.NoError(t, err)
	p, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(t, err)
	eng, err := eligibility.Compile([]*eligibility.Pack{p})
	require.NoError(t, err)

	params := func(t *testing.T, answer string) (map[string]eligibility.ParamUse, civil.Date) {
		t.Helper()
		m := fiscalYearRe.FindStringSubmatch(answer)
		require.NotNil(t, m, "the answer names the fiscal year of its figures: %s", answer)
		y, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		at := civil.MustDate(y, 4, 1)
		out := map[string]eligibility.ParamUse{}
		for _, u := range eng.Parameters(at) {
			out[u.Name] = u
		}
		return out, at
	}

	t.Run("jifu-amount", func(t *testing.T) {
		e, ok := kb.Entry("jifu-amount")
		require.True(t, ok)
		ps, at := params(t, e.Answer)
		full1, full2 := yenParam(t, ps, "cra_full_first", at), yenParam(t, ps, "cra_full_second", at)
		assert.Equal(t, full2, yenParam(t, ps, "cra_full_third", at), "the answer says the 3rd-child addition equals the 2nd")
		for _, want := range []string{
			"全部支給 " + yen(full1),
			"一部支給 " + yen(full1-10) + "〜",
			"全部支給 " + yen(full2),
			"一部支給 " + yen(full2-10) + "〜",
		} {
			assert.Contains(t, e.Answer, want)
		}
	})

	t.Run("jifu-partial-calc", func(t *testing.T) {
		e, ok := kb.Entry("jifu-partial-calc")
		require.True(t, ok)
		ps, at := params(t, e.Answer)
		c1 := decimalParam(t, ps, "cra_coef_first", at)
		c2 := decimalParam(t, ps, "cra_coef_second", at)
		assert.True(t, c2.Equal(decimalParam(t, ps, "cra_coef_third", at)), "the answer gives one coefficient for the 2nd and 3rd child")
		assert.Contains(t, e.Answer, "子ども1人目 "+c1.String())
		assert.Contains(t, e.Answer, "3人目以降 "+c2.String())
		// The worked example: 所得額 184万円, 全部支給の限度額 107万円 (扶養親族1人).
		full1 := yenParam(t, ps, "cra_full_first", at)
		cut := decimal.NewFromInt(770_000).Mul(c1).Div(decimal.NewFromInt(10)).Round(0).IntPart() * 10
		assert.Contains(t, e.Answer, fmt.Sprintf("%s −（77万円 × %s → %s）− 10円 = %s",
			yen(full1), c1.String(), yen(cut), yen(full1-cut-10)))
	})
}

func yenParam(t *testing.T, ps map[string]eligibility.ParamUse, name string, at civil.Date) int64 {
	t.Helper()
	u, ok := ps[name]
	require.True(t, ok, name)
	require.False(t, u.CarriedForward, "%s is carried forward on %s: the FAQ states an unpublished figure", name, at)
	v, ok := u.Value.(int64)
	require.True(t, ok, "%s is %T", name, u.Value)
	return v
}

func decimalParam(t *testing.T, ps map[string]eligibility.ParamUse, name string, at civil.Date) decimal.Decimal {
	t.Helper()
	u, ok := ps[name]
	require.True(t, ok, name)
	require.False(t, u.CarriedForward, "%s is carried forward on %s", name, at)
	s, ok := u.Value.(string) // decimals are handed out as exact strings
	require.True(t, ok, "%s is %T", name, u.Value)
	v, err := decimal.NewFromString(s)
	require.NoError(t, err, name)
	return v
}

// yen formats 48050 as 「48,050円」.
func yen(v int64) string {
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "円"
}
