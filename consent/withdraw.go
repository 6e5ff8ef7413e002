package consent

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Disclosure is one permitted access to a subject's data by a recipient,
// as the caller's disclosure log holds it (casefile derives it from its
// audit log; Decision.Disclosure builds one from a decision). This package
// keeps no log of its own: pass the history in.
type Disclosure struct {
	Subject    string      `json:"subject"`
	Recipient  string      `json:"recipient"` // organisation code
	Action     Action      `json:"action"`
	Purpose    Purpose     `json:"purpose"`
	Categories CategorySet `json:"categories"`
	ConsentIDs []string    `json:"consent_ids,omitempty"`
	Statute    Statute     `json:"statute,omitzero"`
	At         time.Time   `json:"at"`
}

// PastRecipient is an organisation that received data under a consent and
// must be told that the consent was withdrawn: what it received can no
// longer be used for the consented purposes, and no more will come.
type PastRecipient struct {
	Recipient string        `json:"recipient"`
	Name      string        `json:"name,omitempty"` // from the consent, when it names the recipient
	Kind      RecipientKind `json:"kind,omitzero"`
	Actions   []Action      `json:"actions"`
	Purposes  []Purpose     `json:"purposes"`
	// Categories received under the consent.
	Categories CategorySet `json:"categories"`
	First      time.Time   `json:"first"`
	Last       time.Time   `json:"last"`
	Count      int         `json:"count"`
	// AfterWithdrawal counts disclosures at or after the withdrawal's
	// effective time (possible when the withdrawal was recorded late):
	// each needs investigating as well as telling.
	AfterWithdrawal int `json:"after_withdrawal"`
}

// RecipientsToTell lists, for a withdrawn consent, every recipient that
// received the subject's data under it (the disclosures whose ConsentIDs
// name it), sorted by recipient code. Disclosures under a statute or under
// other consents only are not affected by the withdrawal and are left out.
// It returns ErrNotWithdrawn for a consent that was not withdrawn.
func RecipientsToTell(r Record, disclosures []Disclosure) ([]PastRecipient, error) {
	if r.EndType != EventWithdrawn {
		return nil, fmt.Errorf("consent: recipients to tell for %q: %w", r.ID, ErrNotWithdrawn)
	}
	names := make(map[string]Recipient)
	for _, v := range r.Versions {
		for _, p := range v.Consent.Provisions {
			for _, rc := range p.Recipients {
				names[rc.Code] = rc
			}
		}
	}
	by := make(map[string]*PastRecipient)
	for _, d := range disclosures {
		if d.Subject != r.Subject || !slices.Contains(d.ConsentIDs, r.ID) {
			continue
		}
		pr := by[d.Recipient]
		if pr == nil {
			rc := names[d.Recipient]
			pr = &PastRecipient{Recipient: d.Recipient, Name: rc.Name, Kind: rc.Kind, First: d.At, Last: d.At,
				Actions: []Action{}, Purposes: []Purpose{}}
			by[d.Recipient] = pr
		}
		pr.Count++
		pr.Categories |= d.Categories
		if d.At.Before(pr.First) {
			pr.First = d.At
		}
		if d.At.After(pr.Last) {
			pr.Last = d.At
		}
		if !d.At.Before(r.EndAt) {
			pr.AfterWithdrawal++
		}
		if d.Action.Valid() && !slices.Contains(pr.Actions, d.Action) {
			pr.Actions = append(pr.Actions, d.Action)
		}
		if d.Purpose.Valid() && !slices.Contains(pr.Purposes, d.Purpose) {
			pr.Purposes = append(pr.Purposes, d.Purpose)
		}
	}
	out := make([]PastRecipient, 0, len(by))
	for _, pr := range by {
		slices.Sort(pr.Actions)
		slices.Sort(pr.Purposes)
		out = append(out, *pr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Recipient < out[j].Recipient })
	return out, nil
}
