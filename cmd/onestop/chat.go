package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/screening"
)

// cmdChat runs `onestop chat`: an interactive, line-based chat on stdin and
// stdout with the default or a given FAQ, for trying a knowledge base out.
// It shows the privacy notice first. Typing 1–3 picks an offered candidate;
// 「はい」/「いいえ」 answers 「解決しましたか」; exit, quit or EOF (Ctrl-D)
// ends, and an empty line is ignored.
func cmdChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("chat", "onestop chat [--faq FAQ] [--pack DIR]... [--as-of 日付] [--log 出力.csv] [--confidence 値]", stderr)
	faq := fs.String("faq", "", "FAQ ファイル（YAML か CSV。省略時は同梱の既定 FAQ）")
	logPath := fs.String("log", "", "終了時に、未回答・確信度の低い質問と評価を CSV に書き出す（個人情報はマスク済み）")
	var packDirs listFlag
	var asOf dateFlag
	fs.Var(&packDirs, "pack", "「対象か調べる」で使うルールパック（省略時は組み込みの全国パック）")
	fs.Var(&asOf, "as-of", "「対象か調べる」の基準日（省略時は今日）")
	readings := fs.Bool("readings", true, "形態素辞書で FAQ の言葉の読みを作る（ひらがなの質問のため）")
	confidence := fs.Float64("confidence", 0, "直接回答のしきい値（確信度 0〜1。0 は既定の値。onestop faq calibrate の推奨値を試すとき）")
	if err := fs.parse(args); err != nil {
		return flagExit(err)
	}
	thOpt, err := confidenceOption(*confidence)
	if err != nil {
		fmt.Fprintf(stderr, "onestop chat: %v\n", err)
		return 2
	}
	eng, err := loadEngine(packDirs)
	if err != nil {
		printLoadError(stderr, err)
		return 2
	}
	// The engine's programme names are entities for the matcher too: a
	// local pack's programmes join the library's list.
	progs := chatbot.DefaultProgrammes()
	for _, p := range eng.Programs() {
		progs = append(progs, chatbot.Programme{ID: p.ID, Name: p.Name})
	}
	c, err := compileKB(ctx, *faq, *readings, append(thOpt, chatbot.WithProgrammes(progs))...)
	if err != nil {
		return reportErr(stderr, "onestop chat", err)
	}
	kb, m := c.kb, c.m
	screenOpts := []screening.Option{screening.WithDesks(kb)}
	if asOf.set {
		screenOpts = append(screenOpts, screening.WithDate(func() civil.Date { return asOf.d }))
	}
	log := &chatbot.MemoryLog{}
	bot := chatbot.NewBot(m, chatbot.WithEventLog(log),
		chatbot.WithDialogue(screening.Name, screening.New(eng, screenOpts...)))
	sess := bot.NewSession("cli")

	g := bot.Greeting()
	last := g
	printReply(stdout, g)
	fmt.Fprintln(stdout, "（終了するには exit と入力するか Ctrl-D を押してください）")

	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64*1024), 64*1024)
	for {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprint(stdout, "\nあなた> ")
		if !in.Scan() {
			fmt.Fprintln(stdout)
			break
		}
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue // an empty line (a stray Enter) does not end the chat
		}
		if endsChat(line) {
			break
		}
		// Typing a button's label presses the button.
		input := chatbot.Input{Text: line}
		for _, q := range last.QuickReplies {
			if line == q.Label {
				input = chatbot.Input{Text: q.Text, Postback: q.Postback}
				if q.Text == "" {
					input.Text = ""
				}
			}
		}
		r, err := sess.Handle(ctx, input)
		last = r
		printReply(stdout, r)
		if err != nil {
			fmt.Fprintf(stderr, "onestop chat: %v\n", err)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(stderr, "onestop chat: 入力を読めません: %v\n", err)
		return 1
	}
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			return reportErr(stderr, "onestop chat", err)
		}
		err = chatbot.WriteEventsCSV(f, log.Events())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return reportErr(stderr, "onestop chat", err)
		}
		fmt.Fprintf(stdout, "記録を %s に書き出しました（%d 件）。\n", *logPath, len(log.Events()))
	}
	fmt.Fprintln(stdout, "ご利用ありがとうございました。")
	return 0
}

func printReply(w io.Writer, r chatbot.Reply) {
	fmt.Fprintf(w, "\nボット> %s\n", strings.ReplaceAll(r.Text, "\n", "\n       "))
	if len(r.QuickReplies) > 0 {
		labels := make([]string, len(r.QuickReplies))
		for i, q := range r.QuickReplies {
			labels[i] = q.Label
		}
		fmt.Fprintf(w, "       [ボタン] %s\n", strings.Join(labels, " ／ "))
	}
}

// endsChat reports whether a typed line ends the terminal chat. Words like
// 終了 or やめる are the resident's (they end a guided dialogue), so only
// the terminal's own words end the chat.
func endsChat(line string) bool {
	switch strings.ToLower(line) {
	case "exit", "quit", "/exit", "/quit", ":q":
		return true
	}
	return false
}
