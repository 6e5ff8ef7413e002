package chatbot_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/onestop-jp/onestop/chatbot"
)

// Compile the default knowledge base once; match many times.
func ExampleCompile() {
	kb, err := chatbot.Default()
	if err != nil {
		panic(err)
	}
	m, err := chatbot.Compile(kb)
	if err != nil {
		panic(err)
	}
	r := m.Match("保育園に入りたい")
	fmt.Println(r.Level, r.Best().ID)
	r = m.Match("粗大ごみの出し方")
	fmt.Println(r.Level)
	// Output:
	// answer hoikusho
	// handoff
}

func ExampleMatcher_Match_danger() {
	kb, _ := chatbot.Default()
	m, _ := chatbot.Compile(kb)
	r := m.Match("夫に殴られて逃げたい")
	fmt.Println(r.Danger)
	// Output: true
}

// A request for a person is handed off, whatever entry its other words
// match; those words still say which desk.
func ExampleMatcher_Match_human() {
	kb, _ := chatbot.Default()
	m, _ := chatbot.Compile(kb)
	r := m.Match("あなたはAIですか？人間の職員さんと話したいです。")
	fmt.Println(r.Human, r.Level)
	r = m.Match("養育費のことを職員に相談したい")
	fmt.Println(r.Human, r.Level, r.Best().ID)
	// Output:
	// true handoff
	// true handoff youikuhi-soudan
}

func ExampleRedact() {
	masked, n := chatbot.Redact("電話は０９０－１２３４－５６７８、番号は123456789018です")
	fmt.Println(masked)
	fmt.Println(n.Phones, n.MyNumbers)
	// Output:
	// 電話は[電話番号]、番号は[マイナンバー]です
	// 1 1
}

func ExampleValidMyNumber() {
	fmt.Println(chatbot.ValidMyNumber("123456789018"))
	fmt.Println(chatbot.ValidMyNumber("123456789012"))
	// Output:
	// true
	// false
}

func ExampleLoadCSV() {
	csv := "ID,問い合わせ文,応答文,カテゴリ,別表現,担当課\n" +
		"q1,ごみの分別は？,燃えるごみは月・木です。,生活,分別|ゴミ出し,環境課\n"
	kb, err := chatbot.LoadCSV(strings.NewReader(csv), "faq.csv", chatbot.CSVOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(kb.Entries[0].ID, kb.Entries[0].Keywords, kb.Desks[0].Name)
	// Output: q1 [分別 ゴミ出し] 環境課
}

func ExampleLoadYAML_error() {
	yaml := "entries:\n  - id: a\n    category: 手当\n    question: 質問\n    answer: 回答\n    updated: 2025-02-30\n"
	_, err := chatbot.LoadYAML(strings.NewReader(yaml), "faq.yaml")
	fmt.Println(err)
	// Output: faq.yaml:6:14: 更新日 "2025-02-30" を日付として読めません（例: 2025-04-01、令和7年4月1日）
}

func ExampleSession_Handle() {
	kb, _ := chatbot.Default()
	m, _ := chatbot.Compile(kb)
	log := &chatbot.MemoryLog{}
	bot := chatbot.NewBot(m, chatbot.WithEventLog(log))
	s := bot.NewSession("pseudonymous-session-id")

	r, _ := s.Handle(context.Background(), chatbot.Input{Text: "学童に入れたい"})
	fmt.Println(r.Kind == chatbot.ReplyAnswer, r.Entry.ID, r.AskFeedback)

	r, _ = s.Handle(context.Background(), chatbot.Input{Text: "いいえ"})
	fmt.Println(r.Kind == chatbot.ReplyFeedback, r.Desk.ID)

	for _, e := range log.Events() {
		fmt.Println(e.Kind, e.EntryID, e.Helpful)
	}
	// Output:
	// true houkago-club true
	// true hitorioya
	// 評価 houkago-club false
}

// A municipality's FAQ as it arrives (question and answer only): the
// calibrated confidence decides whether to answer directly, and Signals
// show what it rests on.
func ExampleResult_Confidence() {
	csv := "ID,問い合わせ文,応答文,カテゴリ\n" +
		"1,児童扶養手当の金額はいくらですか。,月額は所得に応じて決まります。,手当\n" +
		"2,児童扶養手当はいつ支給されますか。,奇数月に2か月分を振り込みます。,手当\n" +
		"3,児童扶養手当の申請に必要なものは何ですか。,戸籍謄本と通帳をお持ちください。,手当\n" +
		"4,保育園の申込みはいつまでですか。,4月入園は11月までに申し込んでください。,保育\n"
	kb, err := chatbot.LoadCSV(strings.NewReader(csv), "faq.csv", chatbot.CSVOptions{})
	if err != nil {
		panic(err)
	}
	m, err := chatbot.Compile(kb)
	if err != nil {
		panic(err)
	}
	for _, q := range []string{"児童扶養手当はいつ振り込まれる？", "手当"} {
		r := m.Match(q)
		fmt.Printf("%s → %s %s (confidence %.3f, programme %d, aspect %d)\n",
			q, r.Best().ID, r.Level, r.Confidence, r.Signals.Programme, r.Signals.Aspect)
	}
	fmt.Println(chatbot.FeatureNames())
	// Output:
	// 児童扶養手当はいつ振り込まれる？ → 2 answer (confidence 0.900, programme 1, aspect 1)
	// 手当 → 1 handoff (confidence 0.000, programme 0, aspect 0)
	// [ratio cov qcov content prog qlead rarest ansonly ecov cov2 mass focus cmiss unknown lnecov ecov2 lnqcov aspectclash place0 ownratio rankshare lnprogents libagree libreach libvd wordgap unreach]
}

// A municipality's FAQ without sample phrasings: the resident-question
// library proposes, per entry, how residents elsewhere asked the same
// thing, for staff to review and add as phrasings (言い換え).
func ExampleMatcher_SuggestPhrasings() {
	kb, err := chatbot.LoadCSV(strings.NewReader("ID,問い合わせ文,応答文,カテゴリ\n"+
		"teate,児童手当の支給額はいくらですか。,3歳未満は月額15000円、3歳から高校生年代までは月額10000円です。,手当\n"+
		"gomi,粗大ごみの出し方を教えてください。,粗大ごみ受付センターに電話で申し込み、処理券を貼って出してください。,生活\n"),
		"city.csv", chatbot.CSVOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := chatbot.Compile(kb)
	if err != nil {
		fmt.Println(err)
		return
	}
	sugs, err := m.SuggestPhrasings(3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sugs {
		fmt.Println(s.Entry.ID)
		for _, p := range s.Phrasings {
			fmt.Println(" ", p)
		}
	}
	// Output:
	// teate
	//   児童手当って月いくら？3人目はもっと出るの？
	//   児童手当 金額 3歳未満
	//   子ども手当って1人いくらもらえるん？2歳と5歳がおるんよ
	// gomi
	//   引っ越しでタンス捨てたいんやけど、どうしたらええ？
	//   そだいごみ だしかた
	//   ソファを捨てたい
}

// Choose the bar for direct answers from a municipality's own labelled
// questions, and apply it only if the cross-validated estimate keeps the
// bounds.
func ExampleCalibrate() {
	ctx := context.Background()
	def, err := chatbot.Default()
	if err != nil {
		panic(err)
	}
	own, err := chatbot.LoadFile(ctx, "testdata/dev16_faq.csv")
	if err != nil {
		panic(err)
	}
	m, err := chatbot.Compile(own.WithDefaults(def))
	if err != nil {
		panic(err)
	}
	var qs []chatbot.LabeledQuery
	for _, name := range []string{"dev16_queries.json", "dev16_oos_queries.json"} {
		f, err := os.Open("testdata/" + name)
		if err != nil {
			panic(err)
		}
		q, err := chatbot.LoadQueries(f, name)
		f.Close()
		if err != nil {
			panic(err)
		}
		qs = append(qs, q...)
	}
	cal, err := chatbot.Calibrate(ctx, m, qs, chatbot.CalibrationBounds{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d in scope, %d out of scope, %d bars tried\n", cal.Current.InScope, cal.Current.OutOfScope, len(cal.Curve))
	cv, b := cal.CrossValidated, cal.Bounds
	if cal.Found && cv.WrongRate() <= b.MaxWrong && cv.RejectionRate() >= b.MinRejection {
		tuned, err := m.WithThresholds(cal.Thresholds)
		if err != nil {
			panic(err)
		}
		m = tuned
	}
	fmt.Println("a bar within the bounds:", cal.Found)
	// Output:
	// 254 in scope, 126 out of scope, 50 bars tried
	// a bar within the bounds: true
}

// A municipality that chose its bar with `onestop faq calibrate` passes it
// on with WithBar: Confirm stays below Confidence by the shipped offset
// (which each refit chooses).
func ExampleThresholds_WithBar() {
	d := chatbot.DefaultThresholds()
	th := d.WithBar(0.80)
	kept := math.Abs((th.Confidence-th.Confirm)-(d.Confidence-d.Confirm)) < 1e-9
	fmt.Printf("Confidence %.2f, offset kept: %t\n", th.Confidence, kept)
	kb, err := chatbot.LoadCSV(strings.NewReader("ID,問い合わせ文,応答文,カテゴリ\nA1,児童手当の支給日はいつですか。,6月・10月・2月に支給します。,手当\n"), "例", chatbot.CSVOptions{})
	if err != nil {
		panic(err)
	}
	m, err := chatbot.Compile(kb, chatbot.WithThresholds(th), chatbot.WithoutResidentLibrary())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.2f\n", m.Thresholds().Confidence)
	// Output:
	// Confidence 0.80, offset kept: true
	// 0.80
}
