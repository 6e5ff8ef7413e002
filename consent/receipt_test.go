package consent

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./consent -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), string(got))
}

func testController() Controller {
	return Controller{
		Name:         "〇〇市",
		Municipality: "999999",
		Desk:         "こども家庭課 ひとり親相談窓口",
		Address:      "〇〇市中央1-1-1 市役所本庁舎2階",
		Phone:        "000-000-0000",
		URL:          "https://www.city.example.lg.jp/privacy",
		Withdrawal:   "窓口、電話、または市公式LINEの「同意の撤回」メニューからお申し出ください。本人確認のうえ受け付けます。",
	}
}

func TestReceiptGolden(t *testing.T) {
	c := standardConsent()
	l := NewLog()
	_, err := l.Append(givenEvent(c))
	require.NoError(t, err)
	rec, err := l.Record("c-1")
	require.NoError(t, err)
	rc, err := NewReceipt(rec, testController(), tPlus1h)
	require.NoError(t, err)
	rc.SubjectName = "山田 花子"
	rc.GrantorName = "山田 花子"

	assert.Equal(t, "c-1/1", rc.ID)
	assert.Equal(t, "JP-999999", rc.Jurisdiction)
	assert.True(t, rc.Sensitive)
	assert.Equal(t, []Labelled{{"health_disability", "健康・障害"}}, rc.SensitiveCategories)
	assert.True(t, rc.ThirdPartyDisclosure, "the contractor is a third party")
	assert.Equal(t, "active", rc.Status.Code)

	text := rc.Text()
	golden(t, "receipt.txt", []byte(text))
	b, err := json.MarshalIndent(rc, "", "  ")
	require.NoError(t, err)
	golden(t, "receipt.json", append(b, '\n'))

	var buf bytes.Buffer
	require.NoError(t, rc.WriteText(&buf))
	assert.Equal(t, text, buf.String())
	for _, must := range []string{"〇〇市", "子育て支援課（庁内部署）", "株式会社コールセンター（委託先）", "相談対応",
		"健康・障害【要配慮】", "令和7年4月1日 10時00分から令和8年3月31日まで", "すべて（基本情報、連絡先、世帯構成", "撤回の方法", "窓口、電話"} {
		assert.Contains(t, text, must)
	}
}

func TestReceiptForRepresentativeAndWithdrawal(t *testing.T) {
	c := newConsent("c-child", permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, viewOnly, []Category{CategoryIdentity}))
	c.Subject = child
	c.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
	c.Period.End = time.Time{}
	tW := t0.AddDate(0, 1, 0)
	l := NewLog()
	for _, e := range []Event{givenEvent(c), withdrawnEvent("c-child", tW, tW)} {
		_, err := l.Append(e)
		require.NoError(t, err)
	}
	rec, err := l.Record("c-child")
	require.NoError(t, err)

	before, err := NewReceipt(rec, testController(), tPlus1h)
	require.NoError(t, err)
	assert.Equal(t, "有効", before.Status.Label, "status as of the issue time")

	rc, err := NewReceipt(rec, testController(), tW)
	require.NoError(t, err)
	assert.Equal(t, "c-child/2", rc.ID)
	assert.Equal(t, "withdrawn", rc.Status.Code)
	assert.False(t, rc.Sensitive)
	assert.False(t, rc.ThirdPartyDisclosure)
	text := rc.Text()
	assert.Contains(t, text, "同意した人: p-mother（法定代理人・親権者）")
	assert.Contains(t, text, "情報の本人: p-child")
	assert.Contains(t, text, "から撤回まで")
	assert.Contains(t, text, "終了日時: 令和7年5月1日 10時00分（撤回済み）")
	assert.NotContains(t, text, "要配慮】")
}

func TestReceiptErrors(t *testing.T) {
	c := standardConsent()
	l := NewLog()
	_, err := l.Append(givenEvent(c))
	require.NoError(t, err)
	rec, _ := l.Record("c-1")

	bad := testController()
	bad.Withdrawal = ""
	bad.Municipality = "12345"
	_, err = NewReceipt(rec, bad, tPlus1h)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 2)

	noContact := testController()
	noContact.Phone, noContact.Address = "", ""
	_, err = NewReceipt(rec, noContact, tPlus1h)
	assert.ErrorIs(t, err, ErrInvalid)

	_, err = NewReceipt(rec, testController(), time.Time{})
	assert.ErrorIs(t, err, ErrInvalid)

	_, err = NewReceipt(Record{ID: "x"}, testController(), tPlus1h)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestReceiptTextHasNoEmptyLabels(t *testing.T) {
	c := standardConsent()
	l := NewLog()
	_, _ = l.Append(givenEvent(c))
	rec, _ := l.Record("c-1")
	rc, err := NewReceipt(rec, testController(), tPlus1h)
	require.NoError(t, err)
	for _, line := range strings.Split(rc.Text(), "\n") {
		assert.False(t, strings.HasSuffix(line, ": "), "empty value on line %q", line)
		assert.NotContains(t, line, "%!", "formatting error on line %q", line)
	}
}
