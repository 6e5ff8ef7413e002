package eligibility

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/internal/docnode"
	"github.com/onestop-jp/onestop/internal/textdist"
)

// DecodeHousehold decodes one household from its JSON form, strictly:
// unknown keys, wrong types, impossible dates, negative or fractional yen
// and broken structure (no applicant, duplicate member ids …) are errors.
// An absent key or null means the fact is not known. Errors are
// *FactsError.
func DecodeHousehold(data []byte) (*Household, error) {
	return decodeHouseholdJSON(string(data), "", 0)
}

// UnmarshalJSON decodes h strictly, like DecodeHousehold.
func (h *Household) UnmarshalJSON(data []byte) error {
	v, err := DecodeHousehold(data)
	if err != nil {
		return err
	}
	*h = *v
	return nil
}

// HouseholdReader reads households one at a time from a stream holding one
// household, a JSON array of households, or JSON Lines, without loading the
// stream whole. A broken record in JSON Lines is reported and skipped; the
// records after it are still read.
type HouseholdReader struct {
	s      *docnode.Stream
	source string
	record int
	done   bool
	lines  bool // nextRecord cuts JSON Lines at newlines (speculateLines)
}

// speculateLines makes nextRecord cut JSON Lines at newlines, without
// finding where each record ends (docnode.Stream.NextLine): a record that
// turns out not to be one value on its line is decoded as errSpeculation,
// and the reader must then be rewound to it.
func (r *HouseholdReader) speculateLines() {
	r.lines = true
	r.s.SpeculateLines()
}

// rewind moves the reader back to rec, a record decoded as errSpeculation:
// it is read again exactly, and the records after it.
func (r *HouseholdReader) rewind(rec householdRecord) error {
	if err := r.s.Rewind(rec.raw); err != nil {
		return err
	}
	r.record = rec.record - 1
	return nil
}

// errSpeculation is the decoding of a record cut at newlines that is not
// exactly one value on its line: the reader is rewound to it.
var errSpeculation = errors.New("eligibility: not one value on its line")

// NewHouseholdReader returns a reader of households from r. source names
// the input in error messages (a file name, or "" for none).
func NewHouseholdReader(r io.Reader, source string) *HouseholdReader {
	return &HouseholdReader{s: docnode.NewStream(r), source: source}
}

// Next returns the next household, io.EOF when there are no more, or a
// *FactsError for a record that could not be used. A household is laid
// out like a Clone (a few exactly sized blocks of its own), for a
// population kept in memory and screened more than once.
func (r *HouseholdReader) Next() (*Household, error) {
	rec, err := r.nextRecord()
	if err != nil {
		var fe *FactsError
		if err != io.EOF && !errors.As(err, &fe) {
			// The input could not be read: reported like a broken record.
			err = syntaxFactsError(r.source, r.record, err)
		}
		return nil, err
	}
	h, err, ends := rec.decode(true)
	r.done = r.done || ends
	return h, err
}

// nextRecord returns the next record, not decoded yet, so that it can be
// decoded on another goroutine. An error is the record's (a *FactsError),
// io.EOF, or the reader's (which ends the stream).
func (r *HouseholdReader) nextRecord() (householdRecord, error) {
	if r.done {
		return householdRecord{}, io.EOF
	}
	var raw docnode.RawValue
	var err error
	if r.lines {
		raw, err = r.s.NextLine()
	} else {
		raw, err = r.s.NextRaw()
	}
	if err == io.EOF {
		return householdRecord{}, io.EOF
	}
	r.record++
	var se *docnode.SyntaxError
	if errors.As(err, &se) {
		return householdRecord{}, syntaxFactsError(r.source, r.record, err)
	}
	if err != nil {
		return householdRecord{}, err
	}
	return householdRecord{raw: raw, source: r.source, record: r.record}, nil
}

// householdRecord is one record of a stream, read but not decoded.
type householdRecord struct {
	raw    docnode.RawValue
	source string
	record int
}

// decode decodes the record; ends is true when its error ends the stream
// (a broken element of a top-level array). compact: see
// decodeHouseholdText.
func (rec householdRecord) decode(compact bool) (h *Household, err error, ends bool) {
	return rec.decodeWith(compact, nil)
}

// decodeInto decodes the record into blk, a batch job's block reused from
// one household to the next (Batch.Reuse), or into a block of its own when
// blk is nil.
func (rec householdRecord) decodeInto(blk *householdBlock) (h *Household, err error, ends bool) {
	return rec.decodeWith(false, blk)
}

func (rec householdRecord) decodeWith(compact bool, into *householdBlock) (h *Household, err error, ends bool) {
	if rec.raw.Speculative && len(rec.raw.Text) >= docnode.MaxValueSize {
		return nil, errSpeculation, false // the exact reader decides
	}
	h, problems, err := decodeHouseholdInto(rec.raw.Text, rec.raw.Pos, rec.raw.Depth, false, compact, into)
	switch {
	case err != nil && rec.raw.Speculative:
		return nil, errSpeculation, false
	case err != nil:
		return nil, syntaxFactsError(rec.source, rec.record, err), rec.raw.InArray
	case rec.raw.Err != nil:
		return nil, syntaxFactsError(rec.source, rec.record, rec.raw.Err), true
	case problems != nil:
		return nil, &FactsError{Source: rec.source, Record: rec.record, Errors: problems}, false
	}
	return h, nil, false
}

// householdFromNode decodes a household from a document tree (JSON, or the
// YAML of a rule test).
func householdFromNode(n *docnode.Node, source string, record int) (*Household, error) {
	d := factDecoder{idx: factCatalog()}
	var h Household
	var root docnode.Path
	d.object(n, root, "Household", reflect.ValueOf(&h).Elem())
	if len(d.errs) == 0 {
		d.errs = householdProblems(d.errs, &h, nodePositions{n})
	}
	if len(d.errs) > 0 {
		return nil, &FactsError{Source: source, Record: record, Errors: d.errs}
	}
	return &h, nil
}

// factCatalog returns the shared, read-only catalog index.
var factCatalog = sync.OnceValue(newFactIndex)

type factDecoder struct {
	idx  factIndex
	errs []FactError
}

func (d *factDecoder) fail(n *docnode.Node, path docnode.Path, format string, args ...any) {
	if len(d.errs) >= maxFactErrors {
		return
	}
	fe := FactError{Path: path.String(), Message: fmt.Sprintf(format, args...)}
	if n != nil {
		fe.Line, fe.Col = n.Pos.Line, n.Pos.Col
	}
	d.errs = append(d.errs, fe)
}

// problem records a message made by one of the checks both decoders share.
func (d *factDecoder) problem(n *docnode.Node, path docnode.Path, msg string) {
	d.fail(n, path, "%s", msg)
}

// fieldIndexByKey maps JSON keys to struct field indexes, per struct type.
var fieldIndexCache sync.Map // reflect.Type → map[string]int

func fieldIndexByKey(t reflect.Type) map[string]int {
	if m, ok := fieldIndexCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("json")
		if name, _, _ := strings.Cut(tag, ","); name != "" {
			m[name] = i
		}
	}
	fieldIndexCache.Store(t, m)
	return m
}

func kindName(k docnode.Kind) string {
	switch k {
	case docnode.Null:
		return "null"
	case docnode.Bool:
		return "真偽値"
	case docnode.Number:
		return "数値"
	case docnode.String:
		return "文字列"
	case docnode.Object:
		return "オブジェクト"
	case docnode.Array:
		return "配列"
	}
	return "値"
}

func (d *factDecoder) object(n *docnode.Node, path docnode.Path, typeName string, dst reflect.Value) {
	typ := d.idx[typeName]
	if n.Kind != docnode.Object {
		d.fail(n, path, "%s（オブジェクト）が必要ですが、%s が指定されています", typ.Label, kindName(n.Kind))
		return
	}
	fields := fieldIndexByKey(dst.Type())
	for _, f := range n.Fields {
		ff := typ.Field(f.Key)
		if ff == nil {
			fp := path.Key(f.Key)
			if s := suggest(f.Key, typ); s != "" {
				d.fail(&docnode.Node{Pos: f.KeyPos}, fp, "%q という項目はありません（もしかして %q？）", f.Key, s)
			} else {
				d.fail(&docnode.Node{Pos: f.KeyPos}, fp, "%q という項目はありません（%sで使える項目: %s）", f.Key, typ.Label, keyList(typ))
			}
			continue
		}
		fi, ok := fields[f.Key]
		if !ok {
			d.fail(f.Value, path.Key(f.Key), "internal error: no Go field for %q", f.Key)
			continue
		}
		d.value(f.Value, path.Key(f.Key), ff, dst.Field(fi))
	}
	for i := range typ.Fields {
		ff := &typ.Fields[i]
		if ff.Required {
			if v := n.Get(ff.Key); v == nil || v.Kind == docnode.Null {
				d.fail(n, path.Key(ff.Key), "%s（%q）は必須です", ff.Label, ff.Key)
			}
		}
	}
}

func (d *factDecoder) value(n *docnode.Node, path docnode.Path, ff *FactField, dst reflect.Value) {
	if n.Kind == docnode.Null {
		return // null is "not known", like an absent key; Required is checked by the caller
	}
	// Optional scalars are pointers: allocate and decode into the element.
	if dst.Kind() == reflect.Pointer && ff.Kind != KindObject {
		elem := reflect.New(dst.Type().Elem())
		if d.scalar(n, path, ff, elem.Elem()) {
			dst.Set(elem)
		}
		return
	}
	switch ff.Kind {
	case KindObject:
		elem := reflect.New(dst.Type().Elem())
		before := len(d.errs)
		d.object(n, path, ff.Elem, elem.Elem())
		if len(d.errs) == before {
			dst.Set(elem)
		}
	case KindList:
		if n.Kind != docnode.Array {
			d.fail(n, path, "%s は配列で指定してください（%s が指定されています）", ff.Label, kindName(n.Kind))
			return
		}
		if int64(len(n.Items)) > ff.Max {
			d.fail(n, path, "%s は %d 件までです（%d 件あります）", ff.Label, ff.Max, len(n.Items))
			return
		}
		if int64(len(n.Items)) < ff.Min {
			d.fail(n, path, "%s を %d 件以上指定してください", ff.Label, ff.Min)
			return
		}
		list := reflect.MakeSlice(dst.Type(), len(n.Items), len(n.Items))
		for i, it := range n.Items {
			ip := path.Index(i)
			if ff.Elem == "" {
				if it.Kind != docnode.String {
					d.fail(it, ip, "文字列が必要ですが、%s が指定されています", kindName(it.Kind))
					continue
				}
				d.checkString(it, ip, MaxIDLength)
				list.Index(i).SetString(it.Text)
				continue
			}
			d.object(it, ip, ff.Elem, list.Index(i))
		}
		dst.Set(list)
	case KindMap:
		d.extra(n, path, dst)
	default:
		d.scalar(n, path, ff, dst)
	}
}

func (d *factDecoder) checkString(n *docnode.Node, path docnode.Path, max int64) bool {
	if msg := stringProblem(n.Text, max); msg != "" {
		d.problem(n, path, msg)
		return false
	}
	return true
}

// stringProblem checks a string fact's length (in characters) and that it
// has no control characters; it returns the problem in Japanese, or "".
func stringProblem(text string, max int64) string {
	if int64(len(text)) > max && int64(utf8.RuneCountInString(text)) > max {
		return fmt.Sprintf("%d 文字以内で指定してください", max)
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			return controlProblem(text[i:])
		}
	}
	return ""
}

// controlProblem finishes stringProblem's scan from the first byte that
// may start a control character.
func controlProblem(text string) string {
	for _, r := range text {
		if unicode.IsControl(r) {
			return "制御文字（改行・タブなど）は使えません"
		}
	}
	return ""
}

// scalar decodes a scalar into dst (not a pointer) and reports success.
func (d *factDecoder) scalar(n *docnode.Node, path docnode.Path, ff *FactField, dst reflect.Value) bool {
	v, msg := checkScalar(ff, n.Kind, n.Text)
	if msg != "" {
		d.problem(n, path, msg)
		return false
	}
	switch ff.Kind {
	case KindString, KindEnum:
		dst.SetString(v.str)
	case KindBool:
		dst.SetBool(v.b)
	case KindYen, KindInt:
		dst.SetInt(v.num)
	case KindDate:
		dst.Set(reflect.ValueOf(v.date))
	}
	return true
}

// scalarValue is a checked scalar fact: str for strings and enums (an enum
// value is the catalog's own string), b, num or date.
type scalarValue struct {
	str  string
	num  int64
	date civil.Date
	b    bool
}

// checkScalar checks a scalar of kind k, written as text (the decoded
// string, or the literal of a number or a boolean), against ff. It returns
// the value, or a problem in Japanese.
func checkScalar(ff *FactField, k docnode.Kind, text string) (scalarValue, string) {
	switch ff.Kind {
	case KindString:
		if k != docnode.String {
			return scalarValue{}, fmt.Sprintf("%s は文字列で指定してください（%s が指定されています）", ff.Label, kindName(k))
		}
		if msg := stringProblem(text, ff.Max); msg != "" {
			return scalarValue{}, msg
		}
		return scalarValue{str: text}, ""
	case KindBool:
		if k != docnode.Bool {
			return scalarValue{}, fmt.Sprintf("%s は true か false で指定してください（%s が指定されています）", ff.Label, kindName(k))
		}
		return scalarValue{b: text == "true"}, ""
	case KindYen, KindInt:
		if k != docnode.Number {
			unit := "整数"
			if ff.Kind == KindYen {
				unit = "円単位の整数"
			}
			return scalarValue{}, fmt.Sprintf("%s は%sで指定してください（%s が指定されています）", ff.Label, unit, kindName(k))
		}
		v, err := docnode.ParseInt(text)
		if err != nil {
			return scalarValue{}, fmt.Sprintf("%s は整数で指定してください（%s）", ff.Label, text)
		}
		if ff.Kind == KindYen && v < 0 {
			return scalarValue{}, fmt.Sprintf("%s に負の金額（%d）は指定できません", ff.Label, v)
		}
		if v < ff.Min || v > ff.Max {
			return scalarValue{}, fmt.Sprintf("%s は %d から %d の範囲で指定してください（%d）", ff.Label, ff.Min, ff.Max, v)
		}
		return scalarValue{num: v}, ""
	case KindDate:
		if k != docnode.String {
			return scalarValue{}, fmt.Sprintf("%s は \"YYYY-MM-DD\" 形式の文字列で指定してください（%s が指定されています）", ff.Label, kindName(k))
		}
		dt, err := civil.Parse(text)
		if err != nil {
			if len(text) == 10 && text[4] == '-' && text[7] == '-' {
				return scalarValue{}, fmt.Sprintf("%q は存在しない日付です", text)
			}
			return scalarValue{}, fmt.Sprintf("%q は日付として読めません（YYYY-MM-DD 形式で指定してください）", text)
		}
		return scalarValue{date: dt}, ""
	case KindEnum:
		if k != docnode.String {
			return scalarValue{}, fmt.Sprintf("%s は文字列で指定してください（%s が指定されています）", ff.Label, kindName(k))
		}
		for _, ev := range ff.Enum {
			if ev.Value == text {
				return scalarValue{str: ev.Value}, ""
			}
		}
		return scalarValue{}, fmt.Sprintf("%q は %s に使えない値です（使える値: %s）", text, ff.Label, enumList(ff.Enum))
	}
	return scalarValue{}, "internal error: unsupported field kind"
}

// snakeKey is the form of a local fact's key (the JSON Schema's pattern);
// isSnakeKey checks it without the regexp machinery.
var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// isSnakeKey reports whether key is a local fact's key: a lower-case ASCII
// letter, then up to 63 lower-case letters, digits and underscores.
func isSnakeKey(key string) bool {
	if len(key) == 0 || len(key) > 64 || key[0] < 'a' || key[0] > 'z' {
		return false
	}
	for i := 1; i < len(key); i++ {
		if c := key[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// Messages about local facts (extra), shared by both decoders.
const (
	msgExtraObject  = "地域独自の項目（extra）はオブジェクトで指定してください"
	msgExtraScalar  = "文字列・整数・真偽値のいずれかで指定してください"
	msgExtraValue   = "文字列・整数・真偽値、またはそれらの配列で指定してください"
	msgExtraKeyForm = "項目名 %q は英小文字・数字・_ で書いてください（例: tokyo_resident）"
)

func (d *factDecoder) extra(n *docnode.Node, path docnode.Path, dst reflect.Value) {
	if n.Kind != docnode.Object {
		d.problem(n, path, msgExtraObject)
		return
	}
	if len(n.Fields) > MaxExtra {
		d.fail(n, path, "地域独自の項目は %d 個までです", MaxExtra)
		return
	}
	m := make(map[string]any, len(n.Fields))
	for _, f := range n.Fields {
		fp := path.Key(f.Key)
		if !isSnakeKey(f.Key) {
			d.fail(&docnode.Node{Pos: f.KeyPos}, fp, msgExtraKeyForm, f.Key)
			continue
		}
		if f.Value.Kind == docnode.Null {
			continue
		}
		if v, ok := d.extraScalar(f.Value, fp); ok {
			m[f.Key] = v
			continue
		}
		if f.Value.Kind == docnode.Array {
			if len(f.Value.Items) > MaxReceiving {
				d.fail(f.Value, fp, "%d 件までです", MaxReceiving)
				continue
			}
			list := make([]any, 0, len(f.Value.Items))
			for i, it := range f.Value.Items {
				if v, ok := d.extraScalar(it, fp.Index(i)); ok {
					list = append(list, v)
				} else {
					d.problem(it, fp.Index(i), msgExtraScalar)
				}
			}
			m[f.Key] = list
			continue
		}
		d.problem(f.Value, fp, msgExtraValue)
	}
	dst.Set(reflect.ValueOf(m))
}

func (d *factDecoder) extraScalar(n *docnode.Node, path docnode.Path) (any, bool) {
	v, msg, ok := extraScalarValue(n.Kind, n.Text)
	if msg != "" {
		d.problem(n, path, msg)
	}
	return v, ok
}

// extraScalarValue checks a scalar local fact: a string, a boolean or a
// whole number. ok is false for anything else (null, objects, arrays); a
// scalar with a problem returns ok with the problem.
func extraScalarValue(k docnode.Kind, text string) (v any, msg string, ok bool) {
	switch k {
	case docnode.String:
		if msg := stringProblem(text, MaxStringLength); msg != "" {
			return nil, msg, true
		}
		return text, "", true
	case docnode.Bool:
		return text == "true", "", true
	case docnode.Number:
		n, err := docnode.ParseInt(text)
		if err != nil {
			return nil, fmt.Sprintf("整数で指定してください（%s）", text), true
		}
		return n, "", true
	}
	return nil, "", false
}

func enumList(vs []EnumValue) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%s（%s）", v.Value, v.Label)
	}
	return strings.Join(parts, ", ")
}

func keyList(t *FactType) string {
	return strings.Join(fieldKeys(t), ", ")
}

// fieldKeys lists the keys of t's fields in order.
func fieldKeys(t *FactType) []string {
	keys := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		keys[i] = f.Key
	}
	return keys
}

// suggest returns the closest key of t to a mistyped key, or "".
func suggest(key string, t *FactType) string {
	return textdist.Closest(key, fieldKeys(t))
}

// Validate checks a household built in Go against the same rules as
// DecodeHousehold (one applicant, known enum values, dates, non-negative
// yen, bounds, unique ids …), returning a *FactsError.
func (h *Household) Validate() error {
	data, err := json.Marshal(h)
	if err != nil {
		return &FactsError{Errors: []FactError{{Message: "世帯の情報を検査できません: " + err.Error()}}}
	}
	_, err = decodeHouseholdJSON(string(data), "", 0)
	var fe *FactsError
	if errors.As(err, &fe) {
		// Positions refer to the generated JSON: only the paths help.
		for i := range fe.Errors {
			fe.Errors[i].Line, fe.Errors[i].Col = 0, 0
		}
	}
	return err
}
