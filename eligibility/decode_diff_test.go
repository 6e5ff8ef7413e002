package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
)

// The JSON decoder (DecodeHousehold, HouseholdReader) must give exactly
// what the tree decoder gives — the same Household, or the same errors
// with the same messages, paths, lines and columns, in the same order — on
// valid, broken and fuzzed input.

// sameAsTree fails unless both decoders agree on data, as one document and
// as a stream read in chunks of chunk bytes.
func sameAsTree(t testing.TB, data []byte, chunk int) {
	t.Helper()
	want, wantErr := treeDecode(data)
	got, gotErr := DecodeHousehold(data)
	if msg := differ(want, wantErr, got, gotErr); msg != "" {
		t.Fatalf("DecodeHousehold(%q): %s", data, msg)
	}
	wantHs, wantErrs := treeRead(&chunks{data: data, n: chunk}, "in.jsonl", 200)
	r := NewHouseholdReader(&chunks{data: data, n: chunk}, "in.jsonl")
	for i := 0; ; i++ {
		h, err := r.Next()
		if err == io.EOF || i == 200 {
			if i != len(wantHs) {
				t.Fatalf("HouseholdReader on %q: %d records, tree %d", data, i, len(wantHs))
			}
			return
		}
		if i >= len(wantHs) {
			t.Fatalf("HouseholdReader on %q: record %d beyond the tree's %d (%v)", data, i+1, len(wantHs), err)
		}
		if msg := differ(wantHs[i], wantErrs[i], h, err); msg != "" {
			t.Fatalf("HouseholdReader on %q, record %d: %s", data, i+1, msg)
		}
	}
}

func differ(want *Household, wantErr error, got *Household, gotErr error) string {
	if !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("household differs:\ntree %s\njson %s", dump(want), dump(got))
	}
	var we, ge *FactsError
	if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && (!errors.As(wantErr, &we) || !errors.As(gotErr, &ge) || !reflect.DeepEqual(we, ge))) {
		return fmt.Sprintf("errors differ:\ntree %#v\njson %#v", wantErr, gotErr)
	}
	return ""
}

func dump(h *Household) string {
	if h == nil {
		return "nil"
	}
	return fmt.Sprintf("%+v", *h)
}

// chunks reads data n bytes at a time, so that records straddle reads.
type chunks struct {
	data []byte
	n    int
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.data[:min(max(c.n, 1), len(c.data))])
	c.data = c.data[n:]
	return n, nil
}

// docGen writes household documents from the fact catalog: mostly valid
// facts, and now and then each kind of mistake a person makes (a wrong
// type, a value out of range, a typo in a key, a duplicate, too many
// elements, null, escapes, line breaks), so that every check of the
// decoders is reached with its position.
type docGen struct {
	r   *rand.Rand
	b   bytes.Buffer
	idx factIndex
	bad int // per mille of values written wrong
}

func newDocGen(seed uint64, bad int) *docGen {
	return &docGen{r: rand.New(rand.NewPCG(seed, 7)), idx: factCatalog(), bad: bad}
}

func (g *docGen) chance(perMille int) bool { return g.r.IntN(1000) < perMille }

// pick returns one of the valid choices, or now and then one of the bad.
func (g *docGen) pick(valid, bad []string) string {
	if len(bad) > 0 && g.chance(g.bad) {
		return bad[g.r.IntN(len(bad))]
	}
	return valid[g.r.IntN(len(valid))]
}

func (g *docGen) space() {
	switch g.r.IntN(12) {
	case 0:
		g.b.WriteString(" ")
	case 1:
		g.b.WriteString("\n  ")
	case 2:
		g.b.WriteString("\t\r\n")
	}
}

func (g *docGen) str(s string) {
	g.b.WriteString(g.quote(s))
}

// quote writes s as JSON, now and then with its first character escaped
// (the decoded string is the same).
func (g *docGen) quote(s string) string {
	if r, size := utf8.DecodeRuneInString(s); size > 0 && g.chance(50) {
		return fmt.Sprintf(`"\u%04x`, r) + strconv.Quote(s[size:])[1:]
	}
	return strconv.Quote(s)
}

func (g *docGen) household() string {
	g.b.Reset()
	g.object(g.idx["Household"], 0)
	return g.b.String()
}

func (g *docGen) object(t *FactType, depth int) {
	g.b.WriteByte('{')
	first := true
	sep := func() {
		if !first {
			g.b.WriteByte(',')
		}
		first = false
		g.space()
	}
	members := 0
	for i := range t.Fields {
		f := &t.Fields[i]
		if !f.Required && g.chance(300) || f.Required && g.chance(g.bad/4) {
			continue
		}
		sep()
		key := f.Key
		if g.chance(g.bad / 3) {
			key = typo(g.r, key)
		}
		g.str(key)
		g.space()
		g.b.WriteByte(':')
		g.space()
		g.value(t, f, depth+1, &members)
		if g.chance(g.bad / 10) {
			sep() // the same key twice
			g.str(key)
			g.b.WriteString(":null")
		}
	}
	if g.chance(g.bad / 3) {
		sep()
		g.str([]string{"zzzzzzzz", "名前", "extra_fact", ""}[g.r.IntN(4)])
		g.b.WriteString(":")
		g.any(depth + 1)
	}
	g.space()
	g.b.WriteByte('}')
}

// typo changes one letter of key.
func typo(r *rand.Rand, key string) string {
	if key == "" {
		return "x"
	}
	b := []byte(key)
	b[r.IntN(len(b))] = "abcdefghijklmnopqrstuvwxyz_"[r.IntN(27)]
	return string(b)
}

// any writes a value of any shape (for unknown keys).
func (g *docGen) any(depth int) {
	switch g.r.IntN(7) {
	case 0:
		g.b.WriteString(`{"a":[1,{"b":null}],"c":"d"}`)
	case 1:
		g.b.WriteString(`[true,false,-0,1e3,"x"]`)
	case 2:
		g.b.WriteString("null")
	case 3:
		g.b.WriteString(strings.Repeat("[", 70) + strings.Repeat("]", 70)) // too deep
	default:
		g.b.WriteString(`"値"`)
	}
}

// wrong writes a value of a kind that does not fit.
func (g *docGen) wrong() {
	g.b.WriteString([]string{`"x"`, `12`, `1.5`, `true`, `{}`, `[]`, `null`, `-3`, `"2024-13-01"`, `99999999999999999999`}[g.r.IntN(10)])
}

func (g *docGen) value(t *FactType, f *FactField, depth int, members *int) {
	if g.chance(g.bad) {
		g.wrong()
		return
	}
	if g.chance(30) {
		g.b.WriteString("null")
		return
	}
	switch f.Kind {
	case KindString:
		switch f.Key {
		case "municipality_code":
			g.str(g.pick([]string{"131016", "13101", "01100", "271004"}, []string{"131017", "99999", "1310a6"}))
		case "grade":
			g.str(g.pick([]string{""}, []string{"1", "3", "8", "A", "B2", "2度", "5度"}))
		case "id":
			if t.Name == "Member" {
				g.str(g.pick([]string{fmt.Sprintf("m%d", *members)}, []string{"p", "c1", "子ども"}))
			} else {
				g.str(fmt.Sprintf("h%d", g.r.IntN(100)))
			}
		case "":
		default:
			g.str("文字列")
		}
		if g.chance(g.bad / 5) {
			g.b.WriteString(`,"id":"a\nb"`) // a control character (or a duplicate id key)
		}
	case KindBool:
		g.b.WriteString([]string{"true", "false"}[g.r.IntN(2)])
	case KindYen:
		g.b.WriteString(strconv.FormatInt(g.r.Int64N(6_000_000), 10))
	case KindInt:
		v := f.Min + g.r.Int64N(f.Max-f.Min+1)
		if f.Key == "year" {
			v = 2022 + g.r.Int64N(4)
			if g.bad == 0 {
				v = 2000 + int64(g.r.Uint32()%100) // years rarely repeat
			}
		}
		if g.chance(g.bad / 3) {
			v = f.Max + 1
		}
		g.b.WriteString(strconv.FormatInt(v, 10))
	case KindDate:
		y, m, d := 1960+g.r.IntN(66), 1+g.r.IntN(12), 1+g.r.IntN(31)
		g.str(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
	case KindEnum:
		v := f.Enum[g.r.IntN(len(f.Enum))].Value
		if f.Key == "relation" {
			v = "child"
			if *members == 0 || g.chance(g.bad/5) {
				v = "self"
			}
			*members++
		}
		if g.chance(g.bad / 3) {
			v = typo(g.r, v)
		}
		g.str(v)
	case KindObject:
		g.object(g.idx[f.Elem], depth)
	case KindList:
		n := 1 + g.r.IntN(4)
		switch {
		case f.Key == "incomes" && g.chance(200):
			n = 0
		case g.chance(g.bad / 10):
			n = int(f.Max) + 1
		}
		g.b.WriteByte('[')
		saved := 0
		for i := 0; i < n; i++ {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.space()
			switch {
			case f.Elem == "Member":
				g.memberDoc(depth+1, i)
			case f.Elem != "":
				g.object(g.idx[f.Elem], depth+1)
			case g.chance(g.bad):
				g.wrong()
			default:
				g.str(g.pick([]string{"child-allowance", "child-rearing-allowance", "x"}, []string{"Bad ID", "-x"}))
			}
		}
		_ = saved
		g.b.WriteByte(']')
	case KindMap:
		g.extra()
	}
}

// memberDoc writes the i-th member: the first is usually the applicant.
func (g *docGen) memberDoc(depth, i int) {
	members := i
	t := g.idx["Member"]
	g.b.WriteByte('{')
	first := true
	for k := range t.Fields {
		f := &t.Fields[k]
		if !f.Required && g.chance(300) || f.Required && g.chance(g.bad/4) {
			continue
		}
		if !first {
			g.b.WriteByte(',')
		}
		first = false
		g.space()
		key := f.Key
		if g.chance(g.bad / 3) {
			key = typo(g.r, key)
		}
		g.str(key)
		g.b.WriteByte(':')
		g.value(t, f, depth+1, &members)
	}
	g.b.WriteByte('}')
}

func (g *docGen) extra() {
	n := g.r.IntN(4)
	if g.chance(g.bad / 10) {
		n = MaxExtra + 1
	}
	g.b.WriteByte('{')
	for i := 0; i < n; i++ {
		if i > 0 {
			g.b.WriteByte(',')
		}
		key := fmt.Sprintf("fact_%d", i)
		if g.chance(g.bad / 3) {
			key = []string{"Bad Key", "1st", "", strings.Repeat("k", 65)}[g.r.IntN(4)]
		}
		g.str(key)
		g.b.WriteByte(':')
		switch g.r.IntN(8) {
		case 0:
			g.b.WriteString("true")
		case 1:
			g.b.WriteString("12")
		case 2:
			g.str("東京都")
		case 3:
			g.b.WriteString(`[1,"a",false]`)
		case 4:
			g.b.WriteString("null")
		case 5:
			if g.chance(g.bad) {
				g.b.WriteString(`[` + strings.Repeat(`1,`, MaxReceiving) + `1]`)
			} else {
				g.b.WriteString(`[]`)
			}
		case 6:
			if g.chance(g.bad) {
				g.b.WriteString([]string{`{"a":1}`, `[null]`, `[[1]]`, `1.5`}[g.r.IntN(4)])
			} else {
				g.b.WriteString("0")
			}
		default:
			g.str(strings.Repeat("長", 10+g.r.IntN(200)))
		}
	}
	g.b.WriteByte('}')
}

// mutate damages a document: a byte deleted, inserted or replaced.
func mutate(r *rand.Rand, doc string) string {
	if doc == "" {
		return "{"
	}
	const bytes = `{}[],:"\ 0a-` + "\n"
	i := r.IntN(len(doc))
	switch r.IntN(3) {
	case 0:
		return doc[:i] + doc[i+1:]
	case 1:
		return doc[:i] + string(bytes[r.IntN(len(bytes))]) + doc[i:]
	}
	return doc[:i] + string(bytes[r.IntN(len(bytes))]) + doc[i+1:]
}

func TestDecodeMatchesTreeDecoderOnGeneratedDocuments(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	valid, withProblems := 0, 0
	r := rand.New(rand.NewPCG(1, 2))
	for seed := uint64(0); seed < uint64(n); seed++ {
		bad := []int{0, 0, 20, 100}[seed%4]
		doc := newDocGen(seed, bad).household()
		for _, chunk := range []int{1 << 16, 5} {
			sameAsTree(t, []byte(doc), chunk)
		}
		if _, err := DecodeHousehold([]byte(doc)); err == nil {
			valid++
		} else {
			withProblems++
		}
		sameAsTree(t, []byte(mutate(r, doc)), 1<<16)
	}
	// The generator reaches both sides.
	assert.Greater(t, valid, n/5, "valid documents")
	assert.Greater(t, withProblems, n/5, "documents with problems")
}

func TestReaderMatchesTreeDecoderOnGeneratedStreams(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for k := 0; k < 60; k++ {
		var lines []string
		for i := 0; i < 12; i++ {
			doc := newDocGen(uint64(k*100+i), []int{0, 20, 100}[i%3]).household()
			if r.IntN(5) == 0 {
				doc = mutate(r, doc)
			}
			lines = append(lines, doc)
		}
		for _, data := range []string{
			strings.Join(lines, "\n") + "\n",        // JSON Lines
			"[" + strings.Join(lines, ",\n ") + "]", // a top-level array
			strings.Join(lines, " "),                // values on one line
			"\uFEFF" + strings.Join(lines, "\r\n"),  // Windows
		} {
			for _, chunk := range []int{1 << 16, 1 + r.IntN(300)} {
				sameAsTree(t, []byte(data), chunk)
			}
		}
	}
}

func TestDecodeMatchesTreeDecoderOnKnownCases(t *testing.T) {
	docs := []string{
		contractHousehold, benchHousehold,
		`{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":0,"pension_revenue":null}]}]}`,
		`{"members":[{"relation":"self"}],"receiving":[]}`,
		`{"members":[{"relation":"self","incomes":[]}],"extra":{}}`,
		`{"situation":"x","members":[{"relation":"self","birth_date":"bad","sex":"x"}]}`,
		`[{"members":[{"relation":"self"}]}]`, `"x"`, `null`, ``, `{}`, `{"members":null}`, `{"members":[]}`,
		`{"members":[{"relation":"self"}]} x`, "\uFEFF{\"members\":[{\"relation\":\"self\"}]}",
		`{"members":[{"relation":"self","disability":{"kind":"none","grade":"1"}}]}`,
		`{"members":[{"relation":"self","disability":{"kind":"x","grade":"1"}}]}`,
		`{"members":[{"relation":"self","disability":"x"}]}`,
		`{"members":[{"relation":"self","incomes":[{"year":2024,"deductions":{"medical":-1,"widow":1}}]}]}`,
		`{"members":[{"relation":"self","incomes":{"year":2024}}]}`,
		`{"members":[{"relation":"self"}],"extra":{"a":{"b":1},"c":[{"d":1}],"e":null,"F":1}}`,
		`{"members":[{"relation":"self"}],"extra":[1]}`,
		`{"members":[{"relation":"self"}],"receiving":[1,"x",null,"Bad"]}`,
		`{"members":[{"relation":"self","id":"a"},{"relation":"self","id":"a"},{"relation":"child","id":"a"}],"municipality_code":"131017","receiving":["A"]}`,
		`{"members":[` + strings.Repeat(`{"relation":"child","birth_date":"x"},`, 25) + `{"relation":"self"}]}`,
		`{"members":[{"relation":"self","incomes":[` + strings.Repeat(`{"year":2024},`, 12) + `{"year":2024}]}]}`,
		`{"grade_area":4,"members":[{"relation":"self","birth_date":"2023-02-29","sex":"X","lives_with":"yes"}],` + strings.Repeat(`"zz":1,`, 0) + `"id":"` + strings.Repeat("あ", 70) + `"}`,
		`{"members":[{"relation":"self","birth_dat":"2000-01-01"}],"situaton":"divorced","zzzzzzzz":{"a":[1,2,{"a":1,"a":2}]}}`,
		`{"members":[{"relation":"self"}],"extra":{` + extraKeys(MaxExtra+1) + `}}`,
		`{"members":[{"relation":"self"}],"extra":{"a":[` + strings.Repeat(`{},`, MaxReceiving) + `1]}}`,
		`{"members":[{"relation":"self"}],"id":"a","id":"b"}`,
		`{"members":[{"relation":"self"}],"extra":{"a":1,"a":2}}`,
		`{"members":[{"relation":"self"}],"zz":` + strings.Repeat("[", 80) + strings.Repeat("]", 80) + `}`,
		`{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":1e3}]}],"grade_area":99999999999999999999}`,
		`{"members":[{"relation":"self","id":"a\u0000b"}]}`, `{"members":[{"relation":"self","id":"a\u0085b"}]}`,
		`{"m\u0065mbers":[{"relation":"self"}],"members":[]}`,
	}
	for _, doc := range docs {
		for _, chunk := range []int{1 << 16, 1, 7} {
			sameAsTree(t, []byte(doc), chunk)
		}
	}
	// Every documented error case of TestDecodeErrors.
	_, err := DecodeHousehold([]byte(`{"members":[{"relation":"self","birth_dat":"2000-01-01"}]}`))
	require.ErrorContains(t, err, `もしかして "birth_date"`)
}

func extraKeys(n int) string {
	var parts []string
	for i := 0; i < n; i++ {
		parts = append(parts, fmt.Sprintf(`"k%d":%d`, i, i))
	}
	return strings.Join(parts, ",")
}

// everyFactHousehold is a valid household with every fact of the catalog
// set, built from the catalog by reflection: a fact added to the catalog
// is set here without a change to this test.
func everyFactHousehold(t *testing.T) *Household {
	t.Helper()
	catalog := factCatalog()
	// Values the decoder checks beyond their kind.
	special := map[string]any{
		"Household.municipality_code": "131016", "Member.relation": string(RelationSelf),
		"Income.year": int64(2024), "Disability.kind": "physical", "Disability.grade": "2",
	}
	var fill func(typ string, rv reflect.Value)
	fill = func(typ string, rv reflect.Value) {
		fields := goFields(rv.Type())
		for _, f := range catalog[typ].Fields {
			gf, ok := fields[f.Key]
			require.True(t, ok, "%s.%s has a Go field", typ, f.Key)
			fv := rv.FieldByIndex(gf.Index)
			ft := gf.Type
			if ft.Kind() == reflect.Pointer {
				fv.Set(reflect.New(ft.Elem()))
				fv, ft = fv.Elem(), ft.Elem()
			}
			var v any
			switch f.Kind {
			case KindString:
				v = "x"
			case KindEnum:
				v = f.Enum[0].Value
			case KindBool:
				v = true
			case KindYen, KindInt:
				v = max(f.Min, 1)
			case KindDate:
				v = civil.MustDate(1990, 4, 2)
			case KindObject:
				fill(f.Elem, fv)
				continue
			case KindList:
				fv.Set(reflect.MakeSlice(ft, 1, 1))
				if f.Elem == "" {
					v = "child-allowance"
					fv, ft = fv.Index(0), ft.Elem()
					break
				}
				fill(f.Elem, fv.Index(0))
				continue
			case KindMap:
				fv.Set(reflect.ValueOf(map[string]any{"local_fact": int64(1)}))
				continue
			}
			if sp, ok := special[typ+"."+f.Key]; ok {
				v = sp
			}
			fv.Set(reflect.ValueOf(v).Convert(ft))
		}
	}
	h := new(Household)
	fill("Household", reflect.ValueOf(h).Elem())
	return h
}

// TestJSONDecoderHandlesEveryFact fails when a fact is added to the
// catalog but the JSON decoder does not decode it: a household with every
// fact set, written by encoding/json, decodes to itself, as the tree
// decoder decodes it.
func TestJSONDecoderHandlesEveryFact(t *testing.T) {
	h := everyFactHousehold(t)
	data, err := json.Marshal(h)
	require.NoError(t, err)
	for _, ft := range FactTypes() {
		for _, f := range ft.Fields {
			require.Contains(t, string(data), `"`+f.Key+`":`, "the document sets %s.%s", ft.Name, f.Key)
		}
	}
	sameAsTree(t, data, 1<<16)
	got, err := DecodeHousehold(data)
	require.NoError(t, err)
	assert.Equal(t, h, got)
}

// The setters generated from the catalog (the decoder's path for a scalar
// fact without a case of its own) set each fact's own Go field to the
// value the decoder's cases give it.
func TestGeneratedSettersMatchTheDecoder(t *testing.T) {
	h, err := DecodeHousehold(mustJSON(t, everyFactHousehold(t)))
	require.NoError(t, err)
	m := &h.Members[0]
	objects := map[string]reflect.Value{
		"Household": reflect.ValueOf(h), "Member": reflect.ValueOf(m), "Disability": reflect.ValueOf(m.Disability),
		"Income": reflect.ValueOf(&m.Incomes[0]), "Deductions": reflect.ValueOf(m.Incomes[0].Deductions),
	}
	set := map[string]func(x any, key string, v scalarValue) bool{
		"Household":  func(x any, k string, v scalarValue) bool { return setHouseholdScalar(x.(*Household), k, v) },
		"Member":     func(x any, k string, v scalarValue) bool { return setMemberScalar(x.(*Member), k, v) },
		"Disability": func(x any, k string, v scalarValue) bool { return setDisabilityScalar(x.(*Disability), k, v) },
		"Income":     func(x any, k string, v scalarValue) bool { return setIncomeScalar(x.(*Income), k, v) },
		"Deductions": func(x any, k string, v scalarValue) bool { return setDeductionsScalar(x.(*Deductions), k, v) },
	}
	for _, ft := range FactTypes() {
		obj, ok := objects[ft.Name]
		require.True(t, ok, "the test knows the catalog type %s", ft.Name)
		fields := goFields(obj.Type().Elem())
		for _, f := range ft.Fields {
			want := obj.Elem().FieldByIndex(fields[f.Key].Index)
			fresh := reflect.New(obj.Type().Elem())
			var v scalarValue
			decoded := reflect.Indirect(want)
			switch f.Kind {
			case KindString, KindEnum:
				v.str = decoded.String()
			case KindBool:
				v.b = decoded.Bool()
			case KindYen, KindInt:
				v.num = decoded.Int()
			case KindDate:
				v.date = decoded.Interface().(civil.Date)
			default:
				assert.False(t, set[ft.Name](fresh.Interface(), f.Key, v), "%s.%s is not a scalar", ft.Name, f.Key)
				continue
			}
			require.True(t, set[ft.Name](fresh.Interface(), f.Key, v), "%s.%s has a setter", ft.Name, f.Key)
			assert.Equal(t, want.Interface(), fresh.Elem().FieldByIndex(fields[f.Key].Index).Interface(), "%s.%s", ft.Name, f.Key)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return data
}

func FuzzDecodeMatchesTreeDecoder(f *testing.F) {
	for seed := uint64(0); seed < 8; seed++ {
		f.Add([]byte(newDocGen(seed, []int{0, 50}[seed%2]).household()), 1<<16)
	}
	f.Add([]byte(contractHousehold), 3)
	f.Add([]byte("{\"members\":[{\"relation\":\"self\"}]}\n{\"members\":[{\"relation\":\"selff\"}]}\n[1,"), 5)
	f.Add([]byte(`[{"members":[{"relation":"self"}]} {"members":[]}]`), 1<<16)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		if chunk < 1 {
			return
		}
		sameAsTree(t, data, chunk)
	})
}

// TestDecodeKeepsMembersApart checks the decoder's shared blocks: members
// beyond the first four, income years beyond the first eight (a member's
// years partly in the household's block, partly not), each member's
// disability, amounts and deductions its own.
func TestDecodeKeepsMembersApart(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":"h","situation":"divorced","members":[`)
	for i := range 7 {
		if i > 0 {
			b.WriteByte(',')
		}
		rel := "child"
		if i == 0 {
			rel = "self"
		}
		fmt.Fprintf(&b, `{"id":"m%d","relation":"%s","birth_date":"%d-04-01","disability":{"kind":"physical","grade":"%d"},"incomes":[`, i, rel, 1980+4*i, 1+i%7)
		for y := range i % 4 {
			if y > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"year":%d,"salary_revenue":%d,"deductions":{"medical":%d}}`, 2022+y, 1000*(10*i+y), 100*(10*i+y))
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	data := []byte(b.String())
	sameAsTree(t, data, 1<<16)
	h, err := DecodeHousehold(data)
	require.NoError(t, err)
	require.Len(t, h.Members, 7)
	years := 0
	for i, m := range h.Members {
		require.Len(t, m.Incomes, i%4, "member %d", i)
		assert.Equal(t, len(m.Incomes), cap(m.Incomes), "member %d: appending must not reach the next member's years", i)
		for y, in := range m.Incomes {
			assert.Equal(t, int64(1000*(10*i+y)), *in.SalaryRevenue)
			assert.Equal(t, int64(100*(10*i+y)), in.Deductions.Medical)
			*in.SalaryRevenue = -1 // every other member's amount stays
			in.Deductions.Medical = -1
			years++
		}
		assert.Equal(t, strconv.Itoa(1+i%7), m.Disability.Grade)
		m.Disability.Grade = "x"
	}
	require.Greater(t, years, 8)
	for i, m := range h.Members {
		assert.Equal(t, "x", m.Disability.Grade, "member %d", i)
		for _, in := range m.Incomes {
			assert.Equal(t, int64(-1), *in.SalaryRevenue)
			assert.Equal(t, int64(-1), in.Deductions.Medical)
		}
	}
	// A second decoding shares nothing with the first.
	h2, err := DecodeHousehold(data)
	require.NoError(t, err)
	assert.Equal(t, int64(1000*(10*1)), *h2.Members[1].Incomes[0].SalaryRevenue)
}
