package memstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
)

// Store is an in-memory casefile.Store. The zero value is not usable; call New.
type Store struct {
	mu      sync.Mutex // guards tenants map
	tenants map[string]*tenant
	now     func() time.Time
}

type rowKey struct {
	kind casefile.Kind
	id   string
}

type tenant struct {
	wmu     sync.Mutex   // one writer at a time
	mu      sync.RWMutex // guards the maps below
	rows    map[rowKey]casefile.Row
	revs    map[rowKey][]casefile.Row
	keys    map[rowKey]string // (kind, key) -> id
	log     []audit.Entry
	subject map[string][]uint64
	outbox  outbox
}

// New returns an empty store.
func New() *Store { return &Store{tenants: map[string]*tenant{}, now: time.Now} }

func (s *Store) tenant(id string) *tenant {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[id]
	if t == nil {
		t = &tenant{rows: map[rowKey]casefile.Row{}, revs: map[rowKey][]casefile.Row{}, keys: map[rowKey]string{}, subject: map[string][]uint64{}, outbox: newOutbox()}
		s.tenants[id] = t
	}
	return t
}

var errNoTenant = errors.New("memstore: tenant is required")

// Update runs fn in a write transaction.
func (s *Store) Update(ctx context.Context, tenantID string, fn func(casefile.Tx) error) error {
	if tenantID == "" {
		return errNoTenant
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t := s.tenant(tenantID)
	t.wmu.Lock()
	defer t.wmu.Unlock()
	tx := &txn{t: t, tenant: tenantID, writable: true, rows: map[rowKey]casefile.Row{}, keys: map[rowKey]string{}, revs: map[rowKey][]casefile.Row{}, outbox: newOutbox()}
	t.mu.RLock()
	err := fn(tx)
	t.mu.RUnlock()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Seal the audit records before publishing anything, so a bad record
	// aborts the whole transaction.
	head := t.head(tenantID)
	entries := make([]audit.Entry, 0, len(tx.audit))
	for _, r := range tx.audit {
		e, err := audit.Seal(head, r)
		if err != nil {
			return fmt.Errorf("memstore: audit: %w", err)
		}
		entries = append(entries, e)
		head = e.Head()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, r := range tx.rows {
		t.rows[k] = r
	}
	for k, id := range tx.keys {
		if id == "" {
			delete(t.keys, k)
		} else {
			t.keys[k] = id
		}
	}
	for k, rs := range tx.revs {
		t.revs[k] = append(t.revs[k], rs...)
	}
	t.outbox.merge(tx.outbox)
	for _, e := range entries {
		t.log = append(t.log, e)
		for _, p := range e.Subjects {
			if l := t.subject[p]; len(l) == 0 || l[len(l)-1] != e.Seq {
				t.subject[p] = append(l, e.Seq)
			}
		}
	}
	return nil
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, tenantID string, fn func(casefile.Tx) error) error {
	if tenantID == "" {
		return errNoTenant
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t := s.tenant(tenantID)
	t.mu.RLock()
	defer t.mu.RUnlock()
	return fn(&txn{t: t, tenant: tenantID})
}

func (t *tenant) head(tenantID string) audit.Head {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if len(t.log) == 0 {
		return audit.Head{Tenant: tenantID}
	}
	return t.log[len(t.log)-1].Head()
}

// AuditHead returns the chain head.
func (s *Store) AuditHead(_ context.Context, tenantID string) (audit.Head, error) {
	return s.tenant(tenantID).head(tenantID), nil
}

// ScanAudit streams entries from seq from.
func (s *Store) ScanAudit(ctx context.Context, tenantID string, from uint64, fn func(audit.Entry) error) error {
	t := s.tenant(tenantID)
	t.mu.RLock()
	log := t.log[:len(t.log):len(t.log)]
	t.mu.RUnlock()
	if from < 1 {
		from = 1
	}
	for i := from - 1; i < uint64(len(log)); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(log[i]); err != nil {
			return err
		}
	}
	return nil
}

// AuditBySubject returns the entries naming person.
func (s *Store) AuditBySubject(_ context.Context, tenantID, person string) ([]uint64, error) {
	t := s.tenant(tenantID)
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Clone(t.subject[person]), nil
}

// Close does nothing.
func (s *Store) Close() error { return nil }

// Tamper lets tests edit the stored audit log directly, as an attacker with
// access to the database would. It is not for production use.
func (s *Store) Tamper(tenantID string, fn func(log []audit.Entry) []audit.Entry) {
	t := s.tenant(tenantID)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.log = fn(t.log)
}

type txn struct {
	t        *tenant
	tenant   string
	writable bool
	rows     map[rowKey]casefile.Row // overlay
	keys     map[rowKey]string       // overlay; "" = released
	revs     map[rowKey][]casefile.Row
	audit    []audit.Record
	outbox   outbox // overlay
}

func (x *txn) Tenant() string { return x.tenant }

func (x *txn) get(k rowKey) (casefile.Row, bool) {
	if r, ok := x.rows[k]; ok {
		return r, true
	}
	r, ok := x.t.rows[k]
	return r, ok
}

func (x *txn) keyOwner(k rowKey) string {
	if id, ok := x.keys[k]; ok {
		return id
	}
	return x.t.keys[k]
}

func (x *txn) Get(ctx context.Context, kind casefile.Kind, id string) (casefile.Row, error) {
	if err := ctx.Err(); err != nil {
		return casefile.Row{}, err
	}
	r, ok := x.get(rowKey{kind, id})
	if !ok {
		return casefile.Row{}, &casefile.NotFoundError{Kind: kind, ID: id}
	}
	return readCopy(r), nil
}

// readCopy is what reads return: like the SQL stores, without the keys.
func readCopy(r casefile.Row) casefile.Row {
	r = clone(r)
	r.Keys = nil
	return r
}

func (x *txn) List(ctx context.Context, q casefile.Query) ([]casefile.Row, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []casefile.Row
	ids, caseIDs, personIDs := set(q.IDs), set(q.CaseIDs), set(q.PersonIDs)
	in := func(s map[string]bool, v string) bool { return s == nil || s[v] }
	match := func(r casefile.Row) bool {
		return r.Kind == q.Kind && (q.CaseID == "" || r.CaseID == q.CaseID) && (q.PersonID == "" || r.PersonID == q.PersonID) &&
			(q.AfterID == "" || r.ID > q.AfterID) && (q.Key == "" || slices.Contains(r.Keys, q.Key)) &&
			in(ids, r.ID) && in(caseIDs, r.CaseID) && in(personIDs, r.PersonID)
	}
	if q.IDs != nil && q.Key == "" {
		// A batch read by id: look each up instead of scanning the tenant.
		seen := make(map[string]bool, len(q.IDs))
		for _, id := range q.IDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			if r, ok := x.get(rowKey{q.Kind, id}); ok && match(r) {
				out = append(out, readCopy(r))
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		if q.Limit > 0 && len(out) > q.Limit {
			out = out[:q.Limit]
		}
		return out, nil
	}
	if q.Key != "" {
		if id := x.keyOwner(rowKey{q.Kind, q.Key}); id != "" {
			if r, ok := x.get(rowKey{q.Kind, id}); ok && match(r) {
				out = append(out, readCopy(r))
			}
		}
		return out, nil
	}
	for k, r := range x.t.rows {
		if _, shadowed := x.rows[k]; !shadowed && match(r) {
			out = append(out, readCopy(r))
		}
	}
	for _, r := range x.rows {
		if match(r) {
			out = append(out, readCopy(r))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (x *txn) checkKeys(r casefile.Row) error {
	for _, key := range r.Keys {
		if owner := x.keyOwner(rowKey{r.Kind, key}); owner != "" && owner != r.ID {
			return &casefile.DuplicateKeyError{Kind: r.Kind, Key: key, OwnerID: owner}
		}
	}
	return nil
}

func (x *txn) Insert(ctx context.Context, r casefile.Row) error {
	if !x.writable {
		return casefile.ErrReadOnly
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkRow(x.tenant, r); err != nil {
		return err
	}
	if r.Version != 1 {
		return fmt.Errorf("memstore: insert %s %s with version %d: %w", r.Kind, r.ID, r.Version, casefile.ErrInvalid)
	}
	k := rowKey{r.Kind, r.ID}
	if _, ok := x.get(k); ok {
		return fmt.Errorf("memstore: %s %s: %w", r.Kind, r.ID, casefile.ErrExists)
	}
	if err := x.checkKeys(r); err != nil {
		return err
	}
	r = clone(r)
	x.rows[k] = r
	for _, key := range r.Keys {
		x.keys[rowKey{r.Kind, key}] = r.ID
	}
	x.revs[k] = append(x.revs[k], r)
	return nil
}

func (x *txn) Update(ctx context.Context, r casefile.Row) error {
	if !x.writable {
		return casefile.ErrReadOnly
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.Kind.AppendOnly() {
		return fmt.Errorf("memstore: %s %s: %w", r.Kind, r.ID, casefile.ErrAppendOnly)
	}
	if err := checkRow(x.tenant, r); err != nil {
		return err
	}
	k := rowKey{r.Kind, r.ID}
	cur, ok := x.get(k)
	if !ok {
		return &casefile.NotFoundError{Kind: r.Kind, ID: r.ID}
	}
	if cur.Version != r.Version-1 {
		return &casefile.ConflictError{Kind: r.Kind, ID: r.ID, Expected: r.Version - 1, Current: cur.Version}
	}
	if err := x.checkKeys(r); err != nil {
		return err
	}
	r = clone(r)
	r.CreatedAt, r.CreatedBy = cur.CreatedAt, cur.CreatedBy
	for _, key := range cur.Keys {
		if !slices.Contains(r.Keys, key) {
			x.keys[rowKey{r.Kind, key}] = ""
		}
	}
	for _, key := range r.Keys {
		x.keys[rowKey{r.Kind, key}] = r.ID
	}
	x.rows[k] = r
	x.revs[k] = append(x.revs[k], r)
	return nil
}

func (x *txn) Revisions(ctx context.Context, kind casefile.Kind, id string) ([]casefile.Row, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := rowKey{kind, id}
	var out []casefile.Row
	for _, r := range x.t.revs[k] {
		out = append(out, readCopy(r))
	}
	for _, r := range x.revs[k] {
		out = append(out, readCopy(r))
	}
	if len(out) == 0 {
		return nil, &casefile.NotFoundError{Kind: kind, ID: id}
	}
	return out, nil
}

func (x *txn) Audit(r audit.Record) error {
	if !x.writable {
		return casefile.ErrReadOnly
	}
	if err := r.Validate(); err != nil {
		return err
	}
	x.audit = append(x.audit, r)
	return nil
}

// set makes a lookup set of a Query's list; nil stays nil (no filter).
func set(list []string) map[string]bool {
	if list == nil {
		return nil
	}
	m := make(map[string]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}

func checkRow(tenant string, r casefile.Row) error {
	if err := r.CheckFor(tenant); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	return nil
}

func clone(r casefile.Row) casefile.Row {
	r.Keys = slices.Clone(r.Keys)
	r.Body = slices.Clone(r.Body)
	return r
}
