package consent

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Fixed times for tests: decisions never read the clock.
var (
	t0        = time.Date(2025, 4, 1, 10, 0, 0, 0, jst) // consent given
	tPlus1h   = t0.Add(time.Hour)
	tNextYear = time.Date(2026, 4, 1, 0, 0, 0, 0, jst) // default consent end
)

const (
	orgDesk     = "hitorioya-desk" // one-stop desk (manager)
	orgKosodate = "kosodate-shien" // 子育て支援課
	orgHoken    = "kokuho-nenkin"  // 国保年金課
	orgItaku    = "itaku-callcntr" // a contractor
	orgShakyo   = "shakyo"         // 社会福祉協議会 (external)
	orgShimin   = "shimin-ka"      // 市民課 (resident registry)
	staffA      = "staff-a"
	staffB      = "staff-b"
	mother      = "p-mother"
	child       = "p-child"
	abuser      = "p-counterparty"
	noticeText  = "ひとり親家庭等ワンストップ相談 同意説明文 第3版"
	noticeV     = "3"
	councilID   = "yotaikyo-2025"
	meetingID   = "shien-kaigi-2025"
	contractID  = "K-2025-001"
	restriction = "R-1"
)

func recipient(kind RecipientKind, code, name string) Recipient {
	return Recipient{Kind: kind, Code: code, Name: name}
}

var (
	rDesk     = recipient(RecipientDepartment, orgDesk, "こども家庭課 ひとり親相談窓口")
	rKosodate = recipient(RecipientDepartment, orgKosodate, "子育て支援課")
	rHoken    = recipient(RecipientDepartment, orgHoken, "国保年金課")
	rItaku    = recipient(RecipientContractor, orgItaku, "株式会社コールセンター")
	rShakyo   = recipient(RecipientExternal, orgShakyo, "社会福祉協議会")
)

// newConsent is a valid self-consent by the mother; tweak it per test.
func newConsent(id string, provisions ...Provision) Consent {
	return Consent{
		ID:      id,
		Subject: mother,
		Grantor: Grantor{Person: mother, Capacity: CapacitySelf},
		Manager: orgDesk,
		GivenAt: t0,
		Period:  Period{Start: t0, End: tNextYear},
		Notice: Notice{Version: noticeV, TextHash: HashNotice(noticeText), Language: "ja",
			ShownAt: t0.Add(-10 * time.Minute)},
		Evidence:   Evidence{Channel: ChannelPaper, Ref: "DOC-" + id, RecordedBy: staffA},
		Provisions: provisions,
	}
}

// permit is a top-level provision.
func permit(rs []Recipient, ps []Purpose, as []Action, cs []Category, exc ...Provision) Provision {
	return Provision{Recipients: rs, Purposes: ps, Actions: as, Categories: cs, Exceptions: exc}
}

func givenEvent(c Consent) Event {
	ev := c.Evidence
	return Event{ConsentID: c.ID, Type: EventGiven, At: c.GivenAt, EffectiveAt: c.GivenAt, By: staffA,
		Evidence: &ev, Consent: &c}
}

func withdrawnEvent(id string, at, effective time.Time) Event {
	return Event{ConsentID: id, Type: EventWithdrawn, At: at, EffectiveAt: effective, By: staffA,
		Evidence: &Evidence{Channel: ChannelLINE, RecordedBy: staffA}}
}

// events appends events to a fresh log and returns the stored events.
func events(t testing.TB, evs ...Event) []Event {
	t.Helper()
	l := NewLog()
	for _, e := range evs {
		_, err := l.Append(e)
		require.NoError(t, err)
	}
	return l.Events()
}

func compile(t testing.TB, p Policy) *Decider {
	t.Helper()
	d, err := Compile(p)
	require.NoError(t, err)
	return d
}

// req is a request by staff A of org at time at.
func req(org string, a Action, p Purpose, at time.Time, cs ...Category) Request {
	return Request{
		Actor:      Actor{User: staffA, Org: org, Role: "caseworker"},
		Subject:    mother,
		Action:     a,
		Purpose:    p,
		Categories: Categories(cs...),
		At:         at,
	}
}

func dvRestriction() Restriction {
	return Restriction{
		ID:              restriction,
		Kind:            RestrictionDV,
		Subjects:        []string{mother, child},
		Counterparties:  []string{abuser},
		ProtectedFields: []string{"address", "contacts"},
		ResponsibleOrgs: []string{orgDesk, orgShimin},
		Period:          Period{Start: t0.Add(-24 * time.Hour), End: time.Date(2026, 1, 31, 0, 0, 0, 0, jst)},
		Source:          "警察署の意見",
		VerifiedBy:      staffB,
	}
}
