package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// The portal's own tables live in the case record's database, beside the
// library's: staff accounts, residents' access codes, the referral index
// and the applications received. They hold ids, codes and hashes — the only
// personal data is an application's content, which only the department it
// was sent to reads. Everything about a family stays in casefile, behind
// its access decisions.

const portalSchema = `
CREATE TABLE IF NOT EXISTS portal_staff (
	user_id TEXT PRIMARY KEY,
	org TEXT NOT NULL,
	role TEXT NOT NULL,
	display_name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	failed INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS portal_access (
	receipt_no TEXT PRIMARY KEY,
	secret_hash TEXT NOT NULL,
	case_id TEXT NOT NULL DEFAULT '',
	ref_json TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	failed INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS portal_referrals (
	id TEXT PRIMARY KEY,
	case_id TEXT NOT NULL,
	org TEXT NOT NULL,
	task_id TEXT NOT NULL,
	reason TEXT NOT NULL,
	by_user TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS portal_referrals_org ON portal_referrals (org, at);
CREATE TABLE IF NOT EXISTS portal_applications (
	app_no TEXT PRIMARY KEY,
	org TEXT NOT NULL,
	program TEXT NOT NULL,
	case_id TEXT NOT NULL,
	form_id TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS portal_applications_org ON portal_applications (org, at);
CREATE TABLE IF NOT EXISTS portal_sent (
	id TEXT PRIMARY KEY,
	channel TEXT NOT NULL,
	program TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	at BIGINT NOT NULL
);
`

// portalDB is the portal's tables on the store's database.
type portalDB struct {
	db      *sql.DB
	dialect sqlstore.Dialect
}

func openPortalDB(ctx context.Context, st *sqlstore.Store) (*portalDB, error) {
	p := &portalDB{db: st.DB(), dialect: st.Dialect()}
	for _, stmt := range strings.Split(portalSchema, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := p.db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("portal tables: %w", err)
		}
	}
	return p, nil
}

// q rewrites ? placeholders to $1, $2 … for PostgreSQL.
func (p *portalDB) q(query string) string {
	if p.dialect != sqlstore.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (p *portalDB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, p.q(query), args...)
}

func (p *portalDB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(ctx, p.q(query), args...)
}

func (p *portalDB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, p.q(query), args...)
}

// staffUser is one staff account.
type staffUser struct {
	UserID      string
	Org         string
	Role        string
	DisplayName string
	hash        string
	failed      int
	lockedUntil time.Time
}

func (u *staffUser) OrgName() string  { return orgName(u.Org) }
func (u *staffUser) RoleName() string { return roleNames[u.Role] }

func (p *portalDB) staffCount(ctx context.Context) (int, error) {
	var n int
	err := p.queryRow(ctx, `SELECT COUNT(*) FROM portal_staff`).Scan(&n)
	return n, err
}

func (p *portalDB) addStaff(ctx context.Context, u staffUser) error {
	_, err := p.exec(ctx, `INSERT INTO portal_staff (user_id, org, role, display_name, password_hash) VALUES (?, ?, ?, ?, ?)`,
		u.UserID, u.Org, u.Role, u.DisplayName, u.hash)
	return err
}

func (p *portalDB) staff(ctx context.Context, userID string) (*staffUser, error) {
	u := &staffUser{}
	var locked int64
	err := p.queryRow(ctx, `SELECT user_id, org, role, display_name, password_hash, failed, locked_until FROM portal_staff WHERE user_id = ?`, userID).
		Scan(&u.UserID, &u.Org, &u.Role, &u.DisplayName, &u.hash, &u.failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u.lockedUntil = time.UnixMicro(locked)
	return u, nil
}

func (p *portalDB) staffList(ctx context.Context) ([]staffUser, error) {
	rows, err := p.query(ctx, `SELECT user_id, org, role, display_name FROM portal_staff ORDER BY user_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staffUser
	for rows.Next() {
		var u staffUser
		if err := rows.Scan(&u.UserID, &u.Org, &u.Role, &u.DisplayName); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// lockout names a table whose rows count failed attempts in a row
// (columns failed and locked_until) and the column that keys them: staff
// accounts and residents' access codes lock the same way.
type lockout struct{ table, key string }

var (
	staffLogins = lockout{table: "portal_staff", key: "user_id"}
	accessCodes = lockout{table: "portal_access", key: "receipt_no"}
)

// attemptFailed counts a failed attempt on the row key of l and locks it
// after max failures in a row, for lock.
func (p *portalDB) attemptFailed(ctx context.Context, l lockout, key string, now time.Time, max int, lock time.Duration) error {
	_, err := p.exec(ctx, `UPDATE `+l.table+` SET failed = failed + 1,
		locked_until = CASE WHEN failed + 1 >= ? THEN ? ELSE locked_until END WHERE `+l.key+` = ?`,
		max, now.Add(lock).UnixMicro(), key)
	return err
}

// attemptSucceeded clears the failures of the row key of l.
func (p *portalDB) attemptSucceeded(ctx context.Context, l lockout, key string) error {
	_, err := p.exec(ctx, `UPDATE `+l.table+` SET failed = 0, locked_until = 0 WHERE `+l.key+` = ?`, key)
	return err
}

// accessRow is a resident's access to their own record: the receipt number
// and a hash of the code shown once.
type accessRow struct {
	ReceiptNo   string
	SecretHash  string
	CaseID      string
	RefJSON     string
	CreatedAt   time.Time
	Failed      int
	LockedUntil time.Time
}

func (p *portalDB) insertAccess(ctx context.Context, a accessRow) error {
	_, err := p.exec(ctx, `INSERT INTO portal_access (receipt_no, secret_hash, case_id, ref_json, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.ReceiptNo, a.SecretHash, a.CaseID, a.RefJSON, a.CreatedAt.UnixMicro())
	return err
}

func (p *portalDB) completeAccess(ctx context.Context, receiptNo, caseID, refJSON string) error {
	_, err := p.exec(ctx, `UPDATE portal_access SET case_id = ?, ref_json = ? WHERE receipt_no = ?`, caseID, refJSON, receiptNo)
	return err
}

func (p *portalDB) deleteAccess(ctx context.Context, receiptNo string) error {
	_, err := p.exec(ctx, `DELETE FROM portal_access WHERE receipt_no = ?`, receiptNo)
	return err
}

func (p *portalDB) access(ctx context.Context, receiptNo string) (*accessRow, error) {
	a := &accessRow{}
	var created, locked int64
	err := p.queryRow(ctx, `SELECT receipt_no, secret_hash, case_id, ref_json, created_at, failed, locked_until FROM portal_access WHERE receipt_no = ?`, receiptNo).
		Scan(&a.ReceiptNo, &a.SecretHash, &a.CaseID, &a.RefJSON, &created, &a.Failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.LockedUntil = time.UnixMicro(created), time.UnixMicro(locked)
	return a, nil
}

// referral is one entry of a department's referral inbox (ids and codes).
type referral struct {
	ID     string
	CaseID string
	Org    string
	TaskID string
	Reason string
	ByUser string
	At     time.Time
}

func (r referral) ReasonLabel() string { return referralLabel(r.Reason) }

func (p *portalDB) addReferral(ctx context.Context, r referral) error {
	_, err := p.exec(ctx, `INSERT INTO portal_referrals (id, case_id, org, task_id, reason, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.CaseID, r.Org, r.TaskID, r.Reason, r.ByUser, r.At.UnixMicro())
	return err
}

func (p *portalDB) referrals(ctx context.Context, org, caseID string) ([]referral, error) {
	query := `SELECT id, case_id, org, task_id, reason, by_user, at FROM portal_referrals WHERE org = ? ORDER BY at DESC LIMIT 200`
	args := []any{org}
	if caseID != "" {
		query = `SELECT id, case_id, org, task_id, reason, by_user, at FROM portal_referrals WHERE case_id = ? ORDER BY at DESC LIMIT 200`
		args = []any{caseID}
	}
	rows, err := p.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []referral
	for rows.Next() {
		var r referral
		var at int64
		if err := rows.Scan(&r.ID, &r.CaseID, &r.Org, &r.TaskID, &r.Reason, &r.ByUser, &at); err != nil {
			return nil, err
		}
		r.At = time.UnixMicro(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// referredTo reports whether a case was referred to org.
func (p *portalDB) referredTo(ctx context.Context, caseID, org string) (bool, error) {
	var n int
	err := p.queryRow(ctx, `SELECT COUNT(*) FROM portal_referrals WHERE case_id = ? AND org = ?`, caseID, org).Scan(&n)
	return n > 0, err
}

// application is an online application as its department received it.
type application struct {
	AppNo   string
	Org     string
	Program string
	CaseID  string
	FormID  string
	Title   string
	Body    string // the checked submission (JSON)
	At      time.Time
}

func (p *portalDB) addApplication(ctx context.Context, a application) error {
	_, err := p.exec(ctx, `INSERT INTO portal_applications (app_no, org, program, case_id, form_id, title, body, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.AppNo, a.Org, a.Program, a.CaseID, a.FormID, a.Title, a.Body, a.At.UnixMicro())
	return err
}

func (p *portalDB) applications(ctx context.Context, org string) ([]application, error) {
	rows, err := p.query(ctx, `SELECT app_no, org, program, case_id, form_id, title, body, at FROM portal_applications WHERE org = ? ORDER BY at DESC LIMIT 200`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []application
	for rows.Next() {
		var a application
		var at int64
		if err := rows.Scan(&a.AppNo, &a.Org, &a.Program, &a.CaseID, &a.FormID, &a.Title, &a.Body, &at); err != nil {
			return nil, err
		}
		a.At = time.UnixMicro(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
