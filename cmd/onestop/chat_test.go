package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChatSession(t *testing.T) {
	dir := t.TempDir()
	logFile := filepath.Join(dir, "log.csv")
	in := strings.NewReader("保育園に入りたい\nはい\n夫に殴られて逃げたい\n電話090-1234-5678 パスポートの申請\n\n")
	var out, errb bytes.Buffer
	code := cmdChat(context.Background(), []string{"--log", logFile}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	// The privacy notice comes first.
	assert.Less(t, strings.Index(s, "個人情報は入力しないでください"), strings.Index(s, "あなた>"))
	assert.Contains(t, s, "保育所等の利用調整")
	assert.Contains(t, s, "ありがとうございます")
	assert.Contains(t, s, "#8008")
	assert.Contains(t, s, "お答えできる情報が見つかりませんでした")
	data, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Contains(t, string(data), "[電話番号]")
	assert.NotContains(t, string(data), "090-1234")
	assert.NotContains(t, string(data), "殴られ", "danger messages are not logged")
}

func TestChatBadFAQ(t *testing.T) {
	var out, errb bytes.Buffer
	code := cmdChat(context.Background(), []string{"--faq", "/nonexistent/faq.yaml"}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, 1, code)
	assert.NotEmpty(t, errb.String())
	code = cmdChat(context.Background(), []string{"--bogus"}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
}

// TestChatEmptyLineAndExit: an empty line does not end a terminal chat;
// exit (or EOF) does.
func TestChatEmptyLineAndExit(t *testing.T) {
	in := strings.NewReader("\n\n児童手当はいくら\n\nexit\n保育園に入りたい\n")
	var out, errb bytes.Buffer
	code := cmdChat(context.Background(), []string{"--readings=false"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	assert.Contains(t, s, "児童手当", "the question after empty lines is answered")
	assert.NotContains(t, s, "保育所等の利用調整", "nothing is read after exit")
	assert.Contains(t, s, "ご利用ありがとうございました")
}

// TestChatScreeningByWords: plain words start guided screening in the
// terminal chat, as the button does.
func TestChatScreeningByWords(t *testing.T) {
	in := strings.NewReader("自分が児童扶養手当をもらえるか知りたい\nやめる\n")
	var out, errb bytes.Buffer
	code := cmdChat(context.Background(), []string{"--readings=false"}, in, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	s := out.String()
	assert.Contains(t, s, "児童扶養手当")
	assert.Contains(t, s, "質問を終了しました")
}
