package consent

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Policy is everything a Decider needs: the consent event log, the DV等支援
// 措置 in force, the contractors' contracts and the statutory mandates.
type Policy struct {
	Events       []Event
	Restrictions []Restriction
	Contracts    []Contract
	Mandates     []Mandate
	// Minors limit whose consents count by age (see Minor).
	Minors []Minor
}

// Decider answers Requests. Compile it once from a Policy and call Decide
// many times; it is immutable and safe for concurrent use. When the policy
// changes (a new consent event, a restriction lifted), compile a new one.
type Decider struct {
	subjects  map[string]*subjectIndex
	mandates  map[string][]Mandate          // by Org
	contracts map[string][]compiledContract // by Org
}

type subjectIndex struct {
	consents     []compiledConsent // sorted by id
	restrictions []*compiledRestriction
}

type compiledConsent struct {
	id       string
	start    time.Time // first version's From
	end      time.Time // zero: not ended
	endType  EventType
	versions []compiledVersion
}

type compiledVersion struct {
	from       time.Time
	period     Period
	blockers   []*compiledRestriction // restrictions (of any subject) naming this version's grantor as counterparty
	noCapacity bool                   // given by the subject below the age to consent
	until      time.Time              // a representative's consent: the subject's majority (zero: none)
	provisions []compiledProvision
}

type compiledRecipient struct {
	code string
	kind RecipientKind
}

type compiledProvision struct {
	period     Period // zero: the consent's period
	recipients []compiledRecipient
	purposes   uint8 // bit per Purpose
	actions    uint8 // bit per Action
	categories CategorySet
	wildcard   bool // CategoryAny was listed
	exceptions []compiledException
}

type compiledException struct {
	period     Period   // zero: any time
	recipients []string // nil: any recipient
	purposes   uint8
	actions    uint8
	categories CategorySet
}

type compiledRestriction struct {
	id             string
	period         Period
	expiring       time.Time // from when an extension must be decided
	lifted         time.Time
	counterparties []string
	desks          []string
	fields         []string
	categories     CategorySet
}

type compiledContract struct {
	period     Period
	categories CategorySet
}

const allBits8 = 0xFF

// Compile checks and indexes a policy. Every event, restriction, contract
// and mandate is validated; the first problem is returned with its
// position.
func Compile(p Policy) (*Decider, error) {
	log, err := Replay(p.Events)
	if err != nil {
		return nil, err
	}
	d := &Decider{
		subjects:  make(map[string]*subjectIndex),
		mandates:  make(map[string][]Mandate),
		contracts: make(map[string][]compiledContract),
	}
	subject := func(id string) *subjectIndex {
		s := d.subjects[id]
		if s == nil {
			s = &subjectIndex{}
			d.subjects[id] = s
		}
		return s
	}
	seen := make(map[string]bool)
	var all []*compiledRestriction
	for i, r := range p.Restrictions {
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("consent: restriction %d: %w", i, err)
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("consent: restriction %d: duplicate id %q: %w", i, r.ID, ErrInvalid)
		}
		seen[r.ID] = true
		cr := &compiledRestriction{
			id:             r.ID,
			period:         r.Period,
			expiring:       expiringFrom(r.Period.End),
			lifted:         r.LiftedAt,
			counterparties: slices.Clone(r.Counterparties),
			desks:          slices.Clone(r.ResponsibleOrgs),
			fields:         slices.Clone(r.ProtectedFields),
			categories:     Categories(r.ProtectedCategories...),
		}
		all = append(all, cr)
		for _, s := range r.Subjects {
			si := subject(s)
			si.restrictions = append(si.restrictions, cr)
		}
	}
	for i, c := range p.Contracts {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("consent: contract %d: %w", i, err)
		}
		d.contracts[c.Org] = append(d.contracts[c.Org], compiledContract{period: c.Period, categories: Categories(c.Categories...)})
	}
	for i, m := range p.Mandates {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("consent: mandate %d: %w", i, err)
		}
		d.mandates[m.Org] = append(d.mandates[m.Org], m)
	}
	minors := make(map[string]Minor, len(p.Minors))
	for i, m := range p.Minors {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("consent: minor %d: %w", i, err)
		}
		if _, dup := minors[m.Subject]; dup {
			return nil, fmt.Errorf("consent: minor %d: subject %q twice: %w", i, m.Subject, ErrInvalid)
		}
		minors[m.Subject] = m
	}
	recs := log.Records()
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	for _, rec := range recs {
		si := subject(rec.Subject)
		// A grant by a counterparty does not count while any restriction
		// naming him is in force, whoever it protects: he may be the other
		// parent, and so the 法定代理人, of a child the measure does not list.
		si.consents = append(si.consents, compileRecord(rec, all, minors[rec.Subject]))
	}
	return d, nil
}

func compileRecord(rec Record, restrictions []*compiledRestriction, minor Minor) compiledConsent {
	cc := compiledConsent{id: rec.ID, start: rec.Versions[0].From}
	if rec.Ended() {
		cc.end, cc.endType = rec.EndAt, rec.EndType
	}
	for _, v := range rec.Versions {
		cv := compiledVersion{from: v.From, period: v.Consent.Period}
		switch v.Consent.Grantor.Capacity {
		case CapacitySelf:
			cv.noCapacity = v.From.Before(minor.SelfFrom)
		case CapacityLegalRepresentative:
			cv.until = minor.AdultFrom
		}
		for _, r := range restrictions {
			if r.isCounterparty(v.Consent.Grantor.Person) {
				cv.blockers = append(cv.blockers, r)
			}
		}
		for _, p := range v.Consent.Provisions {
			cv.provisions = append(cv.provisions, compileProvision(p))
		}
		cc.versions = append(cc.versions, cv)
	}
	return cc
}

func compileProvision(p Provision) compiledProvision {
	cp := compiledProvision{period: p.Period}
	for _, r := range p.Recipients {
		cp.recipients = append(cp.recipients, compiledRecipient{code: r.Code, kind: r.Kind})
	}
	cp.purposes = purposeBits(p.Purposes)
	cp.actions = actionBits(p.Actions)
	for _, c := range p.Categories {
		if c == CategoryAny {
			cp.wildcard = true
		}
	}
	// Categories() maps CategoryAny to the non-sensitive categories only:
	// 要配慮 and DV関連 count only when named.
	cp.categories = Categories(p.Categories...)
	for _, e := range p.Exceptions {
		ce := compiledException{period: e.Period, purposes: purposeBits(e.Purposes), actions: actionBits(e.Actions)}
		if len(e.Purposes) == 0 {
			ce.purposes = allBits8
		}
		if len(e.Actions) == 0 {
			ce.actions = allBits8
		}
		for _, r := range e.Recipients {
			ce.recipients = append(ce.recipients, r.Code)
		}
		// In an exception, "*" or no list at all denies every category.
		ce.categories = Categories(e.Categories...)
		if len(e.Categories) == 0 || slices.Contains(e.Categories, CategoryAny) {
			ce.categories = allCategoryBits
		}
		cp.exceptions = append(cp.exceptions, ce)
	}
	return cp
}

func purposeBits(ps []Purpose) uint8 {
	var b uint8
	for _, p := range ps {
		b |= 1 << p
	}
	return b
}

func actionBits(as []Action) uint8 {
	var b uint8
	for _, a := range as {
		b |= 1 << a
	}
	return b
}

// inPeriod is Period.Contains with a zero period meaning "always".
func inPeriod(p *Period, t time.Time) bool {
	return p.Start.IsZero() && p.End.IsZero() || p.Contains(t)
}

// Decide answers a request, in this order:
//
//  1. hard denies: My Number is never in scope; a request by or for a DV
//     counterparty is denied; outside the responsible desk, the protected
//     fields of every DV等支援措置 in force are masked and its protected
//     categories withheld;
//  2. an asserted statute held by the actor permits (view and copy only),
//     flagged for supervisor review; asserted but not held denies;
//  3. consent: a provision of an active consent matching recipient,
//     purpose, action, time and category permits that category, unless an
//     exception of that provision matches too;
//  4. everything else is denied.
//
// A malformed request returns a deny and a *RequestError. Otherwise Decide
// does not allocate, whatever the outcome.
func (d *Decider) Decide(req Request) (Decision, error) {
	dec := Decision{Request: req}
	if d == nil {
		dec.reason = ReasonInvalidRequest
		return dec, errNoDecider
	}
	if err := req.validate(); err != nil {
		dec.reason = ReasonInvalidRequest
		return dec, err
	}
	dec.Obligations = ObligationAudit
	sub := d.subjects[req.Subject]
	dec.sub = sub
	asserted := req.Assertion.Statute != 0
	if asserted {
		dec.Obligations |= ObligationSupervisorReview
	}

	// 1. Hard denies.
	if req.Categories.Has(CategoryMyNumber) {
		return dec.denyAll(ReasonMyNumber), nil
	}
	var restricted CategorySet
	if sub != nil {
		for i, r := range sub.restrictions {
			st := r.state(req.At)
			if !st.InForce() {
				continue
			}
			if st == RestrictionExpiring || st == RestrictionOverdue {
				dec.Obligations |= ObligationReviewRestriction
			}
			if r.isCounterparty(req.Actor.Person) || r.isCounterparty(req.OnBehalfOf) {
				dec.Obligations |= ObligationSupervisorReview
				return dec.denyAll(ReasonCounterparty), nil
			}
			if !r.isDesk(req.Actor.Org) {
				if len(r.fields) > 0 {
					dec.masks.add(i)
					dec.Obligations |= ObligationApplyMasks
				}
				restricted |= r.categories
			}
		}
	}
	want := req.Categories &^ restricted
	dec.setReasons(req.Categories&restricted, ReasonRestricted)

	// 2. Statutory basis, only when asserted.
	if asserted {
		if !d.holds(&req) {
			return dec.denyAll(ReasonStatuteNotHeld), nil
		}
		if req.Action != ActionView && req.Action != ActionCopy {
			return dec.denyAll(ReasonStatuteAction), nil
		}
		if !want.Empty() {
			dec.Basis = BasisStatute
			if req.Assertion.Statute.Confidential() {
				dec.Obligations |= ObligationConfidentiality
			}
		}
		dec.setReasons(want, ReasonPermittedByStatute)
		return dec.finish(want), nil
	}

	// 3. Consent.
	var permitted CategorySet
	if sub != nil && !want.Empty() {
		permitted = d.evaluate(&dec, sub, &req, want)
	}
	if !permitted.Empty() {
		dec.Basis = BasisConsent
	}
	// 4. Deny the rest.
	return dec.finish(permitted), nil
}

// denyAll denies the whole request for one reason.
func (dec Decision) denyAll(r Reason) Decision {
	dec.reason = r
	dec.setReasons(dec.Request.Categories, r)
	return dec.finish(0)
}

func (dec *Decision) setReasons(s CategorySet, r Reason) {
	for i := 1; i < numCategories; i++ {
		if s&(1<<i) != 0 {
			dec.reasons[i] = r
		}
	}
}

func (dec Decision) finish(permitted CategorySet) Decision {
	dec.Permitted = permitted
	dec.Withheld = dec.Request.Categories &^ permitted
	for i := 1; i < numCategories; i++ {
		if dec.Withheld&(1<<i) != 0 && dec.reasons[i] == 0 {
			dec.reasons[i] = ReasonNoConsent
		}
	}
	switch {
	case permitted.Empty():
		// Nothing will be shown, so nothing is left to mask.
		dec.Effect = EffectDeny
		dec.Basis = BasisNone
		dec.consents = indexSet{}
		dec.masks = indexSet{}
		dec.Obligations &^= ObligationApplyMasks
	case dec.Withheld.Empty():
		dec.Effect = EffectPermit
	default:
		dec.Effect = EffectPartial
	}
	if !permitted.Empty() {
		dec.Obligations |= ObligationRecordDisclosure
		if dec.Request.Action == ActionNotify {
			dec.Obligations |= ObligationCheckOptIn | ObligationIDsOnly
		}
	}
	return dec
}

func (d *Decider) holds(req *Request) bool {
	ms := d.mandates[req.Actor.Org]
	for i := range ms {
		if ms[i].holds(req) {
			return true
		}
	}
	return false
}

func (r *compiledRestriction) state(t time.Time) RestrictionState {
	return restrictionState(r.period, r.expiring, r.lifted, t)
}

func (r *compiledRestriction) isCounterparty(person string) bool {
	if person == "" {
		return false
	}
	for _, c := range r.counterparties {
		if c == person {
			return true
		}
	}
	return false
}

func (r *compiledRestriction) isDesk(org string) bool {
	for _, o := range r.desks {
		if o == org {
			return true
		}
	}
	return false
}

// match is what one consent version says about a request.
type match struct {
	permitted  CategorySet // covered by a provision and not excepted
	excepted   CategorySet // covered, but an exception of that provision denied it
	notNamed   CategorySet // sensitive categories a wildcard provision matched
	noContract CategorySet // covered for a contractor without an in-force contract for it
	contractor bool        // a contractor provision permitted something
}

func (d *Decider) matchVersion(v *compiledVersion, req *Request, want CategorySet) match {
	var m match
	if !v.period.Contains(req.At) {
		return m
	}
	pb, ab := uint8(1)<<req.Purpose, uint8(1)<<req.Action
	for j := range v.provisions {
		p := &v.provisions[j]
		if p.purposes&pb == 0 || p.actions&ab == 0 || !inPeriod(&p.period, req.At) {
			continue
		}
		kind := RecipientKind(0)
		for k := range p.recipients {
			if p.recipients[k].code == req.Actor.Org {
				kind = p.recipients[k].kind
				break
			}
		}
		if kind == 0 {
			continue
		}
		if p.wildcard {
			m.notNamed |= want & sensitiveBits &^ p.categories
		}
		cats := p.categories & want
		if cats == 0 {
			continue
		}
		for k := range p.exceptions {
			e := &p.exceptions[k]
			if e.purposes&pb == 0 || e.actions&ab == 0 || !inPeriod(&e.period, req.At) {
				continue
			}
			if e.recipients != nil && !slices.Contains(e.recipients, req.Actor.Org) {
				continue
			}
			m.excepted |= cats & e.categories
			cats &^= e.categories
		}
		if cats != 0 && kind == RecipientContractor {
			allowed := d.contractCategories(req.Actor.Org, req.At)
			m.noContract |= cats &^ allowed
			cats &= allowed
			if cats != 0 {
				m.contractor = true
			}
		}
		m.permitted |= cats
	}
	return m
}

func (d *Decider) contractCategories(org string, t time.Time) CategorySet {
	var s CategorySet
	cs := d.contracts[org]
	for i := range cs {
		if cs[i].period.Contains(t) {
			s |= cs[i].categories
		}
	}
	return s
}

func (c *compiledConsent) versionAt(t time.Time) *compiledVersion {
	for i := len(c.versions) - 1; i >= 0; i-- {
		if !t.Before(c.versions[i].from) {
			return &c.versions[i]
		}
	}
	return nil
}

// void reports whether the version does not count at t for its grantor's
// capacity: given by the subject too young to consent, or by a
// representative after the subject came of age.
func (v *compiledVersion) void(t time.Time) bool {
	return v.noCapacity || !v.until.IsZero() && !t.Before(v.until)
}

// blocked reports whether the version's grantor is a counterparty of a
// restriction in force at t.
func (v *compiledVersion) blocked(t time.Time) bool {
	for _, r := range v.blockers {
		if r.state(t).InForce() {
			return true
		}
	}
	return false
}

// evaluate is step 3 of Decide; it sets per-category reasons on dec.
func (d *Decider) evaluate(dec *Decision, sub *subjectIndex, req *Request, want CategorySet) CategorySet {
	var permitted, excepted, notNamed, noContract CategorySet
	explain := false // some consent was skipped for a reason worth telling
	for i := range sub.consents {
		c := &sub.consents[i]
		if req.At.Before(c.start) {
			continue
		}
		v := c.versionAt(req.At)
		if !c.end.IsZero() && !req.At.Before(c.end) || v.blocked(req.At) || v.void(req.At) {
			explain = true
			continue
		}
		m := d.matchVersion(v, req, want)
		if !v.period.Contains(req.At) {
			explain = true
		}
		excepted |= m.excepted
		notNamed |= m.notNamed
		noContract |= m.noContract
		if m.permitted != 0 {
			permitted |= m.permitted
			dec.consents.add(i)
			if m.contractor {
				dec.Obligations |= ObligationContractControls
			}
		}
	}
	dec.setReasons(permitted, ReasonPermittedByConsent)
	rest := want &^ permitted
	if rest == 0 {
		return permitted
	}
	// Deny path: say why, most specific first.
	dec.setReasons(rest&excepted, ReasonExcepted)
	rest &^= excepted
	dec.setReasons(rest&noContract, ReasonNoContract)
	rest &^= noContract
	dec.setReasons(rest&notNamed, ReasonSensitiveNotNamed)
	rest &^= notNamed
	if explain && rest != 0 {
		rest = d.explainSkipped(dec, sub, req, rest)
	}
	dec.setReasons(rest, ReasonNoConsent)
	return permitted
}

// explainSkipped finds, for categories nothing permitted, a consent that
// would have covered them had it not been withdrawn, expired or granted by
// a counterparty. It returns the categories still unexplained.
func (d *Decider) explainSkipped(dec *Decision, sub *subjectIndex, req *Request, rest CategorySet) CategorySet {
	for i := range sub.consents {
		c := &sub.consents[i]
		if req.At.Before(c.start) {
			continue
		}
		v := c.versionAt(req.At)
		probe := *v
		probe.period = Period{Start: v.period.Start} // ignore the period end
		covered := d.matchVersion(&probe, req, rest).permitted
		if covered == 0 {
			continue
		}
		var r Reason
		switch {
		case v.blocked(req.At):
			r = ReasonGrantorCounterparty
		case v.noCapacity:
			r = ReasonNoCapacity
		case v.void(req.At):
			r = ReasonRepresentationEnded
		case !c.end.IsZero() && !req.At.Before(c.end) && c.endType == EventWithdrawn:
			r = ReasonWithdrawn
		default:
			r = ReasonExpired
		}
		dec.setReasons(covered, r)
		rest &^= covered
	}
	return rest
}

// Subjects lists the subjects the decider knows (with a consent or a
// restriction), sorted; for diagnostics.
func (d *Decider) Subjects() []string {
	out := make([]string, 0, len(d.subjects))
	for s := range d.subjects {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// errNoDecider guards against a nil *Decider.
var errNoDecider = errors.New("consent: nil Decider")
