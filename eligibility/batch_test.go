package eligibility_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var batchDate = civil.MustDate(2026, 11, 23)

func synthHouseholds(t testing.TB, n, unknown int) []*eligibility.Household {
	t.Helper()
	g, err := synth.New(synth.Config{Seed: 7, AsOf: batchDate, UnknownPercent: unknown})
	require.NoError(t, err)
	hs := make([]*eligibility.Household, n)
	for i := range hs {
		hs[i] = g.Next()
	}
	return hs
}

func seq(hs []*eligibility.Household) iter.Seq[*eligibility.Household] {
	return func(yield func(*eligibility.Household) bool) {
		for _, h := range hs {
			if !yield(h) {
				return
			}
		}
	}
}

func jsonLines(t testing.TB, hs []*eligibility.Household) []byte {
	var b bytes.Buffer
	for _, h := range hs {
		line, err := json.Marshal(h)
		require.NoError(t, err)
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestBatchIsScreenInOrder: whatever the number of workers and the window,
// the results are Screen's, one per household, in input order.
func TestBatchIsScreenInOrder(t *testing.T) {
	e := nationalEngine(t, false)
	hs := synthHouseholds(t, 300, 20)
	hs[17] = &eligibility.Household{ID: "no-applicant", Members: []eligibility.Member{{Relation: eligibility.RelationChild}}}
	ctx := context.Background()
	for _, c := range []struct{ workers, window int }{{1, 1}, {3, 2}, {8, 0}, {0, 0}} {
		b := eligibility.Batch{Engine: e, AsOf: batchDate, Workers: c.workers, Window: c.window, Render: e.AppendJSON}
		i := 0
		for r, err := range b.Screen(ctx, seq(hs)) {
			require.NoError(t, err)
			require.Equal(t, i, r.Index)
			want, wantErr := e.Screen(ctx, hs[i], batchDate)
			if wantErr != nil {
				require.Equal(t, wantErr, r.Err, "household %d", i)
				require.Nil(t, r.Screening)
			} else {
				require.NoError(t, r.Err)
				require.Equal(t, want, r.Screening)
				require.Equal(t, string(want.AppendJSON(nil)), string(r.Output))
			}
			i++
		}
		require.Equal(t, len(hs), i, "workers %d window %d", c.workers, c.window)
	}
}

// TestBatchScreenJSONIsTheReader: ScreenJSON gives what HouseholdReader
// and Screen give, record by record, broken records included, with the
// offset of each record's end.
func TestBatchScreenJSONIsTheReader(t *testing.T) {
	e := nationalEngine(t, false)
	hs := synthHouseholds(t, 120, 10)
	lines := strings.SplitAfter(string(jsonLines(t, hs)), "\n")
	lines[3] = `{"members":[{"relation":"selff"}]}` + "\n"
	lines[40] = `{"members":[{"relation":"self"}]]` + "\n"                                           // broken JSON: the next line is still read
	lines[41] = "\n" + `{"id":"x","members":[{"relation":"self","birth_date":"2030-01-01"}]}` + "\n" // born after the date
	lines[60] = `{"members":[{"relation":"self"}],` + "\n"                                           // broken over two lines: the second is lost with it
	input := strings.Join(lines, "")
	b := eligibility.Batch{Engine: e, AsOf: batchDate, Workers: 3, Window: 4}
	last := requireBatchIsTheReader(t, e, b, input)
	assert.Equal(t, int64(len(input)-1), last, "the last offset is the last record's end")
	var fe *eligibility.FactsError
	require.ErrorAs(t, errorAt(t, b, input, 3), &fe)
	assert.Contains(t, fe.Error(), "h.jsonl:4:")
	assert.Contains(t, fe.Error(), "4件目")
	require.ErrorIs(t, errorAt(t, b, input, 41), eligibility.ErrBornAfterAsOf)
	require.ErrorContains(t, errorAt(t, b, input, 40), "h.jsonl:41:")
}

// requireBatchIsTheReader checks that b.ScreenJSON gives, record by
// record, what HouseholdReader and Screen give; it returns the last offset.
func requireBatchIsTheReader(t *testing.T, e *eligibility.Engine, b eligibility.Batch, input string) int64 {
	t.Helper()
	hr := eligibility.NewHouseholdReader(strings.NewReader(input), "h.jsonl")
	n := 0
	last := int64(0)
	for r, err := range b.ScreenJSON(context.Background(), iotest.HalfReader(strings.NewReader(input)), "h.jsonl") {
		require.NoError(t, err)
		h, herr := hr.Next()
		require.NotEqual(t, io.EOF, herr)
		require.Equal(t, n, r.Index)
		require.Greater(t, r.Offset, last)
		last = r.Offset
		if herr != nil {
			require.Equal(t, herr, r.Err, "record %d", n+1)
			require.Nil(t, r.Household)
		} else {
			require.Equal(t, h, r.Household)
			want, wantErr := e.Screen(context.Background(), h, batchDate)
			require.Equal(t, wantErr, r.Err)
			require.Equal(t, want, r.Screening)
		}
		n++
	}
	_, err := hr.Next()
	require.Equal(t, io.EOF, err)
	return last
}

// TestBatchScreenJSONReadsAgainWhereALineIsNotOneRecord: the batch cuts
// JSON Lines at newlines; a record over several lines, two records on one
// line, or a broken line send its reader back, while the workers already
// have the lines after it (a wide window): the results are the reader's.
func TestBatchScreenJSONReadsAgainWhereALineIsNotOneRecord(t *testing.T) {
	e := nationalEngine(t, false)
	hs := synthHouseholds(t, 200, 10)
	lines := strings.SplitAfter(string(jsonLines(t, hs)), "\n")
	pretty, err := json.MarshalIndent(hs[5], "", "  ")
	require.NoError(t, err)
	lines[5] = string(pretty) + "\n"                                  // over many lines
	lines[30] = strings.TrimSuffix(lines[30], "\n") + " " + lines[31] // two on one line
	lines[31] = "  \t\r\n"
	lines[90] = `{"members":[{"relation":"self"}]]` + "\n"  // broken, alone on its line
	lines[150] = `{"members":[{"relation":"self"}],` + "\n" // broken over two lines
	lines[199] = strings.TrimSuffix(lines[199], "\n")       // no newline at the end
	for _, w := range []int{1, 64} {
		b := eligibility.Batch{Engine: e, AsOf: batchDate, Workers: 2, Window: w}
		requireBatchIsTheReader(t, e, b, strings.Join(lines, ""))
	}
}

func errorAt(t *testing.T, b eligibility.Batch, input string, index int) error {
	for r, err := range b.ScreenJSON(context.Background(), strings.NewReader(input), "h.jsonl") {
		require.NoError(t, err)
		if r.Index == index {
			return r.Err
		}
	}
	t.Fatalf("no record %d", index)
	return nil
}

func TestBatchArrayEndsAtABrokenElement(t *testing.T) {
	e := nationalEngine(t, false)
	input := `[{"members":[{"relation":"self"}]}, {"members":[{"relation":"self"}],}, {"members":[{"relation":"self"}]}]`
	b := eligibility.Batch{Engine: e, AsOf: batchDate}
	var got []string
	for r, err := range b.ScreenJSON(context.Background(), strings.NewReader(input), "a.json") {
		require.NoError(t, err)
		if r.Err != nil {
			got = append(got, "error")
		} else {
			got = append(got, "ok")
		}
	}
	assert.Equal(t, []string{"ok", "error"}, got, "as HouseholdReader: the array ends at the broken element")
}

// TestBatchWindowBoundsMemory: the households taken from the input but not
// yet handed to the loop never exceed the window (plus the one being read
// and the one the loop waits for).
func TestBatchWindowBoundsMemory(t *testing.T) {
	e := nationalEngine(t, false)
	hs := synthHouseholds(t, 200, 0)
	var pulled atomic.Int64
	counting := func(yield func(*eligibility.Household) bool) {
		for _, h := range hs {
			pulled.Add(1)
			if !yield(h) {
				return
			}
		}
	}
	for _, window := range []int{1, 5, 32} {
		pulled.Store(0)
		b := eligibility.Batch{Engine: e, AsOf: batchDate, Workers: 2, Window: window}
		consumed, worst := int64(0), int64(0)
		for _, err := range b.Screen(context.Background(), counting) {
			require.NoError(t, err)
			consumed++
			worst = max(worst, pulled.Load()-consumed)
		}
		assert.LessOrEqual(t, worst, int64(max(window, 2)+2), "window %d", window)
	}
}

func TestBatchStopsWhenTheContextIsDone(t *testing.T) {
	e := nationalEngine(t, false)
	hs := synthHouseholds(t, 200, 0)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := eligibility.Batch{Engine: e, AsOf: batchDate, Workers: 4}
	n := 0
	var stop error
	for _, err := range b.Screen(ctx, seq(hs)) {
		if err != nil {
			stop = err
			break
		}
		n++
		if n == 10 {
			cancel()
		}
	}
	require.ErrorIs(t, stop, context.Canceled)
	assert.Less(t, n, len(hs))
	waitForGoroutines(t, before)
}

func TestBatchStopsWhenTheLoopBreaks(t *testing.T) {
	e := nationalEngine(t, false)
	data := jsonLines(t, synthHouseholds(t, 200, 0))
	before := runtime.NumGoroutine()
	b := eligibility.Batch{Engine: e, AsOf: batchDate, Workers: 3}
	n := 0
	for _, err := range b.ScreenJSON(context.Background(), bytes.NewReader(data), "h.jsonl") {
		require.NoError(t, err)
		if n++; n == 5 {
			break
		}
	}
	waitForGoroutines(t, before)
}

// waitForGoroutines fails unless the goroutines of a batch end (yielding
// the processor while they do; no timing involved).
func waitForGoroutines(t *testing.T, before int) {
	t.Helper()
	for range 100000 {
		if runtime.NumGoroutine() <= before {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("%d goroutines left running (%d before)", runtime.NumGoroutine(), before)
}

func TestBatchReportsAReadError(t *testing.T) {
	e := nationalEngine(t, false)
	data := jsonLines(t, synthHouseholds(t, 20, 0))
	broken := io.MultiReader(bytes.NewReader(data), iotest.ErrReader(errors.New("disk on fire")))
	b := eligibility.Batch{Engine: e, AsOf: batchDate}
	n := 0
	var stop error
	for _, err := range b.ScreenJSON(context.Background(), broken, "h.jsonl") {
		if err != nil {
			stop = err
			continue
		}
		n++
	}
	require.ErrorContains(t, stop, "disk on fire")
	require.ErrorContains(t, stop, "h.jsonl を読めません")
	assert.Equal(t, 20, n, "every household read before the error is screened")
}

func TestBatchNeedsAnEngineAndADate(t *testing.T) {
	for _, b := range []eligibility.Batch{{AsOf: batchDate}, {Engine: nationalEngine(t, false)}} {
		for _, err := range b.Screen(context.Background(), seq(nil)) {
			require.ErrorIs(t, err, eligibility.ErrBatchConfig)
		}
	}
}

// A batch screens a stream of households on several goroutines and gives
// the results back in input order; a record that cannot be read is a
// result with an error, and the batch goes on.
func ExampleBatch_ScreenJSON() {
	pack, err := eligibility.LoadPack(os.DirFS("testdata/samplepack"), "samplepack")
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, err := eligibility.Compile([]*eligibility.Pack{pack})
	if err != nil {
		fmt.Println(err)
		return
	}
	input := strings.NewReader(`{"id":"a","situation":"divorced","de_facto_partner":false,"members":[{"id":"p","relation":"self"},{"id":"c1","relation":"child","birth_date":"2015-05-01"}]}
{"id":"b","members":[{"id":"p","relation":"selff"}]}
{"id":"c","situation":"married","members":[{"id":"p","relation":"self"},{"id":"c1","relation":"child","birth_date":"2020-05-01"}]}
`)
	b := eligibility.Batch{Engine: engine, AsOf: civil.MustDate(2025, 6, 1), Workers: 2}
	for r, err := range b.ScreenJSON(context.Background(), input, "households.jsonl") {
		if err != nil {
			fmt.Println("stopped:", err)
			return
		}
		if r.Err != nil {
			fmt.Println(r.Index, r.Err)
			continue
		}
		o := r.Screening.Outcome("child-allowance")
		fmt.Println(r.Index, r.Household.ID, o.Name, o.Status.Label(), o.Amount)
	}
	// Output:
	// 0 a 児童手当 対象 10,000円/月
	// 1 households.jsonl:2:43: 2件目: members[0].relation: "selff" は 続柄 に使えない値です（使える値: self（本人）, child（子）, spouse（配偶者）, parent（父母（子の祖父母））, sibling（兄弟姉妹）, other（その他））
	// 2 c 児童手当 対象 10,000円/月
}

// TestBatchCompare: with Compare, each household is also screened under
// the second rule set, on the same worker.
func TestBatchCompare(t *testing.T) {
	nat, tokyo := nationalEngine(t, false), nationalEngine(t, true)
	hs := synthHouseholds(t, 60, 20)
	b := eligibility.Batch{Engine: nat, Compare: tokyo, AsOf: batchDate, Workers: 3}
	i := 0
	for r, err := range b.Screen(context.Background(), seq(hs)) {
		require.NoError(t, err)
		want, err := tokyo.Screen(context.Background(), hs[i], batchDate)
		require.NoError(t, err)
		require.Equal(t, want, r.Compared)
		require.Equal(t, "jp-national", r.Screening.Pack.ID)
		i++
	}
	require.Equal(t, len(hs), i)
}

// FuzzBatchScreenJSON: whatever the input, ScreenJSON — reading one byte at
// a time, decoding on two workers — gives what HouseholdReader and Screen
// give, record by record, in order, with offsets that grow within the
// input, and ends where the reader ends.
func FuzzBatchScreenJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"h","members":[{"relation":"self","birth_date":"1990-04-02"},{"relation":"child","birth_date":"2015-05-01"}]}`,
		"{\"members\":[{\"relation\":\"self\"}]}\n{\"members\":[{\"relation\":\"selff\"}]}\n{\"members\":[{\"relation\":\"self\"}]]\n\n{\"members\":[{\"relation\":\"child\"}]}\n",
		`[{"members":[{"relation":"self"}]}, {"members":[{"relation":"self"}],}, {"members":[{"relation":"self"}]}]`,
		"\ufeff{\"members\":[{\"relation\":\"self\"}]}\r\n{\"members\":[{\"relation\":\"self\",\"birth_date\":\"2030-01-01\"}]}\r\n",
		`{"members":[{"relation":"self"}]} {"members":[{"relation":"self"}]} 3 "x"`,
		"", "[]", "[", "{", "null\n", "\n\n",
	} {
		f.Add(s)
	}
	e := nationalEngine(f, false)
	f.Fuzz(func(t *testing.T, input string) {
		hr := eligibility.NewHouseholdReader(strings.NewReader(input), "f.jsonl")
		// Half the inputs with memory reused (Batch.Reuse): the results
		// are read in the loop, where they are valid either way.
		b := eligibility.Batch{Engine: e, AsOf: batchDate, Workers: 2, Window: 2, Reuse: len(input)%2 == 0}
		n, last := 0, int64(0)
		for r, err := range b.ScreenJSON(context.Background(), iotest.OneByteReader(strings.NewReader(input)), "f.jsonl") {
			require.NoError(t, err, "a string cannot fail to be read")
			h, herr := hr.Next()
			require.NotEqual(t, io.EOF, herr, "record %d: the reader had ended", n+1)
			require.Equal(t, n, r.Index)
			require.GreaterOrEqual(t, r.Offset, last)
			require.LessOrEqual(t, r.Offset, int64(len(input)))
			last = r.Offset
			if herr != nil {
				require.Equal(t, herr, r.Err, "record %d", n+1)
				require.Nil(t, r.Household)
			} else {
				require.Equal(t, h, r.Household)
				want, wantErr := e.Screen(context.Background(), h, batchDate)
				require.Equal(t, wantErr, r.Err)
				require.Equal(t, want, r.Screening)
			}
			n++
		}
		_, err := hr.Next()
		require.Equal(t, io.EOF, err, "the batch ended before the reader")
	})
}
