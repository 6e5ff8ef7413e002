package docnode

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseJSONPositions(t *testing.T) {
	src := "{\n  \"id\": \"h1\",\n  \"members\": [\n    {\"名前\": \"花子\", \"n\": -12}\n  ]\n}"
	n, err := ParseJSON([]byte(src))
	require.NoError(t, err)
	require.Equal(t, Object, n.Kind)
	assert.Equal(t, Pos{Line: 1, Col: 1, Offset: 0}, n.Pos)
	id := n.Get("id")
	require.NotNil(t, id)
	assert.Equal(t, "h1", id.Text)
	assert.Equal(t, 2, id.Pos.Line)
	assert.Equal(t, 9, id.Pos.Col)
	m := n.Get("members").Items[0]
	// Columns count code points: "名前" is two columns wide in this count.
	num := m.Get("n")
	assert.Equal(t, 4, num.Pos.Line)
	assert.Equal(t, 23, num.Pos.Col)
	v, err := num.Int()
	require.NoError(t, err)
	assert.Equal(t, int64(-12), v)
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		line, col       int
	}{
		{"trailing comma", `{"a": 1,}`, "項目名（\"…\" で囲んだ名前）があるべきところに「}」があります", 1, 9},
		{"duplicate key", "{\"a\": 1,\n \"a\": 2}", `項目 "a" が2回書かれています`, 2, 2},
		{"unclosed", `{"a": [1, 2`, "1:7 で始まった [ … ] が ] で閉じられていません", 1, 12},
		{"bad literal", `{"a": tru}`, "true の途中に「}」があります", 1, 10},
		{"leading zero", `[01]`, "先頭に 0 を付けた数", 1, 3},
		{"control char", "\"a\tb\"", "制御文字 0x09", 1, 3},
		{"bad escape", `"\x"`, `エスケープ \x は使えません`, 1, 4},
		{"lone surrogate", `"\ud800"`, "サロゲートペア", 1, 8},
		{"extra value", `{} {}`, "JSON の値の終わりの後に「{」があります", 1, 4},
		{"empty", ``, "値があるべきところで入力が終わっています", 1, 1},
		{"invalid utf8", "\"\xff\"", "UTF-8 として読めない文字", 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseJSON([]byte(tc.src))
			require.Error(t, err)
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "%T", err)
			assert.Contains(t, se.Msg, tc.want)
			assert.Equal(t, tc.line, se.Pos.Line, "line")
			assert.Equal(t, tc.col, se.Pos.Col, "col")
		})
	}
}

func TestParseJSONDepthLimit(t *testing.T) {
	_, err := ParseJSON([]byte(strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2)))
	require.ErrorContains(t, err, "入れ子が 64 段を超えています")
}

func TestIntRefusesFractions(t *testing.T) {
	for _, lit := range []string{"1.0", "1e3", "99999999999999999999"} {
		_, err := (&Node{Kind: Number, Text: lit}).Int()
		assert.Error(t, err, lit)
	}
}

func TestStreamForms(t *testing.T) {
	tests := []struct {
		name string
		src  string
		ids  []string
		errs int
	}{
		{"single object", `{"id":"a"}`, []string{"a"}, 0},
		{"pretty object", "{\n \"id\": \"a\"\n}\n", []string{"a"}, 0},
		{"array", `[{"id":"a"}, {"id":"b"}]`, []string{"a", "b"}, 0},
		{"empty array", `[]`, nil, 0},
		{"json lines", "{\"id\":\"a\"}\n{\"id\":\"b\"}\n", []string{"a", "b"}, 0},
		{"json lines with a broken line", "{\"id\":\"a\"}\n{\"id\":}\n{\"id\":\"c\"}\n", []string{"a", "c"}, 1},
		{"broken array stops", `[{"id":"a"}, {"id":}, {"id":"c"}]`, []string{"a"}, 1},
		{"bom", "\uFEFF{\"id\":\"a\"}", []string{"a"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStream(strings.NewReader(tc.src))
			var ids []string
			errs := 0
			for i := 0; i < 10; i++ {
				n, err := s.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					errs++
					continue
				}
				ids = append(ids, n.Get("id").Text)
			}
			assert.Equal(t, tc.ids, ids)
			assert.Equal(t, tc.errs, errs)
		})
	}
}

func TestStreamOneByteAtATime(t *testing.T) {
	src := "\uFEFF[{\"id\": \"児童\", \"n\": [1, 2.5, -3e2]},\n {\"id\": \"b\\u00e9\"}]"
	s := NewStream(iotest.OneByteReader(strings.NewReader(src)))
	a, err := s.Next()
	require.NoError(t, err)
	assert.Equal(t, "児童", a.Get("id").Text)
	assert.Equal(t, "-3e2", a.Get("n").Items[2].Text)
	b, err := s.Next()
	require.NoError(t, err)
	assert.Equal(t, "bé", b.Get("id").Text)
	assert.Equal(t, 2, b.Pos.Line)
	assert.Equal(t, 2, b.Pos.Col)
	_, err = s.Next()
	assert.Equal(t, io.EOF, err)
}

func TestStreamReadError(t *testing.T) {
	s := NewStream(iotest.ErrReader(errors.New("disk on fire")))
	_, err := s.Next()
	require.ErrorContains(t, err, "disk on fire")
	_, err = s.Next()
	assert.Equal(t, io.EOF, err)
}

func TestStreamLineNumbersAcrossRecords(t *testing.T) {
	s := NewStream(strings.NewReader("{\"id\":\"a\"}\n\n{\"id\":\n  \"b\"}\n"))
	_, err := s.Next()
	require.NoError(t, err)
	n, err := s.Next()
	require.NoError(t, err)
	assert.Equal(t, 3, n.Pos.Line)
	assert.Equal(t, 4, n.Get("id").Pos.Line)
	assert.Equal(t, 3, n.Get("id").Pos.Col)
}

func TestParseYAML(t *testing.T) {
	src := `base: &b
  kind: physical
  grade: "3"
child:
  <<: *b
  grade: "1"
amount: 0.0256619
flag: yes
empty: ~
list: [1, 2]
`
	n, err := ParseYAML([]byte(src))
	require.NoError(t, err)
	child := n.Get("child")
	assert.Equal(t, "1", child.Get("grade").Text, "explicit key wins over merge")
	assert.Equal(t, "physical", child.Get("kind").Text)
	assert.Equal(t, Number, n.Get("amount").Kind)
	assert.Equal(t, "0.0256619", n.Get("amount").Text, "numbers keep their literal text")
	assert.Equal(t, String, n.Get("flag").Kind, "YAML 1.2: yes is a string")
	assert.Equal(t, Null, n.Get("empty").Kind)
	assert.True(t, n.Get("base").Get("grade").Quoted)
	assert.Equal(t, 7, n.Get("amount").Pos.Line)
}

func TestParseYAMLErrors(t *testing.T) {
	_, err := ParseYAML([]byte("a: 1\na: 2\n"))
	require.ErrorContains(t, err, `項目 "a" が2回書かれています`)
	_, err = ParseYAML([]byte("a: [1,\n"))
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	_, err = ParseYAML([]byte("a: 1\n---\nb: 2\n"))
	require.ErrorContains(t, err, "2つ目があります")
	// Billion laughs.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, err = ParseYAML([]byte(b.String()))
	require.ErrorContains(t, err, "エイリアス * の使いすぎ")
}

func TestPosAt(t *testing.T) {
	src := "conditions:\n  - expr: household.size() > 0\n  - expr: |\n      a &&\n        bad_name\n  - expr: >\n      one\n      two three\n  - expr: \"quoted x\"\n"
	n, err := ParseYAML([]byte(src))
	require.NoError(t, err)
	items := n.Get("conditions").Items
	plain := items[0].Get("expr")
	assert.Equal(t, Pos{Line: 2, Col: 21}, plain.PosAt([]byte(src), 10))
	lit := items[1].Get("expr")
	// "a &&\n  bad_name\n": rune 7 is the 'b' of bad_name on file line 5.
	assert.Equal(t, "a &&\n  bad_name\n", lit.Text)
	assert.Equal(t, Pos{Line: 5, Col: 9}, lit.PosAt([]byte(src), 7))
	folded := items[2].Get("expr")
	assert.Equal(t, "one two three\n", folded.Text)
	assert.Equal(t, Pos{Line: 8, Col: 11}, folded.PosAt([]byte(src), 8)) // "three"
	q := items[3].Get("expr")
	assert.Equal(t, Pos{Line: 9, Col: 19}, q.PosAt([]byte(src), 7)) // "x"
}

func TestPathString(t *testing.T) {
	var root Path
	assert.Equal(t, "", root.String())
	p := root.Key("members").Index(1).Key("birth_date")
	assert.Equal(t, "members[1].birth_date", p.String())
	assert.Equal(t, "members", root.Key("members").String(), "a child path does not change its parent")
	assert.Equal(t, "[3].id", root.Index(3).Key("id").String())
	deep := root
	for i := 0; i < 12; i++ {
		deep = deep.Key("k")
	}
	assert.Equal(t, "k.k.k.k.k.k.k.k.k.k…", deep.String())
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"\u00e9\ud83d\ude00"],"b":null}`, `[]`, `{"a":{"b":{"c":true}}}`, "\uFEFF{}", `"\x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseJSON(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if n == nil {
			t.Fatal("nil node without error")
		}
		// The stream, fed one byte at a time, reads the same value.
		trimmed := strings.TrimLeft(strings.TrimPrefix(string(data), "\uFEFF"), " \t\r\n")
		s := NewStream(iotest.OneByteReader(strings.NewReader(string(data))))
		if !strings.HasPrefix(trimmed, "[") {
			m, err := s.Next()
			if err != nil {
				t.Fatalf("ParseJSON accepts %q but the stream says %v", data, err)
			}
			if m.Kind != n.Kind || m.Pos != n.Pos || m.Text != n.Text || len(m.Fields) != len(n.Fields) || len(m.Items) != len(n.Items) {
				t.Fatalf("stream and ParseJSON differ on %q: %+v / %+v", data, m, n)
			}
		}
		for i := 0; i < 1000; i++ {
			if _, err := s.Next(); err == io.EOF {
				break
			}
		}
	})
}

func FuzzParseYAML(f *testing.F) {
	for _, s := range []string{"a: 1\nb: [x, y]\n", "a: &x {b: 1}\nc: *x\n", "- |\n  text\n", "{\"json\": true}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseYAML(data)
		if err == nil && n == nil {
			t.Fatal("nil node without error")
		}
		if err == nil {
			var walk func(*Node)
			walk = func(n *Node) {
				n.PosAt(data, 3)
				for _, f := range n.Fields {
					walk(f.Value)
				}
				for _, it := range n.Items {
					walk(it)
				}
			}
			walk(n)
		}
	})
}

func TestParseJSONDuplicateKeysInLargeObjects(t *testing.T) {
	// Objects beyond the linear-scan size are checked with a set: a
	// duplicate is found wherever it is.
	for _, n := range []int{linearKeys - 1, linearKeys, linearKeys + 1, 3 * linearKeys} {
		for _, dupAt := range []int{0, n / 2, n - 1} {
			var b strings.Builder
			b.WriteString("{")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "%q: %d,", fmt.Sprintf("k%d", i), i)
			}
			fmt.Fprintf(&b, "%q: 0}", fmt.Sprintf("k%d", dupAt))
			_, err := ParseJSON([]byte(b.String()))
			require.ErrorContains(t, err, fmt.Sprintf(`項目 "k%d" が2回書かれています`, dupAt), "n=%d", n)
		}
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "%q: %d", fmt.Sprintf("k%d", i), i)
		}
		b.WriteString("}")
		node, err := ParseJSON([]byte(b.String()))
		require.NoError(t, err, "n=%d", n)
		assert.Len(t, node.Fields, n)
	}
}

func TestParseJSONSizeCap(t *testing.T) {
	big := make([]byte, MaxValueSize+1)
	big[0] = '"'
	for i := 1; i < len(big)-1; i++ {
		big[i] = 'a'
	}
	big[len(big)-1] = '"'
	_, err := ParseJSON(big)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, se.Msg, "バイトを超えています")
}

func TestParseYAMLMalformedSecondDocument(t *testing.T) {
	// A broken second document used to be dropped silently.
	_, err := ParseYAML([]byte("a: 1\n---\nb: [1,\n"))
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 3, se.Pos.Line)
}

// BenchmarkParseJSONManyKeys parses one object with 16,384 keys: the
// duplicate-key check must stay linear.
func BenchmarkParseJSONManyKeys(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{")
	for i := 0; i < 16384; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "%q: %d", fmt.Sprintf("key%d", i), i)
	}
	sb.WriteString("}")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

// A scalar element of a top-level array ends at the ] that follows it; it
// used to take the ] along and report "unexpected ']' after a value".
func TestStreamScalarElements(t *testing.T) {
	s := NewStream(strings.NewReader(`[{"a": 1}, 5, "x"]`))
	var kinds []Kind
	for {
		n, err := s.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		kinds = append(kinds, n.Kind)
	}
	assert.Equal(t, []Kind{Object, Number, String}, kinds)
}
