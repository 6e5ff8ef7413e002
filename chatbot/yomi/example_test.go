package yomi_test

import (
	"fmt"
	"strings"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/yomi"
)

func Example() {
	csv := "ID,問い合わせ文,応答文,カテゴリ\n" +
		"a,高等職業訓練促進給付金とは何ですか,看護師などの資格を取るために養成機関で学ぶ間、生活費を支給します。,仕事\n" +
		"b,保育所の申し込み方法,保育所の入所は市役所で申し込みます。,子育て\n"
	kb, _ := chatbot.LoadCSV(strings.NewReader(csv), "city.csv", chatbot.CSVOptions{})
	d, err := yomi.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := chatbot.Compile(kb, chatbot.WithReadings(d))
	fmt.Println(m.Canonical("こうとうしょくぎょうくんれん"))
	fmt.Println(m.Match("ようせいきかんで まなぶあいだの せいかつひ").Best().ID)
	// Output:
	// 高等職業訓練促進給付金
	// a
}
