package consent

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// RegulatoryBasis is the legal basis of every consent-based decision:
// provision with the person's consent, APPI (個人情報保護法) Art. 69(2)(i).
const RegulatoryBasis = "個人情報の保護に関する法律第69条第2項第1号（本人の同意）"

// Limits keep a single consent small enough to review on paper and cheap to
// evaluate; a form that needs more is a form to split.
const (
	MaxProvisions = 64  // provisions in one consent
	MaxExceptions = 16  // exceptions in one provision
	MaxRecipients = 64  // recipients in one provision
	maxIDLen      = 128 // bytes in an id or code
	maxTextLen    = 400 // bytes in a name, reason or reference
)

// Consent is one data subject's consent (同意), shaped like an HL7 FHIR R5
// Consent with base decision "deny": nothing is permitted unless a
// provision permits it. A Consent is the content of a version; its state
// over time (given, amended, withdrawn …) lives in the event log, never in
// the Consent itself.
type Consent struct {
	// ID identifies the consent across all its events.
	ID string `json:"id"`
	// Subject is the person whose data this consent covers (宛名番号 or
	// the case record's person id). Each household member consents for
	// their own data; never a My Number.
	Subject string `json:"subject"`
	// Grantor is who gave the consent and in what capacity.
	Grantor Grantor `json:"grantor"`
	// Manager is the organisation code of the desk that holds the consent
	// (FHIR manager), normally the one-stop consultation desk.
	Manager string `json:"manager"`
	// GivenAt is when the grantor agreed.
	GivenAt time.Time `json:"given_at,omitzero"`
	// Period bounds every provision. A zero End means until withdrawn.
	Period Period `json:"period"`
	// Notice is the explanation shown before consenting (ISO/IEC 29184).
	Notice Notice `json:"notice"`
	// Evidence is how the consent was received.
	Evidence Evidence `json:"evidence"`
	// Provisions permit; at least one is required.
	Provisions []Provision `json:"provisions"`
}

// Grantor is the person who consents: the subject, or a legal
// representative (法定代理人) for a child or a person under guardianship.
type Grantor struct {
	Person   string   `json:"person"`
	Capacity Capacity `json:"capacity"`
	// Basis of a representative's authority, e.g. "親権者", "未成年後見人".
	// Required for CapacityLegalRepresentative.
	Basis string `json:"basis,omitempty"`
}

// Notice identifies the explanation text shown to the person.
type Notice struct {
	Version string `json:"version"`
	// TextHash is the lowercase hex SHA-256 of the UTF-8 text shown; see
	// HashNotice.
	TextHash string `json:"text_hash"`
	// Language is a BCP 47 tag such as "ja", "en", "vi".
	Language string    `json:"language"`
	ShownAt  time.Time `json:"shown_at,omitzero"`
}

// HashNotice returns the value for Notice.TextHash: the lowercase hex
// SHA-256 of the notice text exactly as shown.
func HashNotice(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Evidence records how a consent, or a change to it, was received.
type Evidence struct {
	Channel Channel `json:"channel"`
	// Ref points at the evidence: the form's document number, the web
	// submission id, the LINE message id. Required except for verbal.
	Ref string `json:"ref,omitempty"`
	// Witness is the second staff member present for a verbal consent.
	Witness string `json:"witness,omitempty"`
	// RecordedBy is the staff member who recorded it.
	RecordedBy string `json:"recorded_by"`
}

// Recipient is an organisation data may go to.
type Recipient struct {
	Kind RecipientKind `json:"kind"`
	// Code is the organisation code an Actor's Org is compared with.
	Code string `json:"code"`
	// Name is shown on receipts (the municipal rule asks the form to name
	// the recipient).
	Name string `json:"name"`
}

// Provision permits the listed recipients to perform the listed actions
// for the listed purposes on the listed data categories, within Period
// (zero: the consent's period). Exceptions turn parts of it back to deny.
//
// In a permit every list must be non-empty; CategoryAny ("*") covers the
// non-sensitive categories only. In an exception an empty list means "any",
// and CategoryAny means every category: an exception can only narrow.
type Provision struct {
	ID         string      `json:"id,omitempty"`
	Period     Period      `json:"period,omitzero"`
	Recipients []Recipient `json:"recipients,omitempty"`
	Purposes   []Purpose   `json:"purposes,omitempty"`
	Actions    []Action    `json:"actions,omitempty"`
	Categories []Category  `json:"categories,omitempty"`
	// Exceptions are nested provisions that deny (FHIR: a nested level
	// negates its parent). Only one level: an exception has no exceptions.
	Exceptions []Provision `json:"exceptions,omitempty"`
}

// Validate checks c against the model's rules and returns a
// *ValidationError listing every problem, or nil.
func (c Consent) Validate() error {
	var ps problems
	c.validate("", &ps)
	return ps.err("consent")
}

func (c Consent) validate(prefix string, ps *problems) {
	p := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "." + name
	}
	checkID(p("id"), c.ID, ps)
	checkID(p("subject"), c.Subject, ps)
	checkID(p("grantor.person"), c.Grantor.Person, ps)
	switch c.Grantor.Capacity {
	case CapacitySelf:
		if c.Grantor.Person != c.Subject {
			ps.add(p("grantor.person"), "本人として同意する場合は、同意者と情報の主体が同じ人である必要があります")
		}
	case CapacityLegalRepresentative:
		if c.Grantor.Person == c.Subject {
			ps.add(p("grantor.person"), "法定代理人は情報の主体と別の人である必要があります")
		}
		if strings.TrimSpace(c.Grantor.Basis) == "" {
			ps.add(p("grantor.basis"), "法定代理人の根拠（親権者など）を入力してください")
		}
	default:
		ps.add(p("grantor.capacity"), "同意者の立場（本人・法定代理人）を指定してください")
	}
	checkText(p("grantor.basis"), c.Grantor.Basis, false, ps)
	checkID(p("manager"), c.Manager, ps)
	if c.GivenAt.IsZero() {
		ps.add(p("given_at"), "同意日時を入力してください")
	}
	c.Period.validate(p("period"), true, ps)

	c.Notice.validate(p("notice"), ps)
	if !c.Notice.ShownAt.IsZero() && !c.GivenAt.IsZero() && c.Notice.ShownAt.After(c.GivenAt) {
		ps.add(p("notice.shown_at"), "説明文は同意より前に示す必要があります")
	}
	c.Evidence.validate(p("evidence"), ps)

	switch {
	case len(c.Provisions) == 0:
		ps.add(p("provisions"), "同意の内容（提供先・目的・情報の種類）を1つ以上入力してください")
	case len(c.Provisions) > MaxProvisions:
		ps.add(p("provisions"), fmt.Sprintf("同意の内容は%d件までです", MaxProvisions))
	}
	for i, pr := range c.Provisions {
		if i >= MaxProvisions {
			break
		}
		pr.validate(fmt.Sprintf("%s[%d]", p("provisions"), i), false, ps)
	}
}

func (n Notice) validate(path string, ps *problems) {
	checkText(path+".version", n.Version, true, ps)
	if !isSHA256Hex(n.TextHash) {
		ps.add(path+".text_hash", "説明文のハッシュは SHA-256 の16進数64桁（小文字）で入力してください")
	}
	if !isLanguageTag(n.Language) {
		ps.add(path+".language", "説明文の言語を ja、en などの言語タグで入力してください")
	}
	if n.ShownAt.IsZero() {
		ps.add(path+".shown_at", "説明文を示した日時を入力してください")
	}
}

func (e Evidence) validate(path string, ps *problems) {
	switch e.Channel {
	case ChannelVerbal:
		if e.Witness == "" {
			ps.add(path+".witness", "口頭での同意には立会人（記録者とは別の職員）が必要です")
		} else if e.Witness == e.RecordedBy {
			ps.add(path+".witness", "口頭での同意の立会人は、記録した職員とは別の職員にしてください")
		}
	case ChannelPaper, ChannelWebForm, ChannelLINE:
		if strings.TrimSpace(e.Ref) == "" {
			ps.add(path+".ref", "同意書の番号や受付番号など、記録の参照先を入力してください")
		}
	default:
		ps.add(path+".channel", "同意の方法（紙・ウェブフォーム・LINE・口頭）を指定してください")
	}
	checkText(path+".ref", e.Ref, false, ps)
	if e.Witness != "" {
		checkID(path+".witness", e.Witness, ps)
	}
	checkID(path+".recorded_by", e.RecordedBy, ps)
}

func (pr Provision) validate(path string, exception bool, ps *problems) {
	if pr.ID != "" {
		checkID(path+".id", pr.ID, ps)
	}
	pr.Period.validate(path+".period", false, ps)
	if !exception {
		if len(pr.Recipients) == 0 {
			ps.add(path+".recipients", "提供先を1つ以上指定してください")
		}
		if len(pr.Purposes) == 0 {
			ps.add(path+".purposes", "利用目的を1つ以上指定してください")
		}
		if len(pr.Actions) == 0 {
			ps.add(path+".actions", "行為（閲覧・写しの提供など）を1つ以上指定してください")
		}
		if len(pr.Categories) == 0 {
			ps.add(path+".categories", "情報の種類を1つ以上指定してください")
		}
	}
	if len(pr.Recipients) > MaxRecipients {
		ps.add(path+".recipients", fmt.Sprintf("提供先は%d件までです", MaxRecipients))
	}
	seenR := make(map[string]bool, len(pr.Recipients))
	for i, r := range pr.Recipients {
		if i >= MaxRecipients {
			break
		}
		rp := fmt.Sprintf("%s.recipients[%d]", path, i)
		if !r.Kind.Valid() {
			ps.add(rp+".kind", "提供先の種別（庁内部署・委託先・外部機関）を指定してください")
		}
		checkID(rp+".code", r.Code, ps)
		checkText(rp+".name", r.Name, true, ps)
		if seenR[r.Code] {
			ps.add(rp+".code", "同じ提供先が重複しています")
		}
		seenR[r.Code] = true
	}
	checkCodes(path+".purposes", pr.Purposes, Purpose.Valid, "利用目的", ps)
	checkCodes(path+".actions", pr.Actions, Action.Valid, "行為", ps)
	var seenC [numCategories]bool
	seenAny := false
	for i, v := range pr.Categories {
		vp := fmt.Sprintf("%s.categories[%d]", path, i)
		switch {
		case v == CategoryAny:
			if seenAny {
				ps.add(vp, "同じ情報の種類が重複しています")
			}
			seenAny = true
		case v == CategoryMyNumber:
			ps.add(vp, "個人番号（マイナンバー）は同意によって提供できません（番号法第19条）")
		case !v.Valid():
			ps.add(vp, "情報の種類が正しくありません")
		case seenC[v]:
			ps.add(vp, "同じ情報の種類が重複しています")
		default:
			seenC[v] = true
		}
	}
	if exception {
		if len(pr.Exceptions) > 0 {
			ps.add(path+".exceptions", "除外事項の中に、さらに除外事項を置くことはできません")
		}
		return
	}
	if len(pr.Exceptions) > MaxExceptions {
		ps.add(path+".exceptions", fmt.Sprintf("除外事項は%d件までです", MaxExceptions))
	}
	for i, e := range pr.Exceptions {
		if i >= MaxExceptions {
			break
		}
		e.validate(fmt.Sprintf("%s.exceptions[%d]", path, i), true, ps)
	}
}

// checkCodes reports invalid and repeated codes in a list.
func checkCodes[T ~uint8](path string, list []T, valid func(T) bool, what string, ps *problems) {
	var seen [256]bool
	for i, v := range list {
		vp := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !valid(v):
			ps.add(vp, what+"が正しくありません")
		case seen[v]:
			ps.add(vp, "同じ"+what+"が重複しています")
		default:
			seen[v] = true
		}
	}
}

// checkID requires a non-empty identifier of printable characters without
// spaces, at most maxIDLen bytes.
func checkID(path, s string, ps *problems) {
	switch {
	case s == "":
		ps.add(path, "入力してください")
	case len(s) > maxIDLen:
		ps.add(path, fmt.Sprintf("%dバイト以内で入力してください", maxIDLen))
	case !utf8.ValidString(s):
		ps.add(path, "文字コードが正しくありません（UTF-8）")
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0:
		ps.add(path, "空白や制御文字は使えません")
	}
}

// checkText checks a short free text; required means non-blank.
func checkText(path, s string, required bool, ps *problems) {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			ps.add(path, "入力してください")
		}
	case len(s) > maxTextLen:
		ps.add(path, fmt.Sprintf("%dバイト以内で入力してください", maxTextLen))
	case !utf8.ValidString(s):
		ps.add(path, "文字コードが正しくありません（UTF-8）")
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		ps.add(path, "制御文字は使えません")
	}
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isLanguageTag accepts the simple BCP 47 shapes used for notices:
// a 2–3 letter language with optional alphanumeric subtags ("ja",
// "zh-Hans", "pt-BR").
func isLanguageTag(s string) bool {
	if s == "" || len(s) > 35 {
		return false
	}
	for i, part := range strings.Split(s, "-") {
		if part == "" || len(part) > 8 {
			return false
		}
		for j := 0; j < len(part); j++ {
			c := part[j]
			alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
			if i == 0 && !alpha || !alpha && !('0' <= c && c <= '9') {
				return false
			}
		}
		if i == 0 && (len(part) < 2 || len(part) > 3) {
			return false
		}
	}
	return true
}
