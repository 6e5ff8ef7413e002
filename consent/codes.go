package consent

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownCode is wrapped by every error about a code that is not in one of
// the package's code tables (a purpose, a category, a channel …).
var ErrUnknownCode = errors.New("unknown code")

// CodeError reports a code that is not in the table of Kind.
type CodeError struct {
	Kind string // "purpose", "action", "category", …
	Code string // the code as given
}

func (e *CodeError) Error() string {
	return fmt.Sprintf("consent: unknown %s code %q", e.Kind, e.Code)
}

func (e *CodeError) Unwrap() error { return ErrUnknownCode }

// entry is one row of a code table: the stable ASCII code used in JSON and
// the Japanese label shown to people.
type entry struct {
	code  string
	label string
}

// The code tables. Index 0 is the zero value of each enum and means "not
// set"; it has no code, so it never parses and never validates. The tables
// are never written after initialisation.
var (
	purposeTable = [...]entry{
		{},
		{"consultation", "相談対応"},
		{"sharing", "関係部署での共有"},
		{"notification", "支援情報の通知"},
		{"online_application", "オンライン申請"},
		{"contractor_processing", "委託先での取扱い"},
		{"statistics", "統計"},
	}
	actionTable = [...]entry{
		{},
		{"view", "閲覧"},
		{"copy", "写しの提供"},
		{"notify", "通知"},
		{"update", "更新"},
	}
	categoryTable = [...]entry{
		{},
		{"identity", "基本情報"},
		{"contact", "連絡先"},
		{"household", "世帯構成"},
		{"income_tax", "収入・税"},
		{"support_in_use", "利用中の支援"},
		{"program", "自立支援プログラム"},
		{"consultation", "相談履歴"},
		{"health_disability", "健康・障害"},
		{"dv_related", "DV関連"},
		{"my_number", "個人番号（マイナンバー）"},
	}
	channelTable = [...]entry{
		{},
		{"paper", "紙の同意書"},
		{"web_form", "ウェブフォーム"},
		{"line", "LINE"},
		{"verbal", "口頭（立会人あり）"},
	}
	capacityTable = [...]entry{
		{},
		{"self", "本人"},
		{"legal_representative", "法定代理人"},
	}
	recipientKindTable = [...]entry{
		{},
		{"department", "庁内部署"},
		{"contractor", "委託先"},
		{"external", "外部機関"},
	}
	eventTypeTable = [...]entry{
		{},
		{"given", "同意"},
		{"amended", "変更"},
		{"reconfirmed", "再確認"},
		{"withdrawn", "撤回"},
		{"expired", "期間満了"},
		{"corrected", "訂正"},
	}
	statusTable = [...]entry{
		{},
		{"pending", "発効前"},
		{"active", "有効"},
		{"withdrawn", "撤回済み"},
		{"expired", "期間満了"},
	}
	restrictionKindTable = [...]entry{
		{},
		{"dv", "DV（配偶者からの暴力）"},
		{"stalking", "ストーカー行為等"},
		{"abuse", "児童虐待等"},
	}
	statuteTable = [...]entry{
		{},
		{"child_protection_council", "要保護児童対策地域協議会（児童福祉法第25条の2・第25条の3）"},
		{"needy_support_meeting", "支援会議（生活困窮者自立支援法第9条）"},
		{"child_abuse_prevention", "児童相談所長等の求めによる提供（児童虐待防止法第13条の4）"},
		{"life_or_body", "人の生命・身体の保護（個人情報保護法第69条第2項第4号）"},
	}
)

func lookup(kind string, table []entry, s string) (uint8, error) {
	for i := 1; i < len(table); i++ {
		if table[i].code == s {
			return uint8(i), nil
		}
	}
	return 0, &CodeError{Kind: kind, Code: s}
}

func codeOf(table []entry, v uint8) string {
	if int(v) < len(table) {
		return table[v].code
	}
	return ""
}

func labelOf(table []entry, v uint8) string {
	if int(v) < len(table) {
		return table[v].label
	}
	return ""
}

func validIn(table []entry, v uint8) bool { return v > 0 && int(v) < len(table) }

// stringOf is String for every enum: the code, or "kind(n)" for a value
// outside the table so that a bad value never prints as a real code.
func stringOf(kind string, table []entry, v uint8) string {
	if validIn(table, v) {
		return table[v].code
	}
	return fmt.Sprintf("%s(%d)", kind, v)
}

func marshalCode(kind string, table []entry, v uint8) ([]byte, error) {
	if !validIn(table, v) {
		return nil, fmt.Errorf("consent: cannot encode %s(%d): not a valid %s", kind, v, kind)
	}
	return []byte(table[v].code), nil
}

// Purpose is a purpose of use (利用目的) that a provision permits.
type Purpose uint8

// Purposes of use. The codes are stable; see Label for the Japanese text.
const (
	PurposeConsultation         Purpose = iota + 1 // 相談対応: the consultation itself
	PurposeSharing                                 // 関係部署での共有: sharing with related departments
	PurposeNotification                            // 支援情報の通知: push-type notices of support
	PurposeOnlineApplication                       // オンライン申請: prefilling an online application
	PurposeContractorProcessing                    // 委託先での取扱い: handling by a contractor (委託先)
	PurposeStatistics                              // 統計: statistics and reporting
)

// AllPurposes lists every purpose in code-table order.
func AllPurposes() []Purpose {
	out := make([]Purpose, 0, len(purposeTable)-1)
	for i := 1; i < len(purposeTable); i++ {
		out = append(out, Purpose(i))
	}
	return out
}

// ParsePurpose returns the purpose with the given code.
func ParsePurpose(code string) (Purpose, error) {
	v, err := lookup("purpose", purposeTable[:], code)
	return Purpose(v), err
}

func (p Purpose) String() string { return stringOf("purpose", purposeTable[:], uint8(p)) }

// Label is the Japanese name shown to people.
func (p Purpose) Label() string { return labelOf(purposeTable[:], uint8(p)) }

// Valid reports whether p is one of the defined purposes.
func (p Purpose) Valid() bool { return validIn(purposeTable[:], uint8(p)) }

// MarshalText encodes the purpose as its code.
func (p Purpose) MarshalText() ([]byte, error) {
	return marshalCode("purpose", purposeTable[:], uint8(p))
}

// UnmarshalText decodes a purpose code.
func (p *Purpose) UnmarshalText(b []byte) error {
	v, err := ParsePurpose(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Action is what a recipient may do with the data.
type Action uint8

// Actions. The codes follow FHIR Consent's action vocabulary loosely.
const (
	ActionView   Action = iota + 1 // 閲覧
	ActionCopy                     // 写しの提供 (FHIR "disclose"): data leave the viewing system
	ActionNotify                   // 通知: sending a notice about the subject
	ActionUpdate                   // 更新: changing the data
)

// AllActions lists every action in code-table order.
func AllActions() []Action {
	out := make([]Action, 0, len(actionTable)-1)
	for i := 1; i < len(actionTable); i++ {
		out = append(out, Action(i))
	}
	return out
}

// ParseAction returns the action with the given code.
func ParseAction(code string) (Action, error) {
	v, err := lookup("action", actionTable[:], code)
	return Action(v), err
}

func (a Action) String() string { return stringOf("action", actionTable[:], uint8(a)) }

// Label is the Japanese name shown to people.
func (a Action) Label() string { return labelOf(actionTable[:], uint8(a)) }

// Valid reports whether a is one of the defined actions.
func (a Action) Valid() bool { return validIn(actionTable[:], uint8(a)) }

// MarshalText encodes the action as its code.
func (a Action) MarshalText() ([]byte, error) { return marshalCode("action", actionTable[:], uint8(a)) }

// UnmarshalText decodes an action code.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Category is a data category (情報の種類) of the case record.
type Category uint8

// Data categories. HealthDisability and DVRelated are sensitive: a provision
// covers them only when it names them, never through CategoryAny. MyNumber
// exists only so that it can be refused everywhere: 番号法 (Act on the Use of
// Numbers) Art. 19 makes provision lawful only in the cases it lists, and the
// person's consent is not one of them.
const (
	CategoryIdentity         Category = iota + 1 // 基本情報: name, birth date, address, 宛名番号
	CategoryContact                              // 連絡先: phone, e-mail, LINE, contact preferences
	CategoryHousehold                            // 世帯構成: household members and relationships
	CategoryIncomeTax                            // 収入・税: income and tax data (地方税法 Art. 22 secrecy)
	CategorySupportInUse                         // 利用中の支援: public support in use
	CategoryProgram                              // 自立支援プログラム: self-reliance programme
	CategoryConsultation                         // 相談履歴: consultation history
	CategoryHealthDisability                     // 健康・障害: 要配慮個人情報 (special-care information)
	CategoryDVRelated                            // DV関連: facts on DV, stalking or abuse
	CategoryMyNumber                             // 個人番号: never in scope; always refused

	// CategoryAny is the wildcard "*" allowed in a provision's category list.
	// In a permit it stands for every category except the sensitive ones
	// and My Number; in an exception it stands for every category.
	CategoryAny Category = 0xFF
)

const numCategories = int(CategoryMyNumber) + 1

// AllCategories lists every data category in code-table order, My Number
// included (it is a real code that is always refused).
func AllCategories() []Category {
	out := make([]Category, 0, len(categoryTable)-1)
	for i := 1; i < len(categoryTable); i++ {
		out = append(out, Category(i))
	}
	return out
}

// ParseCategory returns the category with the given code; "*" is CategoryAny.
func ParseCategory(code string) (Category, error) {
	if code == "*" {
		return CategoryAny, nil
	}
	v, err := lookup("category", categoryTable[:], code)
	return Category(v), err
}

func (c Category) String() string {
	if c == CategoryAny {
		return "*"
	}
	return stringOf("category", categoryTable[:], uint8(c))
}

// Label is the Japanese name shown to people.
func (c Category) Label() string {
	if c == CategoryAny {
		return "すべての情報（要配慮・DV関連を除く）"
	}
	return labelOf(categoryTable[:], uint8(c))
}

// Valid reports whether c is a concrete category (not CategoryAny).
func (c Category) Valid() bool { return validIn(categoryTable[:], uint8(c)) }

// Sensitive reports whether c is covered only when named explicitly:
// 健康・障害 (要配慮個人情報, APPI Art. 2(3)) and DV関連.
func (c Category) Sensitive() bool {
	return c == CategoryHealthDisability || c == CategoryDVRelated
}

// MarshalText encodes the category as its code ("*" for CategoryAny).
func (c Category) MarshalText() ([]byte, error) {
	if c == CategoryAny {
		return []byte("*"), nil
	}
	return marshalCode("category", categoryTable[:], uint8(c))
}

// UnmarshalText decodes a category code.
func (c *Category) UnmarshalText(b []byte) error {
	v, err := ParseCategory(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// CategorySet is a set of concrete categories, one bit per category. Its
// zero value is the empty set. It is a value type so that requests and
// decisions carry categories without allocating. In JSON it is an array of
// codes in code-table order.
type CategorySet uint16

const (
	allCategoryBits CategorySet = (1<<numCategories - 1) &^ 1
	sensitiveBits   CategorySet = 1<<CategoryHealthDisability | 1<<CategoryDVRelated
	myNumberBit     CategorySet = 1 << CategoryMyNumber
	// wildcardBits is what CategoryAny grants in a permit.
	wildcardBits = allCategoryBits &^ sensitiveBits &^ myNumberBit
)

// Categories returns the set of the given categories; CategoryAny adds every
// non-sensitive category, and invalid values are ignored.
func Categories(cs ...Category) CategorySet {
	var s CategorySet
	for _, c := range cs {
		s = s.With(c)
	}
	return s
}

// With returns s plus c (CategoryAny adds the non-sensitive categories).
func (s CategorySet) With(c Category) CategorySet {
	switch {
	case c == CategoryAny:
		return s | wildcardBits
	case c.Valid():
		return s | 1<<c
	}
	return s
}

// Has reports whether c is in s.
func (s CategorySet) Has(c Category) bool { return c.Valid() && s&(1<<c) != 0 }

// Len is the number of categories in s.
func (s CategorySet) Len() int {
	n := 0
	for b := s & allCategoryBits; b != 0; b &= b - 1 {
		n++
	}
	return n
}

// Empty reports whether s has no category.
func (s CategorySet) Empty() bool { return s&allCategoryBits == 0 }

// List returns the categories in s in code-table order.
func (s CategorySet) List() []Category {
	out := make([]Category, 0, s.Len())
	for i := 1; i < numCategories; i++ {
		if s&(1<<i) != 0 {
			out = append(out, Category(i))
		}
	}
	return out
}

// String lists the codes, comma-separated.
func (s CategorySet) String() string {
	var b strings.Builder
	for _, c := range s.List() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(c.String())
	}
	return b.String()
}

// Labels lists the Japanese labels, separated by "、".
func (s CategorySet) Labels() string {
	var b strings.Builder
	for _, c := range s.List() {
		if b.Len() > 0 {
			b.WriteString("、")
		}
		b.WriteString(c.Label())
	}
	return b.String()
}

// Channel is how a consent (or its withdrawal) was received: the evidence.
type Channel uint8

// Channels of evidence.
const (
	ChannelPaper   Channel = iota + 1 // 紙の同意書: signed paper form
	ChannelWebForm                    // ウェブフォーム: online form submission
	ChannelLINE                       // LINE: the municipality's LINE account
	ChannelVerbal                     // 口頭: spoken, recorded by staff with a witness
)

// ParseChannel returns the channel with the given code.
func ParseChannel(code string) (Channel, error) {
	v, err := lookup("channel", channelTable[:], code)
	return Channel(v), err
}

func (c Channel) String() string { return stringOf("channel", channelTable[:], uint8(c)) }

// Label is the Japanese name shown to people.
func (c Channel) Label() string { return labelOf(channelTable[:], uint8(c)) }

// Valid reports whether c is one of the defined channels.
func (c Channel) Valid() bool { return validIn(channelTable[:], uint8(c)) }

// MarshalText encodes the channel as its code.
func (c Channel) MarshalText() ([]byte, error) {
	return marshalCode("channel", channelTable[:], uint8(c))
}

// UnmarshalText decodes a channel code.
func (c *Channel) UnmarshalText(b []byte) error {
	v, err := ParseChannel(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Capacity is the standing in which a grantor consents.
type Capacity uint8

// Capacities.
const (
	CapacitySelf                Capacity = iota + 1 // 本人: the data subject
	CapacityLegalRepresentative                     // 法定代理人: e.g. 親権者 for a child
)

// ParseCapacity returns the capacity with the given code.
func ParseCapacity(code string) (Capacity, error) {
	v, err := lookup("capacity", capacityTable[:], code)
	return Capacity(v), err
}

func (c Capacity) String() string { return stringOf("capacity", capacityTable[:], uint8(c)) }

// Label is the Japanese name shown to people.
func (c Capacity) Label() string { return labelOf(capacityTable[:], uint8(c)) }

// Valid reports whether c is one of the defined capacities.
func (c Capacity) Valid() bool { return validIn(capacityTable[:], uint8(c)) }

// MarshalText encodes the capacity as its code.
func (c Capacity) MarshalText() ([]byte, error) {
	return marshalCode("capacity", capacityTable[:], uint8(c))
}

// UnmarshalText decodes a capacity code.
func (c *Capacity) UnmarshalText(b []byte) error {
	v, err := ParseCapacity(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// RecipientKind says what kind of organisation a recipient is; it decides
// the legal route (APPI Art. 69(2)) and the obligations of a disclosure.
type RecipientKind uint8

// Recipient kinds.
const (
	RecipientDepartment RecipientKind = iota + 1 // 庁内部署: a department of the same body
	RecipientContractor                          // 委託先: a contractor; needs an active Contract
	RecipientExternal                            // 外部機関: another body, 社会福祉協議会, an NPO
)

// ParseRecipientKind returns the recipient kind with the given code.
func ParseRecipientKind(code string) (RecipientKind, error) {
	v, err := lookup("recipient kind", recipientKindTable[:], code)
	return RecipientKind(v), err
}

func (k RecipientKind) String() string {
	return stringOf("recipient_kind", recipientKindTable[:], uint8(k))
}

// Label is the Japanese name shown to people.
func (k RecipientKind) Label() string { return labelOf(recipientKindTable[:], uint8(k)) }

// Valid reports whether k is one of the defined kinds.
func (k RecipientKind) Valid() bool { return validIn(recipientKindTable[:], uint8(k)) }

// MarshalText encodes the kind as its code.
func (k RecipientKind) MarshalText() ([]byte, error) {
	return marshalCode("recipient kind", recipientKindTable[:], uint8(k))
}

// UnmarshalText decodes a recipient kind code.
func (k *RecipientKind) UnmarshalText(b []byte) error {
	v, err := ParseRecipientKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// EventType is the type of a consent event (ISO/IEC TS 27560 event).
type EventType uint8

// Event types.
const (
	EventGiven       EventType = iota + 1 // 同意: the consent is given (first event)
	EventAmended                          // 変更: new content from EffectiveAt on
	EventReconfirmed                      // 再確認: confirmed again, optionally a new period or notice
	EventWithdrawn                        // 撤回: withdrawn from EffectiveAt on
	EventExpired                          // 期間満了: recorded end, from EffectiveAt on
	EventCorrected                        // 訂正: fixes a recording error in an earlier version
)

// ParseEventType returns the event type with the given code.
func ParseEventType(code string) (EventType, error) {
	v, err := lookup("event type", eventTypeTable[:], code)
	return EventType(v), err
}

func (t EventType) String() string { return stringOf("event_type", eventTypeTable[:], uint8(t)) }

// Label is the Japanese name shown to people.
func (t EventType) Label() string { return labelOf(eventTypeTable[:], uint8(t)) }

// Valid reports whether t is one of the defined event types.
func (t EventType) Valid() bool { return validIn(eventTypeTable[:], uint8(t)) }

// MarshalText encodes the event type as its code.
func (t EventType) MarshalText() ([]byte, error) {
	return marshalCode("event type", eventTypeTable[:], uint8(t))
}

// UnmarshalText decodes an event type code.
func (t *EventType) UnmarshalText(b []byte) error {
	v, err := ParseEventType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Status is the state of a consent at a point in time, derived from its
// events and period; it is never stored.
type Status uint8

// Statuses.
const (
	StatusPending   Status = iota + 1 // 発効前: not yet in effect
	StatusActive                      // 有効
	StatusWithdrawn                   // 撤回済み
	StatusExpired                     // 期間満了
)

func (s Status) String() string { return stringOf("status", statusTable[:], uint8(s)) }

// Label is the Japanese name shown to people.
func (s Status) Label() string { return labelOf(statusTable[:], uint8(s)) }

// MarshalText encodes the status as its code.
func (s Status) MarshalText() ([]byte, error) {
	return marshalCode("status", statusTable[:], uint8(s))
}

// RestrictionKind is the kind of DV等支援措置 (support measure).
type RestrictionKind uint8

// Restriction kinds (住民基本台帳事務における支援措置).
const (
	RestrictionDV       RestrictionKind = iota + 1 // 配偶者からの暴力
	RestrictionStalking                            // ストーカー行為等
	RestrictionAbuse                               // 児童虐待等
)

// ParseRestrictionKind returns the restriction kind with the given code.
func ParseRestrictionKind(code string) (RestrictionKind, error) {
	v, err := lookup("restriction kind", restrictionKindTable[:], code)
	return RestrictionKind(v), err
}

func (k RestrictionKind) String() string {
	return stringOf("restriction_kind", restrictionKindTable[:], uint8(k))
}

// Label is the Japanese name shown to people.
func (k RestrictionKind) Label() string { return labelOf(restrictionKindTable[:], uint8(k)) }

// Valid reports whether k is one of the defined kinds.
func (k RestrictionKind) Valid() bool { return validIn(restrictionKindTable[:], uint8(k)) }

// MarshalText encodes the kind as its code.
func (k RestrictionKind) MarshalText() ([]byte, error) {
	return marshalCode("restriction kind", restrictionKindTable[:], uint8(k))
}

// UnmarshalText decodes a restriction kind code.
func (k *RestrictionKind) UnmarshalText(b []byte) error {
	v, err := ParseRestrictionKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Statute is a statutory basis for sharing without consent. It counts only
// when asserted explicitly in a request by an actor who holds a Mandate for
// it; such decisions are always flagged for supervisor review.
type Statute uint8

// Statutory bases.
const (
	// StatuteChildProtectionCouncil: 要保護児童対策地域協議会, 児童福祉法 Art.
	// 25-2, 25-3 (members bound by 25-5 confidentiality). Needs a conference.
	StatuteChildProtectionCouncil Statute = iota + 1
	// StatuteNeedySupportMeeting: 支援会議, 生活困窮者自立支援法 Art. 9.
	// Needs a conference.
	StatuteNeedySupportMeeting
	// StatuteChildAbusePrevention: provision on request of the 児童相談所長
	// or the municipality, 児童虐待防止法 Art. 13-4.
	StatuteChildAbusePrevention
	// StatuteLifeOrBody: protection of a person's life or body,
	// 個人情報保護法 Art. 69(2)(iv).
	StatuteLifeOrBody
)

// ParseStatute returns the statute with the given code.
func ParseStatute(code string) (Statute, error) {
	v, err := lookup("statute", statuteTable[:], code)
	return Statute(v), err
}

func (s Statute) String() string { return stringOf("statute", statuteTable[:], uint8(s)) }

// Label is the Japanese name with its article.
func (s Statute) Label() string { return labelOf(statuteTable[:], uint8(s)) }

// Valid reports whether s is one of the defined statutes.
func (s Statute) Valid() bool { return validIn(statuteTable[:], uint8(s)) }

// NeedsConference reports whether the statute works through a conference
// (協議会・会議) whose membership the actor must hold.
func (s Statute) NeedsConference() bool {
	return s == StatuteChildProtectionCouncil || s == StatuteNeedySupportMeeting
}

// Confidential reports whether recipients under this statute are bound by a
// statutory duty of confidentiality that must travel with the data.
func (s Statute) Confidential() bool { return s.NeedsConference() }

// MarshalText encodes the statute as its code.
func (s Statute) MarshalText() ([]byte, error) {
	return marshalCode("statute", statuteTable[:], uint8(s))
}

// UnmarshalText decodes a statute code.
func (s *Statute) UnmarshalText(b []byte) error {
	v, err := ParseStatute(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
