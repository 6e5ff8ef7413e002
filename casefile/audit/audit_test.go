package audit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 4, 1, 9, 0, 0, 123456789, time.UTC)

func rec(i int) Record {
	return Record{
		At:       t0.Add(time.Duration(i) * time.Second),
		Actor:    Actor{User: "staff-1", Org: "kodomo", Role: "caseworker"},
		Action:   ActionRead,
		Purpose:  "consultation",
		Basis:    Basis{Kind: "consent", ConsentIDs: []string{fmt.Sprintf("c-%d", i)}},
		Decision: Permit,
		Outcome:  "ok",
		Subjects: []string{"p-1", "p-2"},
		CaseID:   "case-1",
		Entities: []EntityRef{{Type: "case", ID: "case-1", Version: int64(i)}},
	}
}

func chain(t testing.TB, tenant string, n int) []Entry {
	head := Head{Tenant: tenant}
	out := make([]Entry, 0, n)
	for i := 0; i < n; i++ {
		e, err := Seal(head, rec(i))
		require.NoError(t, err)
		out = append(out, e)
		head = e.Head()
	}
	return out
}

func sliceSource(es []Entry) Source {
	return func(_ context.Context, from uint64, fn func(Entry) error) error {
		for _, e := range es {
			if e.Seq >= from {
				if err := fn(e); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func testKey(t testing.TB) *Signer {
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	s, err := NewSigner(ed25519.NewKeyFromSeed(seed))
	require.NoError(t, err)
	return s
}

func TestSealChains(t *testing.T) {
	es := chain(t, "131016", 3)
	assert.Equal(t, uint64(1), es[0].Seq)
	assert.Equal(t, [32]byte{}, es[0].PrevHash)
	assert.Equal(t, es[0].Hash, es[1].PrevHash)
	assert.Equal(t, t0.Truncate(time.Microsecond), es[0].At)
	v := NewVerifier(Head{Tenant: "131016"})
	for _, e := range es {
		require.NoError(t, v.Add(e))
	}
	assert.Equal(t, es[2].Head(), v.Head())
}

func TestSealRejectsBadRecords(t *testing.T) {
	_, err := Seal(Head{}, rec(0))
	assert.ErrorIs(t, err, ErrInvalidRecord)
	for name, mut := range map[string]func(*Record){
		"no actor":    func(r *Record) { r.Actor = Actor{} },
		"bad action":  func(r *Record) { r.Action = "peek" },
		"no decision": func(r *Record) { r.Decision = "" },
		"no time":     func(r *Record) { r.At = time.Time{} },
	} {
		r := rec(0)
		mut(&r)
		_, err := Seal(Head{Tenant: "t"}, r)
		assert.ErrorIs(t, err, ErrInvalidRecord, name)
	}
}

func TestCanonicalIsInjective(t *testing.T) {
	// Moving a character between adjacent fields must change the encoding.
	a := Entry{Tenant: "t", Record: Record{Actor: Actor{User: "ab", Org: "c"}}}
	b := Entry{Tenant: "t", Record: Record{Actor: Actor{User: "a", Org: "bc"}}}
	assert.NotEqual(t, a.Canonical(nil), b.Canonical(nil))
	c := Entry{Tenant: "t", Record: Record{Subjects: []string{"a", "b"}}}
	d := Entry{Tenant: "t", Record: Record{Subjects: []string{"ab"}}}
	assert.NotEqual(t, c.Canonical(nil), d.Canonical(nil))
}

func TestVerifyDetectsTampering(t *testing.T) {
	signer := testKey(t)
	tests := []struct {
		name   string
		tamper func([]Entry) []Entry
		kind   TamperKind
		seq    uint64
	}{
		{"edit purpose", func(es []Entry) []Entry { es[4].Purpose = "curiosity"; return es }, Edited, 5},
		{"edit subjects", func(es []Entry) []Entry { es[2].Subjects = []string{"p-9"}; return es }, Edited, 3},
		{"edit and rehash leaf", func(es []Entry) []Entry {
			es[4].Decision = Deny
			es[4].Leaf = es[4].LeafHash()
			es[4].Hash = ChainHash(es[4].PrevHash, es[4].Leaf)
			return es
		}, Relinked, 6},
		{"swap two", func(es []Entry) []Entry { es[3], es[4] = es[4], es[3]; return es }, Deleted, 5},
		{"duplicate", func(es []Entry) []Entry { return append(es[:5:5], append([]Entry{es[3]}, es[5:]...)...) }, Reordered, 4},
		{"delete one", func(es []Entry) []Entry { return append(es[:3:3], es[4:]...) }, Deleted, 5},
		{"delete and renumber", func(es []Entry) []Entry {
			out := append(es[:3:3], es[4:]...)
			for i := 3; i < len(out); i++ {
				out[i].Seq--
			}
			return out
		}, Relinked, 4},
		{"other tenant", func(es []Entry) []Entry { es[1].Tenant = "999999"; return es }, Edited, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := tt.tamper(chain(t, "131016", 10))
			_, err := Verify(context.Background(), "131016", sliceSource(es), Head{}, signer.Public(), nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrTampered)
			var te *TamperError
			require.True(t, errors.As(err, &te))
			assert.Equal(t, tt.kind, te.Kind, te.Error())
			assert.Equal(t, tt.seq, te.Seq, te.Error())
		})
	}
}

func TestVerifyCheckpoints(t *testing.T) {
	ctx := context.Background()
	signer := testKey(t)
	es := chain(t, "131016", 20)
	cp10 := signer.Sign(es[9].Head(), t0)
	cp20 := signer.Sign(es[19].Head(), t0)

	rep, err := Verify(ctx, "131016", sliceSource(es), es[19].Head(), signer.Public(), []Checkpoint{cp10, cp20})
	require.NoError(t, err)
	assert.Equal(t, uint64(20), rep.Entries)
	assert.Equal(t, 2, rep.CheckpointsChecked)

	// Truncation: the tail after entry 15 is cut off and the head row rewritten.
	// The chain itself is consistent; only the checkpoint shows it.
	cut := es[:15]
	_, err = Verify(ctx, "131016", sliceSource(cut), cut[14].Head(), signer.Public(), []Checkpoint{cp10, cp20})
	var te *TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, Truncated, te.Kind)
	assert.Equal(t, uint64(20), te.Seq)
	_, err = Verify(ctx, "131016", sliceSource(cut), cut[14].Head(), signer.Public(), []Checkpoint{cp10})
	assert.NoError(t, err, "truncation after the last checkpoint is invisible without a newer one")

	// Truncation against the stored head row.
	_, err = Verify(ctx, "131016", sliceSource(cut), es[19].Head(), signer.Public(), nil)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, Truncated, te.Kind)

	// Rewritten history: a whole new chain of the same length.
	other := chain(t, "131016", 20)
	other[0].Purpose = "x"
	head := Head{Tenant: "131016"}
	for i := range other {
		e, err := Seal(head, other[i].Record)
		require.NoError(t, err)
		other[i] = e
		head = e.Head()
	}
	_, err = Verify(ctx, "131016", sliceSource(other), head, signer.Public(), []Checkpoint{cp10})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, Forked, te.Kind)

	// A forged checkpoint.
	bad := cp20
	bad.Seq = 21
	_, err = Verify(ctx, "131016", sliceSource(es), Head{}, signer.Public(), []Checkpoint{bad})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, BadCheckpoint, te.Kind)
	other2, _ := NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)))
	_, err = Verify(ctx, "131016", sliceSource(es), Head{}, other2.Public(), []Checkpoint{cp10})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, BadCheckpoint, te.Kind)
}

// A log that grew after the head was read is verified up to that head
// (privacy probe F6: a live system is no fork), while a head row that
// does not match the log at its own sequence number still is one.
func TestVerifyUpToTheStoredHead(t *testing.T) {
	ctx := context.Background()
	es := chain(t, "131016", 30)
	rep, err := Verify(ctx, "131016", sliceSource(es), es[19].Head(), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(20), rep.Entries)
	assert.Equal(t, es[19].Head(), rep.Head)

	forged := es[19].Head()
	forged.Hash[0] ^= 1
	_, err = Verify(ctx, "131016", sliceSource(es), forged, nil, nil)
	var te *TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, Forked, te.Kind)

	// An edit before the head is found; one after it is the next check's.
	edited := append([]Entry(nil), es...)
	edited[25].Purpose = "curiosity"
	_, err = Verify(ctx, "131016", sliceSource(edited), es[19].Head(), nil, nil)
	assert.NoError(t, err)
	_, err = Verify(ctx, "131016", sliceSource(edited), es[29].Head(), nil, nil)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, Edited, te.Kind)
	edited[5].Purpose = "curiosity"
	_, err = Verify(ctx, "131016", sliceSource(edited), es[19].Head(), nil, nil)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, Edited, te.Kind)
}

func TestCheckpointNoteRoundTrip(t *testing.T) {
	signer := testKey(t)
	es := chain(t, "131016", 3)
	var buf bytes.Buffer
	sink := &WriterSink{W: &buf}
	ctx := context.Background()
	for _, e := range es {
		require.NoError(t, sink.Export(ctx, signer.Sign(e.Head(), t0)))
	}
	cps, err := ReadCheckpoints(&buf)
	require.NoError(t, err)
	require.Len(t, cps, 3)
	for i, c := range cps {
		require.NoError(t, c.Verify(signer.Public()))
		assert.Equal(t, es[i].Head(), c.Head())
	}
	txt, _ := cps[0].MarshalText()
	assert.Contains(t, string(txt), "onestop-audit-checkpoint/v1\ntenant 131016\nseq 1\nhead ")
	var bad Checkpoint
	assert.ErrorIs(t, bad.UnmarshalText([]byte("nope")), ErrBadNote)
}

func FuzzCheckpointNote(f *testing.F) {
	signer := testKey(f)
	good, _ := signer.Sign(Head{Tenant: "131016", Seq: 5}, t0).MarshalText()
	f.Add(good)
	f.Add([]byte("onestop-audit-checkpoint/v1\ntenant x\nseq 1\nhead AA==\ntime 2025-01-01T00:00:00Z\n\n— k AA==\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Checkpoint
		if err := c.UnmarshalText(b); err != nil {
			return
		}
		out, _ := c.MarshalText()
		var back Checkpoint
		if err := back.UnmarshalText(out); err != nil {
			t.Fatalf("re-parse of %q: %v", out, err)
		}
		if back.Seq != c.Seq || back.Hash != c.Hash || back.Tenant != c.Tenant {
			t.Fatalf("round trip changed %+v to %+v", c, back)
		}
		_ = c.Verify(signer.Public())
	})
}
