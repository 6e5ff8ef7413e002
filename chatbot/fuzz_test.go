package chatbot

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"golang.org/x/text/encoding/japanese"
)

// FuzzMatch feeds arbitrary text to matching and to redaction: neither may
// panic, matching returns well-formed results, and redacted text never
// keeps a phone-number-shaped or long digit run.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"", "保育園に入りたい", "母子手当いくら", "ＤＶ　にげたい", "ﾊﾛｰﾜｰｸ", "090-1234-5678",
		"１２３４５６７８９０１８", "a@b.co", "〒123-4567", "\xff\xfe", strings.Repeat("児童扶養手当", 2000), "ー－〜", "・・・",
		"jido fuyo teate itsu", "Can I get a juminhyo at the konbini?", "nnn mmb tch", strings.Repeat("teate ", 800),
		// round 20: aspects against siblings, status questions
		"所得が低くて全額もらえる場合、3人分で月いくらになりますか", "いつまでに申し込めばいい？いつまで", "私の母子手当の申請もう通った？",
		"転入 父子家庭 祖父母と同居 返済 いつ いくら 対象 申請", strings.Repeat("いつまでに、", 300)} {
		f.Add(s)
	}
	m := defaultMatcher(f)
	qa, err := Compile(qaOnlyWithContacts(f))
	require.NoError(f, err)
	longDigits := regexp.MustCompile(`[0-9]{7,}`)
	f.Fuzz(func(t *testing.T, s string) {
		// The calibrated confidence decides entries without phrasings.
		rq := qa.Match(s)
		if c := rq.Confidence; c < 0 || c > 1 || math.IsNaN(c) {
			t.Fatalf("confidence %v", c)
		}
		if a := rq.Signals.AspectSibling; a < -1 || a > 1 {
			t.Fatalf("AspectSibling %d", a)
		}
		for i, x := range rq.Signals.Features() {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("signal %s = %v: %+v", FeatureNames()[i], x, rq.Signals)
			}
		}
		r := m.Match(s)
		if len(r.Candidates) > 3 {
			t.Fatalf("too many candidates: %d", len(r.Candidates))
		}
		for i, c := range r.Candidates {
			if c.Entry == nil || c.Coverage < 0 || c.Coverage > 1.0001 || c.Score < 0 {
				t.Fatalf("bad candidate %d: %+v", i, c)
			}
			if i > 0 && c.Score > r.Candidates[i-1].Score {
				t.Fatalf("not sorted: %+v", r.Candidates)
			}
		}
		if r.Level != Handoff && len(r.Candidates) == 0 {
			t.Fatalf("level %s without candidates", r.Level)
		}
		_ = m.IsDanger(s)
		red, _ := Redact(s)
		if !utf8.ValidString(s) {
			return
		}
		digitsOnly := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			if r == '-' || r == ' ' || r == '(' || r == ')' || r == '.' {
				return -1
			}
			return 'x'
		}, red)
		if longDigits.MatchString(digitsOnly) {
			t.Fatalf("redacted text keeps a long digit run: %q → %q", s, red)
		}
		_ = Normalize(s)
	})
}

// FuzzRedact checks that redaction is stable: redacting twice changes
// nothing more.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"電話090-1234-5678", "名前は山田です", "123456789018", "〒100-0001", "x@y.jp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once, _ := Redact(s)
		if twice, _ := Redact(once); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", s, once, twice)
		}
	})
}

// FuzzLoadYAML: arbitrary YAML never panics; a knowledge base that loads
// also compiles.
func FuzzLoadYAML(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte(miniYAML))
	f.Add([]byte("entries:\n  - id: a\n    category: x\n    question: q\n    answer: a\n    quick_replies: [a,b]\n"))
	f.Add([]byte("aliases: {a: b}\nentries: []\n"))
	f.Add([]byte("- &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kb, err := LoadYAML(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if kb != nil {
				t.Fatal("knowledge base returned with an error")
			}
			return
		}
		if _, err := Compile(kb); err != nil {
			t.Fatalf("loaded but does not compile: %v", err)
		}
	})
}

// FuzzLoadCSV: arbitrary bytes (UTF-8 or Shift_JIS) never panic; what
// loads compiles.
func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte(miniCSV))
	sjis, _ := japanese.ShiftJIS.NewEncoder().String(miniCSV)
	f.Add([]byte(sjis))
	f.Add([]byte("ID,問い合わせ文,応答文,カテゴリ\n\"a\nb\",q,a,c\n"))
	f.Add([]byte("\xEF\xBB\xBFID,問い合わせ文,応答文,カテゴリ,更新日\nx,q,a,c,令和7年4月1日\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kb, err := LoadCSV(bytes.NewReader(data), "fuzz.csv", CSVOptions{})
		if err != nil {
			return
		}
		if _, err := Compile(kb); err != nil {
			t.Fatalf("loaded but does not compile: %v", err)
		}
	})
}

// FuzzLoadQueries: the evaluation query format never panics.
func FuzzLoadQueries(f *testing.F) {
	f.Add([]byte(`[{"q": "a", "expected": null}]`))
	f.Add([]byte(`[{"q": "a", "expected": "x", "tags": ["口語"]}]`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, err := LoadQueries(bytes.NewReader(data), "fuzz.json")
		if err == nil && len(qs) == 0 {
			t.Fatal("no error and no queries")
		}
	})
}

// FuzzParseDate: dates as staff type them never panic, and a parsed date
// is a real calendar day.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-04-01", "令和元年5月1日", "R7.4.1", "平成31年4月30日", "２０２５年１月１日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil && (d.Year() < 1 || d.Year() > 9999 || d.IsZero()) {
			t.Fatalf("%q parsed to %v", s, d)
		}
	})
}

// FuzzLoadGlossary: arbitrary bytes never panic; a glossary that loads
// compiles with a knowledge base, and its rules hold (each word reads as
// its canonical word) or at least never break matching.
func FuzzLoadGlossary(f *testing.F) {
	f.Add(glossaryYAML)
	f.Add(needsYAML)
	f.Add([]byte("needs:\n  - {need: x, fact: y, when: [寝込, ab], programmes: [日常生活支援, 特別児童扶養手当]}\n"))
	f.Add([]byte("needs:\n  - {need: x, when: [離婚届を出], programmes: [ひとり親], negatable: true}\n  - {need: y, when: [z], programmes: [w], negatable: [1]}\n"))
	f.Add([]byte("sections:\n  - name: x\n    rules:\n      - {from: [a, b], to: c}\n      - {from: [捨てたい], also: 粗大ごみ}\n"))
	f.Add([]byte("programmes:\n  - {id: a, name: 児童手当（国）, aliases: [子ども手当]}\n"))
	f.Add([]byte("sections: [{name: x, rules: [{from: ぁ, to: ー}]}]\n"))
	f.Add([]byte("benefits:\n  - {id: a, name: 不妊治療, aliases: [不妊], law: x, dev_gap: true}\n  - {name: 療育手帳, status: true}\n  - {name: 甲, status: [1]}\n"))
	f.Add([]byte("programmes:\n  - {name: 甲手当}\nambiguous:\n  - name: 手当\n    from: [子の手当, こどもの手当]\n    choices:\n      - {programmes: [甲手当], when: [甲]}\n      - {programmes: [児童手当, 乙], when: [乙, 甲]}\n"))
	kb, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := LoadGlossary(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if g != nil {
				t.Fatal("glossary returned with an error")
			}
			return
		}
		m, err := Compile(kb, WithGlossary(g), WithProgrammes(g.Programmes), WithoutSynonyms())
		if err != nil {
			t.Fatalf("loaded but does not compile: %v", err)
		}
		for _, r := range g.Rules {
			for _, from := range r.From {
				_ = m.Match(from)
				_ = m.Canonical(from)
			}
		}
		for _, n := range g.Needs {
			for _, w := range n.When {
				_ = m.Match(w + "の手当")
				_ = m.Canonical(w)
			}
		}
		for _, b := range g.Benefits {
			for _, f := range append([]string{b.Name}, b.Aliases...) {
				_ = m.Match(f + "の助成はありますか")
			}
		}
		for _, a := range g.Ambiguous {
			for _, from := range a.From {
				_ = m.Match(from)
				for _, c := range a.Choices {
					for _, w := range c.When {
						_ = m.Match(w + "の" + from)
					}
				}
			}
		}
	})
}

// FuzzRomaji feeds arbitrary text to the romaji reading: it never panics,
// keeps one mark per byte, leaves text without Latin letters as it is,
// and writes valid UTF-8 for valid input.
func FuzzRomaji(f *testing.F) {
	for _, s := range []string{"jido fuyo teate", "juminhyo", "konnichiwa", "nn", "n", "tch", "mmb", "a b c d e f", "2konbini", "konbini2", "ō", "児童 teate"} {
		f.Add(s)
	}
	tbl := newRomajiTable([]string{"じどうふようてあて", "じゅうみんひょう", "こんびに", "こんにちわ", "てあて"})
	f.Fuzz(func(t *testing.T, s string) {
		var nz normalizer
		b := nz.normalize(nil, s)
		out, marks := tbl.rewrite(nil, nil, b, nz.kata)
		if len(out) != len(marks) {
			t.Fatalf("%d bytes, %d marks", len(out), len(marks))
		}
		if !hasLatin(b) && string(out) != string(b) {
			t.Fatalf("no Latin letters, yet %q → %q", b, out)
		}
		if utf8.Valid(b) && !utf8.Valid(out) {
			t.Fatalf("invalid output %q", out)
		}
	})
}
