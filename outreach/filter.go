package outreach

import (
	"errors"
	"slices"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
)

// Skip reasons, as counted in a Report. Household reasons say why nobody
// in a household was notified; programme reasons why one programme of a
// household was left out. Consent reasons of casefile and package consent
// (no_consent, withdrawn, expired …) are used as they are, and prefixed
// with notify_ when it is the consent to be notified that is missing.
const (
	// Households.
	SkipNoNewProgramme = "no_new_programme" // screened, and no programme is newly worth a notice
	SkipScreening      = "screening_error"  // the household could not be screened (an input error)
	SkipNoChannel      = "no_channel"       // no contact that can carry a notice
	SkipNotOK          = "not_ok_to_contact"
	SkipDVRestricted   = "dv_restricted" // every chosen contact is protected by a DV等支援措置 or shared with a counterparty
	SkipSafeTimes      = "safe_times_unclear"
	SkipNoWindow       = "no_safe_time" // no window inside the safe times within the horizon
	// Programmes.
	SkipReceiving      = "already_receiving"
	SkipApplied        = "already_applied"
	SkipSupportUnknown = "support_unknown" // whether the family already receives it may not be known
	SkipNotified       = "already_notified"
	SkipNotAnswerable  = "not_answerable" // undetermined for facts the family cannot answer
	SkipSensitive      = "sensitive_fact" // undetermined for a 要配慮 fact: a notice does not ask about it
	SkipRuleError      = "rule_error"
	SkipNoTemplate     = "no_template"
)

// DefaultAuthorityFacts are facts (keys of the facts model, Missing.Field)
// a family is not asked about by a notice even though a form may ask them:
// the 級地 and the municipality are the municipality's, the support in use
// its systems', and whether a disability reaches the statutory level is
// judged on a medical certificate. Besides them, a fact the catalog never
// asks a resident (FactField.Question empty) cannot be answered by the
// family, and a 要配慮 fact (a disability: category health_disability) is
// not asked about by a push notice; an outcome undetermined for either is
// not worth one.
var DefaultAuthorityFacts = []string{"grade_area", "municipality_code", "receiving", "allowance_level"}

// askable says why an outcome undetermined for missing is not worth a
// notice asking the family ("" when it is): a fact the family cannot
// answer (one the fact catalog never asks a resident, or one of the
// authority facts), or a 要配慮 fact (a disability): a push notice does not
// ask about one.
func (r *Runner) askable(missing []eligibility.Missing) string {
	if !r.cfg.askUndetermined || len(missing) == 0 {
		return SkipNotAnswerable
	}
	sensitive := false
	for _, m := range missing {
		if slices.Contains(r.cfg.authority, m.Field) {
			return SkipNotAnswerable
		}
		f, ok := eligibility.FactFor(m.Path)
		switch {
		case !ok: // a local fact (extra.*): the packs declare it as a question
		case f.Question == "":
			return SkipNotAnswerable
		case f.Category == "health_disability" || f.Category == "dv_related":
			sensitive = true
		}
	}
	if sensitive {
		return SkipSensitive
	}
	return ""
}

// candidate is one programme worth a notice to a household.
type candidate struct {
	program string
	likely  bool
	amount  *eligibility.Money
}

// candidates keeps the outcomes newly worth a notice: eligible, or
// undetermined only for facts the family can answer; with texts; not
// already received or applied for. skip counts the others by reason.
func (r *Runner) candidates(oc *casefile.OutreachCase, s *eligibility.Screening, skip func(reason string)) []candidate {
	var out []candidate
	for i := range s.Results {
		o := &s.Results[i]
		likely := false
		switch {
		case o.Error != nil:
			skip(SkipRuleError)
			continue
		case o.Status == eligibility.Ineligible:
			continue
		case o.Status == eligibility.Eligible:
			likely = true
		default:
			if why := r.askable(o.Missing); why != "" {
				skip(why)
				continue
			}
		}
		if !r.msgs.Notifies(o.Program) {
			if _, described := r.msgs.programs[o.Program]; !described {
				skip(SkipNoTemplate)
			}
			continue
		}
		if !oc.SupportKnown {
			skip(SkipSupportUnknown)
			continue
		}
		switch oc.Support[o.Program] {
		case "receiving", "suspended":
			skip(SkipReceiving)
			continue
		case "applied":
			skip(SkipApplied)
			continue
		}
		c := candidate{program: o.Program, likely: likely}
		if likely && o.Amount != nil {
			c.amount = &eligibility.Money{Yen: o.Amount.Yen, Per: o.Amount.Per}
		}
		out = append(out, c)
	}
	return out
}

// channelPlan is a household's channels in order, with the first one's
// window.
type channelPlan struct {
	channels []casefile.NotificationChannel
	due, end time.Time
	skip     string // why there is none
}

// planChannels picks the channels a notice may use and plans the send
// window of the first: usable channels (chosen, not protected, not shared
// with a counterparty) whose safe times can be read and have a window
// within the horizon; post has no window (it cannot be timed).
func (r *Runner) planChannels(oc *casefile.OutreachCase, from time.Time) channelPlan {
	var p channelPlan
	if len(oc.Channels) == 0 {
		p.skip = SkipNoChannel
		return p
	}
	blocked := map[string]int{}
	unclear, noWindow := 0, 0
	for _, ch := range oc.Channels {
		if !ch.Usable() {
			blocked[ch.Blocked]++
			continue
		}
		due, end := from, time.Time{}
		if ch.Type != casefile.ChannelPost {
			st, err := ParseSafeTimes(ch.SafeTimes)
			if err != nil {
				unclear++
				continue
			}
			var ok bool
			if due, end, ok = st.Next(from, r.cfg.hours, r.cfg.horizon); !ok {
				noWindow++
				continue
			}
		}
		if len(p.channels) == 0 {
			p.due, p.end = due, end
		}
		p.channels = append(p.channels, casefile.NotificationChannel{Type: ch.Type, Contact: ch.Contact,
			Amount: ch.AmountsOK && oc.Notify.Amounts})
	}
	switch {
	case len(p.channels) > 0:
	case unclear > 0:
		p.skip = SkipSafeTimes
	case noWindow > 0:
		p.skip = SkipNoWindow
	case blocked["restricted"]+blocked["counterparty_shared"] > 0:
		p.skip = SkipDVRestricted
	case blocked["not_ok_to_contact"] == len(oc.Channels):
		p.skip = SkipNotOK
	default:
		p.skip = SkipNoChannel
	}
	return p
}

// variant is やさしい日本語 for a person who read their consent notice in
// another language (or in やさしい日本語), standard Japanese otherwise.
func variant(nd casefile.NotifyDecision) string {
	if nd.Language == "" || nd.Language == "ja" || nd.Language == "ja-JP" {
		return VariantStandard
	}
	return VariantEasy
}

// windowFrom is when planning starts: now, or the morning of asOf when the
// run is for a later day.
func windowFrom(now time.Time, asOf civil.Date) time.Time {
	if start := asOf.Time(jst); start.After(now) {
		return start
	}
	return now
}

// screenErr classifies a screening failure: an input problem of one
// household is counted, anything else stops the run.
func screenErr(err error) bool {
	var fe *eligibility.FactsError
	return errors.As(err, &fe) || errors.Is(err, eligibility.ErrNoApplicant) || errors.Is(err, eligibility.ErrTooLarge)
}
