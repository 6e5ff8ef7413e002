package chatbot

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPersonalIn: questions about the resident's own case, and general
// questions about the same steps that are FAQ questions.
func TestPersonalIn(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"私の申請どうなってる？", true},
		{"審査まだですか", true},
		{"振込確認してもらえますか", true},
		{"私の受給者証まだ届かない 確認してほしい", true},
		{"先週児童扶養手当の申請したんですけど、審査どうなってますか？", true},
		{"私の審査はどうなっていますか。", true},
		{"昨日郵送で出した書類、ちゃんと届いとる？", true},
		{"息子の学童の申込み、ちゃんと受理されてますか？", true},
		{"今回の振込額が少なかった。なんで減ったか調べてもらえますか", true},
		{"学童の空き待ち、うちの子いま何番目ですか？", true},
		{"8月に現況届出したけど、11月の手当ちゃんと出るよね？確認して", true},
		{"3週間前に申請したけどまだ何も連絡こない", true},
		{"就学援助 認定結果まだ？", true},
		{"My application for the child allowance, can you check if it was approved?", true},
		{"I applied last month. Please check my application status.", true},
		{"Has it been approved yet?", true},
		// round 13: one review over, its outcome, one paper taken in
		{"もう審査終わってますか？私の結果いつ来ます？", true},
		{"審査ってもう終わってますかね", true},
		{"昨日窓口に出した学童の申込書、ちゃんと受け付けられてますか？", true},
		{"現況届の案内まだ届がねんだばって、わの分忘れられでねが？", true},
		{"先週出した修学資金の申込み、うちって審査通りそう？", true},
		{"娘が申請したんだけど、審査が通ったかどうかここで確認できますか？", true},
		{"申し込んだ保育園の結果がまだ来ないんだけど、うちの子は入れたの？", true},
		{"がくどうの もうしこみ 1がつに だしたけど うちのこ はいれそうですか", true},
		// round 14: one lottery, one reservation, one record, one amount
		{"町営住宅申し込んだんだけど、当たったかどうか教えて", true},
		{"市営住宅の抽選、うち当たってますか？受付番号は123です", true},
		{"現況届の日、夜勤で無理。予約変えといて", true},
		{"次はどの予防接種をいつ打てばいいか、記録見て教えてもらえる？", true},
		{"遺族年金の金額がいくらになるのか知りたいのですが、計算してもらえますか", true},
		{"保育園保留になったんやけど、うちあと何点あったら入れたん？", true},
		// round 18: the same in dialect
		{"先週児扶の申請出したけど、私のもう通っとる？", true},
		{"就学援助の審査、もう通ったん？", true},
		{"修学資金の審査もう通っとるかな", true},
		{"先月出した手当の申請、いま審査しよる？", true},
		{"書類 届いでる？", true},
		{"学童の申込み、うちのもう通っとる？", true},
		{"きのう出した書類 届いとるかね", true},
		{"市営住宅の抽選 うち当たっとん？", true},
		// round 20: whether one application went through, its result
		{"私の母子手当の申請もう通った？", true},
		{"先月出した児童手当の申請、通りましたか？", true},
		{"就学援助の審査は通りましたか", true},
		{"保育園の結果もう出ました？", true},
		{"Has my application been approved?", true},
		{"Did my application for the allowance go through?", true},
		{"現況届の日に行けません。私の予約を8月20日の午後に変えてもらえますか。", true},
		{"5月の市営住宅の抽選に申し込みました。私は当選していますか。", true},
		{"返還の通知が届きましたが、一度には払えません。返還金を分割にしてもらえますか。", true},
		{"払い戻しの申請を3ヶ月前にしたんですが、まだ振込まれていません。いつになりますか", true},
		{"手当額が去年より減ってるんですけど、なんで減ったのか調べてください", true},
		{"うちは手当が月いくらもらえるか計算してください", true},
		// round 26: how far one application has got; regional requests;
		// one payment into one's own account
		{"先月出した児童扶養手当の申請、審査はどこまで進んでいるか教えてください", true},
		{"就学援助の申請、今どの段階ですか", true},
		{"保育園の入所、いつ頃決まりそうですか", true},
		{"修学資金の審査、どこまで進んどる？", true},
		{"手当の申請はどげなっとるかね", true},
		{"先月出した申請はどないなってるん？", true},
		{"児童手当 うちの口座に振り込まれたか調べてごせ", true},
		{"今月の手当、うちの口座にまだ入っとらんけん調べてごしない", true},
		{"振込されたか確認してけろ", true},
		{"書類届いたか調べてくんない", true},
		{"手当入ったかどうか確認してくいやい", true},
		{"わしの口座に振り込まれとらんのじゃが", true},
		{"出した書類、届いちょる？", true},
		{"払い戻しがまだ振り込まれとらんのですが", true},
		{"振り込まれとるか見てもらえんか", true},
		{"申請の審査、確認してつかぁさい", true},
		{"What is the status of my application?", true},
		{"Where is my application now?", true},
		// general questions: FAQ entries answer them
		{"審査には何日かかりますか", false},
		{"どこまで進めば申請できますか", false},
		{"審査はどこまで見られますか", false},
		{"結果はいつ決まりますか", false},
		{"どの段階で書類を出せばいいですか", false},
		{"審査はどげしたら通るかね", false},
		{"うちの口座に振り込まれるのはいつですか", false},
		{"振込口座を変えたいけど、うちの口座はどこで変えられますか", false},
		{"振り込まれたかどうかはどこで確認できますか", false},
		{"振り込まれたか調べる方法はありますか", false},
		{"今月まだ入っとらんけど、振込日はいつかね", false},
		{"通知がまだ来とらんのですけど", false},
		{"子どもを見てもらえる所はありますか", false},
		{"When will my payment be made?", false},
		{"What is the status of the program?", false},
		{"申請してから何日で振り込まれますか", false},
		{"審査に通ったらいつから支給されますか", false},
		{"申請が通ったらどうなりますか", false},
		{"結果が出るまでどのくらいかかりますか", false},
		{"How do I submit my application?", false},
		{"現況届の予約は変更できますか", false},
		{"返還金は分割で払えますか", false},
		{"市営住宅の当選者はいつ発表されますか", false},
		{"手当の額の計算のしかたを教えてください", false},
		{"保育園にもう通っとる子も申し込みできる？", false},
		{"審査が通ったら連絡来るん？", false},
		{"審査通ったら連絡来るん？", false},
		{"支払日が土日に当たったらどうなりますか", false},
		{"市営住宅の抽選はいつ当たったかわかりますか", false},
		{"手当の額はどうやって計算するんですか", false},
		{"申請してからどのくらいで振り込まれますか", false},
		{"審査にはどのくらいかかりますか", false},
		{"受給者証はいつ届きますか", false},
		{"児童扶養手当の振込日っていつ？今月まだ入ってない気がするんやけど", false},
		{"母子手当の振込日っていつ？今月入ってないんだけど", false},
		{"4か月健診の通知がまだ来ないんですけど", false},
		{"振込日はどこで確認できますか", false},
		{"申請の結果はいつわかりますか", false},
		{"審査が終わるまで何日くらいかかりますか", false},
		{"審査が通ったら通知は届きますか", false},
		{"4月入所の結果っていつわかりますか", false},
		{"郵送でも申請は受け付けてもらえますか", false},
		{"保育園に入れたいのですが、申込はいつですか", false},
		{"児童扶養手当の対象になるか知りたい", false},
		{"保育園の入所の点数はどうやって決まりますか", false},
		{"How do I check the payment date?", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, personalIn([]byte(Normalize(tt.text))), tt.text)
	}
}

// TestPersonalNotAnswered: a question about one's own case is never
// answered directly, though an entry about the same programme matches; the
// general question still is.
func TestPersonalNotAnswered(t *testing.T) {
	m := defaultMatcher(t)
	for _, q := range []string{
		"児童扶養手当の申請したんですけど、私の審査どうなってますか",
		"児童手当の振込、確認してもらえますか",
		"児童扶養手当はいつ振り込まれますか？確認してほしい",
	} {
		r := m.Match(q)
		assert.True(t, r.Personal, q)
		assert.Equal(t, Handoff, r.Level, q)
		assert.NotEmpty(t, r.Candidates, "%q: the candidates still say which desk", q)
	}
	r := m.Match("児童扶養手当はいつ振り込まれますか")
	assert.False(t, r.Personal)
	assert.Equal(t, Answer, r.Level)
}

// TestPersonalReply: the session says it cannot see individual cases,
// points to the desk of the entry the question is about, and shows
// nothing of that entry's answer.
func TestPersonalReply(t *testing.T) {
	ctx := context.Background()
	log := &MemoryLog{}
	bot := NewBot(defaultMatcher(t), WithEventLog(log))
	s := bot.NewSession("p")
	general, err := s.Handle(ctx, Input{Text: "児童扶養手当はいつ振り込まれますか"})
	require.NoError(t, err)
	require.Equal(t, ReplyAnswer, general.Kind)

	r, err := s.Handle(ctx, Input{Text: "児童扶養手当の振込、まだなんですけど確認してもらえますか"})
	require.NoError(t, err)
	assert.Equal(t, ReplyPersonal, r.Kind)
	assert.Contains(t, r.Text, "確かめることはできません")
	require.NotNil(t, r.Desk)
	assert.Contains(t, r.Text, r.Desk.Name)
	assert.NotContains(t, r.Text, general.Entry.Answer)
	assert.Nil(t, r.Entry)
	assert.False(t, r.AskFeedback)
	evs := log.Events()
	require.NotEmpty(t, evs)
	assert.Equal(t, EventUnanswered, evs[len(evs)-1].Kind)

	// A 「はい」 after it is no feedback on an entry.
	r, err = s.Handle(ctx, Input{Text: "はい"})
	require.NoError(t, err)
	assert.NotEqual(t, ReplyFeedback, r.Kind)

	// Danger still comes first.
	r, err = s.Handle(ctx, Input{Text: "私の申請どうなってる？もう死にたい"})
	require.NoError(t, err)
	assert.NotEmpty(t, r.Emergency)
}

// TestPersonalReplyWithoutDesk: a knowledge base without desks points to
// a neutral 担当窓口.
func TestPersonalReplyWithoutDesk(t *testing.T) {
	m, err := Compile(tinyKB(t, [2]string{"児童手当はいつ支給されますか。", "偶数月に支給します。"}))
	require.NoError(t, err)
	r, err := NewBot(m).NewSession("q").Handle(context.Background(), Input{Text: "児童手当 私の申請どうなってる？"})
	require.NoError(t, err)
	assert.Equal(t, ReplyPersonal, r.Kind)
	assert.Nil(t, r.Desk)
	assert.Contains(t, r.Text, "担当窓口")
	assert.NotContains(t, r.Text, "偶数月")
}

// TestFirstRuneIndex: the index finds any of its phrases, also one whose
// first rune lies beyond the Basic Multilingual Plane (𠮷, U+20BB7: such a
// phrase was once dropped silently), and an empty phrase matches nothing.
func TestFirstRuneIndex(t *testing.T) {
	ix := newFirstRuneIndex([][]byte{[]byte("審査どう"), []byte("𠮷野家"), []byte("")})
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"私の審査どうなってる", true},
		{"𠮷野家の近く", true},
		{"吉野家の近く", false},
		{"審査はどう", false},
		{"", false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, ix.in([]byte(tt.text)))
		})
	}
}
