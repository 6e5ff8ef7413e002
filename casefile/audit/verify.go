package audit

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
)

// ErrTampered is matched (errors.Is) by every *TamperError.
var ErrTampered = errors.New("audit: log tampered")

// TamperKind says what a verifier found.
type TamperKind string

// Kinds of tampering.
const (
	// Edited: an entry's content no longer matches its hash.
	Edited TamperKind = "edited"
	// Reordered: an entry appears out of sequence (moved or duplicated).
	Reordered TamperKind = "reordered"
	// Deleted: a sequence number is missing.
	Deleted TamperKind = "deleted"
	// Relinked: the entry does not chain to its predecessor, as when entries
	// were removed or rearranged and renumbered.
	Relinked TamperKind = "relinked"
	// Truncated: the log ends before a signed checkpoint.
	Truncated TamperKind = "truncated"
	// Forked: the log's hash at a checkpoint differs from the signed one,
	// so history up to it was rewritten.
	Forked TamperKind = "forked"
	// BadCheckpoint: a checkpoint's signature does not verify.
	BadCheckpoint TamperKind = "bad_checkpoint"
)

// TamperError reports the first inconsistency found.
type TamperError struct {
	Tenant string
	Seq    uint64 // the entry (or checkpoint) where it was found
	Kind   TamperKind
	Detail string
}

func (e *TamperError) Error() string {
	return fmt.Sprintf("audit: tenant %s: entry %d: %s: %s", e.Tenant, e.Seq, e.Kind, e.Detail)
}

// Is makes errors.Is(err, ErrTampered) true.
func (e *TamperError) Is(target error) bool { return target == ErrTampered }

// Verifier checks entries one by one, in order, against the chain.
type Verifier struct {
	head Head
	n    uint64
}

// NewVerifier starts at head: the empty log (Head{Tenant: t}) or a trusted
// earlier point, such as a verified checkpoint, to check a range.
func NewVerifier(head Head) *Verifier { return &Verifier{head: head} }

// Head returns the head after the entries added so far.
func (v *Verifier) Head() Head { return v.head }

// Count returns the number of entries checked.
func (v *Verifier) Count() uint64 { return v.n }

// Add checks the next entry. After an error the Verifier must not be reused.
func (v *Verifier) Add(e Entry) error {
	want := v.head.Seq + 1
	fail := func(k TamperKind, format string, args ...any) error {
		return &TamperError{Tenant: v.head.Tenant, Seq: e.Seq, Kind: k, Detail: fmt.Sprintf(format, args...)}
	}
	switch {
	case e.Tenant != v.head.Tenant:
		return fail(Edited, "entry belongs to tenant %q", e.Tenant)
	case e.Seq < want:
		return fail(Reordered, "expected entry %d, found %d again or out of order", want, e.Seq)
	case e.Seq > want:
		return fail(Deleted, "entries %d to %d are missing here (deleted or moved)", want, e.Seq-1)
	case e.PrevHash != v.head.Hash:
		return fail(Relinked, "does not chain to entry %d", v.head.Seq)
	}
	if leaf := e.LeafHash(); leaf != e.Leaf || ChainHash(e.PrevHash, leaf) != e.Hash {
		return fail(Edited, "content does not match its hash")
	}
	v.head = e.Head()
	v.n++
	return nil
}

// Source streams a tenant's entries in sequence order starting at from
// (1 for the whole log), calling fn for each; stores implement it.
type Source func(ctx context.Context, from uint64, fn func(Entry) error) error

// Report is the result of a successful Verify.
type Report struct {
	Head               Head
	Entries            uint64
	CheckpointsChecked int
}

// errStop ends a scan at the stored head.
var errStop = errors.New("audit: stop")

// Verify walks the log of tenant from its first entry, checks every link
// and then every checkpoint: each must carry a valid signature by pub, lie
// within the log (otherwise the log was truncated) and match the hash the
// log had at that point (otherwise history was rewritten).
//
// stored is the head the store claimed when the verification began (its
// head row): the log is verified up to stored.Seq and must have exactly
// that hash there (otherwise it was forked), and a log shorter than that
// head is truncation. Entries appended after stored, by a system still in
// use, are not verified and are no tampering. Pass a zero stored head to
// verify the whole log without that comparison.
func Verify(ctx context.Context, tenant string, src Source, stored Head, pub ed25519.PublicKey, cps []Checkpoint) (Report, error) {
	at := make(map[uint64][32]byte, len(cps))
	for _, cp := range cps {
		if cp.Tenant != tenant {
			return Report{}, &TamperError{Tenant: tenant, Seq: cp.Seq, Kind: BadCheckpoint, Detail: "checkpoint of tenant " + cp.Tenant}
		}
		if err := cp.Verify(pub); err != nil {
			return Report{}, err
		}
		at[cp.Seq] = [32]byte{}
	}
	v := NewVerifier(Head{Tenant: tenant})
	err := src(ctx, 1, func(e Entry) error {
		if stored.Seq > 0 && e.Seq > stored.Seq && v.Head().Seq == stored.Seq {
			return errStop // appended after the verification began
		}
		if err := v.Add(e); err != nil {
			return err
		}
		if _, ok := at[e.Seq]; ok {
			at[e.Seq] = e.Hash
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return Report{}, err
	}
	head := v.Head()
	if stored.Seq > 0 && (stored.Seq != head.Seq || stored.Hash != head.Hash) {
		if stored.Seq > head.Seq {
			return Report{}, &TamperError{Tenant: tenant, Seq: stored.Seq, Kind: Truncated,
				Detail: fmt.Sprintf("head says %d entries, log has %d", stored.Seq, head.Seq)}
		}
		return Report{}, &TamperError{Tenant: tenant, Seq: stored.Seq, Kind: Forked, Detail: "head row does not match the log"}
	}
	for _, cp := range cps {
		if cp.Seq > head.Seq {
			return Report{}, &TamperError{Tenant: tenant, Seq: cp.Seq, Kind: Truncated,
				Detail: fmt.Sprintf("checkpoint signed at entry %d, log ends at %d", cp.Seq, head.Seq)}
		}
		if cp.Seq > 0 && at[cp.Seq] != cp.Hash {
			return Report{}, &TamperError{Tenant: tenant, Seq: cp.Seq, Kind: Forked, Detail: "log hash differs from the signed checkpoint"}
		}
	}
	return Report{Head: head, Entries: v.Count(), CheckpointsChecked: len(cps)}, nil
}
