package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFAQUpkeepPage: what the chat could not answer reaches the desk's
// page and CSV with personal data masked; the text of a danger/DV message
// never does; other departments cannot open either.
func TestFAQUpkeepPage(t *testing.T) {
	p := newTestPortal(t, 2, Limits{})
	res := p.agent(t)
	res.get("/chat").ok()
	res.post("/chat", url.Values{"text": {"090-1234-5678に電話ください。飼っている猫の予防接種の補助はありますか"}}).ok()
	res.post("/chat", url.Values{"text": {"夫に殴られて逃げたい"}}).ok()
	require.Contains(t, res.text(), "110", "the danger override answered")

	desk := p.agent(t).staffLogin("hitorioya.sato")
	desk.get("/staff/").ok()
	assert.Contains(t, desk.page, `href="/staff/faq"`, "the desk's menu has the page")
	desk.get("/staff/faq").ok()
	rows := tableOf(desk.page, "faq-questions")
	require.Len(t, rows, 1, "the one question the chat could not answer well")
	assert.Contains(t, rows[0], "猫の予防接種")
	assert.Contains(t, rows[0], "伏せました")
	for _, leak := range []string{"090-1234-5678", "09012345678", "1234-5678", "殴られ"} {
		assert.NotContains(t, desk.page, leak)
	}
	counts := strings.Join(tableOf(desk.page, "faq-counts"), "\n")
	assert.Contains(t, counts, "緊急表示 1", "the danger turn is counted, its text not kept")

	desk.get("/staff/faq.csv")
	require.Equal(t, http.StatusOK, desk.code)
	assert.True(t, strings.HasPrefix(desk.page, "\xEF\xBB\xBF日時,種別,"), "UTF-8 with BOM and the header")
	assert.Contains(t, desk.page, "猫の予防接種")
	for _, leak := range []string{"090-1234-5678", "09012345678", "殴られ"} {
		assert.NotContains(t, desk.page, leak)
	}

	other := p.agent(t).staffLogin("kosodate.ito")
	other.get("/staff/").ok()
	assert.NotContains(t, other.page, `href="/staff/faq"`)
	for _, path := range []string{"/staff/faq", "/staff/faq.csv"} {
		other.get(path)
		assert.Equal(t, http.StatusForbidden, other.code, path)
		assert.NotContains(t, other.page, "猫の予防接種", path)
	}
}
