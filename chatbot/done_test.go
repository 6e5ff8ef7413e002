package chatbot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDonePaper(t *testing.T) {
	for _, tt := range []struct {
		text, want string
	}{
		{"児扶の現況届は出したんだけど、医療証の更新の書類も別に出さなきゃいけないの？", "現況届"},
		{"転入届はもう出しました。児童手当はまた申請がいりますか", "転入届"},
		{"離婚届けは出したけど次は何をすれば", "離婚届"},
		{"申請書は提出しましたが、いつ届きますか", "申請書"},
		// not a paper, or not said to be in
		{"児童扶養手当は申請したけど、いつ振り込まれる？", ""},
		{"現況届を出したけど", ""},
		{"現況届はいつ出せばいいですか", ""},
		{"子どもが熱出したけど仕事休めない", ""},
		{"届は出した", ""},
	} {
		got := donePaper([]byte(Normalize(tt.text)))
		assert.Equal(t, tt.want, string(got), tt.text)
	}
}

// TestDonePaperNotAnswered: the entry on the paper the resident has
// already handed in is not given as a direct answer; the same question
// without 「は出した」 is.
func TestDonePaperNotAnswered(t *testing.T) {
	kb := tinyKB(t,
		[2]string{"児童扶養手当の現況届はいつ、どこに提出すればよいですか", "現況届は毎年8月に子育て支援課へ提出してください。"},
		[2]string{"ひとり親家庭等医療費助成の受給資格証を更新するにはどうすればよいですか", "有効期限は10月31日です。更新の手続きは不要です。"},
		[2]string{"窓口の受付時間は？", "平日の8時30分から17時15分までです。"})
	m, err := Compile(kb, everyQuery(), WithoutResidentLibrary())
	require.NoError(t, err)
	r := m.Match("児童扶養手当の現況届はいつ提出すればいいですか")
	require.NotNil(t, r.Best())
	assert.Equal(t, "a", r.Best().ID)
	assert.Equal(t, Answer, r.Level)
	r = m.Match("児童扶養手当の現況届は出したんだけど、現況届のほかに提出するものはありますか")
	require.NotNil(t, r.Best())
	assert.Equal(t, "a", r.Best().ID)
	assert.Equal(t, Suggest, r.Level)
}

// TestDetailNotAnswered: a question asking a detail (detailAspects: a lost
// card reissued, a benefit taxed) is not answered directly with an entry
// without phrasings whose question and answer do not speak of it; the same
// question without the detail is, and so is the detail when the entry
// speaks of it.
func TestDetailNotAnswered(t *testing.T) {
	kb := tinyKB(t,
		[2]string{"母子健康手帳はどこでもらえますか", "妊娠届を出すと、保健センターで母子健康手帳をお渡しします。"},
		[2]string{"児童扶養手当の金額はいくらですか", "全部支給で月額46,690円です。"},
		[2]string{"子ども医療費受給者証をなくしたときは", "保険証をお持ちのうえ窓口で再発行の手続きをしてください。"},
		[2]string{"ひとり親控除について", "所得税と住民税で、ひとり親は35万円（住民税30万円）の控除を受けられます。"},
		[2]string{"放課後児童クラブの申し込み方法", "申込書を学校に出してください。"},
		[2]string{"病児保育はどこにありますか", "市内2か所の小児科にあります。利用は午前8時から午後6時までです。"})
	m, err := Compile(kb, everyQuery(), WithoutResidentLibrary())
	require.NoError(t, err)
	for _, tt := range []struct {
		q, best string
		level   Level
	}{
		{"母子手帳はどこでもらえる？", "a", Answer},
		{"母子手帳なくしたさー 再発行できる?", "a", Suggest},
		{"母子手帳をなくしてしまいました", "a", Suggest},
		{"児童扶養手当っていくら？", "b", Answer},
		{"児童扶養手当って税金かかるの？確定申告いる？", "b", Suggest},
		// the entry speaks of the detail
		{"子どもの医療証をなくした 再発行は？", "c", Answer},
		{"ひとり親控除で住民税はいくら安くなる？", "d", Answer},
		{"学童の申し込みはどうすれば", "e", Answer},
		{"学童 土曜 何時まで", "e", Suggest},
		{"病児保育は何時から預けられる？", "f", Answer},
		// 「lost my job」 is losing work, no lost card
		{"I lost my job. How much is 児童扶養手当?", "b", Answer},
	} {
		r := m.Match(tt.q)
		require.NotNil(t, r.Best(), tt.q)
		assert.Equal(t, tt.best, r.Best().ID, tt.q)
		assert.Equal(t, tt.level, r.Level, tt.q)
	}
}
