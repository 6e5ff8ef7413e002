package consent

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// ReceiptVersion identifies the receipt format (modelled on the Kantara
// Consent Receipt v1.1 and the ISO/IEC TS 27560 receipt).
const ReceiptVersion = "onestop-consent-receipt/1"

// Controller is the municipality that controls the data (管理者) and the desk
// the person can turn to, printed on every receipt.
type Controller struct {
	Name         string `json:"name"`         // e.g. "〇〇市"
	Municipality string `json:"municipality"` // 全国地方公共団体コード (6 digits)
	Desk         string `json:"desk"`         // e.g. "こども家庭課 ひとり親相談窓口"
	Address      string `json:"address,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
	URL          string `json:"url,omitempty"` // privacy notice / policy page
	// Withdrawal says how to withdraw, in Japanese: where, by which
	// channels, what to bring. Required: a receipt must say it.
	Withdrawal string `json:"withdrawal"`
}

func (c Controller) validate() error {
	var ps problems
	checkText("name", c.Name, true, &ps)
	if len(c.Municipality) != 6 || strings.Trim(c.Municipality, "0123456789") != "" {
		ps.add("municipality", "団体コードは6桁の数字で入力してください")
	}
	checkText("desk", c.Desk, true, &ps)
	checkText("withdrawal", c.Withdrawal, true, &ps)
	if c.Phone == "" && c.Email == "" && c.Address == "" {
		ps.add("phone", "問い合わせ先（電話・メール・所在地のいずれか）を入力してください")
	}
	return ps.err("controller")
}

// Labelled is a code with its Japanese label.
type Labelled struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// ReceiptCategory is a data category on a receipt.
type ReceiptCategory struct {
	Code      string `json:"code"`
	Label     string `json:"label"`
	Sensitive bool   `json:"sensitive"`
}

// ReceiptRecipient is a recipient on a receipt.
type ReceiptRecipient struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
}

// ReceiptProvision is one provision (a "service" in Kantara terms).
type ReceiptProvision struct {
	Recipients []ReceiptRecipient `json:"recipients,omitempty"`
	Purposes   []Labelled         `json:"purposes,omitempty"`
	Actions    []Labelled         `json:"actions,omitempty"`
	Categories []ReceiptCategory  `json:"categories,omitempty"`
	Period     *Period            `json:"period,omitempty"`
	Exceptions []ReceiptProvision `json:"exceptions,omitempty"`
}

// Receipt is the consent receipt handed to the person (paper or PDF): what
// they agreed to, with whom, until when, and how to withdraw. It doubles as
// the municipality's evidence. Build it with NewReceipt; encode it with
// encoding/json or render it with Text.
type Receipt struct {
	Version      string     `json:"version"`
	ID           string     `json:"receipt_id"` // "<consent id>/<events so far>"
	Jurisdiction string     `json:"jurisdiction"`
	IssuedAt     time.Time  `json:"issued_at"`
	Controller   Controller `json:"controller"`

	ConsentID string   `json:"consent_id"`
	Status    Labelled `json:"status"`
	Subject   string   `json:"subject"`
	// SubjectName and GrantorName are optional display names the caller
	// may set before rendering; the consent itself holds ids only.
	SubjectName      string   `json:"subject_name,omitempty"`
	Grantor          string   `json:"grantor"`
	GrantorName      string   `json:"grantor_name,omitempty"`
	GrantorCapacity  Labelled `json:"grantor_capacity"`
	GrantorBasis     string   `json:"grantor_basis,omitempty"`
	CollectionMethod Labelled `json:"collection_method"`
	EvidenceRef      string   `json:"evidence_ref,omitempty"`

	NoticeVersion   string `json:"notice_version"`
	NoticeTextHash  string `json:"notice_text_hash"`
	NoticeLanguage  string `json:"notice_language"`
	RegulatoryBasis string `json:"regulatory_basis"`

	GivenAt         time.Time          `json:"given_at"`
	LastConfirmedAt time.Time          `json:"last_confirmed_at"`
	Period          Period             `json:"period"`
	EndedAt         time.Time          `json:"ended_at,omitzero"`
	Provisions      []ReceiptProvision `json:"provisions"`

	// Sensitive is true when any provision names a sensitive category.
	Sensitive           bool       `json:"sensitive"`
	SensitiveCategories []Labelled `json:"sensitive_categories,omitempty"`
	// ThirdPartyDisclosure is true when any recipient is outside the
	// municipality's departments (a contractor or another body).
	ThirdPartyDisclosure bool              `json:"third_party_disclosure"`
	Withdrawal           ReceiptWithdrawal `json:"withdrawal"`
}

// ReceiptWithdrawal tells the person how to withdraw and what follows.
type ReceiptWithdrawal struct {
	How    string `json:"how"`
	Effect string `json:"effect"`
}

// withdrawalEffect is what a withdrawal does, as the receipt tells it.
const withdrawalEffect = "撤回はいつでもでき、不利益な取扱いを受けることはありません。撤回した日時以降、新たな利用・提供は行いません。撤回の前に情報を受け取った提供先には、撤回されたことをお知らせします。"

// NewReceipt builds the receipt for the consent's current version as of at
// (the status shown is the status at at).
func NewReceipt(r Record, ctrl Controller, at time.Time) (Receipt, error) {
	if len(r.Versions) == 0 {
		return Receipt{}, fmt.Errorf("consent: receipt: record %q has no versions: %w", r.ID, ErrNotFound)
	}
	if err := ctrl.validate(); err != nil {
		return Receipt{}, fmt.Errorf("consent: receipt: %w", err)
	}
	if at.IsZero() {
		return Receipt{}, fmt.Errorf("consent: receipt: issue time is required: %w", ErrInvalid)
	}
	c := r.Current()
	st := r.Status(at)
	rc := Receipt{
		Version:          ReceiptVersion,
		ID:               fmt.Sprintf("%s/%d", r.ID, len(r.Events)),
		Jurisdiction:     "JP-" + ctrl.Municipality,
		IssuedAt:         at,
		Controller:       ctrl,
		ConsentID:        r.ID,
		Status:           Labelled{st.String(), st.Label()},
		Subject:          c.Subject,
		Grantor:          c.Grantor.Person,
		GrantorCapacity:  Labelled{c.Grantor.Capacity.String(), c.Grantor.Capacity.Label()},
		GrantorBasis:     c.Grantor.Basis,
		CollectionMethod: Labelled{c.Evidence.Channel.String(), c.Evidence.Channel.Label()},
		EvidenceRef:      c.Evidence.Ref,
		NoticeVersion:    c.Notice.Version,
		NoticeTextHash:   c.Notice.TextHash,
		NoticeLanguage:   c.Notice.Language,
		RegulatoryBasis:  RegulatoryBasis,
		GivenAt:          c.GivenAt,
		LastConfirmedAt:  r.LastConfirmedAt,
		Period:           c.Period,
		EndedAt:          r.EndAt,
	}
	var sensitive CategorySet
	for _, p := range c.Provisions {
		rp := receiptProvision(p)
		for _, x := range p.Categories {
			if x.Sensitive() {
				sensitive = sensitive.With(x)
			}
		}
		for _, x := range p.Recipients {
			if x.Kind != RecipientDepartment {
				rc.ThirdPartyDisclosure = true
			}
		}
		rc.Provisions = append(rc.Provisions, rp)
	}
	for _, x := range sensitive.List() {
		rc.SensitiveCategories = append(rc.SensitiveCategories, Labelled{x.String(), x.Label()})
	}
	rc.Sensitive = !sensitive.Empty()
	rc.Withdrawal.How = ctrl.Withdrawal
	rc.Withdrawal.Effect = withdrawalEffect
	return rc, nil
}

func receiptProvision(p Provision) ReceiptProvision {
	var rp ReceiptProvision
	for _, r := range p.Recipients {
		rp.Recipients = append(rp.Recipients, ReceiptRecipient{Code: r.Code, Name: r.Name, Kind: r.Kind.String(), KindLabel: r.Kind.Label()})
	}
	for _, x := range p.Purposes {
		rp.Purposes = append(rp.Purposes, Labelled{x.String(), x.Label()})
	}
	for _, x := range p.Actions {
		rp.Actions = append(rp.Actions, Labelled{x.String(), x.Label()})
	}
	for _, x := range p.Categories {
		label := x.Label()
		if x == CategoryAny {
			// Name the items: the person must see what "all" means.
			label = "すべて（" + Categories(CategoryAny).Labels() + "。健康・障害とDV関連は含みません）"
		}
		rp.Categories = append(rp.Categories, ReceiptCategory{Code: x.String(), Label: label, Sensitive: x.Sensitive()})
	}
	if !p.Period.IsZero() {
		pd := p.Period
		rp.Period = &pd
	}
	for _, e := range p.Exceptions {
		rp.Exceptions = append(rp.Exceptions, receiptProvision(e))
	}
	return rp
}

// Text renders the receipt as plain Japanese text for printing.
func (rc Receipt) Text() string {
	var b strings.Builder
	_ = rc.WriteText(&b)
	return b.String()
}

// WriteText writes the plain-text Japanese rendering of the receipt.
func (rc Receipt) WriteText(w io.Writer) error {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	person := func(id, name string) string {
		if name != "" {
			return name
		}
		return id
	}
	line("個人情報の利用・提供に関する同意の控え")
	line("========================================")
	line("控え番号: %s", rc.ID)
	line("発行日時: %s", FormatDateTime(rc.IssuedAt))
	line("")
	line("【管理者】")
	line("  %s（団体コード %s）", rc.Controller.Name, rc.Controller.Municipality)
	line("  担当窓口: %s", rc.Controller.Desk)
	if rc.Controller.Address != "" {
		line("  所在地: %s", rc.Controller.Address)
	}
	if rc.Controller.Phone != "" {
		line("  電話: %s", rc.Controller.Phone)
	}
	if rc.Controller.Email != "" {
		line("  メール: %s", rc.Controller.Email)
	}
	if rc.Controller.URL != "" {
		line("  個人情報の取扱い: %s", rc.Controller.URL)
	}
	line("")
	line("【同意の内容】")
	line("  同意番号: %s", rc.ConsentID)
	line("  状態: %s", rc.Status.Label)
	line("  情報の本人: %s", person(rc.Subject, rc.SubjectName))
	if rc.GrantorCapacity.Code == CapacitySelf.String() {
		line("  同意した人: %s（本人）", person(rc.Grantor, rc.GrantorName))
	} else {
		line("  同意した人: %s（%s・%s）", person(rc.Grantor, rc.GrantorName), rc.GrantorCapacity.Label, rc.GrantorBasis)
	}
	line("  同意日時: %s", FormatDateTime(rc.GivenAt))
	if !rc.LastConfirmedAt.IsZero() && !rc.LastConfirmedAt.Equal(rc.GivenAt) {
		line("  最終確認日時: %s", FormatDateTime(rc.LastConfirmedAt))
	}
	line("  有効期間: %s", formatPeriod(rc.Period))
	if !rc.EndedAt.IsZero() {
		line("  終了日時: %s（%s）", FormatDateTime(rc.EndedAt), rc.Status.Label)
	}
	if rc.EvidenceRef != "" {
		line("  同意の方法: %s（記録番号 %s）", rc.CollectionMethod.Label, rc.EvidenceRef)
	} else {
		line("  同意の方法: %s", rc.CollectionMethod.Label)
	}
	line("  説明文: 第%s版（言語 %s、SHA-256 %s）", rc.NoticeVersion, rc.NoticeLanguage, rc.NoticeTextHash)
	line("  根拠: %s", rc.RegulatoryBasis)
	for i, p := range rc.Provisions {
		line("")
		line("【利用・提供 %d】", i+1)
		writeProvision(line, p, "  ", false)
		if len(p.Exceptions) > 0 {
			line("  ただし、次の場合は除きます:")
			for _, e := range p.Exceptions {
				writeProvision(line, e, "    - ", true)
			}
		}
	}
	line("")
	if rc.Sensitive {
		labels := make([]string, len(rc.SensitiveCategories))
		for i, s := range rc.SensitiveCategories {
			labels[i] = s.Label
		}
		line("※ 特に慎重な取扱いを要する情報（%s）を含みます。これらは種類を明示して同意いただいた場合に限り利用・提供します。", strings.Join(labels, "、"))
	}
	if rc.ThirdPartyDisclosure {
		line("※ 市の部署以外（委託先・外部機関）への提供を含みます。")
	}
	line("※ 個人番号（マイナンバー）は、この同意によって利用・提供されることはありません。")
	line("")
	line("【同意の撤回】")
	line("  %s", rc.Withdrawal.Effect)
	line("  撤回の方法: %s", rc.Withdrawal.How)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeProvision(line func(string, ...any), p ReceiptProvision, indent string, inline bool) {
	var parts []string
	if len(p.Recipients) > 0 {
		names := make([]string, len(p.Recipients))
		for i, r := range p.Recipients {
			names[i] = fmt.Sprintf("%s（%s）", r.Name, r.KindLabel)
		}
		parts = append(parts, "提供先: "+strings.Join(names, "、"))
	}
	if len(p.Purposes) > 0 {
		parts = append(parts, "利用目的: "+joinLabels(p.Purposes))
	}
	if len(p.Actions) > 0 {
		parts = append(parts, "行為: "+joinLabels(p.Actions))
	}
	if len(p.Categories) > 0 {
		names := make([]string, len(p.Categories))
		for i, c := range p.Categories {
			names[i] = c.Label
			if c.Sensitive {
				names[i] += "【要配慮】"
			}
		}
		parts = append(parts, "情報の種類: "+strings.Join(names, "、"))
	}
	if p.Period != nil {
		parts = append(parts, "期間: "+formatPeriod(*p.Period))
	}
	if len(parts) == 0 {
		parts = append(parts, "すべて")
	}
	if inline {
		line("%s%s", indent, strings.Join(parts, " / "))
		return
	}
	for _, s := range parts {
		line("%s%s", indent, s)
	}
}

func joinLabels(ls []Labelled) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Label
	}
	return strings.Join(out, "、")
}
