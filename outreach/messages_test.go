package outreach

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/packs"
)

var testDesk = Desk{Name: "こども家庭課 ひとり親相談窓口", Sender: "千代田区", Phone: "03-3264-0151", Hours: "平日 8時30分〜17時15分",
	Place: "区役所4階 子育て支援課", URL: "https://www.city.chiyoda.lg.jp/"}

func TestDefaultMessages(t *testing.T) {
	m, err := DefaultMessages(testDesk)
	require.NoError(t, err)
	assert.True(t, m.Notifies("child-rearing-allowance"))
	assert.False(t, m.Notifies("resident-tax-exempt"), "a status, not a programme to apply for")
	assert.False(t, m.Notifies("no-such-programme"))
	assert.Equal(t, PeriodCalendarYear, m.PeriodOf("single-parent-deduction"))
	assert.Equal(t, PeriodFiscalYear, m.PeriodOf("child-allowance"))

	r, err := m.Render("child-rearing-allowance", casefile.ChannelSMS, VariantStandard, true, "山田 花子", "月額 46,690円")
	require.NoError(t, err)
	assert.Contains(t, r.Body, "【千代田区】児童扶養手当を受けられる可能性があります")
	assert.Contains(t, r.Body, "03-3264-0151")
	assert.Contains(t, r.Body, "月額 46,690円")
	assert.NotContains(t, r.Body, "山田", "an SMS names nobody")
	assert.LessOrEqual(t, SMSLength(r.Body), 670)

	r, err = m.Render("child-rearing-allowance", casefile.ChannelEmail, VariantEasy, false, "山田 花子", "月額 46,690円")
	require.NoError(t, err)
	assert.Contains(t, r.Subject, "児童扶養手当")
	assert.True(t, strings.HasPrefix(r.Body, "山田 花子 さん"))
	assert.Contains(t, r.Body, "教えて ください")
	assert.NotContains(t, r.Body, "46,690", "no amount when the outcome is undetermined")

	r, err = m.Render("child-allowance", casefile.ChannelPost, VariantStandard, true, "", "")
	require.NoError(t, err)
	assert.Contains(t, r.Body, "申請した月の翌月分")
	assert.NotContains(t, r.Body, "様", "no name without consent to it")

	_, err = m.Render("resident-tax-exempt", casefile.ChannelSMS, VariantStandard, true, "", "")
	assert.Error(t, err)
}

func TestMessagesDesk(t *testing.T) {
	_, err := DefaultMessages(Desk{Name: "窓口"})
	var me *MessagesError
	require.ErrorAs(t, err, &me)
	assert.Contains(t, me.Problems[0].Message, "sender")
}

func TestMessagesSMSLimit(t *testing.T) {
	src := strings.Replace(string(defaultMessages), "sms: 670", "sms: 70", 1)
	m, err := LoadMessages([]byte(src), "short.yaml")
	require.NoError(t, err, "no desk yet: nothing rendered")
	_, err = m.WithDesk(testDesk)
	var me *MessagesError
	require.ErrorAs(t, err, &me)
	assert.True(t, errors.Is(err, ErrMessages))
	found := false
	for _, p := range me.Problems {
		if strings.Contains(p.Message, "上限 70 文字") {
			found = true
			assert.Equal(t, "short.yaml", p.File)
			assert.Greater(t, p.Line, 0)
		}
	}
	assert.True(t, found, "%v", err)
}

func TestLoadMessagesProblems(t *testing.T) {
	for name, c := range map[string]struct{ src, want string }{
		"syntax":        {"version: 1\nprograms: [", "YAML"},
		"version":       {"programs: {}\n", "version: 1"},
		"unknown key":   {"version: 1\ncolour: red\n", "colour"},
		"no programs":   {"version: 1\nchannels: {}\n", "programs"},
		"bad period":    {"version: 1\nprograms:\n  x:\n    name: X\n    period: weekly\n", "period"},
		"missing how":   {"version: 1\nprograms:\n  x:\n    name: X\n    standard: {what: a}\n    easy: {what: a, how: b}\n", "how"},
		"bad template":  {strings.Replace(string(defaultMessages), "{{.Desk.Phone}}{{with .Desk.URL}} {{.}}{{end}}", "{{.Desk.Phone", 1), "テンプレート"},
		"unknown field": {strings.Replace(string(defaultMessages), "{{.Program.What}}", "{{.Person.Address}}", 1), "作れません"},
		"sms too long":  {strings.Replace(string(defaultMessages), "sms: 670", "sms: 9999", 1), "limits.sms"},
	} {
		data := c.src
		if !strings.Contains(data, "\ndesk:") && strings.Contains(data, "channels:\n  sms:") {
			data = strings.Replace(data, "version: 1\n", "version: 1\ndesk: {name: 窓口, sender: 千代田区, phone: 03-0000-0000}\n", 1)
		}
		_, err := LoadMessages([]byte(data), name+".yaml")
		var me *MessagesError
		require.ErrorAs(t, err, &me, name)
		assert.Contains(t, err.Error(), c.want, name)
	}
}

func TestPeriodKeys(t *testing.T) {
	d := civil.MustDate(2027, 2, 3)
	assert.Equal(t, "FY2026", PeriodFiscalYear.Key(d))
	assert.Equal(t, "CY2027", PeriodCalendarYear.Key(d))
	assert.Equal(t, "2027-02", PeriodMonth.Key(d))
	assert.Equal(t, "once", PeriodOnce.Key(d))
}

func FuzzLoadMessages(f *testing.F) {
	f.Add(defaultMessages)
	f.Add([]byte("version: 1\ndesk: {name: a, sender: b, phone: c}\nprograms:\n  x:\n    name: X\n    standard: {what: a, how: b}\n    easy: {what: a, how: b}\nchannels:\n  sms: {standard: {body: '{{.Program.Name}}'}, easy: {body: '{{.Desk.Phone}}'}}\n"))
	f.Add([]byte("version: 1\nprograms: {x: {name: X, notify: false}}\nchannels: {}"))
	f.Add([]byte("{{{{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := LoadMessages(data, "fuzz.yaml")
		if err != nil {
			var me *MessagesError
			if !errors.As(err, &me) || len(me.Problems) == 0 {
				t.Fatalf("error %v is not a *MessagesError with problems", err)
			}
			return
		}
		if m.Desk == (Desk{}) {
			if m, err = m.WithDesk(testDesk); err != nil {
				return
			}
		}
		// A loaded file renders every programme it notifies, within limits.
		for _, id := range m.ProgramIDs() {
			if !m.Notifies(id) {
				continue
			}
			for _, ch := range []string{casefile.ChannelSMS, casefile.ChannelEmail, casefile.ChannelLINE, casefile.ChannelPost} {
				r, err := m.Render(id, ch, VariantEasy, true, "", "")
				if err != nil {
					t.Fatalf("%s/%s: %v", id, ch, err)
				}
				if ch == casefile.ChannelSMS && SMSLength(r.Body) > m.Limits.SMS {
					t.Fatalf("SMS over the limit")
				}
			}
		}
	})
}

func TestMessagesRunawayTemplate(t *testing.T) {
	src := strings.Replace(string(defaultMessages), "{{.Program.What}}", "{{range 100000000}}長い{{end}}", 1)
	src = strings.Replace(src, "version: 1\n", "version: 1\ndesk: {name: 窓口, sender: 千代田区, phone: 03-0000-0000}\n", 1)
	_, err := LoadMessages([]byte(src), "loop.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "64 KiB")
}

func TestDefaultMessagesCoverEmbeddedPacks(t *testing.T) {
	m, err := DefaultMessages(testDesk)
	require.NoError(t, err)
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(t, err)
	tok, err := eligibility.LoadPack(packs.Tokyo(), "packs/tokyo")
	require.NoError(t, err)
	eng, err := eligibility.Compile([]*eligibility.Pack{nat, tok})
	require.NoError(t, err)
	assert.Empty(t, m.Missing(eng.Programs()), "a programme of the embedded packs has no notice texts: add them to "+
		"outreach/messages/default.yaml (what it is and how to apply, standard and やさしい日本語), or notify: false for a status that is not applied for")
}
