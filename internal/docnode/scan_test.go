package docnode

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameParse fails unless the Scanner and the reference parser agree on
// data read from start at depth: the same tree (positions included), or
// the same error at the same position, and the same end.
func sameParse(t *testing.T, data []byte, start Pos, depth int) {
	t.Helper()
	ref := refParser{b: data, pos: start}
	want, wantErr := ref.value(depth)
	sc := NewScanner(string(data), start)
	got, gotErr := sc.Tree(depth)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q at %v: reference error %v, scanner error %v", data, start, wantErr, gotErr)
	}
	if wantErr != nil {
		var we, ge *SyntaxError
		if !errors.As(wantErr, &we) || !errors.As(gotErr, &ge) || *we != *ge {
			t.Fatalf("%q at %v: reference error %#v, scanner error %#v", data, start, wantErr, gotErr)
		}
		return
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%q at %v: the trees differ", data, start)
	}
	if ref.i != sc.i {
		t.Fatalf("%q: reference ends at %d, scanner at %d", data, ref.i, sc.i)
	}
}

var scanSeeds = []string{
	"{\n  \"id\": \"h1\",\n  \"members\": [\n    {\"名前\": \"花子\", \"n\": -12}\n  ]\n}",
	`{"a": 1,}`, "{\"a\": 1,\n \"a\": 2}", `{"a": [1, 2`, `{"a": tru}`, `[01]`, "\"a\tb\"", `"\x"`,
	`"\ud800"`, `"\ud83d\ude00 é \u00e9"`, `{} {}`, ``, "\"\xff\"", "\uFEFF{\"a\":\n[1.5e3, -0, null, false]}",
	"{\"k\u00e9\":\"\xe3\x81\x82\",\r\n\t\"b\" : {\"c\":[[],{}]}}", `[1,2,]`, `{"a" 1}`, `{1:2}`, `-`, `1.`, `1e`,
	`"abc`, `"\u12"`, "\x80\x80[", `{"a":"b"}x`, "[\n\n  \"\xe3\x81\x82\xe3\x81\x84\", \x00]",
}

func FuzzScannerMatchesReference(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s), 1, 1, 0, false)
		f.Add([]byte(s), 3, 7, 100, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, line, col, offset int, inArray bool) {
		if line < 1 || col < 1 || offset < 0 || line > 1<<20 || col > 1<<20 || offset > 1<<30 {
			return
		}
		depth := 0
		if inArray {
			depth = 1
		}
		sameParse(t, data, Pos{Line: line, Col: col, Offset: offset}, depth)
		// The whole document, BOM and trailing text included.
		want, wantErr := refParseJSON(data)
		got, gotErr := ParseJSON(data)
		if !reflect.DeepEqual(want, got) || (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
			t.Fatalf("ParseJSON(%q): reference %v %v, now %v %v", data, want, wantErr, got, gotErr)
		}
	})
}

func TestScannerMatchesReferenceOnSeeds(t *testing.T) {
	for _, s := range scanSeeds {
		sameParse(t, []byte(s), Pos{Line: 1, Col: 1}, 0)
		sameParse(t, []byte(s), Pos{Line: 4, Col: 9, Offset: 77}, 1)
		sameParse(t, []byte(s), Pos{Line: 1, Col: 1}, MaxDepth+1)
	}
}

func TestScannerPullsWithoutATree(t *testing.T) {
	src := "{\"a\": [1, \"x\"],\n \"b\": {\"c\": true}}"
	s := NewScanner(src, Pos{Line: 1, Col: 1})
	tok, err := s.Value(0)
	require.NoError(t, err)
	require.Equal(t, Object, tok.Kind)
	key, at, done, err := s.ObjectKey(true, tok.Mark)
	require.NoError(t, err)
	require.False(t, done)
	assert.Equal(t, "a", key)
	assert.Equal(t, Pos{Line: 1, Col: 2, Offset: 1}, s.Pos(at))
	require.NoError(t, s.Colon(key))
	arr, err := s.Value(1)
	require.NoError(t, err)
	require.NoError(t, s.Skip(arr, 1))
	key, at, done, err = s.ObjectKey(false, tok.Mark)
	require.NoError(t, err)
	require.False(t, done)
	assert.Equal(t, "b", key)
	assert.Equal(t, Pos{Line: 2, Col: 2, Offset: 17}, s.Pos(at))
	require.NoError(t, s.Colon(key))
	v, err := s.Value(1)
	require.NoError(t, err)
	require.NoError(t, s.Skip(v, 1))
	_, _, done, err = s.ObjectKey(false, tok.Mark)
	require.NoError(t, err)
	assert.True(t, done)
	require.NoError(t, s.End())
	// A position asked for out of order is still right.
	assert.Equal(t, Pos{Line: 1, Col: 1, Offset: 0}, s.Pos(tok.Mark))
}

func TestSkipFindsDuplicateKeys(t *testing.T) {
	s := NewScanner(`{"x":[{"a":1,"a":2}]}`, Pos{Line: 1, Col: 1})
	tok, err := s.Value(0)
	require.NoError(t, err)
	err = s.Skip(tok, 0)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, `項目 "a" が2回書かれています`, se.Msg)
	assert.Equal(t, 14, se.Pos.Col)
}

// streamEvent is one call of Next: a tree or an error.
type streamEvent struct {
	node *Node
	err  string
}

func refStreamEvents(data []byte, chunk int) []streamEvent {
	s := newRefStream(iotestChunks(data, chunk))
	var evs []streamEvent
	for i := 0; i < 1000; i++ {
		n, err := s.Next()
		if err == io.EOF {
			break
		}
		evs = append(evs, event(n, err))
	}
	return evs
}

func event(n *Node, err error) streamEvent {
	if err != nil {
		return streamEvent{err: fmt.Sprintf("%T %v", err, err)}
	}
	return streamEvent{node: n}
}

// rawStreamEvents reads with NextRaw and parses each value apart, the way
// a decoder on another goroutine does.
func rawStreamEvents(data []byte, chunk int) []streamEvent {
	s := NewStream(iotestChunks(data, chunk))
	var evs []streamEvent
	for i := 0; i < 1000; i++ {
		raw, err := s.NextRaw()
		if err == io.EOF {
			break
		}
		if err != nil {
			evs = append(evs, event(nil, err))
			continue
		}
		sc := NewScanner(raw.Text, raw.Pos)
		n, err := sc.Tree(raw.Depth)
		if err == nil {
			err = sc.EndOfStreamValue()
		}
		if err != nil {
			evs = append(evs, event(nil, err))
			if raw.InArray {
				break
			}
			continue
		}
		if raw.Err != nil {
			evs = append(evs, event(nil, raw.Err))
			continue
		}
		evs = append(evs, event(n, nil))
	}
	return evs
}

// lineStreamEvents reads with NextLine, lag values ahead of the one it
// parses (as a batch's reader is ahead of its workers), rewinding to a
// speculative value that is not exactly one value on its line, and
// forgetting the input of the values it keeps.
func lineStreamEvents(t testing.TB, data []byte, chunk, lag int) []streamEvent {
	s := NewStream(iotestChunks(data, chunk))
	s.SpeculateLines()
	type read struct {
		raw    RawValue
		err    error
		offset int64
	}
	var ahead []read
	var evs []streamEvent
	eof := false
	for i := 0; i < 5000 && len(evs) < 1000; i++ {
		for !eof && len(ahead) <= lag {
			raw, err := s.NextLine()
			if err == io.EOF {
				eof = true
				break
			}
			ahead = append(ahead, read{raw, err, s.Offset()})
		}
		if len(ahead) == 0 {
			break
		}
		r := ahead[0]
		ahead = ahead[1:]
		if r.err != nil {
			evs = append(evs, event(nil, r.err))
			s.Forget(r.offset)
			continue
		}
		sc := NewScanner(r.raw.Text, r.raw.Pos)
		n, err := sc.Tree(r.raw.Depth)
		if err == nil {
			err = sc.EndOfStreamValue()
		}
		if err != nil && r.raw.Speculative {
			require.NoError(t, s.Rewind(r.raw))
			ahead, eof = nil, false
			continue
		}
		s.Forget(r.offset)
		if err != nil {
			evs = append(evs, event(nil, err))
			if r.raw.InArray {
				break
			}
			continue
		}
		if r.raw.Err != nil {
			evs = append(evs, event(nil, r.raw.Err))
			continue
		}
		evs = append(evs, event(n, nil))
	}
	return evs
}

func streamEvents(data []byte, chunk int) []streamEvent {
	s := NewStream(iotestChunks(data, chunk))
	var evs []streamEvent
	for i := 0; i < 1000; i++ {
		n, err := s.Next()
		if err == io.EOF {
			break
		}
		evs = append(evs, event(n, err))
	}
	return evs
}

// iotestChunks reads data chunk bytes at a time (at least 1), so that
// values straddle the stream's reads.
func iotestChunks(data []byte, chunk int) io.Reader {
	return &chunkReader{data: data, n: max(1, chunk)}
}

type chunkReader struct {
	data []byte
	n    int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data[:min(r.n, len(r.data))])
	r.data = r.data[n:]
	return n, nil
}

var streamSeeds = []string{
	"{\"a\":1}\n{\"b\":2}\n", "{\"a\":1]\n{\"b\":2}", "{\"a\":1 \"b\":2}\n{\"c\":3}\n", "{\"a\":\n1,,}\n{\"b\":2}\n{\"c\":3}",
	"{\"a\":1} {\"b\":2}\n{\"c\":3}", "{\"a\":1,\"a\":2} {\"b\":2}\n{\"c\":3}\n", "[{\"a\":1},{\"b\":2}]", "[{\"a\":1} {\"b\":2}]",
	"[{\"a\":1,}, {\"b\":2}]", "[\n {\"a\": 1},\n {\"b\": [2,\n 3]}\n]\n", "[1,2", "[]", "[] x", "1 2 tru 3\n4", "\uFEFF{\"a\":\"あ\"}\n{\"b\":\"\xff\"}\n{}",
	"{\"a\":\"x\"}   \t\r\n\n  {\"b\":1}", "{}\n{\"a\":\n[1,\n2]}\n{\"b\":1}\n{\"c\":2} {\"d\":3}\n{\"e\":4}\n  {\"f\":\"\\u00e9\"}  \n",
	"{}\n{\"a\":1}\n{\"a\":1\n{\"b\":2}\n{\"c\":3}\n", "{}\n\uFEFF{}\n{}\n3\n\"x\"\nnull\n[1]\n{}", "{\"a\":1}}\n{\"b\":2}", "\"abc\ndef\"\n{}", "{\"k\":[1,2]}\n{\"k\":[1,2]\n", "[{\"a\":1}\n,{\"b\":2},]",
}

func FuzzStreamMatchesReference(f *testing.F) {
	for _, s := range streamSeeds {
		f.Add([]byte(s), 1)
		f.Add([]byte(s), 7)
		f.Add([]byte(s), 4096)
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		if chunk < 1 || chunk > 1<<16 {
			return
		}
		for _, lag := range []int{0, 3} {
			if got := lineStreamEvents(t, data, chunk, lag); !reflect.DeepEqual(refStreamEvents(data, chunk), got) {
				t.Fatalf("NextLine (lag %d) on %q:\nreference %+v\nnow       %+v", lag, data, refStreamEvents(data, chunk), got)
			}
		}
		want := refStreamEvents(data, chunk)
		if got := streamEvents(data, chunk); !reflect.DeepEqual(want, got) {
			t.Fatalf("Next on %q:\nreference %+v\nnow       %+v", data, want, got)
		}
		if got := rawStreamEvents(data, chunk); !reflect.DeepEqual(want, got) {
			t.Fatalf("NextRaw on %q:\nreference %+v\nnow       %+v", data, want, got)
		}
	})
}

func TestStreamMatchesReferenceOnSeeds(t *testing.T) {
	for _, s := range streamSeeds {
		for _, chunk := range []int{1, 3, 4096} {
			want := refStreamEvents([]byte(s), chunk)
			assert.Equal(t, want, streamEvents([]byte(s), chunk), "Next %q", s)
			assert.Equal(t, want, rawStreamEvents([]byte(s), chunk), "NextRaw %q", s)
			for _, lag := range []int{0, 1, 5} {
				assert.Equal(t, want, lineStreamEvents(t, []byte(s), chunk, lag), "NextLine lag %d %q", lag, s)
			}
		}
	}
}

// longStream is JSON Lines of n records of growing size, some of them
// larger than a Stream's first buffer and than its text copies, with a
// broken line and a value over two lines among them.
func longStream(n int) []byte {
	var b []byte
	for i := 0; i < n; i++ {
		pad := strings.Repeat("あa\\\"", (i*i*37)%(1<<14))
		switch {
		case i%97 == 5:
			b = fmt.Appendf(b, "{\"id\": \"r%d\", \"pad\": \"%s\"\n}\n", i, pad)
		case i%89 == 7:
			b = fmt.Appendf(b, "{\"id\": \"r%d\", \"pad\": %s}\n", i, pad)
		default:
			b = fmt.Appendf(b, "{\"id\": \"r%d\", \"pad\": \"%s\"}  \n", i, pad)
		}
	}
	return b
}

func TestStreamMatchesReferenceOnLongInput(t *testing.T) {
	data := longStream(150)
	require.Greater(t, len(data), 4*maxTextCopy)
	for _, chunk := range []int{1000, 4096, 1 << 16, 1 << 20} {
		want := refStreamEvents(data, chunk)
		require.Len(t, want, 150) // the value over two lines is one
		assert.Equal(t, want, streamEvents(data, chunk), "Next, chunk %d", chunk)
		assert.Equal(t, want, rawStreamEvents(data, chunk), "NextRaw, chunk %d", chunk)
		assert.Equal(t, want, lineStreamEvents(t, data, chunk, 4), "NextLine, chunk %d", chunk)
	}
}
