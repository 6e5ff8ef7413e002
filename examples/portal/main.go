// Command portal is the reference one-stop portal: a small web application
// on the onestop library that joins the six parts of the national model
// programme — the FAQ chat (①), the input form and its screening (②), the
// case record shared with consent (③), push-type support (④), the online
// application filled from the record (⑤) and the 実施状況 report (⑥).
//
//	go run ./examples/portal                         # SQLite file in ./portal-data, http://127.0.0.1:8080/
//	go run ./examples/portal --addr 127.0.0.1:9000
//	go run ./examples/portal --store 'postgres://user:pass@host/db?sslmode=disable'
//
// The first start fills an empty database with made-up families (never real
// people) and staff accounts whose passwords are written, once, to
// portal-data/demo-accounts.txt. See examples/portal/README.md.
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/yomi"
	"github.com/onestop-jp/onestop/examples/portal/web"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address host:port (default loopback only)")
	storeDSN := flag.String("store", "", "PostgreSQL DSN (postgres://…); default: a SQLite file in --data")
	dataDir := flag.String("data", "portal-data", "folder for the SQLite file, the audit key, the checkpoints and the demo accounts")
	households := flag.Int("households", 60, "made-up households to create in an empty database")
	readings := flag.Bool("readings", true, "give the chat the readings of the FAQ's kanji words (chatbot/yomi; about 1 s and 90 MB at start)")
	tlsCert := flag.String("tls-cert", "", "TLS certificate file (with --tls-key): serve HTTPS, Secure cookies, HSTS")
	tlsKey := flag.String("tls-key", "", "TLS private key file")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		return errors.New("unexpected arguments")
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return err
	}
	var st *sqlstore.Store
	var err error
	if *storeDSN != "" {
		if !strings.HasPrefix(*storeDSN, "postgres://") && !strings.HasPrefix(*storeDSN, "postgresql://") {
			return errors.New("--store takes a postgres:// DSN; without it the portal uses a SQLite file")
		}
		st, err = sqlstore.OpenPostgres(ctx, *storeDSN)
	} else {
		st, err = sqlstore.OpenSQLite(ctx, filepath.Join(*dataDir, "portal.db"))
	}
	if err != nil {
		return fmt.Errorf("opening the store: %w", err)
	}
	defer st.Close()

	key, err := auditKey(filepath.Join(*dataDir, "audit-key"))
	if err != nil {
		return err
	}
	var rs chatbot.ReadingSource
	if *readings {
		if rs, err = yomi.New(); err != nil {
			return err
		}
	}
	app, err := web.New(ctx, web.Options{
		Store: st, AuditKey: key, CheckpointFile: filepath.Join(*dataDir, "checkpoints.txt"),
		Logger: log, Secure: *tlsCert != "", Readings: rs,
	})
	if err != nil {
		return err
	}
	defer app.Close()

	accounts := filepath.Join(*dataDir, "demo-accounts.txt")
	empty, err := app.Empty(ctx)
	if err != nil {
		return err
	}
	if empty {
		fmt.Fprintf(os.Stderr, "portal: creating %d made-up households and the demo staff accounts…\n", *households)
		res, err := app.Seed(ctx, web.SeedOptions{Households: *households, Seed: uint64(time.Now().UnixNano())})
		if err != nil {
			return fmt.Errorf("seeding the demo data: %w", err)
		}
		if err := os.WriteFile(accounts, []byte(res.AccountsText()), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "portal: %d households recorded through the input form (%d generated ones skipped: the model form cannot say them)\n", res.Households, res.Skipped)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String() + "/"
	fmt.Printf("onestop portal: %s\n  staff: %sstaff/login (accounts: %s)\n", url, url, accounts)
	if h, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(h).IsLoopback() && *tlsCert == "" {
		fmt.Fprintln(os.Stderr, "portal: warning: listening beyond loopback without TLS; put it behind HTTPS before anyone uses it")
	}
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	errc := make(chan error, 1)
	go func() {
		if *tlsCert != "" {
			errc <- srv.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// auditKey loads the Ed25519 key that signs the audit checkpoints, or makes
// one. A demo keeps it beside the database; a municipality keeps it off the
// database server (a KMS or HSM) and gives the public key to its auditors.
func auditKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		seed, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("%s: not an Ed25519 seed in hex", path)
		}
		return ed25519.NewKeyFromSeed(seed), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key.Seed())+"\n"), 0o600); err != nil {
		return nil, err
	}
	return key, nil
}
