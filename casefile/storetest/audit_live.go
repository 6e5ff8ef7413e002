package storetest

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// busyStore appends an entry to the log every time the head is read, as a
// busy system does between an auditor reading the head and scanning the
// log: the interleaving of the probe's F6, made deterministic.
type busyStore struct {
	casefile.Store
	writes int
}

func (b *busyStore) AuditHead(ctx context.Context, tenant string) (audit.Head, error) {
	h, err := b.Store.AuditHead(ctx, tenant)
	if err != nil {
		return h, err
	}
	b.writes++
	return h, b.Store.Update(ctx, tenant, func(tx casefile.Tx) error {
		return tx.Audit(audit.Record{At: t0, Actor: audit.Actor{User: "busy", Org: "elsewhere"}, Action: audit.ActionRead, Decision: audit.Deny, Outcome: "denied"})
	})
}

// F6: VerifyAudit verifies the log up to the head it read; entries
// appended meanwhile are no fork, and a real fork is still one.
func testVerifyWhileWriting(t *testing.T, newStore Factory) {
	busy := &busyStore{}
	f := newFixtureConfig(t, func(t *testing.T) casefile.Store {
		busy.Store = newStore(t)
		return busy
	}, casefile.Config{})
	signer, err := audit.NewSigner(ed25519.NewKeyFromSeed(make([]byte, 32)))
	require.NoError(t, err)
	auditor := actor("audit-1", "audit-office", "auditor")
	var cps []audit.Checkpoint
	for i := 0; i < 3; i++ {
		_, err := f.svc.ReadCase(f.ctx, f.W, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
		require.NoError(t, err)
		h, err := f.st.AuditHead(f.ctx, tenant)
		require.NoError(t, err)
		cps = append(cps, signer.Sign(h, t0))
	}
	writes := busy.writes
	rep, err := f.svc.VerifyAudit(f.ctx, auditor, signer.Public(), cps)
	require.NoError(t, err, "entries appended during the verification are not tampering")
	assert.Greater(t, busy.writes, writes, "the log grew during the verification")
	assert.Equal(t, len(cps), rep.CheckpointsChecked)
	last := f.since(0)
	var outcomes []string
	for _, e := range last {
		if e.Purpose == "audit" {
			outcomes = append(outcomes, e.Outcome)
		}
	}
	assert.Equal(t, []string{"ok"}, outcomes, "no tamper verdict written into the log")

	// A checkpoint whose hash the log does not have is still a fork.
	bad := cps[1]
	bad.Hash[0] ^= 1
	bad = signer.Sign(bad.Head(), t0)
	_, err = f.svc.VerifyAudit(f.ctx, auditor, signer.Public(), []audit.Checkpoint{cps[0], bad})
	var te *audit.TamperError
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, audit.Forked, te.Kind)
}
