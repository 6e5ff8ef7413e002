package web

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/screening"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/forms"
	"github.com/onestop-jp/onestop/outreach"
	"github.com/onestop-jp/onestop/packs"
)

// DemoTenant is the municipality code the demo runs as (全国地方公共団体コード of
// 千代田区, chosen only so that the Tokyo pack's programmes apply). Replace it
// with your own.
const DemoTenant = "131016"

// Options configure the portal.
type Options struct {
	// Store is the case record's database; the portal's own tables are
	// created in it too.
	Store *sqlstore.Store
	// Tenant is the municipality code; empty: DemoTenant.
	Tenant string
	// GradeArea is the municipality's 級地 (1–3); 0: 1.
	GradeArea int
	// Municipality is the name shown to residents and printed on receipts.
	Municipality string
	// DeskAddress is where residents find the one-stop desk (printed on
	// consent receipts and push notices).
	DeskAddress string
	// DeskPhone is the desk's phone number, printed on push notices.
	DeskPhone string
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Logger receives one line per request (method, route pattern, status,
	// duration — never a path with ids, a query or a form value); nil: discard.
	Logger *slog.Logger
	// Secure marks the portal as served over TLS: cookies get Secure (and
	// the resident's cookie the __Host- prefix), and HSTS is sent.
	Secure bool
	// AuditKey signs the audit checkpoints; nil: a key is generated for
	// this process (checkpoints then verify only until it stops).
	AuditKey ed25519.PrivateKey
	// CheckpointFile is where signed checkpoints are appended (in a real
	// deployment: a file on another host, a WORM bucket); empty: memory.
	CheckpointFile string
	// Readings gives the chatbot the readings of the FAQ's kanji words
	// (chatbot/yomi); nil: none.
	Readings chatbot.ReadingSource
	// Limits are the rate limits; zero fields take DefaultLimits'.
	Limits Limits
}

// Limits are the portal's rate limits, per client address unless said.
type Limits struct {
	Chat       Limit // chat messages, per session
	Form       Limit // form pages and application posts, per session
	NewSession Limit // resident sessions started, per client address
	Login      Limit // staff and resident login attempts, per client address
}

// DefaultLimits are generous for people and tight for scripts.
var DefaultLimits = Limits{
	Chat:       Limit{PerMinute: 20, Burst: 10},
	Form:       Limit{PerMinute: 60, Burst: 30},
	NewSession: Limit{PerMinute: 30, Burst: 20},
	Login:      Limit{PerMinute: 5, Burst: 10},
}

// App is the portal: an http.Handler over the library's six parts.
type App struct {
	opts        Options
	tenant      string
	now         func() time.Time
	log         *slog.Logger
	store       *sqlstore.Store
	db          *portalDB
	svc         *casefile.Service
	engine      *eligibility.Engine
	form        *forms.Form
	apps        []*forms.Form
	kb          *chatbot.KnowledgeBase
	bot         *chatbot.Bot
	chatLog     *chatbot.MemoryLog
	residents   *sessionStore
	staff       *sessionStore
	limChat     *limiter
	limForm     *limiter
	limSession  *limiter
	limLogin    *limiter
	pages       *pageSet
	signer      *audit.Signer
	checkpoints *checkpointLog
	controller  consent.Controller
	messages    *outreach.Messages
	handler     http.Handler
	stop        chan struct{}
	stopOnce    sync.Once
}

// New builds the portal on an open store. Close stops its background work.
func New(ctx context.Context, o Options) (*App, error) {
	if o.Store == nil {
		return nil, errors.New("web: Options.Store is required")
	}
	a := &App{opts: o, tenant: o.Tenant, now: o.Now, log: o.Logger, store: o.Store, stop: make(chan struct{})}
	if a.tenant == "" {
		a.tenant = DemoTenant
	}
	if a.opts.GradeArea == 0 {
		a.opts.GradeArea = 1
	}
	if a.opts.Municipality == "" {
		a.opts.Municipality = "デモ区（架空の自治体）"
	}
	if a.opts.DeskAddress == "" {
		a.opts.DeskAddress = "デモ区役所 2階 こども家庭課（架空）"
	}
	if a.opts.DeskPhone == "" {
		a.opts.DeskPhone = "03-0000-0000"
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	l := o.Limits
	fill := func(l *Limit, d Limit) {
		if *l == (Limit{}) {
			*l = d
		}
	}
	fill(&l.Chat, DefaultLimits.Chat)
	fill(&l.Form, DefaultLimits.Form)
	fill(&l.NewSession, DefaultLimits.NewSession)
	fill(&l.Login, DefaultLimits.Login)
	a.limChat, a.limForm = newLimiter(l.Chat, a.now), newLimiter(l.Form, a.now)
	a.limSession, a.limLogin = newLimiter(l.NewSession, a.now), newLimiter(l.Login, a.now)

	var err error
	if a.db, err = openPortalDB(ctx, o.Store); err != nil {
		return nil, err
	}
	key := o.AuditKey
	if key == nil {
		if _, key, err = ed25519.GenerateKey(rand.Reader); err != nil {
			return nil, err
		}
	}
	if a.signer, err = audit.NewSigner(key); err != nil {
		return nil, err
	}
	a.checkpoints = &checkpointLog{path: o.CheckpointFile}
	a.svc, err = casefile.New(o.Store, casefile.Config{
		Roles:           roles,
		Signer:          a.signer,
		Sink:            a.checkpoints,
		CheckpointEvery: 500,
		Now:             a.now,
		OrgNames:        orgNames(),
	})
	if err != nil {
		return nil, err
	}
	if a.engine, err = compileEngine(); err != nil {
		return nil, err
	}
	if a.form, err = forms.Model(); err != nil {
		return nil, err
	}
	for _, p := range []string{forms.ChildRearingAllowancePath, forms.TokyoMedicalPath} {
		f, err := forms.Load(forms.ModelFiles(), p)
		if err != nil {
			return nil, err
		}
		a.apps = append(a.apps, f)
	}
	if err := a.buildBot(); err != nil {
		return nil, err
	}
	a.controller = consent.Controller{
		Name: a.opts.Municipality, Municipality: a.tenant, Desk: orgName(deskOrg), Address: a.opts.DeskAddress,
		Withdrawal: "このポータルの「わたしの情報」で、受付番号と確認コードを入力して取り消せます。" +
			"ひとり親相談窓口でも取り消せます。",
	}
	if a.messages, err = outreach.DefaultMessages(a.outreachDesk()); err != nil {
		return nil, err
	}
	if a.pages, err = parsePages(); err != nil {
		return nil, err
	}
	a.residents = newSessionStore(residentSession, residentPolicy, a.now, 50_000, o.Secure)
	a.staff = newSessionStore(staffSession, staffPolicy, a.now, 5_000, o.Secure)
	a.handler = a.routes()
	go a.janitor()
	return a, nil
}

// compileEngine compiles the embedded national pack with the Tokyo pack
// layered on it.
func compileEngine() (*eligibility.Engine, error) {
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		return nil, err
	}
	tok, err := eligibility.LoadPack(packs.Tokyo(), "packs/tokyo")
	if err != nil {
		return nil, err
	}
	return eligibility.Compile([]*eligibility.Pack{nat, tok})
}

func (a *App) buildBot() error {
	kb, err := chatbot.Default()
	if err != nil {
		return err
	}
	var opts []chatbot.Option
	if a.opts.Readings != nil {
		opts = append(opts, chatbot.WithReadings(a.opts.Readings))
	}
	m, err := chatbot.Compile(kb, opts...)
	if err != nil {
		return err
	}
	a.kb = kb
	a.chatLog = &chatbot.MemoryLog{Max: 10_000}
	// The screening dialogue is registered so that the FAQ shows its
	// 「対象か調べる」 buttons; the portal sends those buttons to the input
	// form instead, where the answers can become a record.
	a.bot = chatbot.NewBot(m,
		chatbot.WithEventLog(a.chatLog),
		chatbot.WithClock(a.now),
		chatbot.WithDialogue(screening.Name, screening.New(a.engine,
			screening.WithMunicipality(a.tenant, a.opts.GradeArea),
			screening.WithDesks(kb),
			screening.WithDate(a.today))))
	return nil
}

// today is the date in Japan.
func (a *App) today() civil.Date {
	return civil.DateOf(a.now().In(jst))
}

var jst = time.FixedZone("JST", 9*3600)

// Service returns the case record service (for the seed and tests).
func (a *App) Service() *casefile.Service { return a.svc }

// ServeHTTP serves the portal.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// Close stops the background pruning.
func (a *App) Close() {
	a.stopOnce.Do(func() { close(a.stop) })
}

// janitor forgets expired sessions and idle rate-limit buckets.
func (a *App) janitor() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
			a.residents.prune()
			a.staff.prune()
			for _, l := range []*limiter{a.limChat, a.limForm, a.limSession, a.limLogin} {
				l.prune()
			}
			a.chatLog.Prune(a.now().AddDate(0, 0, -90)) // keep the redacted FAQ log 90 days
		}
	}
}

// checkpointLog keeps the signed audit checkpoints: appended to a file, or
// in memory. It is the audit.Sink given to casefile and what the auditor's
// verification reads.
type checkpointLog struct {
	path string
	mu   sync.Mutex
	mem  bytes.Buffer
}

func (c *checkpointLog) Export(ctx context.Context, cp audit.Checkpoint) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var w io.Writer = &c.mem
	if c.path != "" {
		f, err := os.OpenFile(c.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return (&audit.WriterSink{W: w}).Export(ctx, cp)
}

func (c *checkpointLog) read() ([]audit.Checkpoint, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" {
		return audit.ReadCheckpoints(bytes.NewReader(c.mem.Bytes()))
	}
	f, err := os.Open(c.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cps, err := audit.ReadCheckpoints(f)
	if err != nil {
		return nil, fmt.Errorf("checkpoints %s: %w", c.path, err)
	}
	return cps, nil
}
