package consent

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Event is one entry of a consent's append-only history (ISO/IEC TS 27560
// consent record events). A consent's state is derived from its events;
// nothing is ever overwritten: an amendment, a withdrawal or a correction is
// a new event.
type Event struct {
	// Seq is the event's position in the Log, from 1, gap-free. Leave it 0
	// when appending a new event; Replay checks it.
	Seq       uint64    `json:"seq,omitempty"`
	ConsentID string    `json:"consent_id"`
	Type      EventType `json:"type"`
	// At is when the event was recorded.
	At time.Time `json:"at,omitzero"`
	// EffectiveAt is when it takes effect; a withdrawal stops every
	// decision at or after it. It may precede At (a withdrawal letter
	// recorded the next morning) but never the consent's first version.
	EffectiveAt time.Time `json:"effective_at,omitzero"`
	// By is the staff member who recorded the event.
	By string `json:"by"`
	// Reason is free text; required for a correction.
	Reason string `json:"reason,omitempty"`
	// Evidence of the person's will: required for given, amended,
	// reconfirmed and withdrawn (a withdrawal needs only the channel).
	Evidence *Evidence `json:"evidence,omitempty"`
	// Consent is the full new content for given, amended and corrected.
	Consent *Consent `json:"consent,omitempty"`
	// Period and Notice optionally renew the consent on reconfirmed.
	Period *Period `json:"period,omitempty"`
	Notice *Notice `json:"notice,omitempty"`
	// Corrects is the Seq of the given or amended event whose content a
	// corrected event replaces, from that version's start on.
	Corrects uint64 `json:"corrects,omitempty"`
}

// Validate checks the event on its own (not against its consent's
// history; Log.Append does that).
func (e Event) Validate() error {
	var ps problems
	e.validate(&ps)
	return ps.err("event")
}

func (e Event) validate(ps *problems) {
	checkID("consent_id", e.ConsentID, ps)
	if !e.Type.Valid() {
		ps.add("type", "イベントの種類（given・amended・reconfirmed・withdrawn・expired・corrected）を指定してください")
		return
	}
	if e.At.IsZero() {
		ps.add("at", "記録日時を入力してください")
	}
	if e.EffectiveAt.IsZero() {
		ps.add("effective_at", "効力発生日時を入力してください")
	}
	checkID("by", e.By, ps)
	checkText("reason", e.Reason, e.Type == EventCorrected, ps)

	hasContent := e.Type == EventGiven || e.Type == EventAmended || e.Type == EventCorrected
	switch {
	case hasContent && e.Consent == nil:
		ps.add("consent", "同意の内容を入力してください")
	case !hasContent && e.Consent != nil:
		ps.add("consent", e.Type.Label()+"のイベントに同意の内容は入れられません")
	case e.Consent != nil:
		e.Consent.validate("consent", ps)
		if e.Consent.ID != e.ConsentID {
			ps.add("consent.id", "イベントの consent_id と同意の id が一致しません")
		}
		if e.Type != EventCorrected && !e.EffectiveAt.IsZero() && !e.Consent.GivenAt.IsZero() &&
			e.EffectiveAt.Before(e.Consent.GivenAt) {
			ps.add("effective_at", "同意日時より前に効力を発生させることはできません")
		}
	}

	switch e.Type {
	case EventGiven, EventAmended, EventReconfirmed:
		if e.Evidence == nil {
			ps.add("evidence", "本人の意思を確認した方法（証跡）を入力してください")
		} else {
			e.Evidence.validate("evidence", ps)
		}
	case EventWithdrawn:
		// Withdrawing must be as easy as consenting (ISO/IEC 29184): the
		// channel and the recorder suffice, without a document or witness.
		if e.Evidence == nil {
			ps.add("evidence", "撤回を受け付けた方法を入力してください")
		} else {
			if !e.Evidence.Channel.Valid() {
				ps.add("evidence.channel", "撤回を受け付けた方法を指定してください")
			}
			checkText("evidence.ref", e.Evidence.Ref, false, ps)
			if e.Evidence.Witness != "" {
				checkID("evidence.witness", e.Evidence.Witness, ps)
			}
			checkID("evidence.recorded_by", e.Evidence.RecordedBy, ps)
		}
	default:
		if e.Evidence != nil {
			e.Evidence.validate("evidence", ps)
		}
	}

	if e.Type == EventReconfirmed {
		if e.Period != nil {
			e.Period.validate("period", true, ps)
		}
		if e.Notice != nil {
			e.Notice.validate("notice", ps)
		}
	} else {
		if e.Period != nil {
			ps.add("period", "期間の更新は再確認（reconfirmed）のイベントでのみ指定できます")
		}
		if e.Notice != nil {
			ps.add("notice", "説明文の更新は再確認（reconfirmed）のイベントでのみ指定できます")
		}
	}
	if e.Type == EventCorrected {
		if e.Corrects == 0 {
			ps.add("corrects", "訂正する同意・変更のイベント番号を指定してください")
		}
	} else if e.Corrects != 0 {
		ps.add("corrects", "訂正（corrected）のイベントでのみ指定できます")
	}
}

// Version is the content of a consent in effect from From until the next
// version's From.
type Version struct {
	From    time.Time `json:"from"`
	Seq     uint64    `json:"seq"` // the event that made this version
	Consent Consent   `json:"consent"`
}

// Record is the derived state of one consent: its versions over time, its
// end (withdrawal or expiry) and the events it came from. Build one with a
// Log; do not modify the slices of a Record you received.
type Record struct {
	ID      string `json:"id"`
	Subject string `json:"subject"`
	// Versions in order of From; never empty.
	Versions []Version `json:"versions"`
	// EndType is EventWithdrawn or EventExpired once the consent ended,
	// EndAt the effective time of the end and EndSeq its event.
	EndType EventType `json:"end_type,omitzero"`
	EndAt   time.Time `json:"end_at,omitzero"`
	EndSeq  uint64    `json:"end_seq,omitzero"`
	// LastConfirmedAt is when the person last agreed (given, amended or
	// reconfirmed).
	LastConfirmedAt time.Time `json:"last_confirmed_at"`
	Events          []Event   `json:"events"`
}

// Current is the latest version's content.
func (r Record) Current() Consent { return r.Versions[len(r.Versions)-1].Consent }

// Ended reports whether a withdrawal or expiry was recorded.
func (r Record) Ended() bool { return r.EndType != 0 }

// VersionAt returns the version in effect at t, whatever the status.
func (r Record) VersionAt(t time.Time) (Version, bool) {
	for i := len(r.Versions) - 1; i >= 0; i-- {
		if !t.Before(r.Versions[i].From) {
			return r.Versions[i], true
		}
	}
	return Version{}, false
}

// Status derives the consent's status at t.
func (r Record) Status(t time.Time) Status {
	v, ok := r.VersionAt(t)
	switch {
	case !ok || t.Before(v.Consent.Period.Start):
		return StatusPending
	case r.Ended() && !t.Before(r.EndAt):
		if r.EndType == EventWithdrawn {
			return StatusWithdrawn
		}
		return StatusExpired
	case !v.Consent.Period.Contains(t):
		return StatusExpired
	}
	return StatusActive
}

// Log is an append-only, in-memory consent event log for any number of
// consents and subjects. It checks every event against its consent's
// history before accepting it, so a Log only ever holds a consistent
// history. A storage layer persists Events and rebuilds the Log with Replay.
// A Log is safe for concurrent use.
type Log struct {
	mu      sync.RWMutex
	events  []Event
	records map[string]*Record
	order   []string // consent ids in order of their given event
}

// NewLog returns an empty log.
func NewLog() *Log { return &Log{records: make(map[string]*Record)} }

// Replay rebuilds a log from stored events, which must carry Seq 1, 2, …
// in order. It checks every event as Append does.
func Replay(events []Event) (*Log, error) {
	l := NewLog()
	for i, e := range events {
		if e.Seq != uint64(i)+1 {
			return nil, &ConflictError{ConsentID: e.ConsentID, Seq: e.Seq,
				Message: fmt.Sprintf("stored event %d has seq %d, want %d", i, e.Seq, i+1)}
		}
		if _, err := l.Append(e); err != nil {
			return nil, fmt.Errorf("consent: replay: %w", err)
		}
	}
	return l, nil
}

// Append checks e and, if it fits its consent's history, records a copy of
// it with the next Seq and returns that copy. A rejected event leaves the
// log unchanged; the error is a *ValidationError (the event itself is bad)
// or a *ConflictError (it does not fit the history).
func (l *Log) Append(e Event) (Event, error) {
	if err := e.Validate(); err != nil {
		return Event{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	next := uint64(len(l.events)) + 1
	if e.Seq != 0 && e.Seq != next {
		return Event{}, &ConflictError{ConsentID: e.ConsentID, Seq: e.Seq,
			Message: fmt.Sprintf("sequence number %d out of order, want %d", e.Seq, next)}
	}
	e = e.clone()
	e.Seq = next
	conflict := func(msg string) (Event, error) {
		return Event{}, &ConflictError{ConsentID: e.ConsentID, Seq: e.Seq, Message: msg}
	}
	old := l.records[e.ConsentID]
	if e.Type == EventGiven {
		if old != nil {
			return conflict("a consent with this id was already given; record a new consent with a new id")
		}
	} else {
		if old == nil {
			return conflict("no consent with this id was given")
		}
		last := old.Events[len(old.Events)-1]
		if e.At.Before(last.At) {
			return conflict("recorded before the consent's previous event")
		}
		if old.Ended() && e.Type != EventCorrected {
			return conflict("the consent has ended (" + old.EndType.String() + "); only corrections are possible, or record a new consent")
		}
		if e.Consent != nil && e.Consent.Subject != old.Subject {
			return conflict("the subject of a consent cannot change")
		}
		lastFrom := old.Versions[len(old.Versions)-1].From
		switch e.Type {
		case EventAmended, EventReconfirmed:
			if e.EffectiveAt.Before(lastFrom) {
				return conflict("takes effect before the consent's current version")
			}
		case EventWithdrawn, EventExpired:
			if e.EffectiveAt.Before(old.Versions[0].From) {
				return conflict("ends the consent before it took effect")
			}
		case EventCorrected:
			target := -1
			for i, x := range old.Events {
				if x.Seq == e.Corrects {
					target = i
				}
			}
			if target < 0 || (old.Events[target].Type != EventGiven && old.Events[target].Type != EventAmended) {
				return conflict(fmt.Sprintf("corrects %d, which is not a given or amended event of this consent", e.Corrects))
			}
		}
	}
	var evs []Event
	if old != nil {
		evs = slices.Clone(old.Events)
	}
	rec := fold(append(evs, e))
	l.events = append(l.events, e)
	if old == nil {
		l.order = append(l.order, e.ConsentID)
	}
	l.records[e.ConsentID] = rec
	return e.clone(), nil
}

// fold derives a Record from one consent's events, which Append has
// already checked.
func fold(events []Event) *Record {
	content := make(map[uint64]*Consent)
	for _, e := range events {
		switch e.Type {
		case EventGiven, EventAmended:
			if _, ok := content[e.Seq]; !ok {
				content[e.Seq] = e.Consent
			}
		case EventCorrected:
			content[e.Corrects] = e.Consent
		}
	}
	r := &Record{ID: events[0].ConsentID, Subject: events[0].Consent.Subject, Events: events}
	for _, e := range events {
		switch e.Type {
		case EventGiven, EventAmended:
			r.Versions = append(r.Versions, Version{From: e.EffectiveAt, Seq: e.Seq, Consent: *content[e.Seq]})
			r.LastConfirmedAt = e.At
		case EventReconfirmed:
			c := r.Versions[len(r.Versions)-1].Consent
			if e.Period != nil {
				c.Period = *e.Period
			}
			if e.Notice != nil {
				c.Notice = *e.Notice
			}
			r.Versions = append(r.Versions, Version{From: e.EffectiveAt, Seq: e.Seq, Consent: c})
			r.LastConfirmedAt = e.At
		case EventWithdrawn, EventExpired:
			r.EndType, r.EndAt, r.EndSeq = e.Type, e.EffectiveAt, e.Seq
		}
	}
	return r
}

// Len is the number of events in the log.
func (l *Log) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.events)
}

// Events returns a copy of all events in order, for storage.
func (l *Log) Events() []Event {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]Event, len(l.events))
	for i, e := range l.events {
		out[i] = e.clone()
	}
	return out
}

// Record returns the derived state of one consent.
func (l *Log) Record(id string) (Record, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	r, ok := l.records[id]
	if !ok {
		return Record{}, fmt.Errorf("consent: record %q: %w", id, ErrNotFound)
	}
	return r.clone(), nil
}

// Records returns every consent's derived state, in the order the
// consents were given.
func (l *Log) Records() []Record {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]Record, 0, len(l.order))
	for _, id := range l.order {
		out = append(out, l.records[id].clone())
	}
	return out
}

// Subject returns the consents of one data subject, in the order given.
func (l *Log) Subject(subject string) []Record {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []Record
	for _, id := range l.order {
		if r := l.records[id]; r.Subject == subject {
			out = append(out, r.clone())
		}
	}
	return out
}

func (r *Record) clone() Record {
	out := *r
	out.Versions = make([]Version, len(r.Versions))
	for i, v := range r.Versions {
		v.Consent = v.Consent.clone()
		out.Versions[i] = v
	}
	out.Events = make([]Event, len(r.Events))
	for i, e := range r.Events {
		out.Events[i] = e.clone()
	}
	return out
}

func (e Event) clone() Event {
	if e.Evidence != nil {
		ev := *e.Evidence
		e.Evidence = &ev
	}
	if e.Consent != nil {
		c := e.Consent.clone()
		e.Consent = &c
	}
	if e.Period != nil {
		p := *e.Period
		e.Period = &p
	}
	if e.Notice != nil {
		n := *e.Notice
		e.Notice = &n
	}
	return e
}

func (c Consent) clone() Consent {
	c.Provisions = cloneProvisions(c.Provisions)
	return c
}

func cloneProvisions(ps []Provision) []Provision {
	if ps == nil {
		return nil
	}
	out := make([]Provision, len(ps))
	for i, p := range ps {
		p.Recipients = slices.Clone(p.Recipients)
		p.Purposes = slices.Clone(p.Purposes)
		p.Actions = slices.Clone(p.Actions)
		p.Categories = slices.Clone(p.Categories)
		p.Exceptions = cloneProvisions(p.Exceptions)
		out[i] = p
	}
	return out
}
