package audit_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
)

// Seal records into a chain, export a signed checkpoint, and detect the
// log being cut back behind it.
func ExampleVerify() {
	signer, _ := audit.NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	head := audit.Head{Tenant: "131016"}
	var log []audit.Entry
	for i := 0; i < 5; i++ {
		e, err := audit.Seal(head, audit.Record{At: time.Date(2025, 4, 1, 9, i, 0, 0, time.UTC),
			Actor: audit.Actor{User: "staff-a", Org: "hitorioya-desk"}, Action: audit.ActionRead, Decision: audit.Permit,
			Subjects: []string{"p-1"}})
		if err != nil {
			panic(err)
		}
		log, head = append(log, e), e.Head()
	}
	var outside bytes.Buffer
	sink := &audit.WriterSink{W: &outside}
	_ = sink.Export(context.Background(), signer.Sign(head, time.Date(2025, 4, 1, 10, 0, 0, 0, time.UTC)))
	cps, _ := audit.ReadCheckpoints(&outside)

	source := func(l []audit.Entry) audit.Source {
		return func(_ context.Context, from uint64, fn func(audit.Entry) error) error {
			for _, e := range l[from-1:] {
				if err := fn(e); err != nil {
					return err
				}
			}
			return nil
		}
	}
	rep, err := audit.Verify(context.Background(), "131016", source(log), head, signer.Public(), cps)
	fmt.Println(rep.Entries, err)

	cut := log[:3]
	_, err = audit.Verify(context.Background(), "131016", source(cut), cut[2].Head(), signer.Public(), cps)
	var te *audit.TamperError
	fmt.Println(errors.As(err, &te), te.Kind)
	// Output:
	// 5 <nil>
	// true truncated
}
