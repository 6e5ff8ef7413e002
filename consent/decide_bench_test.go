package consent

import (
	"fmt"
	"testing"
	"time"
)

// benchPolicy is the benchmark shape: one subject with 5 consents
// of 4 provisions each (20 provisions), each provision naming 3 recipients,
// 2 purposes, 2 actions and 3 categories, every other one with an
// exception; plus a DV restriction and a contract, so that the hard-deny
// and contractor checks run too.
func benchPolicy(b *testing.B) Policy {
	orgs := []Recipient{rDesk, rKosodate, rHoken, rItaku, rShakyo,
		recipient(RecipientDepartment, "jutaku-ka", "住宅課"), recipient(RecipientDepartment, "kenko-ka", "健康推進課")}
	var evs []Event
	for i := range 5 {
		var ps []Provision
		for j := range 4 {
			k := i*4 + j
			p := permit(
				[]Recipient{orgs[k%7], orgs[(k+2)%7], orgs[(k+4)%7]},
				[]Purpose{Purpose(1 + k%6), Purpose(1 + (k+1)%6)},
				[]Action{Action(1 + k%4), Action(1 + (k+1)%4)},
				[]Category{Category(1 + k%9), Category(1 + (k+3)%9), Category(1 + (k+6)%9)})
			if k%2 == 1 {
				p.Exceptions = []Provision{{Recipients: []Recipient{orgs[(k+2)%7]}, Categories: []Category{Category(1 + (k+3)%9)}}}
			}
			ps = append(ps, p)
		}
		c := newConsent(fmt.Sprintf("c-%d", i), ps...)
		evs = append(evs, givenEvent(c))
	}
	r := dvRestriction()
	r.ResponsibleOrgs = []string{orgDesk}
	return Policy{
		Events:       events(b, evs...),
		Restrictions: []Restriction{r},
		Contracts: []Contract{{ID: contractID, Org: orgItaku, Period: Period{Start: t0.AddDate(-1, 0, 0), End: t0.AddDate(1, 0, 0)},
			Categories: []Category{CategoryIdentity, CategoryContact}}},
		Mandates: []Mandate{{Statute: StatuteLifeOrBody, Org: orgDesk, Period: Period{Start: t0.AddDate(-1, 0, 0)}}},
	}
}

var sinkDecision Decision

func BenchmarkDecide(b *testing.B) {
	d, err := Compile(benchPolicy(b))
	if err != nil {
		b.Fatal(err)
	}
	at := t0.Add(48 * time.Hour)
	life := req(orgDesk, ActionView, PurposeConsultation, at, CategoryIdentity, CategoryHealthDisability)
	life.Assertion = Assertion{Statute: StatuteLifeOrBody, By: staffA, Reason: "救急対応"}
	cases := []struct {
		name   string
		req    Request
		effect Effect
	}{
		// Permitted by the last consent's provisions: every consent and
		// provision is scanned. Outside the DV desk, so masks apply.
		{"permit", req(orgHoken, ActionCopy, PurposeOnlineApplication, at, CategoryConsultation), EffectPermit},
		{"permit_desk", req(orgDesk, ActionView, PurposeConsultation, at, CategoryIdentity), EffectPermit},
		{"partial", req(orgHoken, ActionCopy, PurposeOnlineApplication, at, CategoryConsultation, CategoryIncomeTax, CategoryHousehold), EffectPartial},
		{"deny", req("zeimu-ka", ActionView, PurposeConsultation, at, CategoryIdentity, CategoryIncomeTax), EffectDeny},
		{"statute", life, EffectPermit},
	}
	for _, bc := range cases {
		dec, err := d.Decide(bc.req)
		if err != nil || dec.Effect != bc.effect {
			b.Fatalf("%s: %v %s", bc.name, err, dec)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkDecision, _ = d.Decide(bc.req)
			}
		})
	}
}

func BenchmarkDecideParallel(b *testing.B) {
	d, err := Compile(benchPolicy(b))
	if err != nil {
		b.Fatal(err)
	}
	r := req(orgHoken, ActionCopy, PurposeOnlineApplication, t0.Add(48*time.Hour), CategoryConsultation)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if dec, _ := d.Decide(r); !dec.Allowed() {
				b.Error("deny")
			}
		}
	})
}

func BenchmarkRedact(b *testing.B) {
	d, err := Compile(benchPolicy(b))
	if err != nil {
		b.Fatal(err)
	}
	v := caseView()
	template := req(orgHoken, ActionView, PurposeOnlineApplication, t0.Add(48*time.Hour))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Redact(template, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	p := benchPolicy(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(p); err != nil {
			b.Fatal(err)
		}
	}
}
