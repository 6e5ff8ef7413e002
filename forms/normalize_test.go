package forms

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormPhone(t *testing.T) {
	cases := []struct{ in, want string }{
		{"０９０－１２３４－５６７８", "090-1234-5678"},    // full-width digits and hyphen
		{"０９０ー１２３４ー５６７８", "090-1234-5678"},    // long-vowel marks typed for hyphens
		{"090ｰ1234ｰ5678", "090-1234-5678"},    // half-width long-vowel mark
		{"090‐1234―5678", "090-1234-5678"},    // hyphen and horizontal bar
		{"090−1234−5678", "090-1234-5678"},    // minus sign
		{"09012345678", "090-1234-5678"},      // a mobile number's grouping is fixed
		{"+81 90-1234-5678", "090-1234-5678"}, // international form
		{"+819012345678", "090-1234-5678"},
		{"03(1234)5678", "03-1234-5678"},
		{"(03)1234-5678", "03-1234-5678"},
		{"03 1234 5678", "03-1234-5678"},
		{"0312345678", "0312345678"}, // a fixed line's grouping depends on the area code: kept as typed
		{"0120123456", "0120-123-456"},
		{"  ０３－１２３４－５６７８　", "03-1234-5678"},
		{"電話なし", "電話なし"}, // not a number: kept for the message
	}
	for _, c := range cases {
		assert.Equal(t, c.want, normPhone(c.in), c.in)
	}
}

func TestValidPhone(t *testing.T) {
	for _, ok := range []string{"090-1234-5678", "080-1234-5678", "070-1234-5678", "050-1234-5678", "03-1234-5678", "0312345678", "0120-123-456", "0570-123-456", "0800-123-4567"} {
		assert.True(t, validPhone(ok), ok)
	}
	for _, bad := range []string{"", "090-1234-567", "090-1234-56789", "1234567890", "00-1234-5678", "010-1234-5678", "031234567a", "03--1234"} {
		assert.False(t, validPhone(bad), bad)
	}
}

func TestNormPostal(t *testing.T) {
	cases := []struct{ in, want string }{
		{"〒１００ー０００１", "1000001"},
		{"〒100-0001", "1000001"},
		{"100ｰ0001", "1000001"},
		{"１００‐０００１", "1000001"},
		{"〒 100 0001", "1000001"},
		{"1000001", "1000001"},
		{"１００－０００", "100000"}, // too short: validation refuses it
	}
	for _, c := range cases {
		assert.Equal(t, c.want, normPostal(c.in), c.in)
	}
}

func TestNormKana(t *testing.T) {
	cases := []struct{ in, want string }{
		{"ｶﾀｶﾅ", "カタカナ"},
		{"ﾔﾏﾀﾞ", "ヤマダ"}, // a voiced mark written apart joins its kana
		{"ﾊﾟﾊﾟ", "パパ"},
		{"やまだ", "ヤマダ"},         // hiragana becomes katakana
		{"ヤマダ　ハナコ", "ヤマダ ハナコ"}, // 全角スペース
		{"  やまだ   はなこ ", "ヤマダ ハナコ"},
		{"ハ-ト", "ハート"}, // a hyphen after a kana is a long-vowel mark
		{"ﾊｰﾄ", "ハート"},
		{"ゔぁ", "ヴァ"},
		{"山田", "山田"}, // not kana: kept, and refused by validation
	}
	for _, c := range cases {
		assert.Equal(t, c.want, normKana(c.in), c.in)
	}
	assert.True(t, isKatakanaName("ヤマダ ハナコ"))
	assert.True(t, isKatakanaName("ジョン・スミス"))
	assert.False(t, isKatakanaName("山田"))
	assert.False(t, isKatakanaName("ヤマダ1"))
	assert.False(t, isKatakanaName(""))
}

func TestNormDate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"R7.4.1", "2025-04-01"},
		{"Ｒ７．４．１", "2025-04-01"},
		{"令和7年4月1日", "2025-04-01"},
		{"令和元年5月1日", "2019-05-01"},
		{"H31.4.30", "2019-04-30"},
		{"S63.5.10", "1988-05-10"},
		{"２０２５年４月１日", "2025-04-01"},
		{"2025/4/1", "2025-04-01"},
		{"2025-04-01", "2025-04-01"},
		{"5070401", "2025-04-01"},
	}
	for _, c := range cases {
		got, err := normDate(c.in)
		assert.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
	for _, bad := range []string{"R1.4.30", "平成31年5月1日", "2025-02-29", "きのう", "R7.13.1"} {
		_, err := normDate(bad)
		assert.Error(t, err, bad)
	}
}

func TestNormYen(t *testing.T) {
	cases := []struct {
		in    string
		units bool
		want  int64
	}{
		{"1200000", false, 1_200_000},
		{"1,200,000", false, 1_200_000},
		{"1,200,000円", false, 1_200_000},
		{"¥1,200,000", false, 1_200_000},
		{"￥１，２００，０００", false, 1_200_000},
		{"１２００００", false, 120_000},
		{"0", false, 0},
		{"1,200万", true, 12_000_000},
		{"１，２００万円", true, 12_000_000},
		{"120万", true, 1_200_000},
		{"120万円", true, 1_200_000},
		{"1万2千円", true, 12_000},
		{"1万2000円", true, 12_000},
		{"2千万", true, 20_000_000},
		{"1億2000万", true, 120_000_000},
		{"12.5万", true, 125_000},
		{"3千", true, 3_000},
		{"1千2百", true, 1_200},
		{"1千1万", true, 10_010_000}, // 千一万 = 1001万
		{"36万", true, 360_000},
	}
	for _, c := range cases {
		got, err := normYen(c.in, c.units)
		if assert.NoError(t, err, c.in) {
			assert.Equal(t, c.want, got, c.in)
		}
	}
	bad := []struct {
		in    string
		units bool
	}{
		{"120万", false},     // units only where the field allows them
		{"約120万", true},     // words
		{"1.5", true},       // a fraction of a yen
		{"12.34567万", true}, // 123456.7 yen
		{"万", true},         // a unit without a number
		{"千万", true},
		{"1万20000", true}, // digits after 万 must be below 万
		{"2万3億", true},    // units out of order
		{"-5", false},
		{"1e6", false},
		{"", false},
		{"円", false},
		{"100000000001", false}, // above eligibility.MaxYen
	}
	for _, c := range bad {
		_, err := normYen(c.in, c.units)
		assert.Error(t, err, c.in)
	}
}

func TestNormText(t *testing.T) {
	assert.Equal(t, "山田 花子", normText("山田　花子"))
	assert.Equal(t, "山田 花子", normText("  山田 \t 花子 "))
	assert.Equal(t, "ABC 123", normText("ＡＢＣ　１２３"))
	assert.Equal(t, "カナ", normText("ｶﾅ"))
	assert.Equal(t, "plain", normText("plain"))
	assert.Equal(t, "一行目\n二行目", normMultiline("一行目　 \r\n二行目\n\n"))
}

func TestNormInt(t *testing.T) {
	v, err := normInt("１２")
	assert.NoError(t, err)
	assert.Equal(t, int64(12), v)
	v, err = normInt("1,000")
	assert.NoError(t, err)
	assert.Equal(t, int64(1000), v)
	for _, bad := range []string{"", "十二", "1.5", "-", "12か月", "9999999999999999999"} {
		_, err := normInt(bad)
		assert.Error(t, err, bad)
	}
}

func TestNormBool(t *testing.T) {
	for _, s := range []string{"はい", "true", "Yes", "１", "同意する"} {
		v, ok := normBool(s)
		assert.True(t, ok && v, s)
	}
	for _, s := range []string{"いいえ", "false", "NO", "0", "同意しない"} {
		v, ok := normBool(s)
		assert.True(t, ok && !v, s)
	}
	_, ok := normBool("たぶん")
	assert.False(t, ok)
}

func TestLGCode(t *testing.T) {
	assert.Equal(t, "", lgCodeProblem("131016")) // 千代田区
	assert.Equal(t, "", lgCodeProblem("011002")) // 札幌市
	assert.Equal(t, "", lgCodeProblem("010006")) // 北海道
	assert.Contains(t, lgCodeProblem("131017"), "131016 ではありませんか")
	assert.Contains(t, lgCodeProblem("13101"), "6桁")
	assert.Contains(t, lgCodeProblem("481234"), "01〜47")
	assert.Equal(t, "131016", normDigits("１３１０１６"))
	assert.Equal(t, "131016", normDigits("13101-6"))
}
