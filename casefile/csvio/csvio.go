package csvio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/wareki"
)

// Encoding is the character encoding of a file.
type Encoding int

// Encodings.
const (
	// Auto reads UTF-8 when the file is valid UTF-8 (a BOM is skipped) and
	// Shift_JIS otherwise; it writes UTF-8 with a BOM (which Excel needs).
	Auto Encoding = iota
	UTF8
	ShiftJIS
)

// Column describes one CSV column.
type Column struct {
	Name     string // Japanese header
	Alias    string // English header
	Required bool
	Note     string // what it holds, in Japanese
}

// Columns are the columns of the exchange format, in export order.
var Columns = []Column{
	{"世帯番号", "household_no", true, "同じ番号の行が1つの世帯（ケース）になります"},
	{"宛名番号", "atena_no", true, "住民の宛名番号（個人番号は使えません）"},
	{"続柄コード", "relationship", true, "self・child・spouse・parent・sibling・other（本人・子・配偶者・父母・兄弟姉妹・その他も可）"},
	{"続柄", "relationship_text", false, "住民票の続柄（長男など）"},
	{"氏", "family_name", true, ""},
	{"名", "given_name", false, ""},
	{"氏フリガナ", "family_kana", false, "カタカナ（半角も可）"},
	{"名フリガナ", "given_kana", false, "カタカナ（半角も可）"},
	{"通称", "alias", false, ""},
	{"旧氏", "former_family_name", false, ""},
	{"生年月日", "birth_date", false, "和暦（令和7年4月1日, R7.4.1, 5070401）または西暦（2025-04-01）"},
	{"性別", "sex", false, "女・男（female・male、1 男・2 女も可）"},
	{"郵便番号", "postal_code", false, "7桁（ハイフン可）"},
	{"都道府県", "prefecture", false, ""},
	{"市区町村", "city", false, ""},
	{"町名", "town", false, ""},
	{"番地", "block", false, ""},
	{"建物", "building", false, ""},
	{"電話番号", "phone", false, ""},
	{"連絡可否", "ok_to_contact", false, "可・否（1・0）。空欄は否"},
	{"連絡可能時間帯", "safe_times", false, ""},
	{"同居", "lives_with", false, "本人と一緒に暮らしているか。1・0（はい・いいえ）。空欄は不明"},
	{"住民票同一世帯", "registered_same_household", false, "1・0。空欄は1（同じ世帯番号の行は住民票上の同一世帯）"},
	{"所得年分", "income_year", false, "給与収入の年（西暦または令和6年など）"},
	{"給与収入", "salary_revenue", false, "円（整数、カンマ可）"},
	{"生計同一", "same_livelihood", false, "本人と生計を同じくしているか。1・0。空欄は不明"},
	{"生活費負担", "supported", false, "本人がこの人の生活費を負担しているか。1・0。空欄は不明"},
	{"施設入所", "in_facility", false, "児童福祉施設に入所・里親に委託されているか。1・0。空欄は不明"},
	{"国内住所", "resides_in_japan", false, "日本国内に住所があるか。1・0。空欄は不明"},
	{"在学状況", "school", false, "在学していない・保育所等・小学校・中学校・高校等・大学等・その他（none・childcare・elementary・junior_high・high_school・higher_education・other）。空欄は不明"},
	{"私立", "school_private", false, "在学先が私立か。1・0。空欄は不明"},
	{"申請者の立場", "applicant_role", false, "本人の行だけ: 父母・養育者（parent・caretaker）。空欄は不明"},
	{"事実婚", "de_facto_partner", false, "本人の行だけ: 事実婚の相手がいるか。1・0。空欄は不明"},
	{"級地", "grade_area", false, "本人の行だけ: 1・2・3。空欄は不明"},
}

// RowError is one problem at a row (1 = the header line) and column.
type RowError struct {
	Row     int
	Column  string
	Message string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%d行目: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("%d行目「%s」: %s", e.Row, e.Column, e.Message)
}

// ImportError lists every problem found; nothing was written.
type ImportError struct {
	Errors []RowError
}

// maxErrors bounds the report for a hopeless file.
const maxErrors = 200

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CSVを取り込めませんでした（%d件の誤り。何も登録していません）", len(e.Errors))
	for i, r := range e.Errors {
		if i == 10 {
			fmt.Fprintf(&b, "\n…ほか%d件", len(e.Errors)-10)
			break
		}
		b.WriteString("\n" + r.Error())
	}
	return b.String()
}

// ErrImport is matched by every *ImportError.
var ErrImport = errors.New("csvio: import failed")

// Is makes errors.Is(err, ErrImport) true.
func (e *ImportError) Is(target error) bool { return target == ErrImport }

// Member is one parsed row: the person, their membership of the
// household (a fact left blank is nil, not known) and, on the 本人 row,
// the household facts of the case.
type Member struct {
	Row          int
	Person       casefile.Person
	Relationship casefile.Relationship
	// LivesWith … InFacility are the membership's facts.
	LivesWith, RegisteredSameHousehold, SameLivelihood, Supported, InFacility *bool
	// ApplicantRole, DeFactoPartner and GradeArea are the case's facts,
	// given on the 本人 row only.
	ApplicantRole  string
	DeFactoPartner *bool
	GradeArea      *int
}

// Household is the rows of one 世帯番号, in file order.
type Household struct {
	No      string
	Members []Member
}

// Options control reading and writing.
type Options struct {
	Encoding Encoding
	// MaxRows bounds the file (default 100,000 rows).
	MaxRows int
}

// decode returns a reader of UTF-8 text.
func decode(r io.Reader, enc Encoding) (io.Reader, error) {
	br := bufio.NewReader(r)
	switch enc {
	case ShiftJIS:
		return transform.NewReader(br, japanese.ShiftJIS.NewDecoder()), nil
	case UTF8:
		if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
		return br, nil
	}
	all, err := io.ReadAll(io.LimitReader(br, 256<<20))
	if err != nil {
		return nil, err
	}
	all = bytes.TrimPrefix(all, []byte{0xEF, 0xBB, 0xBF})
	if utf8.Valid(all) {
		return bytes.NewReader(all), nil
	}
	return transform.NewReader(bytes.NewReader(all), japanese.ShiftJIS.NewDecoder()), nil
}

// Parse reads and checks a file without touching any store. It returns the
// households, or an *ImportError listing every problem.
func Parse(r io.Reader, opts Options) ([]Household, error) {
	if opts.MaxRows == 0 {
		opts.MaxRows = 100_000
	}
	text, err := decode(r, opts.Encoding)
	if err != nil {
		return nil, &ImportError{Errors: []RowError{{Row: 1, Message: "ファイルを読めません: " + err.Error()}}}
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var errs []RowError
	add := func(row int, col, format string, args ...any) {
		if len(errs) < maxErrors {
			errs = append(errs, RowError{Row: row, Column: col, Message: fmt.Sprintf(format, args...)})
		}
	}
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &ImportError{Errors: []RowError{{Row: 1, Message: "ファイルが空です"}}}
		}
		return nil, &ImportError{Errors: []RowError{{Row: 1, Message: csvMessage(err)}}}
	}
	idx := map[string]int{}
	for i, h := range header {
		name := strings.TrimSpace(h)
		col, ok := lookupColumn(name)
		if !ok {
			add(1, name, "不明な列です（列名は docs/casefile.md の一覧を参照してください）")
			continue
		}
		if _, dup := idx[col.Name]; dup {
			add(1, name, "列が重複しています")
		}
		idx[col.Name] = i
	}
	for _, c := range Columns {
		if _, ok := idx[c.Name]; c.Required && !ok {
			add(1, c.Name, "必須の列がありません")
		}
	}
	if len(errs) > 0 {
		return nil, &ImportError{Errors: errs}
	}
	var order []string
	byNo := map[string]*Household{}
	seenAtena := map[string]int{}
	broken := map[string]bool{} // households with a bad row: no further checks
	for rowNo := 2; ; rowNo++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			add(rowNo, "", "%s", csvMessage(err))
			break
		}
		if rowNo-1 > opts.MaxRows {
			add(rowNo, "", "行数が上限（%d行）を超えています。ファイルを分けてください", opts.MaxRows)
			break
		}
		if len(rec) != len(header) {
			add(rowNo, "", "列の数が見出し行と違います（%d列、見出しは%d列）", len(rec), len(header))
			continue
		}
		if blank(rec) {
			continue
		}
		get := func(name string) string {
			if i, ok := idx[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		m, rowErrs := parseRow(rowNo, get)
		for _, e := range rowErrs {
			add(e.Row, e.Column, "%s", e.Message)
		}
		no := narrow(get("世帯番号"))
		if no == "" {
			add(rowNo, "世帯番号", "入力してください")
		}
		if a := m.atena(); a != "" {
			if first, dup := seenAtena[a]; dup {
				add(rowNo, "宛名番号", "%d行目と同じ宛名番号です", first)
			} else {
				seenAtena[a] = rowNo
			}
		}
		if len(rowErrs) > 0 || no == "" {
			broken[no] = true
			continue
		}
		h := byNo[no]
		if h == nil {
			h = &Household{No: no}
			byNo[no] = h
			order = append(order, no)
		}
		h.Members = append(h.Members, m)
	}
	for _, no := range order {
		h := byNo[no]
		selves := 0
		for _, m := range h.Members {
			if m.Relationship.Code == "self" {
				selves++
			}
		}
		if selves != 1 && !broken[no] {
			add(h.Members[0].Row, "続柄コード", "世帯番号 %s には本人（self）がちょうど1人必要です（%d人）", no, selves)
		}
	}
	if len(errs) > 0 {
		return nil, &ImportError{Errors: errs}
	}
	out := make([]Household, 0, len(order))
	for _, no := range order {
		out = append(out, *byNo[no])
	}
	return out, nil
}

func (m Member) atena() string {
	for _, x := range m.Person.ExternalIDs {
		if x.System == "atena" {
			return x.Value
		}
	}
	return ""
}

func lookupColumn(name string) (Column, bool) {
	name = strings.TrimPrefix(name, "\ufeff")
	for _, c := range Columns {
		if name == c.Name || strings.EqualFold(name, c.Alias) {
			return c, true
		}
	}
	return Column{}, false
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return fmt.Sprintf("引用符（\"）の使い方が正しくありません（%d文字目）", pe.Column)
		}
	}
	return "CSVとして読めません: " + err.Error()
}

// narrow folds full-width digits, letters and symbols to ASCII.
func narrow(s string) string { return width.Narrow.String(s) }

var relationNames = map[string]string{
	"self": "self", "本人": "self", "child": "child", "子": "child", "spouse": "spouse", "配偶者": "spouse",
	"parent": "parent", "父母": "parent", "父": "parent", "母": "parent", "sibling": "sibling", "兄弟姉妹": "sibling",
	"兄": "sibling", "弟": "sibling", "姉": "sibling", "妹": "sibling", "other": "other", "その他": "other",
}

// parseTri reads a yes/no cell: nil for a blank cell (not known).
func parseTri(s string) (*bool, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, true
	}
	b, ok := parseBool(s, false)
	if !ok {
		return nil, false
	}
	return &b, true
}

// schoolNames are the 在学状況 cells accepted, by code and in Japanese.
var schoolNames = map[string]string{
	"none": "none", "在学していない": "none", "なし": "none",
	"childcare": "childcare", "保育所等": "childcare", "保育所": "childcare", "幼稚園": "childcare", "認定こども園": "childcare",
	"elementary": "elementary", "小学校": "elementary",
	"junior_high": "junior_high", "中学校": "junior_high",
	"high_school": "high_school", "高校等": "high_school", "高校": "high_school", "高等学校": "high_school",
	"higher_education": "higher_education", "大学等": "higher_education", "大学": "higher_education", "短大": "higher_education", "専門学校": "higher_education",
	"other": "other", "その他": "other",
}

// schoolLabels are the Japanese cells Export writes.
var schoolLabels = map[string]string{"none": "在学していない", "childcare": "保育所等", "elementary": "小学校", "junior_high": "中学校",
	"high_school": "高校等", "higher_education": "大学等", "other": "その他"}

var roleNames = map[string]string{"parent": "parent", "父母": "parent", "父又は母": "parent", "父": "parent", "母": "parent",
	"caretaker": "caretaker", "養育者": "caretaker"}

func parseBool(s string, def bool) (bool, bool) {
	switch strings.ToLower(narrow(s)) {
	case "":
		return def, true
	case "1", "はい", "可", "有", "true", "yes", "○":
		return true, true
	case "0", "いいえ", "否", "不可", "無", "false", "no", "×":
		return false, true
	}
	return false, false
}

func parseYen(s string) (int64, bool) {
	s = strings.NewReplacer(",", "", "円", "", "¥", "", "\\", "").Replace(narrow(s))
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0 && n < 1e12
}

// parseYear reads 2024, 令和6, 令和6年, R6.
func parseYear(s string) (int, bool) {
	s = narrow(s)
	if n, err := strconv.Atoi(strings.TrimSuffix(s, "年")); err == nil && n >= 1989 && n <= 9999 {
		return n, true
	}
	d, err := wareki.Parse(strings.TrimSuffix(s, "年") + "年12月31日")
	if err != nil {
		d, err = wareki.Parse(s + ".12.31")
	}
	if err != nil {
		return 0, false
	}
	return d.Year(), true
}

func parseRow(row int, get func(string) string) (Member, []RowError) {
	var errs []RowError
	bad := func(col, msg string) { errs = append(errs, RowError{Row: row, Column: col, Message: msg}) }
	m := Member{Row: row}
	p := &m.Person
	if a := narrow(get("宛名番号")); a == "" {
		bad("宛名番号", "入力してください")
	} else {
		p.ExternalIDs = append(p.ExternalIDs, casefile.ExternalID{System: "atena", Value: a})
	}
	if no := narrow(get("世帯番号")); no != "" {
		p.ExternalIDs = append(p.ExternalIDs, casefile.ExternalID{System: "setai", Value: no})
	}
	rel := get("続柄コード")
	if code, ok := relationNames[strings.ToLower(narrow(rel))]; ok {
		m.Relationship.Code = code
	} else {
		bad("続柄コード", fmt.Sprintf("「%s」は続柄コードとして使えません（self・child・spouse・parent・sibling・other）", rel))
	}
	m.Relationship.Text = get("続柄")
	p.Name = casefile.Name{Family: get("氏"), Given: get("名"),
		FamilyKana: norm.NFKC.String(get("氏フリガナ")), GivenKana: norm.NFKC.String(get("名フリガナ")),
		Alias: get("通称"), FormerFamily: get("旧氏")}
	if s := get("生年月日"); s != "" {
		d, err := wareki.Parse(s)
		if err != nil {
			var pe *wareki.ParseError
			if errors.As(err, &pe) {
				bad("生年月日", fmt.Sprintf("%d文字目: %s", pe.Column, pe.Message))
			} else {
				bad("生年月日", err.Error())
			}
		} else {
			p.BirthDate = d
		}
	}
	switch strings.ToLower(narrow(get("性別"))) {
	case "":
	case "女", "女性", "female", "f", "2":
		p.Sex = "female"
	case "男", "男性", "male", "m", "1":
		p.Sex = "male"
	default:
		bad("性別", "女・男 のいずれかを入力してください")
	}
	p.Address = casefile.Address{PostalCode: strings.ReplaceAll(narrow(get("郵便番号")), "-", ""), Prefecture: get("都道府県"),
		City: get("市区町村"), Town: get("町名"), Block: narrow(get("番地")), Building: get("建物")}
	if tel := narrow(get("電話番号")); tel != "" {
		ok, valid := parseBool(get("連絡可否"), false)
		if !valid {
			bad("連絡可否", "可・否（1・0）で入力してください")
		}
		p.Contacts = []casefile.Contact{{Type: "phone", Value: tel, OKToContact: ok, SafeTimes: get("連絡可能時間帯")}}
	}
	for _, c := range []struct {
		col string
		dst **bool
	}{{"同居", &m.LivesWith}, {"生計同一", &m.SameLivelihood}, {"生活費負担", &m.Supported}, {"施設入所", &m.InFacility},
		{"国内住所", &p.ResidesInJapan}, {"私立", &p.SchoolPrivate}, {"事実婚", &m.DeFactoPartner}} {
		v, ok := parseTri(get(c.col))
		if !ok {
			bad(c.col, "1・0（はい・いいえ）で入力してください。わからなければ空欄にしてください")
		}
		*c.dst = v
	}
	if reg, ok := parseBool(get("住民票同一世帯"), true); ok {
		m.RegisteredSameHousehold = &reg
	} else {
		bad("住民票同一世帯", "1・0（はい・いいえ）で入力してください")
	}
	if s := get("在学状況"); s != "" {
		if code, ok := schoolNames[strings.ToLower(narrow(s))]; ok {
			p.School = code
		} else {
			bad("在学状況", "在学していない・保育所等・小学校・中学校・高校等・大学等・その他のいずれかを入力してください")
		}
	}
	if s := get("申請者の立場"); s != "" {
		if code, ok := roleNames[strings.ToLower(narrow(s))]; ok {
			m.ApplicantRole = code
		} else {
			bad("申請者の立場", "父母・養育者のいずれかを入力してください")
		}
	}
	if s := narrow(get("級地")); s != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "級地"))
		if err != nil || n < 1 || n > 3 {
			bad("級地", "1・2・3のいずれかを入力してください")
		} else {
			m.GradeArea = &n
		}
	}
	if m.Relationship.Code != "self" && m.Relationship.Code != "" {
		for col, set := range map[string]bool{"申請者の立場": m.ApplicantRole != "", "事実婚": m.DeFactoPartner != nil, "級地": m.GradeArea != nil} {
			if set {
				bad(col, "本人（self）の行にだけ入力できます")
			}
		}
	}
	if s := get("給与収入"); s != "" {
		amt, ok := parseYen(s)
		if !ok {
			bad("給与収入", "0以上の整数（円）で入力してください")
		}
		year, yok := parseYear(get("所得年分"))
		if !yok {
			bad("所得年分", "給与収入の年（2024、令和6年など）を入力してください")
		}
		if ok && yok {
			p.Incomes = []casefile.Income{{Year: year, Kind: "salary_revenue", Amount: amt, Source: "CSV取込"}}
		}
	}
	// The model's own rules (kana, postal code, My Number …), by column.
	if err := p.Validate(); err != nil {
		var ve *casefile.ValidationError
		if errors.As(err, &ve) {
			for _, pr := range ve.Problems {
				bad(columnOf(pr.Field), pr.Message)
			}
		}
	}
	return m, errs
}

var fieldColumns = map[string]string{
	"name.family": "氏", "name.family_kana": "氏フリガナ", "name.given_kana": "名フリガナ", "birth_date": "生年月日",
	"sex": "性別", "address.postal_code": "郵便番号", "contacts[0].value": "電話番号", "contacts[0].type": "電話番号",
	"school": "在学状況",
}

func columnOf(field string) string {
	if c, ok := fieldColumns[field]; ok {
		return c
	}
	if strings.HasPrefix(field, "external_ids") {
		return "宛名番号"
	}
	if strings.HasPrefix(field, "incomes") {
		return "給与収入"
	}
	return field
}

// Result summarises an import.
type Result struct {
	Households int
	Persons    int
	CaseIDs    []string
}

// Import reads a file and stores every household as a new case owned by the
// actor's desk, in one transaction. Any problem — in the file, a 宛名番号
// already registered, a store failure — writes nothing and returns an
// *ImportError (or the store's error). source names the file in the audit
// log (for example "jukki-20250401.csv"); it must not contain personal data.
func Import(ctx context.Context, s *casefile.Service, a casefile.Actor, source string, r io.Reader, opts Options) (Result, error) {
	hs, err := Parse(r, opts)
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = s.Import(ctx, a, source, func(c *casefile.Changes) error {
		res = Result{}
		var errs []RowError
		persons := make([][]*casefile.Person, len(hs))
		for i, h := range hs {
			for _, m := range h.Members {
				p := m.Person
				if err := c.Create(&p); err != nil {
					var de *casefile.DuplicateKeyError
					if errors.As(err, &de) {
						errs = append(errs, RowError{Row: m.Row, Column: "宛名番号", Message: "この宛名番号は既に登録されています（更新は画面またはAPIで行ってください）"})
						if len(errs) >= maxErrors {
							return &ImportError{Errors: errs}
						}
						continue
					}
					return fmt.Errorf("%d行目: %w", m.Row, err)
				}
				persons[i] = append(persons[i], &p)
				res.Persons++
			}
		}
		if len(errs) > 0 {
			return &ImportError{Errors: errs}
		}
		for i, h := range hs {
			var self *casefile.Person
			for j, m := range h.Members {
				if m.Relationship.Code == "self" {
					self = persons[i][j]
				}
			}
			cf := casefile.CaseFile{SubjectID: self.ID, Status: casefile.StatusOpen, OwnerOrg: a.Org, IntakeRoute: "import",
				OpenedOn: civil.DateOf(s.Now().In(jst))}
			for _, m := range h.Members {
				if m.Relationship.Code == "self" {
					cf.ApplicantRole, cf.DeFactoPartner, cf.GradeArea = m.ApplicantRole, m.DeFactoPartner, m.GradeArea
				}
			}
			if err := c.Create(&cf); err != nil {
				return fmt.Errorf("世帯番号 %s: %w", h.No, err)
			}
			for j, m := range h.Members {
				hm := casefile.HouseholdMember{CaseID: cf.ID, PersonID: persons[i][j].ID, Relationship: m.Relationship,
					LivesWith: m.LivesWith, RegisteredSameHousehold: m.RegisteredSameHousehold, SameLivelihood: m.SameLivelihood,
					Supported: m.Supported, InFacility: m.InFacility}
				if err := c.Create(&hm); err != nil {
					return fmt.Errorf("%d行目: %w", m.Row, err)
				}
			}
			res.CaseIDs = append(res.CaseIDs, cf.ID)
			res.Households++
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// jst is Japan time, in which a case opens on a calendar day.
var jst = time.FixedZone("JST", 9*60*60)
