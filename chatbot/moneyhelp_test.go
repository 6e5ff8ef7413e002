package chatbot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMoneyHelpData: every example of moneyhelp.yaml holds a word of its
// list and no "not" text does (the query list is read with the entry
// words and its exceptions, as the matcher reads a question).
func TestMoneyHelpData(t *testing.T) {
	f, err := parseMoneyHelp(moneyHelpYAML)
	require.NoError(t, err)
	tb := defaultMoneyHelp()
	for _, c := range []struct {
		name string
		g    wordGroup
		bit  moneyBits
	}{
		{"entry", f.Entry, moneyEntry},
		{"query", f.Query, moneyAsk},
		{"group", f.Group, moneyGroup},
		{"loan", f.Loan, moneyLoan},
	} {
		require.NotEmpty(t, c.g.Examples, c.name)
		require.NotEmpty(t, c.g.Not, c.name)
		for _, x := range c.g.Examples {
			assert.NotZero(t, tb.bits([]byte(Normalize(x)))&c.bit, "%s: %s", c.name, x)
		}
		for _, x := range c.g.Not {
			assert.Zero(t, tb.bits([]byte(Normalize(x)))&c.bit, "%s not: %s", c.name, x)
		}
	}
}

func TestParseMoneyHelp(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		ok         bool
	}{
		{"all lists", "entry: {words: [助成]}\nquery: {words: [安く]}\ngroup: {words: [ひとり親]}\nloan: {words: [借り]}\n", true},
		{"query exceptions", "entry: {words: [助成]}\nquery: {words: [ただで], except: [ただでさえ]}\ngroup: {words: [ひとり親]}\nloan: {words: [借り]}\n", true},
		{"a list without words", "entry: {words: [助成]}\nquery: {words: []}\ngroup: {words: [ひとり親]}\nloan: {words: [借り]}\n", false},
		{"no loan list", "entry: {words: [助成]}\nquery: {words: [安く]}\ngroup: {words: [ひとり親]}\n", false},
		{"exceptions outside the query list", "entry: {words: [助成], except: [助成金]}\nquery: {words: [安く]}\ngroup: {words: [ひとり親]}\nloan: {words: [借り]}\n", false},
		{"an unknown field", "entry: {words: [助成]}\nquery: {words: [安く]}\ngroup: {words: [ひとり親]}\nloan: {words: [借り]}\nextra: 1\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseMoneyHelp([]byte(tt.yaml))
			assert.Equal(t, tt.ok, err == nil, "%v", err)
		})
	}
}

// TestMoneyHelpInputs: aid, aidonly and group for a question and an
// entry's question; a single-parent entry that is no money help gets no
// group input; a question with loan words gets neither aid nor aidonly
// (group stays); ただで inside ただでさえ asks for nothing.
func TestMoneyHelpInputs(t *testing.T) {
	l := NewMoneyHelpLists(DefaultMoneyHelpWords())
	for _, tt := range []struct {
		q, e             string
		aid, only, group float64
	}{
		{"病児保育って高いけど安くならない？", "病児保育の利用料の助成はありますか。", 1, 0, 0},
		{"病児保育の予約はどうするの", "病児保育の利用料の助成はありますか。", 0, 1, 0},
		{"病児保育って高いけど安くならない？", "病児保育を利用するには。", 0, 0, 0},
		{"ひとり親で給食費が払えない", "ひとり親家庭の給食費補助はありますか。", 1, 0, 1},
		{"ひとり親で給食費が払えない", "就学援助について教えてください。", 1, 0, 0},
		{"父子家庭でも手当もらえる？", "父子家庭でも児童扶養手当を受けられますか。", 0, 0, 0},
		{"シングルマザーで給食費がきつい", "ひとり親家庭の給食費補助はありますか。", 1, 0, 1},
		// the loan guard
		{"敷金が払えなくて、借りられるお金はありますか", "家賃の補助はありますか。", 0, 0, 0},
		{"敷金が払えないんです", "家賃の補助はありますか。", 1, 0, 0},
		{"ひとり親で生活資金を借りたい", "ひとり親家庭の医療費助成はありますか。", 0, 0, 1},
		{"入学のお金を貸してもらえる？", "入学祝金はいつもらえますか。", 0, 0, 0},
		{"住宅ローンの負担がきつい", "住宅取得の補助はありますか。", 0, 0, 0},
		{"修学資金の貸付はありますか", "修学資金の貸付はありますか", 0, 0, 0},
		// ただで and ただでさえ
		{"学童ってただで使える？", "放課後児童クラブの利用料の減免はありますか。", 1, 0, 0},
		{"ただでさえ忙しいのに学童の書類が多い", "放課後児童クラブの利用料の減免はありますか。", 0, 1, 0},
		{"ただでさえ忙しいのに、学童ってただで使える？", "放課後児童クラブの利用料の減免はありますか。", 1, 0, 0},
		{"ただでさえ高いのに学童の料金が上がる", "放課後児童クラブの利用料の減免はありますか。", 1, 0, 0},
	} {
		aid, only, group := l.Inputs(tt.q, tt.e)
		assert.Equal(t, []float64{tt.aid, tt.only, tt.group}, []float64{aid, only, group}, "%s ← %s", tt.q, tt.e)
	}
}

// TestMoneyHelpRankInputs: the matcher's inputs are the lists' (the
// re-ranker reads them for every candidate).
func TestMoneyHelpRankInputs(t *testing.T) {
	csv := "ID,問い合わせ文,応答文,カテゴリ\n" +
		"1,病児保育を利用するには。,病児保育室に事前登録してください。,子育て\n" +
		"2,病児保育の利用料の助成はありますか。,ひとり親家庭は利用料の半額を助成します。,子育て\n"
	m, _ := plainAndDefault(t, csv)
	names := RankFeatureNames()
	at := func(n string) int {
		for i, x := range names {
			if x == n {
				return i
			}
		}
		t.Fatalf("no input %s", n)
		return -1
	}
	got := map[string][2]float64{}
	for _, in := range m.RankInputs("病児保育って高いけど安くならない？") {
		got[in.ID] = [2]float64{in.Features[at("aid")], in.Features[at("aidonly")]}
	}
	assert.Equal(t, map[string][2]float64{"1": {0, 0}, "2": {1, 0}}, got)
}

// TestMoneyHelpExcept: a word counts only where no exception holds it,
// wherever the exception starts relative to the word.
func TestMoneyHelpExcept(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       bool
	}{
		{"alone", "ただでつかえる", true},
		{"inside the exception", "ただでさえいそがしい", false},
		{"inside, then alone", "ただでさえいそがしいのにただでつかえる", true},
		{"alone, then inside", "ただでつかえるがただでさえ", true},
		{"the exception twice", "ただでさえただでさえ", false},
		{"inside an exception that starts before it", "またただでいい", false},
		{"no word", "ただいま", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb := newMoneyHelpTable(MoneyHelpWords{Query: []string{"ただで"}, QueryExcept: []string{"ただでさえ", "またただで"}})
			assert.Equal(t, tt.want, tb.bits([]byte(tt.text))&moneyAsk != 0)
		})
	}
}
