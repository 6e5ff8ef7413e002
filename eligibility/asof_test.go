package eligibility

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A child born after the as-of date (a typo such as 2030) used to be
// screened as an eligible child: 児童手当 and 児童扶養手当 were paid for
// them. It is an input error now, in Japanese, naming the member.
func TestBirthDateAfterAsOfIsAnInputError(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	for _, born := range []string{"2030-05-01", "2025-06-02", "9999-12-31"} {
		h := household(t, parent(`{"year":2023,"business_income":0,"other_income":0,"child_support_received":0}`, born))
		_, err := e.Screen(context.Background(), h, d("2025-06-01"))
		require.Error(t, err, born)
		assert.True(t, errors.Is(err, ErrBornAfterAsOf), "%v", err)
		var fe *FactsError
		require.ErrorAs(t, err, &fe)
		require.Len(t, fe.Errors, 1)
		assert.Equal(t, "members[1].birth_date", fe.Errors[0].Path)
		assert.Contains(t, fe.Errors[0].Message, "子の生年月日（"+born+"）が判定の基準日（2025-06-01）より後です")
		assert.ErrorIs(t, h.ValidateOn(d("2025-06-01")), ErrBornAfterAsOf)
	}
	// Born on the as-of date itself: a member, aged 0.
	h := household(t, parent(`{"year":2023,"business_income":0,"other_income":0,"child_support_received":0}`, "2025-06-01"))
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	assert.Equal(t, Eligible, s.Outcome("child-allowance").Status)
	assert.NoError(t, h.ValidateOn(d("2025-06-01")))
}

func TestRuleTestWithAMemberBornAfterItsDate(t *testing.T) {
	fsys := fstest.MapFS{"tests/t.yaml": &fstest.MapFile{Data: []byte(`tests:
  - name: typo
    as_of: 2025-06-01
    household:
      members:
        - {relation: self}
        - {relation: child, birth_date: 2030-05-01}
    expect:
      child-allowance: {status: eligible}
`)}}
	_, err := LoadRuleTests(fsys, "pk")
	require.Error(t, err)
	var pe *PackError
	require.ErrorAs(t, err, &pe)
	require.Len(t, pe.Problems, 1)
	assert.Equal(t, 7, pe.Problems[0].Line)
	assert.Contains(t, pe.Problems[0].Message, "基準日（2025-06-01）より後")
}

// A pack states the version of the rule library it was written for; a
// version onestop does not have is refused, and a function newer than the
// pack's version is named with the version that has it.
func TestLibraryVersionPin(t *testing.T) {
	meta := func(lib string) string {
		return "pack: {id: t, version: \"1\", title: テスト, library: " + lib + ", jurisdiction: {level: national, code: JP}}\n"
	}
	body := "programs:\n  - id: p\n    name: テスト\n    category: 手当\n    sources: [{title: テスト}]\n    effective: {from: 2020-01-01}\n    conditions:\n      - reason: r\n        expr: household.applicant().age_on(as_of) >= 18\n"
	fs := func(lib string) fstest.MapFS {
		return fstest.MapFS{"pack.yaml": &fstest.MapFile{Data: []byte(meta(lib))}, "p.yaml": &fstest.MapFile{Data: []byte(body)}}
	}
	p, err := LoadPack(fs("1"), "pk")
	require.NoError(t, err)
	assert.Equal(t, uint32(1), p.Library)
	_, err = Compile([]*Pack{p})
	require.NoError(t, err)
	_, err = LoadPack(fs("99"), "pk")
	require.ErrorContains(t, err, "関数ライブラリの版 99 用ですが")
	_, err = LoadPack(fs("0"), "pk")
	require.ErrorContains(t, err, "1 以上の整数")
}
