package screening_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/screening"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
)

// A bot with guided screening: the button "dialogue:screening:<programme>"
// starts it, and each question is the next fact the engine is missing.
func ExampleNew() {
	pack, err := eligibility.LoadPack(os.DirFS("../../eligibility/testdata/samplepack"), "samplepack")
	if err != nil {
		panic(err)
	}
	engine, err := eligibility.Compile([]*eligibility.Pack{pack})
	if err != nil {
		panic(err)
	}
	kb, err := chatbot.Default()
	if err != nil {
		panic(err)
	}
	m, err := chatbot.Compile(kb)
	if err != nil {
		panic(err)
	}
	bot := chatbot.NewBot(m, chatbot.WithDialogue(screening.Name, screening.New(engine,
		screening.WithDate(func() civil.Date { return civil.MustDate(2025, 6, 1) }),
		screening.WithDesks(kb))))

	ctx := context.Background()
	s := bot.NewSession("resident-1")
	r, err := s.Handle(ctx, chatbot.Input{Postback: "dialogue:screening:child-rearing-allowance"})
	if err != nil {
		panic(err)
	}
	for _, answer := range []string{"1", "いない", "married"} {
		fmt.Println("Q:", lastLine(r.Text))
		fmt.Println("A:", answer)
		if r, err = s.Handle(ctx, chatbot.Input{Text: answer}); err != nil {
			panic(err)
		}
	}
	fmt.Println(strings.SplitN(r.Text, "\n", 2)[0])
	fmt.Println("done:", r.DialogueDone)
	// Output:
	// Q: 一緒に暮らしているお子さん（18歳になった後の最初の3月31日までのお子さんのほか、生活費を出している22歳までのお子さん）は何人ですか？
	// A: 1
	// Q: あなたの父母（お子さんの祖父母）で、一緒に暮らしている方は何人ですか？
	// A: いない
	// Q: ひとり親になった事情に近いものを選んでください。
	// A: married
	// お答えの内容では、児童扶養手当の要件のうち次の点に当てはまらないようです。
	// done: true
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
