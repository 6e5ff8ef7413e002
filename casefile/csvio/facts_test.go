package csvio_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/csvio"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

const factsSample = `世帯番号,宛名番号,続柄コード,氏,名,生年月日,同居,住民票同一世帯,生計同一,生活費負担,施設入所,国内住所,在学状況,私立,申請者の立場,事実婚,級地
H1,0010001,本人,佐藤,恵,1988-01-10,,,,,,1,,,父母,0,2級地
H1,0010002,子,佐藤,陽,2010-04-02,1,1,1,1,0,1,高校,0,,,
H1,0010003,子,佐藤,葵,2016-09-09,0,0,,,1,,小学校,,,,
H2,0020001,self,高橋,誠,1980-02-02,,,,,,,,,,,
`

// The household facts of the CSV reach the record: a filled cell is the
// fact, a blank one is not known (nil), never a default; export writes
// them back and they parse to the same values.
func TestHouseholdFactsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := service(t)
	res, err := csvio.Import(ctx, s, worker, "facts.csv", strings.NewReader(factsSample), csvio.Options{})
	require.NoError(t, err)
	require.Len(t, res.CaseIDs, 2)

	h, err := s.Household(ctx, worker, res.CaseIDs[0], civil.MustDate(2025, 6, 2), casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	require.NotNil(t, h.ApplicantRole)
	assert.Equal(t, eligibility.RoleParent, *h.ApplicantRole)
	require.NotNil(t, h.DeFactoPartner)
	assert.False(t, *h.DeFactoPartner)
	require.NotNil(t, h.GradeArea)
	assert.Equal(t, 2, *h.GradeArea)
	require.Len(t, h.Members, 3)
	self, older, younger := h.Members[0], h.Members[1], h.Members[2]
	require.NotNil(t, self.ResidesInJapan)
	assert.True(t, *self.ResidesInJapan)
	assert.Nil(t, self.School)
	for _, b := range []*bool{older.LivesWith, older.SameLivelihood, older.Supported, older.ResidesInJapan} {
		require.NotNil(t, b)
		assert.True(t, *b)
	}
	require.NotNil(t, older.InFacility)
	assert.False(t, *older.InFacility)
	require.NotNil(t, older.School)
	assert.Equal(t, eligibility.School("high_school"), *older.School)
	require.NotNil(t, older.SchoolPrivate)
	assert.False(t, *older.SchoolPrivate)
	require.NotNil(t, younger.LivesWith)
	assert.False(t, *younger.LivesWith, "0 is no")
	require.NotNil(t, younger.InFacility)
	assert.True(t, *younger.InFacility)
	assert.Nil(t, younger.SameLivelihood, "blank is not known")
	assert.Nil(t, younger.Supported)
	assert.Nil(t, younger.ResidesInJapan)
	assert.Nil(t, younger.SchoolPrivate)

	h2, err := s.Household(ctx, worker, res.CaseIDs[1], civil.MustDate(2025, 6, 2), casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	assert.Nil(t, h2.ApplicantRole, "blank is not known")
	assert.Nil(t, h2.DeFactoPartner)
	assert.Nil(t, h2.GradeArea)

	var buf bytes.Buffer
	require.NoError(t, csvio.Export(ctx, s, worker, res.CaseIDs, &buf, csvio.ExportOptions{Encoding: csvio.UTF8, Purpose: consent.PurposeConsultation, Recipient: worker.Org}))
	again, err := csvio.Parse(&buf, csvio.Options{})
	require.NoError(t, err)
	first, err := csvio.Parse(strings.NewReader(factsSample), csvio.Options{})
	require.NoError(t, err)
	require.Len(t, again, len(first))
	for i := range first {
		require.Len(t, again[i].Members, len(first[i].Members))
		for j, want := range first[i].Members {
			got := again[i].Members[j]
			assert.Equal(t, want.LivesWith, got.LivesWith, "%d/%d lives_with", i, j)
			assert.Equal(t, want.SameLivelihood, got.SameLivelihood, "%d/%d", i, j)
			assert.Equal(t, want.Supported, got.Supported, "%d/%d", i, j)
			assert.Equal(t, want.InFacility, got.InFacility, "%d/%d", i, j)
			assert.Equal(t, want.Person.ResidesInJapan, got.Person.ResidesInJapan, "%d/%d", i, j)
			assert.Equal(t, want.Person.School, got.Person.School, "%d/%d", i, j)
			assert.Equal(t, want.Person.SchoolPrivate, got.Person.SchoolPrivate, "%d/%d", i, j)
			assert.Equal(t, want.ApplicantRole, got.ApplicantRole, "%d/%d", i, j)
			assert.Equal(t, want.DeFactoPartner, got.DeFactoPartner, "%d/%d", i, j)
			assert.Equal(t, want.GradeArea, got.GradeArea, "%d/%d", i, j)
		}
	}
}

func TestHouseholdFactErrors(t *testing.T) {
	in := `世帯番号,宛名番号,続柄コード,氏,同居,在学状況,申請者の立場,級地
H1,1,self,山田,たぶん,,祖母,4
H1,2,child,山田,,塾,父母,
`
	_, err := csvio.Parse(strings.NewReader(in), csvio.Options{})
	var ie *csvio.ImportError
	require.ErrorAs(t, err, &ie)
	got := map[string]bool{}
	for _, e := range ie.Errors {
		got[e.Error()] = true
	}
	for _, want := range []string{
		"2行目「同居」: 1・0（はい・いいえ）で入力してください。わからなければ空欄にしてください",
		"2行目「申請者の立場」: 父母・養育者のいずれかを入力してください",
		"2行目「級地」: 1・2・3のいずれかを入力してください",
		"3行目「在学状況」: 在学していない・保育所等・小学校・中学校・高校等・大学等・その他のいずれかを入力してください",
		"3行目「申請者の立場」: 本人（self）の行にだけ入力できます",
	} {
		assert.True(t, got[want], "missing %q in\n%v", want, ie.Error())
	}
}
