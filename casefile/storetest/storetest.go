package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
)

// Factory returns a new, empty store; it registers its own cleanup.
type Factory func(t *testing.T) casefile.Store

// Options tune the suite.
type Options struct {
	// Writers and UpdatesPerWriter size the concurrency test (8 × 1,000 by
	// default).
	Writers          int
	UpdatesPerWriter int
	// Households sizes the privacy property test (random households, 6
	// random staff each, every read path; 40 by default).
	Households int
}

// Run runs the whole suite.
func Run(t *testing.T, newStore Factory, opts Options) {
	if opts.Writers == 0 {
		opts.Writers = 8
	}
	if opts.UpdatesPerWriter == 0 {
		opts.UpdatesPerWriter = 1000
	}
	if opts.Households == 0 {
		opts.Households = 40
	}
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, newStore(t)) })
	t.Run("InsertRules", func(t *testing.T) { testInsertRules(t, newStore(t)) })
	t.Run("CompareAndSwap", func(t *testing.T) { testCAS(t, newStore(t)) })
	t.Run("Revisions", func(t *testing.T) { testRevisions(t, newStore(t)) })
	t.Run("UniqueKeys", func(t *testing.T) { testKeys(t, newStore(t)) })
	t.Run("ListAndPaging", func(t *testing.T) { testList(t, newStore(t)) })
	t.Run("BatchList", func(t *testing.T) { testBatchList(t, newStore(t)) })
	t.Run("OutboxRoundTrip", func(t *testing.T) { testOutboxRoundTrip(t, newStore(t)) })
	t.Run("OutboxKeys", func(t *testing.T) { testOutboxKeys(t, newStore(t)) })
	t.Run("OutboxCompareAndSwap", func(t *testing.T) { testOutboxCAS(t, newStore(t)) })
	t.Run("OutboxQueue", func(t *testing.T) { testOutboxQueue(t, newStore(t)) })
	t.Run("OutboxAtomic", func(t *testing.T) { testOutboxAtomic(t, newStore(t)) })
	t.Run("TenantIsolation", func(t *testing.T) { testTenants(t, newStore(t)) })
	t.Run("ReadOnlyView", func(t *testing.T) { testView(t, newStore(t)) })
	t.Run("AllOrNothing", func(t *testing.T) { testAtomic(t, newStore(t)) })
	t.Run("AuditChain", func(t *testing.T) { testAudit(t, newStore(t)) })
	t.Run("ConcurrentKeys", func(t *testing.T) { testConcurrentKeys(t, newStore(t)) })
	t.Run("ConcurrentUpdates", func(t *testing.T) { testConcurrentUpdates(t, newStore(t), opts) })
	t.Run("CrossOrderUpdates", func(t *testing.T) { testCrossOrderUpdates(t, newStore(t)) }) // F10
	t.Run("Service", func(t *testing.T) { runService(t, newStore) })
	t.Run("PrivacyProperty", func(t *testing.T) { testProperty(t, newStore, opts.Households) })
}

// runService runs the Service-level guarantees on stores made by newStore.
func runService(t *testing.T, newStore Factory) {
	for _, c := range []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"ExportRecipient", testExportRecipient},                     // F1
		{"GetAndHistory", testGetAndHistory},                         // F2
		{"DVScope", testDVScope},                                     // F3
		{"DVCategories", testDVCategories},                           // F4
		{"VerifyWhileWriting", testVerifyWhileWriting},               // F6
		{"ConsentIDs", testConsentIDs},                               // F8
		{"AuditGaps", testAuditGaps},                                 // F11
		{"ErrorsWithoutPersonalData", testErrorsWithoutPersonalData}, // F12
		{"ConsentDesk", testConsentDesk},                             // observation: ConsentRecords
		{"FindPersons", testFindPersons},                             // observation: presence
		{"ConsentCapacity", testConsentCapacity},                     // observations: 18, and 11
		{"ReportRelease", testReportRelease},                         // F7
		{"OutreachScan", testOutreachScan},                           // issue 15: the notification purpose's reads
		{"OutboxPlan", testOutboxPlan},                               // issue 15: plans decided again, audited with their entries
		{"OutboxClaim", testOutboxClaim},                             // issue 15: claims, leases, delivery reports
		{"OutboxRecheck", testOutboxRecheck},                         // issue 15: a measure or a withdrawal after planning
		{"HouseholdAsOf", testHouseholdAsOf},                         // issue 10 follow-up: the household on the date screened for
		{"HouseholdFacts", testHouseholdFacts},                       // issue 10 follow-up: every fact held, under its category
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newStore) })
	}
}

const tenant = "131016"

var t0 = time.Date(2025, 4, 1, 9, 30, 0, 123456000, time.UTC)

func row(kind casefile.Kind, id string, body string) casefile.Row {
	return casefile.Row{Kind: kind, ID: id, Tenant: tenant, Version: 1, CreatedAt: t0, CreatedBy: "u1", UpdatedAt: t0, UpdatedBy: "u1", Body: []byte(body)}
}

func next(r casefile.Row, body string) casefile.Row {
	r.Version++
	r.UpdatedAt = r.UpdatedAt.Add(time.Minute)
	r.UpdatedBy = "u2"
	r.Body = []byte(body)
	return r
}

func rec(action audit.Action, subjects ...string) audit.Record {
	return audit.Record{At: t0, Actor: audit.Actor{User: "u1", Org: "kodomo"}, Action: action, Decision: audit.Permit, Outcome: "ok", Subjects: subjects}
}

func update(t *testing.T, s casefile.Store, fn func(tx casefile.Tx) error) error {
	t.Helper()
	return s.Update(context.Background(), tenant, fn)
}

func get(t *testing.T, s casefile.Store, kind casefile.Kind, id string) (casefile.Row, error) {
	t.Helper()
	var r casefile.Row
	err := s.View(context.Background(), tenant, func(tx casefile.Tx) error {
		var err error
		r, err = tx.Get(context.Background(), kind, id)
		return err
	})
	return r, err
}

func testRoundTrip(t *testing.T, s casefile.Store) {
	id := casefile.NewID()
	in := row(casefile.KindPerson, id, `{"name":{"family":"山田","given":"花子"},"n":1}`)
	in.PersonID = id
	in.CaseID = "c-1"
	in.Keys = []string{"atena:0012345"}
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(context.Background(), in) }))
	out, err := get(t, s, casefile.KindPerson, id)
	require.NoError(t, err)
	assert.Equal(t, in.Kind, out.Kind)
	assert.Equal(t, in.ID, out.ID)
	assert.Equal(t, in.Tenant, out.Tenant)
	assert.Equal(t, int64(1), out.Version)
	assert.Equal(t, in.CaseID, out.CaseID)
	assert.Equal(t, in.PersonID, out.PersonID)
	assert.True(t, in.CreatedAt.Equal(out.CreatedAt), "%v != %v", in.CreatedAt, out.CreatedAt)
	assert.True(t, in.UpdatedAt.Equal(out.UpdatedAt))
	assert.Equal(t, "u1", out.CreatedBy)
	assert.JSONEq(t, string(in.Body), string(out.Body))

	_, err = get(t, s, casefile.KindPerson, casefile.NewID())
	var nf *casefile.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = get(t, s, casefile.KindCase, id)
	assert.ErrorIs(t, err, casefile.ErrNotFound, "kind is part of identity")
}

func testInsertRules(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	id := casefile.NewID()
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, row(casefile.KindTask, id, `{}`)) }))
	err := update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, row(casefile.KindTask, id, `{"x":1}`)) })
	assert.ErrorIs(t, err, casefile.ErrExists)

	bad := row(casefile.KindTask, casefile.NewID(), `{}`)
	bad.Version = 3
	assert.ErrorIs(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, bad) }), casefile.ErrInvalid)
	other := row(casefile.KindTask, casefile.NewID(), `{}`)
	other.Tenant = "272043"
	assert.ErrorIs(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, other) }), casefile.ErrInvalid)
	unknown := row("gossip", casefile.NewID(), `{}`)
	assert.ErrorIs(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, unknown) }), casefile.ErrInvalid)
	r, err := get(t, s, casefile.KindTask, id)
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(r.Body), "the failed duplicate insert changed nothing")
}

func testCAS(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	id := casefile.NewID()
	v1 := row(casefile.KindCase, id, `{"status":"open"}`)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, v1) }))
	v2 := next(v1, `{"status":"monitoring"}`)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Update(ctx, v2) }))

	stale := next(v1, `{"status":"closed"}`) // based on version 1 again
	err := update(t, s, func(tx casefile.Tx) error { return tx.Update(ctx, stale) })
	var ce *casefile.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, casefile.ErrConflict)
	assert.Equal(t, int64(1), ce.Expected)
	assert.Equal(t, int64(2), ce.Current)
	assert.Equal(t, casefile.KindCase, ce.Kind)
	assert.Equal(t, id, ce.ID)

	cur, err := get(t, s, casefile.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, int64(2), cur.Version)
	assert.JSONEq(t, `{"status":"monitoring"}`, string(cur.Body))
	assert.Equal(t, "u1", cur.CreatedBy, "creation metadata survives updates")
	assert.True(t, v1.CreatedAt.Equal(cur.CreatedAt))
	assert.Equal(t, "u2", cur.UpdatedBy)

	missing := next(row(casefile.KindCase, casefile.NewID(), `{}`), `{}`)
	assert.ErrorIs(t, update(t, s, func(tx casefile.Tx) error { return tx.Update(ctx, missing) }), casefile.ErrNotFound)

	c := row(casefile.KindConsultation, casefile.NewID(), `{"summary":"a"}`)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, c) }))
	assert.ErrorIs(t, update(t, s, func(tx casefile.Tx) error { return tx.Update(ctx, next(c, `{"summary":"b"}`)) }), casefile.ErrAppendOnly)
}

func testRevisions(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	r := row(casefile.KindProgram, casefile.NewID(), `{"goals":["就職"],"rev":1}`)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, r) }))
	for i := 2; i <= 4; i++ {
		r = next(r, fmt.Sprintf(`{"goals":["就職"],"rev":%d}`, i))
		require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Update(ctx, r) }))
	}
	var revs []casefile.Row
	require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
		var err error
		revs, err = tx.Revisions(ctx, casefile.KindProgram, r.ID)
		return err
	}))
	require.Len(t, revs, 4)
	for i, rv := range revs {
		assert.Equal(t, int64(i+1), rv.Version)
		assert.JSONEq(t, fmt.Sprintf(`{"goals":["就職"],"rev":%d}`, i+1), string(rv.Body))
	}
	assert.Equal(t, "u1", revs[0].UpdatedBy)
	assert.Equal(t, "u2", revs[3].UpdatedBy)
	err := s.View(ctx, tenant, func(tx casefile.Tx) error {
		_, err := tx.Revisions(ctx, casefile.KindProgram, casefile.NewID())
		return err
	})
	assert.ErrorIs(t, err, casefile.ErrNotFound)
}

func testKeys(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	a := row(casefile.KindPerson, casefile.NewID(), `{"a":1}`)
	a.Keys = []string{"atena:1", "setai:9"}
	b := row(casefile.KindPerson, casefile.NewID(), `{"b":1}`)
	b.Keys = []string{"atena:1"}
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, a) }))

	// A clean duplicate-key refusal leaves the transaction usable.
	c := row(casefile.KindPerson, casefile.NewID(), `{"c":1}`)
	err := update(t, s, func(tx casefile.Tx) error {
		err := tx.Insert(ctx, b)
		var de *casefile.DuplicateKeyError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, a.ID, de.OwnerID)
		assert.Equal(t, "atena:1", de.Key)
		return tx.Insert(ctx, c)
	})
	require.NoError(t, err)
	_, err = get(t, s, casefile.KindPerson, b.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = get(t, s, casefile.KindPerson, c.ID)
	assert.NoError(t, err)

	// The same key in another kind is fine.
	other := row(casefile.KindCase, casefile.NewID(), `{}`)
	other.Keys = []string{"atena:1"}
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, other) }))

	byKey := func(key string) []casefile.Row {
		var out []casefile.Row
		require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
			var err error
			out, err = tx.List(ctx, casefile.Query{Kind: casefile.KindPerson, Key: key})
			return err
		}))
		return out
	}
	require.Len(t, byKey("atena:1"), 1)
	assert.Equal(t, a.ID, byKey("atena:1")[0].ID)

	// Changing a's keys releases the old one.
	a2 := next(a, `{"a":2}`)
	a2.Keys = []string{"atena:2", "setai:9"}
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Update(ctx, a2) }))
	assert.Empty(t, byKey("atena:1"))
	assert.Len(t, byKey("atena:2"), 1)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, b) }))
	assert.Equal(t, b.ID, byKey("atena:1")[0].ID)

	// An update may not take someone else's key.
	a3 := next(a2, `{"a":3}`)
	a3.Keys = []string{"atena:1"}
	assert.ErrorIs(t, update(t, s, func(tx casefile.Tx) error { return tx.Update(ctx, a3) }), casefile.ErrDuplicateKey)
	cur, err := get(t, s, casefile.KindPerson, a.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), cur.Version)
}

func testList(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	caseA, caseB := casefile.NewID(), casefile.NewID()
	var ids []string
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		for i := 0; i < 7; i++ {
			r := row(casefile.KindTask, casefile.NewID(), fmt.Sprintf(`{"i":%d}`, i))
			r.CaseID = caseA
			if i%3 == 0 {
				r.CaseID = caseB
			}
			r.PersonID = fmt.Sprintf("p%d", i%2)
			if err := tx.Insert(ctx, r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		// visible inside the transaction that wrote them
		rs, err := tx.List(ctx, casefile.Query{Kind: casefile.KindTask})
		require.Len(t, rs, 7)
		return err
	}))
	list := func(q casefile.Query) []string {
		var out []string
		require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
			rs, err := tx.List(ctx, q)
			for _, r := range rs {
				out = append(out, r.ID)
			}
			return err
		}))
		return out
	}
	assert.Equal(t, ids, list(casefile.Query{Kind: casefile.KindTask}), "ordered by id = creation order")
	assert.Equal(t, []string{ids[0], ids[3], ids[6]}, list(casefile.Query{Kind: casefile.KindTask, CaseID: caseB}))
	assert.Equal(t, []string{ids[1], ids[5]}, list(casefile.Query{Kind: casefile.KindTask, CaseID: caseA, PersonID: "p1"}))
	assert.Equal(t, ids[2:5], list(casefile.Query{Kind: casefile.KindTask, AfterID: ids[1], Limit: 3}))
	assert.Empty(t, list(casefile.Query{Kind: casefile.KindPerson}))
}

func testTenants(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	r := row(casefile.KindPerson, casefile.NewID(), `{}`)
	r.Keys = []string{"atena:7"}
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		require.NoError(t, tx.Audit(rec(audit.ActionCreate, r.ID)))
		return tx.Insert(ctx, r)
	}))
	other := "272043"
	r2 := r
	r2.Tenant = other
	require.NoError(t, s.Update(ctx, other, func(tx casefile.Tx) error {
		_, err := tx.Get(ctx, casefile.KindPerson, r.ID)
		assert.ErrorIs(t, err, casefile.ErrNotFound)
		rs, err := tx.List(ctx, casefile.Query{Kind: casefile.KindPerson})
		assert.Empty(t, rs)
		require.NoError(t, err)
		return tx.Insert(ctx, r2) // same id and key in another municipality
	}))
	h1, err := s.AuditHead(ctx, tenant)
	require.NoError(t, err)
	h2, err := s.AuditHead(ctx, other)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), h1.Seq)
	assert.Equal(t, uint64(0), h2.Seq)
	seqs, err := s.AuditBySubject(ctx, other, r.ID)
	require.NoError(t, err)
	assert.Empty(t, seqs)
	assert.Error(t, s.Update(ctx, "", func(casefile.Tx) error { return nil }))
}

func testView(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	err := s.View(ctx, tenant, func(tx casefile.Tx) error {
		assert.Equal(t, tenant, tx.Tenant())
		assert.ErrorIs(t, tx.Insert(ctx, row(casefile.KindTask, casefile.NewID(), `{}`)), casefile.ErrReadOnly)
		assert.ErrorIs(t, tx.Update(ctx, next(row(casefile.KindTask, casefile.NewID(), `{}`), `{}`)), casefile.ErrReadOnly)
		assert.ErrorIs(t, tx.Audit(rec(audit.ActionRead)), casefile.ErrReadOnly)
		return nil
	})
	require.NoError(t, err)
}

func testAtomic(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	base := row(casefile.KindCase, casefile.NewID(), `{"v":1}`)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		require.NoError(t, tx.Audit(rec(audit.ActionCreate)))
		return tx.Insert(ctx, base)
	}))
	h0, err := s.AuditHead(ctx, tenant)
	require.NoError(t, err)

	boom := errors.New("boom")
	p := row(casefile.KindPerson, casefile.NewID(), `{}`)
	p.Keys = []string{"atena:42"}
	err = update(t, s, func(tx casefile.Tx) error {
		require.NoError(t, tx.Insert(ctx, p))
		require.NoError(t, tx.Update(ctx, next(base, `{"v":2}`)))
		require.NoError(t, tx.Audit(rec(audit.ActionUpdate, p.ID)))
		return boom
	})
	assert.ErrorIs(t, err, boom)
	_, err = get(t, s, casefile.KindPerson, p.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	cur, err := get(t, s, casefile.KindCase, base.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), cur.Version)
	h1, err := s.AuditHead(ctx, tenant)
	require.NoError(t, err)
	assert.Equal(t, h0, h1, "no audit entry for a rolled-back change")
	// the key was not taken
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return tx.Insert(ctx, p) }))

	// A bad audit record aborts the whole transaction at commit.
	q := row(casefile.KindPerson, casefile.NewID(), `{}`)
	err = update(t, s, func(tx casefile.Tx) error {
		require.NoError(t, tx.Insert(ctx, q))
		bad := rec(audit.ActionRead)
		bad.Actor = audit.Actor{}
		if err := tx.Audit(bad); err != nil {
			return err
		}
		return nil
	})
	assert.ErrorIs(t, err, audit.ErrInvalidRecord)
	_, err = get(t, s, casefile.KindPerson, q.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)

	// A cancelled context writes nothing.
	cctx, cancel := context.WithCancel(ctx)
	r := row(casefile.KindPerson, casefile.NewID(), `{}`)
	err = s.Update(cctx, tenant, func(tx casefile.Tx) error {
		if err := tx.Insert(cctx, r); err != nil {
			return err
		}
		cancel()
		return nil
	})
	assert.Error(t, err)
	_, err = get(t, s, casefile.KindPerson, r.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
}

func testAudit(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		require.NoError(t, update(t, s, func(tx casefile.Tx) error {
			require.NoError(t, tx.Audit(rec(audit.ActionRead, "p1", "p2", "p1")))
			return tx.Audit(rec(audit.ActionSearch, fmt.Sprintf("q%d", i)))
		}))
	}
	head, err := s.AuditHead(ctx, tenant)
	require.NoError(t, err)
	assert.Equal(t, uint64(10), head.Seq)
	var entries []audit.Entry
	require.NoError(t, s.ScanAudit(ctx, tenant, 1, func(e audit.Entry) error { entries = append(entries, e); return nil }))
	require.Len(t, entries, 10)
	assert.Equal(t, audit.ActionSearch, entries[9].Action)
	assert.Equal(t, []string{"q4"}, entries[9].Subjects)
	assert.Equal(t, t0, entries[0].At)
	rep, err := audit.Verify(ctx, tenant, src(s, tenant), head, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(10), rep.Entries)
	var tail []uint64
	require.NoError(t, s.ScanAudit(ctx, tenant, 8, func(e audit.Entry) error { tail = append(tail, e.Seq); return nil }))
	assert.Equal(t, []uint64{8, 9, 10}, tail)
	seqs, err := s.AuditBySubject(ctx, tenant, "p1")
	require.NoError(t, err)
	assert.Equal(t, []uint64{1, 3, 5, 7, 9}, seqs)
	seqs, err = s.AuditBySubject(ctx, tenant, "q2")
	require.NoError(t, err)
	assert.Equal(t, []uint64{6}, seqs)
}

func src(s casefile.Store, tenant string) audit.Source {
	return func(ctx context.Context, from uint64, fn func(audit.Entry) error) error {
		return s.ScanAudit(ctx, tenant, from, fn)
	}
}

func testConcurrentKeys(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := row(casefile.KindPerson, casefile.NewID(), `{}`)
			r.Keys = []string{"atena:race"}
			errs[i] = s.Update(ctx, tenant, func(tx casefile.Tx) error { return tx.Insert(ctx, r) })
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, casefile.ErrDuplicateKey)
		}
	}
	assert.Equal(t, 1, ok, "exactly one insert wins the key")
}

// testConcurrentUpdates: Writers goroutines each try UpdatesPerWriter
// read-modify-write updates of the same case. No update may be lost: the
// revisions are exactly the initial version plus one per accepted update,
// every accepted update's token appears in exactly one revision, and every
// other attempt was a ConflictError.
func testConcurrentUpdates(t *testing.T, s casefile.Store, opts Options) {
	ctx := context.Background()
	id := casefile.NewID()
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		return tx.Insert(ctx, row(casefile.KindCase, id, `{"token":"init"}`))
	}))
	type result struct {
		accepted  []string
		conflicts int
		other     []error
	}
	results := make([]result, opts.Writers)
	var wg sync.WaitGroup
	for w := 0; w < opts.Writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[w]
			for i := 0; i < opts.UpdatesPerWriter; i++ {
				token := fmt.Sprintf("w%d-%d", w, i)
				var cur casefile.Row
				if err := s.View(ctx, tenant, func(tx casefile.Tx) error {
					var err error
					cur, err = tx.Get(ctx, casefile.KindCase, id)
					return err
				}); err != nil {
					res.other = append(res.other, err)
					continue
				}
				body, _ := json.Marshal(map[string]string{"token": token})
				err := s.Update(ctx, tenant, func(tx casefile.Tx) error {
					if err := tx.Update(ctx, next(cur, string(body))); err != nil {
						return err
					}
					r := rec(audit.ActionUpdate, id)
					r.Entities = []audit.EntityRef{{Type: "case", ID: id, Version: cur.Version + 1}}
					return tx.Audit(r)
				})
				var ce *casefile.ConflictError
				switch {
				case err == nil:
					res.accepted = append(res.accepted, token)
				case errors.As(err, &ce):
					if ce.Current <= ce.Expected {
						res.other = append(res.other, fmt.Errorf("conflict with current %d <= expected %d", ce.Current, ce.Expected))
					}
					res.conflicts++
				default:
					res.other = append(res.other, err)
				}
			}
		}()
	}
	wg.Wait()

	accepted := map[string]bool{}
	conflicts := 0
	for _, r := range results {
		require.Empty(t, r.other, "only conflicts may be refused")
		for _, tok := range r.accepted {
			accepted[tok] = true
		}
		conflicts += r.conflicts
	}
	total := opts.Writers * opts.UpdatesPerWriter
	assert.Equal(t, total, len(accepted)+conflicts, "every attempt was accepted or reported as a conflict")
	assert.NotEmpty(t, accepted)

	var revs []casefile.Row
	require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
		var err error
		revs, err = tx.Revisions(ctx, casefile.KindCase, id)
		return err
	}))
	require.Len(t, revs, len(accepted)+1, "one revision per accepted update, none lost, none extra")
	seen := map[string]bool{}
	for i, rv := range revs {
		assert.Equal(t, int64(i+1), rv.Version)
		var b struct{ Token string }
		require.NoError(t, json.Unmarshal(rv.Body, &b))
		if i == 0 {
			continue
		}
		assert.True(t, accepted[b.Token], "revision %d holds %q, which was not accepted", rv.Version, b.Token)
		assert.False(t, seen[b.Token], "token %q twice", b.Token)
		seen[b.Token] = true
	}
	cur, err := get(t, s, casefile.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, int64(len(accepted)+1), cur.Version)

	head, err := s.AuditHead(ctx, tenant)
	require.NoError(t, err)
	assert.Equal(t, uint64(len(accepted)), head.Seq, "one audit entry per accepted update")
	rep, err := audit.Verify(ctx, tenant, src(s, tenant), head, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(len(accepted)), rep.Entries)
	t.Logf("%d writers × %d updates: %d accepted, %d conflicts", opts.Writers, opts.UpdatesPerWriter, len(accepted), conflicts)
}

// RunProperty runs only the privacy property test, on n households.
func RunProperty(t *testing.T, newStore Factory, n int) { testProperty(t, newStore, n) }
