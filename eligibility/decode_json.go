package eligibility

import (
	"fmt"
	"sync"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/internal/docnode"
)

// The JSON decoder of households. It reads the text once with a
// docnode.Scanner and fills the Household as it goes, without a document
// tree and without reflection; it keeps every check of the tree decoder
// (householdFromNode, which reads the YAML of rule tests) with the same
// Japanese messages, paths and positions, in the same order — the two are
// compared on valid, broken and fuzzed input (decode_diff_test.go).
//
// What makes it cheap: strings are substrings of the one copy of the text
// (an id, a date), enum values are the catalog's own strings, a member's
// optional facts share one allocation, and positions are computed only for
// an error.

// decodeHouseholdText decodes one household from src, one JSON value whose
// first byte is at start, read at nesting depth depth (1 for an element of
// a top-level array). A whole document (doc) may have white space after
// the value; a value cut from a stream must end where src ends. It returns
// the household, or its problems, or a *docnode.SyntaxError.
//
// compact is for the households of a stream read by the caller
// (HouseholdReader.Next: a population, often kept in memory and screened
// more than once): each is decoded in a pooled scratch block and copied
// out into blocks of its own size (compactHousehold), ~2 KB instead of
// 3.5 KB, laid out for screening (about 0.8 µs more CPU per household,
// repaid by the first screening of a kept population). Otherwise — one
// document (DecodeHousehold, a request) or a batch's worker, which
// screens the household at once — it is decoded into a block of its own
// and left there, as fast as before.
func decodeHouseholdText(src string, start docnode.Pos, depth int, doc, compact bool) (*Household, []FactError, error) {
	return decodeHouseholdInto(src, start, depth, doc, compact, nil)
}

// decodeHouseholdInto is decodeHouseholdText into block into when it is not
// nil (and compact is false): a batch job's block, reused from one
// household to the next as a scratch block is (the decoder resets what it
// reads back), where the household stays.
func decodeHouseholdInto(src string, start docnode.Pos, depth int, doc, compact bool, into *householdBlock) (*Household, []FactError, error) {
	d := jsonDecoder{sc: docnode.NewScanner(src, start), t: jsonTypes(), compact: compact, into: into}
	if doc {
		d.sc.SkipBOM()
	}
	tok, err := d.sc.Value(depth)
	var h *Household
	if err == nil {
		h, err = d.household(tok, depth)
	}
	if err == nil {
		if doc {
			err = d.sc.End()
		} else {
			err = d.sc.EndOfStreamValue()
		}
	}
	if err == nil && len(d.errs) == 0 {
		// The block holds the positions' finder (only used when there is
		// a problem), so that it costs no allocation.
		tp := &d.blk.positions
		*tp = treePositions{src: src, start: start, depth: depth, bom: doc}
		d.errs = householdProblems(d.errs, h, tp)
	}
	if compact && err == nil && len(d.errs) == 0 {
		// The household leaves the scratch block laid out for screening
		// (layout.go); its Extra map is its own already.
		h = compactHousehold(h)
	}
	if compact && d.blk != nil {
		scratchBlocks.Put(d.blk)
	}
	switch {
	case err != nil:
		return nil, nil, err
	case len(d.errs) > 0:
		return nil, d.errs, nil
	}
	return h, nil, nil
}

// scratchBlocks are the blocks households are decoded into before they
// are copied out (compactHousehold): a block has room for a large
// household, most households need a third of it. A block is not zeroed
// when put back (3.5 KB of pointers, barriers included while the
// collector runs): the decoder resets what it reads back before using
// it — the household, a disability, an income year's amounts — and
// every other slot is written before a pointer is set to it
// (TestScratchBlockReuseLeavesNothing).
var scratchBlocks = sync.Pool{New: func() any { return new(householdBlock) }}

// decodeHouseholdJSON is decodeHouseholdText for a whole document, with
// its error as a *FactsError.
func decodeHouseholdJSON(src, source string, record int) (*Household, error) {
	if len(src) > docnode.MaxValueSize {
		return nil, syntaxFactsError(source, record, &docnode.SyntaxError{Pos: docnode.Pos{Line: 1, Col: 1},
			Msg: fmt.Sprintf("the document is larger than %d bytes", docnode.MaxValueSize)})
	}
	h, problems, err := decodeHouseholdText(src, docnode.Pos{Line: 1, Col: 1}, 0, true, false)
	switch {
	case err != nil:
		return nil, syntaxFactsError(source, record, err)
	case problems != nil:
		return nil, &FactsError{Source: source, Record: record, Errors: problems}
	}
	return h, nil
}

// treePositions finds the positions householdProblems asks for by reading
// the text again as a tree: it is needed only when a household has such a
// problem, so the decoder keeps no positions for it.
type treePositions struct {
	src   string
	start docnode.Pos
	depth int
	bom   bool
	tree  nodePositions
}

func (p *treePositions) at() nodePositions {
	if p.tree.n == nil {
		sc := docnode.NewScanner(p.src, p.start)
		if p.bom {
			sc.SkipBOM()
		}
		// The text was read once without a syntax error.
		n, _ := sc.Tree(p.depth)
		p.tree.n = n
	}
	return p.tree
}

func (p *treePositions) members() docnode.Pos                 { return p.at().members() }
func (p *treePositions) member(i int, key string) docnode.Pos { return p.at().member(i, key) }
func (p *treePositions) incomeYear(i, k int) docnode.Pos      { return p.at().incomeYear(i, k) }
func (p *treePositions) disabilityGrade(i int) docnode.Pos    { return p.at().disabilityGrade(i) }
func (p *treePositions) household(key string) docnode.Pos     { return p.at().household(key) }
func (p *treePositions) receiving(i int) docnode.Pos          { return p.at().receiving(i) }

// factTypes are the catalog's types the decoder walks.
type factTypes struct {
	household, member, income, deductions, disability *FactType
}

var (
	jsonTypesOnce sync.Once
	jsonTypesVal  factTypes
)

func jsonTypes() *factTypes {
	jsonTypesOnce.Do(func() {
		c := factCatalog()
		jsonTypesVal = factTypes{c["Household"], c["Member"], c["Income"], c["Deductions"], c["Disability"]}
	})
	return &jsonTypesVal
}

// jsonDecoder is the state of one decoding.
type jsonDecoder struct {
	sc   docnode.Scanner
	t    *factTypes
	errs []FactError
	path []decodeStep
	blk  *householdBlock // the household's
	// compact: blk is a pooled scratch block, the household is copied
	// out of it.
	compact bool
	// into, when set, is the block to decode into (decodeHouseholdInto).
	into *householdBlock
}

// decodeStep is one step of the path to the value being decoded: a key, or
// an index.
type decodeStep struct {
	key     string
	index   int
	isIndex bool
}

func (d *jsonDecoder) push(key string) { d.path = append(d.path, decodeStep{key: key}) }
func (d *jsonDecoder) pushIndex(i int) { d.path = append(d.path, decodeStep{index: i, isIndex: true}) }
func (d *jsonDecoder) pop()            { d.path = d.path[:len(d.path)-1] }

// fail records a problem at m with the current path.
func (d *jsonDecoder) fail(m docnode.Mark, msg string) {
	if len(d.errs) >= maxFactErrors {
		return
	}
	var p docnode.Path
	for _, s := range d.path {
		if s.isIndex {
			p = p.Index(s.index)
		} else {
			p = p.Key(s.key)
		}
	}
	pos := d.sc.Pos(m)
	d.errs = append(d.errs, FactError{Path: p.String(), Line: pos.Line, Col: pos.Col, Message: msg})
}

// fieldIndex returns the index of key among t's fields, or -1. It looks
// from from on first: keys are usually written in the catalog's order (as
// encoding/json writes a Household), so the next key is most often the
// next field.
func fieldIndex(t *FactType, key string, from int) int {
	n := len(t.Fields)
	for k := 0; k < n; k++ {
		i := from + k
		if i >= n {
			i -= n
		}
		if t.Fields[i].Key == key {
			return i
		}
	}
	return -1
}

// object walks an object of type t whose start tok was read at depth.
// field is called for each known key whose value is not null, with the
// field's index and the value's start; it must read the value whole.
func (d *jsonDecoder) object(tok docnode.Token, depth int, t *FactType, field func(i int, v docnode.Token) error) error {
	if tok.Kind != docnode.Object {
		d.fail(tok.Mark, fmt.Sprintf("%s（オブジェクト）が必要ですが、%s が指定されています", t.Label, kindName(tok.Kind)))
		return d.sc.Skip(tok, depth)
	}
	var seen, given uint64 // bits by field index: the key was written; its value is not null
	var unknown docnode.KeySet
	next := 0 // where the next key is likely to be
	for first := true; ; first = false {
		key, at, done, err := d.sc.ObjectKey(first, tok.Mark)
		if err != nil {
			return err
		}
		if done {
			break
		}
		i := fieldIndex(t, key, next)
		if i >= 0 {
			next = i + 1
		}
		if i >= 0 && seen&(1<<i) != 0 || i < 0 && unknown.Add(key) {
			return d.sc.DuplicateKey(at, key)
		}
		if err := d.sc.Colon(key); err != nil {
			return err
		}
		v, err := d.sc.Value(depth + 1)
		if err != nil {
			return err
		}
		d.push(key)
		switch {
		case i < 0:
			if s := suggest(key, t); s != "" {
				d.fail(at, fmt.Sprintf("%q という項目はありません（もしかして %q？）", key, s))
			} else {
				d.fail(at, fmt.Sprintf("%q という項目はありません（%sで使える項目: %s）", key, t.Label, keyList(t)))
			}
			err = d.sc.Skip(v, depth+1)
		case v.Kind == docnode.Null:
			seen |= 1 << i // null is "not known", like an absent key
		default:
			seen |= 1 << i
			given |= 1 << i
			err = field(i, v)
		}
		d.pop()
		if err != nil {
			return err
		}
	}
	for i := range t.Fields {
		if f := &t.Fields[i]; f.Required && given&(1<<i) == 0 {
			d.push(f.Key)
			d.fail(tok.Mark, fmt.Sprintf("%s（%q）は必須です", f.Label, f.Key))
			d.pop()
		}
	}
	return nil
}

// scalar checks a scalar value against ff. A problem is recorded (and an
// object or array in its place skipped) and ok is false.
func (d *jsonDecoder) scalar(ff *FactField, v docnode.Token, depth int) (val scalarValue, ok bool, err error) {
	val, msg := checkScalar(ff, v.Kind, v.Text)
	if msg != "" {
		d.fail(v.Mark, msg)
		return val, false, d.sc.Skip(v, depth)
	}
	return val, true, nil
}

// list walks the array of a list fact ff, calling item for each element.
// A list with too many or too few elements has that one problem, whatever
// its elements hold: elements beyond the maximum are only read, and the
// problems of the others are dropped. ok is false after a problem with the
// list itself.
func (d *jsonDecoder) list(ff *FactField, v docnode.Token, depth int, item func(i int, it docnode.Token) error) (ok bool, err error) {
	if v.Kind != docnode.Array {
		d.fail(v.Mark, fmt.Sprintf("%s は配列で指定してください（%s が指定されています）", ff.Label, kindName(v.Kind)))
		return false, d.sc.Skip(v, depth)
	}
	before := len(d.errs)
	n := 0
	for first := true; ; first = false {
		more, err := d.sc.ArrayNext(first, v.Mark)
		if err != nil {
			return false, err
		}
		if !more {
			break
		}
		it, err := d.sc.Value(depth + 1)
		if err != nil {
			return false, err
		}
		if int64(n) >= ff.Max {
			err = d.sc.Skip(it, depth+1)
		} else {
			d.pushIndex(n)
			err = item(n, it)
			d.pop()
		}
		if err != nil {
			return false, err
		}
		n++
	}
	switch {
	case int64(n) > ff.Max:
		d.errs = d.errs[:before]
		d.fail(v.Mark, fmt.Sprintf("%s は %d 件までです（%d 件あります）", ff.Label, ff.Max, n))
		return false, nil
	case int64(n) < ff.Min:
		d.errs = d.errs[:before]
		d.fail(v.Mark, fmt.Sprintf("%s を %d 件以上指定してください", ff.Label, ff.Min))
		return false, nil
	}
	return true, nil
}

// householdBlock is the block a household is decoded into, its own or a
// scratch block (scratchBlocks, see decodeHouseholdText): the household
// and its optional facts, the first four members with their
// disabilities, the first eight income years of all members with their
// amounts and deductions. A household decoded in a scratch block is
// copied out of it (compactHousehold): nothing points into it after.
type householdBlock struct {
	h          Household
	code       string
	situation  Situation
	role       ApplicantRole
	deFacto    bool
	gradeArea  int
	receiving  [4]string
	members    [4]Member
	memberFact [4]memberFacts
	disability [4]disabilityBlock
	incomes    [8]Income
	amounts    [8]incomeBlock
	nIncomes   int // incomes used
	nAmounts   int // amounts used
	positions  treePositions
	// The decoder's path: 7 steps deep at most where it pushes (members,
	// i, incomes, k, deductions, key); kept here, it costs no allocation.
	path [8]decodeStep
}

// memberFacts holds a member's optional facts.
type memberFacts struct {
	birth                                                   civil.Date
	sex                                                     Sex
	livesWith, sameLivelihood, supported, inFacility, japan bool
	school                                                  School
	private                                                 bool
	health                                                  HealthInsurance
	pension                                                 PensionCategory
	disability                                              *disabilityBlock // where the member's disability goes
}

func (d *jsonDecoder) household(tok docnode.Token, depth int) (*Household, error) {
	var blk *householdBlock
	switch {
	case d.compact:
		blk = scratchBlocks.Get().(*householdBlock)
	case d.into != nil:
		blk = d.into
	default:
		blk = new(householdBlock)
	}
	d.blk = blk
	d.path = blk.path[:0]
	blk.h, blk.nIncomes, blk.nAmounts = Household{}, 0, 0
	h := &blk.h
	t := d.t.household
	err := d.object(tok, depth, t, func(i int, v docnode.Token) error {
		ff := &t.Fields[i]
		switch ff.Key {
		case "id":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				h.ID = val.str
			}
			return err
		case "municipality_code":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				blk.code = val.str
				h.MunicipalityCode = &blk.code
			}
			return err
		case "situation":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				blk.situation = Situation(val.str)
				h.Situation = &blk.situation
			}
			return err
		case "applicant_role":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				blk.role = ApplicantRole(val.str)
				h.ApplicantRole = &blk.role
			}
			return err
		case "de_facto_partner":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				blk.deFacto = val.b
				h.DeFactoPartner = &blk.deFacto
			}
			return err
		case "grade_area":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				blk.gradeArea = int(val.num)
				h.GradeArea = &blk.gradeArea
			}
			return err
		case "members":
			members := blk.members[:0]
			ok, err := d.list(ff, v, depth+1, func(k int, it docnode.Token) error {
				var facts *memberFacts
				var dis *disabilityBlock
				if k < len(blk.memberFact) {
					facts, dis = &blk.memberFact[k], &blk.disability[k]
					*dis = disabilityBlock{}
				} else {
					facts, dis = new(memberFacts), new(disabilityBlock)
				}
				facts.disability = dis
				members = append(members, Member{})
				return d.member(&members[len(members)-1], facts, it, depth+2)
			})
			if ok {
				h.Members = members[:len(members):len(members)]
			}
			return err
		case "receiving":
			list := blk.receiving[:0]
			ok, err := d.list(ff, v, depth+1, func(k int, it docnode.Token) error {
				if it.Kind != docnode.String {
					d.fail(it.Mark, fmt.Sprintf("文字列が必要ですが、%s が指定されています", kindName(it.Kind)))
					list = append(list, "")
					return d.sc.Skip(it, depth+2)
				}
				if msg := stringProblem(it.Text, MaxIDLength); msg != "" {
					d.fail(it.Mark, msg)
				}
				list = append(list, it.Text)
				return nil
			})
			if ok {
				h.Receiving = list[:len(list):len(list)]
			}
			return err
		case "extra":
			return d.extra(h, v, depth+1)
		}
		return d.scalarFact(ff, v, depth+1, func(val scalarValue) bool { return setHouseholdScalar(h, ff.Key, val) })
	})
	return h, err
}

// scalarFact decodes a scalar fact without a case of its own (one added
// to the catalog since the cases were written) with the setter generated
// from the catalog (factview.go); the cases above only avoid its
// allocations for the facts every household has.
func (d *jsonDecoder) scalarFact(ff *FactField, v docnode.Token, depth int, set func(scalarValue) bool) error {
	switch ff.Kind {
	case KindList, KindObject, KindMap:
		return d.generic(ff, v, depth, false)
	}
	val, ok, err := d.scalar(ff, v, depth)
	if !ok || err != nil {
		return err
	}
	return d.generic(ff, v, depth, set(val))
}

// generic reports a fact that neither a case nor the generated setter
// decoded: a list or object fact added to the catalog but not here
// (TestJSONDecoderHandlesEveryFact).
func (d *jsonDecoder) generic(ff *FactField, v docnode.Token, depth int, set bool) error {
	if set {
		return nil
	}
	d.fail(v.Mark, fmt.Sprintf("internal error: no Go field for %q", ff.Key))
	return d.sc.Skip(v, depth)
}

func (d *jsonDecoder) member(m *Member, facts *memberFacts, tok docnode.Token, depth int) error {
	t := d.t.member
	return d.object(tok, depth, t, func(i int, v docnode.Token) error {
		ff := &t.Fields[i]
		switch ff.Key {
		case "id":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				m.ID = val.str
			}
			return err
		case "relation":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				m.Relation = Relation(val.str)
			}
			return err
		case "birth_date":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				facts.birth = val.date
				m.BirthDate = &facts.birth
			}
			return err
		case "sex":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				facts.sex = Sex(val.str)
				m.Sex = &facts.sex
			}
			return err
		case "school":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				facts.school = School(val.str)
				m.School = &facts.school
			}
			return err
		case "health_insurance":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				facts.health = HealthInsurance(val.str)
				m.HealthInsurance = &facts.health
			}
			return err
		case "pension_category":
			val, ok, err := d.scalar(ff, v, depth+1)
			if ok {
				facts.pension = PensionCategory(val.str)
				m.PensionCategory = &facts.pension
			}
			return err
		case "disability":
			return d.disability(m, facts.disability, v, depth+1)
		case "incomes":
			return d.incomes(m, ff, v, depth+1)
		case "lives_with":
			return d.memberBool(ff, v, depth+1, &m.LivesWith, &facts.livesWith)
		case "same_livelihood":
			return d.memberBool(ff, v, depth+1, &m.SameLivelihood, &facts.sameLivelihood)
		case "supported":
			return d.memberBool(ff, v, depth+1, &m.Supported, &facts.supported)
		case "in_facility":
			return d.memberBool(ff, v, depth+1, &m.InFacility, &facts.inFacility)
		case "resides_in_japan":
			return d.memberBool(ff, v, depth+1, &m.ResidesInJapan, &facts.japan)
		case "school_private":
			return d.memberBool(ff, v, depth+1, &m.SchoolPrivate, &facts.private)
		}
		return d.scalarFact(ff, v, depth+1, func(val scalarValue) bool { return setMemberScalar(m, ff.Key, val) })
	})
}

// memberBool decodes an optional boolean fact into *slot, pointing dst at
// it.
func (d *jsonDecoder) memberBool(ff *FactField, v docnode.Token, depth int, dst **bool, slot *bool) error {
	val, ok, err := d.scalar(ff, v, depth)
	if ok {
		*slot = val.b
		*dst = slot
	}
	return err
}

// disabilityBlock holds a disability and its optional fact.
type disabilityBlock struct {
	d            Disability
	allowance    bool
	specialGrade SpecialChildGrade
	constantCare bool
}

func (d *jsonDecoder) disability(m *Member, blk *disabilityBlock, v docnode.Token, depth int) error {
	t := d.t.disability
	before := len(d.errs)
	err := d.object(v, depth, t, func(i int, v docnode.Token) error {
		ff := &t.Fields[i]
		val, ok, err := d.scalar(ff, v, depth+1)
		if !ok || err != nil {
			return err
		}
		switch ff.Key {
		case "kind":
			blk.d.Kind = DisabilityKind(val.str)
		case "grade":
			blk.d.Grade = val.str
		case "allowance_level":
			blk.allowance = val.b
			blk.d.AllowanceLevel = &blk.allowance
		case "special_child_grade":
			blk.specialGrade = SpecialChildGrade(val.str)
			blk.d.SpecialChildGrade = &blk.specialGrade
		case "constant_care":
			blk.constantCare = val.b
			blk.d.ConstantCare = &blk.constantCare
		default:
			return d.generic(ff, v, depth+1, setDisabilityScalar(&blk.d, ff.Key, val))
		}
		return nil
	})
	if len(d.errs) == before {
		m.Disability = &blk.d
	}
	return err
}

// incomeBlock holds an income year's optional amounts and deductions.
type incomeBlock struct {
	salary, pension, business, other, childSupport int64
	deductions                                     Deductions
}

func (d *jsonDecoder) incomes(m *Member, ff *FactField, v docnode.Token, depth int) error {
	var list []Income
	t := d.t.income
	// The member's years are taken from the household's block while it
	// has room (the list then ends where the next member's start), their
	// amounts likewise.
	blk := d.blk
	pooled := false
	ok, err := d.list(ff, v, depth, func(k int, it docnode.Token) error {
		switch {
		case list == nil && blk.nIncomes < len(blk.incomes):
			list, pooled = blk.incomes[blk.nIncomes:blk.nIncomes:len(blk.incomes)], true
		case list == nil:
			list = make([]Income, 0, 4)
		}
		c := cap(list)
		list = append(list, Income{})
		pooled = pooled && cap(list) == c // else append moved the list out
		if pooled {
			blk.nIncomes++
		}
		in := &list[len(list)-1]
		var amounts *incomeBlock
		if blk.nAmounts < len(blk.amounts) {
			amounts = &blk.amounts[blk.nAmounts]
			*amounts = incomeBlock{}
			blk.nAmounts++
		} else {
			amounts = new(incomeBlock)
		}
		return d.object(it, depth+1, t, func(i int, v docnode.Token) error {
			ff := &t.Fields[i]
			if ff.Key == "deductions" {
				return d.deductions(in, &amounts.deductions, v, depth+2)
			}
			val, ok, err := d.scalar(ff, v, depth+2)
			if !ok || err != nil {
				return err
			}
			switch ff.Key {
			case "year":
				in.Year = int(val.num)
			case "salary_revenue":
				amounts.salary = val.num
				in.SalaryRevenue = &amounts.salary
			case "pension_revenue":
				amounts.pension = val.num
				in.PensionRevenue = &amounts.pension
			case "business_income":
				amounts.business = val.num
				in.BusinessIncome = &amounts.business
			case "other_income":
				amounts.other = val.num
				in.OtherIncome = &amounts.other
			case "child_support_received":
				amounts.childSupport = val.num
				in.ChildSupportReceived = &amounts.childSupport
			default:
				return d.generic(ff, v, depth+2, setIncomeScalar(in, ff.Key, val))
			}
			return nil
		})
	})
	if ok {
		if list == nil {
			list = []Income{}
		}
		m.Incomes = list[:len(list):len(list)]
	}
	return err
}

func (d *jsonDecoder) deductions(in *Income, ded *Deductions, v docnode.Token, depth int) error {
	t := d.t.deductions
	before := len(d.errs)
	err := d.object(v, depth, t, func(i int, v docnode.Token) error {
		ff := &t.Fields[i]
		val, ok, err := d.scalar(ff, v, depth+1)
		if !ok || err != nil {
			return err
		}
		// Every deduction is a plain value: the setter generated from the
		// catalog sets it without allocating.
		return d.generic(ff, v, depth+1, setDeductionsScalar(ded, ff.Key, val))
	})
	if len(d.errs) == before {
		in.Deductions = ded
	}
	return err
}

// extra decodes the local facts: snake_case keys to strings, whole
// numbers, booleans or lists of those.
func (d *jsonDecoder) extra(h *Household, v docnode.Token, depth int) error {
	if v.Kind != docnode.Object {
		d.fail(v.Mark, msgExtraObject)
		return d.sc.Skip(v, depth)
	}
	before := len(d.errs)
	m := make(map[string]any)
	var keys docnode.KeySet
	n := 0
	for first := true; ; first = false {
		key, at, done, err := d.sc.ObjectKey(first, v.Mark)
		if err != nil {
			return err
		}
		if done {
			break
		}
		if keys.Add(key) {
			return d.sc.DuplicateKey(at, key)
		}
		if err := d.sc.Colon(key); err != nil {
			return err
		}
		fv, err := d.sc.Value(depth + 1)
		if err != nil {
			return err
		}
		n++
		if n > MaxExtra {
			// Too many: that is the one problem (below); read the rest.
			if err := d.sc.Skip(fv, depth+1); err != nil {
				return err
			}
			continue
		}
		d.push(key)
		err = d.extraValue(m, key, at, fv, depth+1)
		d.pop()
		if err != nil {
			return err
		}
	}
	if n > MaxExtra {
		d.errs = d.errs[:before]
		d.fail(v.Mark, fmt.Sprintf("地域独自の項目は %d 個までです", MaxExtra))
		return nil
	}
	h.Extra = m
	return nil
}

func (d *jsonDecoder) extraValue(m map[string]any, key string, at docnode.Mark, v docnode.Token, depth int) error {
	if !isSnakeKey(key) {
		d.fail(at, fmt.Sprintf(msgExtraKeyForm, key))
		return d.sc.Skip(v, depth)
	}
	if v.Kind == docnode.Null {
		return nil
	}
	if val, msg, ok := extraScalarValue(v.Kind, v.Text); ok {
		if msg != "" {
			d.fail(v.Mark, msg)
		}
		m[key] = val
		return nil
	}
	if v.Kind != docnode.Array {
		d.fail(v.Mark, msgExtraValue)
		return d.sc.Skip(v, depth)
	}
	before := len(d.errs)
	list := make([]any, 0, 4)
	n := 0
	for first := true; ; first = false {
		more, err := d.sc.ArrayNext(first, v.Mark)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		it, err := d.sc.Value(depth + 1)
		if err != nil {
			return err
		}
		if n >= MaxReceiving {
			err = d.sc.Skip(it, depth+1)
		} else {
			d.pushIndex(n)
			if val, msg, ok := extraScalarValue(it.Kind, it.Text); ok {
				if msg != "" {
					d.fail(it.Mark, msg)
				}
				list = append(list, val)
			} else {
				d.fail(it.Mark, msgExtraScalar)
				err = d.sc.Skip(it, depth+1)
			}
			d.pop()
		}
		if err != nil {
			return err
		}
		n++
	}
	if n > MaxReceiving {
		d.errs = d.errs[:before]
		d.fail(v.Mark, fmt.Sprintf("%d 件までです", MaxReceiving))
		return nil
	}
	m[key] = list
	return nil
}
