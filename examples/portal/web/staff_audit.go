package web

import (
	"errors"
	"net/http"

	"github.com/onestop-jp/onestop/casefile/audit"
)

// Audit verification (監査): the hash chain of every read, change and
// refusal, checked against the signed checkpoints kept outside the
// database (here a file beside it; in production another host).

type auditData struct {
	KeyID       string
	Checkpoints int
	Result      *auditResult
}

type auditResult struct {
	OK          bool
	Entries     uint64
	Head        string
	Checked     int
	Problem     string
	Checkpoint  bool
	CheckpointN uint64
}

func (a *App) auditPage(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	a.renderAudit(w, r, s, u, nil)
}

func (a *App) renderAudit(w http.ResponseWriter, r *http.Request, s *session, u *staffUser, res *auditResult) {
	cps, err := a.checkpoints.read()
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	d := auditData{KeyID: audit.KeyID(a.signer.Public()), Checkpoints: len(cps), Result: res}
	a.render(w, r, http.StatusOK, "staff_audit", view{Title: "監査ログの検証", Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
}

func (a *App) auditVerify(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	cps, err := a.checkpoints.read()
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	rep, err := a.svc.VerifyAudit(r.Context(), a.actor(u), a.signer.Public(), cps)
	var te *audit.TamperError
	switch {
	case err == nil:
		a.renderAudit(w, r, s, u, &auditResult{OK: true, Entries: rep.Entries, Head: rep.Head.HashHex(), Checked: rep.CheckpointsChecked})
	case errors.As(err, &te):
		a.renderAudit(w, r, s, u, &auditResult{Problem: "改ざんを検出しました: " + te.Error()})
	default:
		a.staffError(w, r, err)
	}
}

// auditCheckpoint signs the current head now (a daily job does this in
// production, so that quiet days are anchored too).
func (a *App) auditCheckpoint(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	cp, err := a.svc.Checkpoint(r.Context(), a.tenant)
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	a.renderAudit(w, r, s, u, &auditResult{Checkpoint: true, CheckpointN: cp.Seq})
}
