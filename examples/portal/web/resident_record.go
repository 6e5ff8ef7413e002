package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/forms"
)

// The end of the input form: the family reviews the answers and sends them;
// forms.CreateCase writes the case, the persons, the consultation and every
// consent in one transaction with its audit entries. The family gets a
// receipt number and an access code, shown once, with which they later see
// and withdraw their consents and see who received their data.

// reviewData is the review page.
type reviewData struct {
	Steps  []reviewStep
	Errors []reviewError
}

type reviewStep struct {
	Index int
	Title string
	Rows  []reviewRow
}

type reviewRow struct {
	Label, Value string
}

type reviewError struct {
	Message string
	Step    int // -1: not on a step
}

func (a *App) checkReviewPage(w http.ResponseWriter, r *http.Request, s *session) {
	if s.check == nil || s.check.Phase != phaseRecord {
		http.Redirect(w, r, "/check", http.StatusSeeOther)
		return
	}
	a.renderReview(w, r, s, nil, http.StatusOK)
}

func (a *App) renderReview(w http.ResponseWriter, r *http.Request, s *session, ve *forms.ValidationError, status int) {
	f := s.check
	var d reviewData
	titles := map[string]string{}
	for _, p := range a.form.Pages() {
		titles[p.ID] = p.Title
	}
	stepOf := map[string]int{}
	for i, st := range f.Steps {
		rs := reviewStep{Index: i, Title: titles[st.Page]}
		for _, it := range st.Items {
			stepOf[it.Path] = i
			fd, ok := a.form.Field(it.Field)
			if !ok {
				continue
			}
			row := reviewRow{Label: fd.Label}
			if it.Count {
				row.Label = countLabel(fd)
				if l, ok := getAnswerList(f.Answers, it.Path); ok {
					row.Value = itoa(len(l)) + "人"
				}
			} else {
				if list, n, ok := itemOf(it.Path); ok {
					if lf, ok := a.form.Field(templatePath(list)); ok {
						row.Label = itemLegend(lf, n) + " " + fd.Label
					}
				}
				v, _ := getAnswer(f.Answers, it.Path)
				row.Value = displayAnswer(fd, v)
			}
			rs.Rows = append(rs.Rows, row)
		}
		d.Steps = append(d.Steps, rs)
	}
	if ve != nil {
		for _, e := range ve.Errors {
			step, ok := stepOf[e.Path]
			if !ok {
				step = -1
			}
			label := e.Label
			if label == "" {
				label = e.Path
			}
			d.Errors = append(d.Errors, reviewError{Message: label + ": " + e.Message, Step: step})
		}
	}
	a.render(w, r, status, "check_review", view{Title: "入力内容の確認", Area: "resident", CSRF: s.csrf, Data: d})
}

// displayAnswer writes an answer for people: choice labels, はい／いいえ.
func displayAnswer(fd forms.Field, v any) string {
	label := func(val string) string {
		for _, c := range fd.Choices {
			if c.Value == val {
				return c.Label
			}
		}
		return val
	}
	switch t := v.(type) {
	case nil:
		return "（未回答）"
	case bool:
		if fd.Type == forms.TypeConsent {
			if t {
				return "同意する"
			}
			return "同意しない"
		}
		if t {
			return "はい"
		}
		return "いいえ"
	case string:
		return label(t)
	case []any:
		var parts []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				parts = append(parts, label(s))
			}
		}
		return strings.Join(parts, "、")
	default:
		return answerText(v)
	}
}

// newReceipt is what the receipt page shows once.
type newReceipt struct {
	ReceiptNo string
	Secret    string // shown once, then cleared
	Receipts  []string
}

// residentAccess binds a resident session to the record made from their
// submission: the case and its persons, and nothing else.
type residentAccess struct {
	ReceiptNo string
	Ref       forms.Ref
}

// applicant is the person id of the family's applicant.
func (ra *residentAccess) applicant() string { return ra.Ref.Members["p"].PersonID }

func (a *App) intakeActor() casefile.Actor {
	return casefile.Actor{Tenant: a.tenant, User: "web-form", Org: deskOrg, Role: roleIntake, Client: "portal"}
}

// selfActor is the portal acting for a resident on their own record.
func (a *App) selfActor(ra *residentAccess) casefile.Actor {
	return casefile.Actor{Tenant: a.tenant, User: "resident:" + ra.ReceiptNo, Org: deskOrg, Role: roleSelfService, Client: "portal", Person: ra.applicant()}
}

func (a *App) checkSubmit(w http.ResponseWriter, r *http.Request, s *session) {
	f := s.check
	if f == nil || f.Phase != phaseRecord {
		http.Redirect(w, r, "/check", http.StatusSeeOther)
		return
	}
	checked, err := a.form.Check(a.submission(f))
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		a.renderReview(w, r, s, ve, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	rc, ref, err := a.recordSubmission(r.Context(), checked, f)
	if err != nil {
		var re *forms.RecordError
		if errors.As(err, &re) {
			a.log.Warn("record submission refused", "err_type", errType(re.Err))
			a.message(w, r, http.StatusConflict, "resident", "受け付けられませんでした",
				"記録の作成ができませんでした。お手数ですが、時間をおいてもう一度送信するか、ひとり親相談窓口にお問い合わせください。")
			return
		}
		a.serverError(w, r, "resident", err)
		return
	}
	s.check = nil
	s.access = &residentAccess{ReceiptNo: rc.ReceiptNo, Ref: *ref}
	rc.Receipts = a.receiptTexts(r.Context(), s.access, checked)
	s.shownSecret = rc
	http.Redirect(w, r, "/check/done", http.StatusSeeOther)
}

// recordSubmission reserves a receipt number and an access code, records
// the submission, and completes the access row; if recording fails the
// reservation is removed.
func (a *App) recordSubmission(ctx context.Context, c *forms.Checked, f *checkFlow) (*newReceipt, *forms.Ref, error) {
	var rc *newReceipt
	for range 5 {
		no, secret := newReceiptNo(a.today().String()), newAccessCode()
		err := a.db.insertAccess(ctx, accessRow{ReceiptNo: no, SecretHash: accessHash(no, secret), CreatedAt: a.now()})
		if err == nil {
			rc = &newReceipt{ReceiptNo: no, Secret: secret}
			break
		}
	}
	if rc == nil {
		return nil, nil, errors.New("could not reserve a receipt number")
	}
	ref, err := forms.CreateCase(ctx, a.svc, a.intakeActor(), c, forms.RecordOptions{
		SubmissionID: rc.ReceiptNo, At: a.now(), NoticeShownAt: f.NoticeShownAt,
	})
	if err != nil {
		_ = a.db.deleteAccess(context.WithoutCancel(ctx), rc.ReceiptNo)
		return nil, nil, err
	}
	b, err := json.Marshal(ref)
	if err != nil {
		return nil, nil, err
	}
	if err := a.db.completeAccess(ctx, rc.ReceiptNo, ref.CaseID, string(b)); err != nil {
		return nil, nil, err
	}
	return rc, ref, nil
}

// receiptTexts are the consent receipts (ISO/IEC 29184 shape) of the
// consents the submission gave, for the family to keep.
func (a *App) receiptTexts(ctx context.Context, ra *residentAccess, c *forms.Checked) []string {
	names := memberNames(c)
	var out []string
	for _, key := range memberKeys(ra.Ref) {
		m := ra.Ref.Members[key]
		recs, err := a.svc.ConsentRecords(ctx, a.selfActor(ra), m.PersonID)
		if err != nil {
			a.log.Warn("consent records", "err_type", errType(err))
			continue
		}
		for _, rec := range recs {
			rc, err := consent.NewReceipt(rec, a.controller, a.now())
			if err != nil {
				a.log.Warn("consent receipt", "err_type", errType(err))
				continue
			}
			rc.SubjectName = names[key]
			rc.GrantorName = names["p"]
			out = append(out, rc.Text())
		}
	}
	return out
}

// memberNames are the names the family typed, by member id, for printing
// on their receipts (the consent itself holds ids only).
func memberNames(c *forms.Checked) map[string]string {
	out := map[string]string{}
	ans := c.Answers()
	name := func(m map[string]any) string {
		fam, _ := m["family_name"].(string)
		giv, _ := m["given_name"].(string)
		return strings.TrimSpace(fam + " " + giv)
	}
	if ap, ok := ans["applicant"].(map[string]any); ok {
		out["p"] = name(ap)
	}
	for _, list := range []string{"children", "others"} {
		items, _ := ans[list].([]any)
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				if id, ok := m["id"].(string); ok {
					out[id] = name(m)
				}
			}
		}
	}
	return out
}

func (a *App) checkDonePage(w http.ResponseWriter, r *http.Request, s *session) {
	rc := s.shownSecret
	if rc == nil {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	shown := *rc
	rc.Secret = "" // shown once: a reload no longer shows it
	a.render(w, r, http.StatusOK, "check_done", view{Title: "受け付けました", Area: "resident", CSRF: s.csrf, Data: shown})
}

// Receipt numbers and access codes use Crockford's base32 alphabet (no I,
// L, O, U), so that a code read aloud or typed from paper survives.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func randomCode(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = crockford[b[i]&31]
	}
	return string(b)
}

// newReceiptNo is WEB-YYYYMMDD-XXXXXX (30 random bits: unique enough for
// a day, checked by the primary key; it is not a secret).
func newReceiptNo(day string) string {
	return "WEB-" + strings.ReplaceAll(day, "-", "") + "-" + randomCode(6)
}

// newAccessCode is 16 characters (80 random bits) in groups of four.
func newAccessCode() string {
	c := randomCode(16)
	return c[0:4] + "-" + c[4:8] + "-" + c[8:12] + "-" + c[12:16]
}

// normalizeCode folds what a person types into the canonical form:
// full width to half width, lower to upper case, I/L to 1, O to 0, and no
// spaces or hyphens.
func normalizeCode(s string) string {
	s = strings.ToUpper(norm.NFKC.String(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 'I' || r == 'L':
			b.WriteByte('1')
		case r == 'O':
			b.WriteByte('0')
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalizeReceiptNo folds a typed receipt number into WEB-YYYYMMDD-XXXXXX.
func normalizeReceiptNo(s string) string {
	c := normalizeCode(s)
	if len(c) != 3+8+6 || !strings.HasPrefix(c, "WEB") {
		return ""
	}
	return c[:3] + "-" + c[3:11] + "-" + c[11:]
}

// accessHash is what is stored of an access code. The code has 80 random
// bits, so a plain salted SHA-256 is enough: nobody can search that space
// offline, and a slow hash would only slow the login.
func accessHash(receiptNo, code string) string {
	h := sha256.Sum256([]byte("onestop-portal-access/v1\x00" + receiptNo + "\x00" + normalizeCode(code)))
	return hex.EncodeToString(h[:])
}

func accessMatches(stored, receiptNo, code string) bool {
	return subtle.ConstantTimeCompare([]byte(stored), []byte(accessHash(receiptNo, code))) == 1
}
