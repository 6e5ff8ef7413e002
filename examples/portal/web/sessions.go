package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Sessions are kept on the server; the browser holds only a random id in
// an HttpOnly cookie. Residents and staff have separate cookies, lifetimes
// and stores, so a staff login never rides on a resident's session.
//
// A real deployment with several application servers keeps them in a shared
// store (Redis, the database); the interface a vendor replaces is sessionStore.

// sessionKind separates resident and staff sessions.
type sessionKind int

const (
	residentSession sessionKind = iota + 1
	staffSession
)

// sessionPolicy is how long a session lives and how its cookie is set.
type sessionPolicy struct {
	cookie   string
	path     string
	idle     time.Duration // expires after this long without a request
	absolute time.Duration // expires this long after it was created, whatever happens
	sameSite http.SameSite
}

var (
	residentPolicy = sessionPolicy{cookie: "portal_r", path: "/", idle: 30 * time.Minute, absolute: 4 * time.Hour, sameSite: http.SameSiteLaxMode}
	staffPolicy    = sessionPolicy{cookie: "portal_s", path: "/staff", idle: 15 * time.Minute, absolute: 8 * time.Hour, sameSite: http.SameSiteStrictMode}
)

// session is one browser's state. Handlers lock mu for the whole request
// (a browser's requests are few and short) and read everything under it;
// the store's own mutex guards id, created and lastSeen, and rotate, which
// changes id and csrf, runs with both held.
type session struct {
	mu       sync.Mutex
	id       string
	kind     sessionKind
	csrf     string
	created  time.Time
	lastSeen time.Time

	// staff
	staff *staffUser

	// resident
	chat   *chatState
	check  *checkFlow
	access *residentAccess
	apply  *applyFlow
	// shownSecret is the access code of a submission just recorded, shown
	// once on the receipt page and then forgotten.
	shownSecret *newReceipt
}

// sessionStore keeps sessions in memory.
type sessionStore struct {
	policy sessionPolicy
	kind   sessionKind
	now    func() time.Time
	mu     sync.Mutex
	byID   map[string]*session
	max    int
	secure bool // cookies only over TLS
}

func newSessionStore(kind sessionKind, p sessionPolicy, now func() time.Time, max int, secure bool) *sessionStore {
	return &sessionStore{policy: p, kind: kind, now: now, byID: map[string]*session{}, max: max, secure: secure}
}

// cookieName is the policy's cookie name; over TLS a cookie at path "/" is
// a __Host- cookie, bound to this host, Secure and path "/" (RFC 6265bis):
// no subdomain can set or read it.
func (st *sessionStore) cookieName() string {
	if st.secure && st.policy.path == "/" {
		return "__Host-" + st.policy.cookie
	}
	return st.policy.cookie
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // cannot happen on supported platforms (Go 1.24+)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// get returns the live session of the request, or nil.
func (st *sessionStore) get(r *http.Request) *session {
	c, err := r.Cookie(st.cookieName())
	if err != nil || len(c.Value) != 43 {
		return nil
	}
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.byID[c.Value]
	if s == nil {
		return nil
	}
	if now.Sub(s.lastSeen) > st.policy.idle || now.Sub(s.created) > st.policy.absolute {
		delete(st.byID, s.id)
		return nil
	}
	s.lastSeen = now
	return s
}

// create starts a new session and sets its cookie.
func (st *sessionStore) create(w http.ResponseWriter) *session {
	now := st.now()
	s := &session{id: randomToken(32), kind: st.kind, csrf: randomToken(32), created: now, lastSeen: now}
	st.mu.Lock()
	if len(st.byID) >= st.max {
		st.pruneLocked(now)
	}
	st.byID[s.id] = s
	st.mu.Unlock()
	st.setCookie(w, s.id, 0)
	return s
}

// rotate gives the session a new id (after a login, against fixation) and
// a new CSRF token.
func (st *sessionStore) rotate(w http.ResponseWriter, s *session) {
	st.mu.Lock()
	delete(st.byID, s.id)
	s.id, s.csrf = randomToken(32), randomToken(32)
	s.created = st.now()
	st.byID[s.id] = s
	st.mu.Unlock()
	st.setCookie(w, s.id, 0)
}

// destroy ends the session and clears its cookie.
func (st *sessionStore) destroy(w http.ResponseWriter, s *session) {
	st.mu.Lock()
	delete(st.byID, s.id)
	st.mu.Unlock()
	st.setCookie(w, "", -1)
}

func (st *sessionStore) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: st.cookieName(), Value: value, Path: st.policy.path, MaxAge: maxAge,
		HttpOnly: true, Secure: st.secure, SameSite: st.policy.sameSite,
	})
}

// pruneLocked drops expired sessions; if the store is still full, the
// tenth least recently used go too (in one pass, so a flood of new
// sessions costs O(n log n) per tenth, not O(n) per session).
func (st *sessionStore) pruneLocked(now time.Time) {
	for id, s := range st.byID {
		if now.Sub(s.lastSeen) > st.policy.idle || now.Sub(s.created) > st.policy.absolute {
			delete(st.byID, id)
		}
	}
	if len(st.byID) < st.max {
		return
	}
	all := make([]*session, 0, len(st.byID))
	for _, s := range st.byID {
		all = append(all, s)
	}
	slices.SortFunc(all, func(a, b *session) int { return a.lastSeen.Compare(b.lastSeen) })
	for _, s := range all[:max(1, len(all)/10)] {
		delete(st.byID, s.id)
	}
}

// lookup returns the session with id, for tests.
func (st *sessionStore) lookup(id string) *session {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.byID[id]
}

// prune drops expired sessions (called periodically).
func (st *sessionStore) prune() {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	for id, s := range st.byID {
		if now.Sub(s.lastSeen) > st.policy.idle || now.Sub(s.created) > st.policy.absolute {
			delete(st.byID, id)
		}
	}
}

// validCSRF compares a posted token with the session's in constant time.
func (s *session) validCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.csrf)) == 1
}
