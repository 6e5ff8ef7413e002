package eligibility

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The kind of a programme's outcome: entitlement by default, estimate or
// referral when the pack says so, copied onto every outcome and its JSON.
func TestOutcomeKind(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want Kind
	}{
		{"", KindEntitlement},
		{"    kind: estimate\n", KindEstimate},
		{"    kind: referral\n", KindReferral},
	} {
		fs := programPack("    conditions:\n      - reason: r\n        expr: \"true\"\n")
		body := string(fs["p.yaml"].Data)
		fs["p.yaml"].Data = []byte(strings.Replace(body, "    category: 手当\n", "    category: 手当\n"+tc.yaml, 1))
		p, err := LoadPack(fs, "pk")
		require.NoError(t, err)
		e, err := Compile([]*Pack{p})
		require.NoError(t, err)
		assert.Equal(t, tc.want, e.Programs()[0].Kind)
		s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2025-06-01"))
		require.NoError(t, err)
		o := s.Outcome("p")
		assert.Equal(t, tc.want, o.Kind)
		assert.Contains(t, string(s.AppendJSON(nil)), `"kind":"`+string(tc.want)+`"`)
		js, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Contains(t, string(js), `"kind":"`+string(tc.want)+`"`)
	}
	fs := programPack("    conditions:\n      - reason: r\n        expr: \"true\"\n")
	fs["p.yaml"].Data = []byte(strings.Replace(string(fs["p.yaml"].Data), "    category: 手当\n", "    category: 手当\n    kind: maybe\n", 1))
	_, err := LoadPack(fs, "pk")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "entitlement（受給資格の判定）")
	assert.Equal(t, "目安", KindEstimate.Label())
	assert.Equal(t, "申請の案内", KindReferral.Label())
	assert.Equal(t, "受給資格の判定", KindEntitlement.Label())
}
