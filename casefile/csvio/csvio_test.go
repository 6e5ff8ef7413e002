package csvio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"github.com/onestop-jp/onestop/civil"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/japanese"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/csvio"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/consent"
)

const sample = `世帯番号,宛名番号,続柄コード,続柄,氏,名,氏フリガナ,名フリガナ,生年月日,性別,郵便番号,都道府県,市区町村,町名,番地,電話番号,連絡可否,同居,所得年分,給与収入
Ｈ００１,００１２３４５,本人,世帯主,山田,花子,ﾔﾏﾀﾞ,ﾊﾅｺ,平成2年5月1日,女,100-0001,東京都,千代田区,千代田１丁目,１－１,090-0000-0000,可,1,令和6年,"2,000,000"
Ｈ００１,0012346,child,長男,山田,太郎,ヤマダ,タロウ,R1.5.1,男,,,,,,,,1,,
H002,0020001,self,世帯主,鈴木,一子,スズキ,カズコ,1985-03-31,female,,,,,,,,,,
`

var (
	jst    = time.FixedZone("JST", 9*60*60)
	roles  = map[string]casefile.Permission{"caseworker": casefile.PermRead | casefile.PermWrite | casefile.PermImport | casefile.PermExport | casefile.PermConsent, "staff": casefile.PermRead}
	worker = casefile.Actor{Tenant: "131016", User: "staff-a", Org: "hitorioya-desk", Role: "caseworker"}
)

func service(t require.TestingT) *casefile.Service {
	s, err := casefile.New(memstore.New(), casefile.Config{Roles: roles, Now: func() time.Time { return time.Date(2025, 6, 2, 10, 0, 0, 0, jst) }})
	require.NoError(t, err)
	return s
}

func sjis(t testing.TB, s string) []byte {
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func TestParseUTF8AndShiftJIS(t *testing.T) {
	for name, in := range map[string][]byte{"utf8": []byte(sample), "utf8-bom": append([]byte{0xEF, 0xBB, 0xBF}, sample...), "sjis": sjis(t, sample)} {
		t.Run(name, func(t *testing.T) {
			hs, err := csvio.Parse(bytes.NewReader(in), csvio.Options{})
			require.NoError(t, err)
			require.Len(t, hs, 2)
			assert.Equal(t, "H001", hs[0].No)
			require.Len(t, hs[0].Members, 2)
			m := hs[0].Members[0].Person
			assert.Equal(t, "0012345", m.ExternalIDs[0].Value, "full-width digits folded")
			assert.Equal(t, civil.MustDate(1990, 5, 1), m.BirthDate)
			assert.Equal(t, "ヤマダ", m.Name.FamilyKana, "half-width kana widened")
			assert.Equal(t, "1000001", m.Address.PostalCode)
			assert.Equal(t, "1-1", m.Address.Block)
			assert.True(t, m.Contacts[0].OKToContact)
			assert.Equal(t, []casefile.Income{{Year: 2024, Kind: "salary_revenue", Amount: 2000000, Source: "CSV取込"}}, m.Incomes)
			assert.Equal(t, civil.MustDate(2019, 5, 1), hs[0].Members[1].Person.BirthDate)
			assert.Equal(t, "child", hs[0].Members[1].Relationship.Code)
			assert.Equal(t, "female", hs[1].Members[0].Person.Sex)
		})
	}
	_, err := csvio.Parse(bytes.NewReader(sjis(t, sample)), csvio.Options{Encoding: csvio.ShiftJIS})
	require.NoError(t, err)
}

func TestParseErrorsHaveRowAndColumn(t *testing.T) {
	in := `世帯番号,宛名番号,続柄コード,氏,生年月日,性別,給与収入,所得年分
H1,1,self,山田,平成31年5月1日,女,abc,2024
H1,1,child,,2025-02-30,X,,
H2,2,child,佐藤,,,,
H3,3,self,田中,"R7.4.1,,,,
`
	_, err := csvio.Parse(strings.NewReader(in), csvio.Options{})
	var ie *csvio.ImportError
	require.ErrorAs(t, err, &ie)
	assert.ErrorIs(t, err, csvio.ErrImport)
	got := map[string]bool{}
	for _, e := range ie.Errors {
		got[e.Error()] = true
	}
	for _, want := range []string{
		"2行目「生年月日」: 3文字目: 平成31年5月1日は平成の期間外です（平成は1989年1月8日から2019年4月30日まで）",
		"2行目「給与収入」: 0以上の整数（円）で入力してください",
		"3行目「宛名番号」: 2行目と同じ宛名番号です",
		"3行目「氏」: 氏を入力してください",
		"3行目「性別」: 女・男 のいずれかを入力してください",
		"4行目「続柄コード」: 世帯番号 H2 には本人（self）がちょうど1人必要です（0人）",
	} {
		assert.True(t, got[want], "missing %q in\n%v", want, ie.Error())
	}
	var dateErr bool
	for _, e := range ie.Errors {
		if e.Row == 3 && e.Column == "生年月日" {
			dateErr = true
		}
	}
	assert.True(t, dateErr)
	assert.Contains(t, ie.Error(), "何も登録していません")

	_, err = csvio.Parse(strings.NewReader("氏,個人番号\n山田,123\n"), csvio.Options{})
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "個人番号", ie.Errors[0].Column)
	_, err = csvio.Parse(strings.NewReader(""), csvio.Options{})
	require.ErrorAs(t, err, &ie)
}

func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := service(t)
	res, err := csvio.Import(ctx, s, worker, "test.csv", strings.NewReader(sample), csvio.Options{})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Households)
	assert.Equal(t, 3, res.Persons)
	head, _ := s.Store().AuditHead(ctx, worker.Tenant)

	// The second file has one new household and one already registered:
	// nothing of it is written.
	again := "世帯番号,宛名番号,続柄コード,氏\nH9,0099999,self,新規\nH001,0012345,self,山田\n"
	_, err = csvio.Import(ctx, s, worker, "test2.csv", strings.NewReader(again), csvio.Options{})
	var ie *csvio.ImportError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 3, ie.Errors[0].Row)
	assert.Equal(t, "宛名番号", ie.Errors[0].Column)
	ids, err := s.FindPersons(ctx, worker, consent.PurposeConsultation, casefile.ExternalID{System: "atena", Value: "0099999"})
	require.NoError(t, err)
	assert.Empty(t, ids, "the valid household of the failed file was not written")
	after, _ := s.Store().AuditHead(ctx, worker.Tenant)
	assert.Equal(t, head.Seq+2, after.Seq, "only the refused registration (a 宛名番号 on file) and the search were audited")

	staff := worker
	staff.Role = "staff"
	_, err = csvio.Import(ctx, s, staff, "x.csv", strings.NewReader(sample), csvio.Options{})
	assert.ErrorIs(t, err, casefile.ErrDenied)
}

func TestExportRoundTripAndRedaction(t *testing.T) {
	ctx := context.Background()
	s := service(t)
	res, err := csvio.Import(ctx, s, worker, "test.csv", strings.NewReader(sample), csvio.Options{})
	require.NoError(t, err)
	for _, enc := range []csvio.Encoding{csvio.Auto, csvio.ShiftJIS} {
		var buf bytes.Buffer
		require.NoError(t, csvio.Export(ctx, s, worker, res.CaseIDs, &buf, csvio.ExportOptions{Encoding: enc, Purpose: consent.PurposeConsultation, Recipient: worker.Org, Wareki: true}))
		hs, err := csvio.Parse(&buf, csvio.Options{})
		require.NoError(t, err)
		require.Len(t, hs, 2)
		assert.Equal(t, res.CaseIDs[0], hs[0].No)
		m := hs[0].Members[0].Person
		assert.Equal(t, "山田", m.Name.Family)
		assert.Equal(t, civil.MustDate(1990, 5, 1), m.BirthDate)
		assert.Equal(t, "千代田区", m.Address.City)
		assert.Equal(t, int64(2000000), m.Incomes[0].Amount)
	}
	// To another department without consent: no row at all (not even the
	// number of household members is disclosed).
	var buf bytes.Buffer
	require.NoError(t, csvio.Export(ctx, s, worker, res.CaseIDs, &buf, csvio.ExportOptions{Purpose: consent.PurposeSharing, Recipient: "kosodate-shien"}))
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1, "the header only")

	// With the mother's consent for her identity: her row, the rest empty.
	ids, err := s.FindPersons(ctx, worker, consent.PurposeConsultation, casefile.ExternalID{System: "atena", Value: "0012345"})
	require.NoError(t, err)
	require.Len(t, ids, 1)
	at := s.Now().Add(-time.Hour)
	c := consent.Consent{ID: "c-export", Subject: ids[0], Grantor: consent.Grantor{Person: ids[0], Capacity: consent.CapacitySelf},
		Manager: worker.Org, GivenAt: at, Period: consent.Period{Start: at},
		Notice:   consent.Notice{Version: "1", TextHash: consent.HashNotice("説明"), Language: "ja", ShownAt: at},
		Evidence: consent.Evidence{Channel: consent.ChannelPaper, Ref: "DOC-1", RecordedBy: worker.User},
		Provisions: []consent.Provision{{Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: "kosodate-shien", Name: "子育て支援課"}},
			Purposes: []consent.Purpose{consent.PurposeSharing}, Actions: []consent.Action{consent.ActionCopy}, Categories: []consent.Category{consent.CategoryIdentity}}}}
	_, err = s.RecordConsent(ctx, worker, ids[0], consent.Event{ConsentID: c.ID, Type: consent.EventGiven, At: at, EffectiveAt: at, By: worker.User, Evidence: &c.Evidence, Consent: &c})
	require.NoError(t, err)
	buf.Reset()
	require.NoError(t, csvio.Export(ctx, s, worker, res.CaseIDs, &buf, csvio.ExportOptions{Encoding: csvio.UTF8, Purpose: consent.PurposeSharing, Recipient: "kosodate-shien"}))
	rows, err = csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, "山田", rows[1][4])
	assert.Equal(t, "", rows[1][2], "no household consent: no relation")
	assert.Equal(t, "", rows[1][24], "no income consent")
}

func unique(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add(sjis(f, sample))
	f.Add([]byte("世帯番号,宛名番号,続柄コード,氏\nH1,1,self,\"a\nb\"\n"))
	f.Add([]byte("\xef\xbb\xbf世帯番号,宛名番号,続柄コード,氏\n,,,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		hs, err := csvio.Parse(bytes.NewReader(b), csvio.Options{MaxRows: 1000})
		if err != nil {
			var ie *csvio.ImportError
			if !errors.As(err, &ie) || len(ie.Errors) == 0 {
				t.Fatalf("error %v is not an ImportError with rows", err)
			}
			for _, e := range ie.Errors {
				if e.Row < 1 || e.Message == "" {
					t.Fatalf("bad row error %+v", e)
				}
			}
			return
		}
		for _, h := range hs {
			selves := 0
			for _, m := range h.Members {
				if err := m.Person.Validate(); err != nil {
					t.Fatalf("accepted an invalid person: %v", err)
				}
				if m.Relationship.Code == "self" {
					selves++
				}
			}
			if selves != 1 {
				t.Fatalf("household %s accepted with %d selves", h.No, selves)
			}
		}
	})
}

// TestColumnsDocumented keeps docs/casefile.md in step with Columns.
func TestColumnsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/casefile.md")
	require.NoError(t, err)
	for _, c := range csvio.Columns {
		assert.Contains(t, string(doc), "| "+c.Name+" | `"+c.Alias+"` |", "column %s missing from docs/casefile.md", c.Name)
	}
}
