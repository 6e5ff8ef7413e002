package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/forms"
)

// 「わたしの情報」: a resident sees what they consented to (for themself and,
// as 法定代理人, for their children), who received their data (the disclosure
// register, from the audit log), and withdraws a consent.
//
// Access: the receipt number and the access code shown once when the form
// was sent, posted (never in a URL). Five wrong codes lock the receipt for
// fifteen minutes; logins are rate-limited per client address too. The
// session is then bound to that submission's case and persons only, and
// the portal acts as the role self-service (consent records and the
// disclosure register) for exactly those persons.

const (
	accessMaxFailures = 5
	accessLock        = 15 * time.Minute
)

// memberKeys are the submission's member ids, the applicant first.
func memberKeys(ref forms.Ref) []string {
	keys := make([]string, 0, len(ref.Members))
	for k := range ref.Members {
		if k != "p" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if _, ok := ref.Members["p"]; ok {
		keys = append([]string{"p"}, keys...)
	}
	return keys
}

// memberLabel names a member without personal data: あなた, こども（1人目）.
func memberLabel(key string) string {
	switch {
	case key == "p":
		return "あなた"
	case strings.HasPrefix(key, "c"):
		return "こども（" + strings.TrimPrefix(key, "c") + "人目）"
	default:
		return "一緒に暮らしている方（" + strings.TrimPrefix(key, "m") + "人目）"
	}
}

type myLoginData struct {
	Error string
}

type myData struct {
	ReceiptNo string
	People    []myPerson
	Withdrawn *withdrawResult
}

type myPerson struct {
	Label       string
	Consents    []myConsent
	Disclosures []myDisclosure
}

type myConsent struct {
	ID         string
	Title      string
	Purposes   []string
	Recipients []string
	Categories []string
	Period     string
	Status     string
	Active     bool
	ByYou      bool // given by the applicant (for themself or as 法定代理人)
}

type myDisclosure struct {
	At         time.Time
	Recipient  string
	Purpose    string
	Action     string
	Categories []string
}

type withdrawResult struct {
	Title string
	Count int
	Tell  []consent.PastRecipient
}

func (a *App) myPage(w http.ResponseWriter, r *http.Request, s *session) {
	if s.access == nil {
		a.render(w, r, http.StatusOK, "my_login", view{Title: "わたしの情報", Area: "resident", CSRF: s.csrf, Data: myLoginData{}})
		return
	}
	d, err := a.myOverview(r.Context(), s.access)
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	a.render(w, r, http.StatusOK, "my", view{Title: "わたしの情報", Area: "resident", CSRF: s.csrf, Data: d})
}

func (a *App) myOverview(ctx context.Context, ra *residentAccess) (*myData, error) {
	d := &myData{ReceiptNo: ra.ReceiptNo}
	actor := a.selfActor(ra)
	for _, key := range memberKeys(ra.Ref) {
		pid := ra.Ref.Members[key].PersonID
		recs, err := a.svc.ConsentRecords(ctx, actor, pid)
		if err != nil {
			return nil, err
		}
		p := myPerson{Label: memberLabel(key)}
		now := a.now()
		for _, rec := range recs {
			p.Consents = append(p.Consents, a.consentView(rec, ra, now))
		}
		dis, err := a.svc.Disclosures(ctx, actor, pid)
		if err != nil {
			return nil, err
		}
		for i := len(dis) - 1; i >= 0; i-- { // newest first
			x := dis[i]
			md := myDisclosure{At: x.At, Recipient: orgName(x.Recipient), Purpose: purposeLabel(x.Purpose), Action: actionLabel(x.Action)}
			for _, c := range x.Categories {
				md.Categories = append(md.Categories, categoryLabel(c))
			}
			p.Disclosures = append(p.Disclosures, md)
		}
		d.People = append(d.People, p)
	}
	return d, nil
}

func (a *App) consentView(rec consent.Record, ra *residentAccess, now time.Time) myConsent {
	c := rec.Current()
	st := rec.Status(now)
	v := myConsent{ID: rec.ID, Status: st.Label(), Active: st == consent.StatusActive, ByYou: c.Grantor.Person == ra.applicant()}
	seenP, seenR, seenC := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, pr := range c.Provisions {
		for _, p := range pr.Purposes {
			if l := p.Label(); !seenP[l] {
				seenP[l] = true
				v.Purposes = append(v.Purposes, l)
			}
		}
		for _, r := range pr.Recipients {
			if !seenR[r.Code] {
				seenR[r.Code] = true
				v.Recipients = append(v.Recipients, r.Name)
			}
		}
		for _, cat := range pr.Categories {
			if l := cat.Label(); !seenC[l] {
				seenC[l] = true
				v.Categories = append(v.Categories, l)
			}
		}
	}
	v.Title = strings.Join(v.Purposes, "・")
	v.Period = consent.FormatDate(c.Period.Start) + " から"
	if !c.Period.End.IsZero() {
		v.Period += " " + consent.FormatDate(c.Period.End.Add(-time.Second)) + " まで"
	} else {
		v.Period += " 取り消すまで"
	}
	return v
}

func (a *App) myLogin(w http.ResponseWriter, r *http.Request, s *session) {
	fail := func(status int, msg string) {
		a.render(w, r, status, "my_login", view{Title: "わたしの情報", Area: "resident", CSRF: s.csrf, Data: myLoginData{Error: msg}})
	}
	if !a.limLogin.allow("ip:" + clientKey(r)) {
		fail(http.StatusTooManyRequests, "試行の回数が多すぎます。しばらくしてからもう一度お試しください。")
		return
	}
	no := normalizeReceiptNo(r.PostForm.Get("receipt_no"))
	code := r.PostForm.Get("code")
	const generic = "受付番号または確認コードが正しくありません。"
	if no == "" || normalizeCode(code) == "" {
		fail(http.StatusUnprocessableEntity, generic)
		return
	}
	row, err := a.db.access(r.Context(), no)
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	now := a.now()
	if row == nil || row.CaseID == "" {
		accessHash(no, code) // the same work as a real check
		fail(http.StatusUnprocessableEntity, generic)
		return
	}
	if now.Before(row.LockedUntil) {
		fail(http.StatusTooManyRequests, "確認コードの誤りが続いたため、この受付番号は一時的に使えません。15分ほどしてからお試しください。")
		return
	}
	if !accessMatches(row.SecretHash, no, code) {
		if err := a.db.attemptFailed(r.Context(), accessCodes, no, now, accessMaxFailures, accessLock); err != nil {
			a.serverError(w, r, "resident", err)
			return
		}
		fail(http.StatusUnprocessableEntity, generic)
		return
	}
	var ref forms.Ref
	if err := json.Unmarshal([]byte(row.RefJSON), &ref); err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	if err := a.db.attemptSucceeded(r.Context(), accessCodes, no); err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	a.residents.rotate(w, s)
	s.access = &residentAccess{ReceiptNo: no, Ref: ref}
	s.apply = nil
	http.Redirect(w, r, "/my", http.StatusSeeOther)
}

func (a *App) myLogout(w http.ResponseWriter, r *http.Request, s *session) {
	a.residents.destroy(w, s)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// findConsent finds one of the resident's consents by id, with its
// subject: the id comes from the post, the subject never does.
func (a *App) findConsent(ctx context.Context, ra *residentAccess, id string) (consent.Record, string, bool, error) {
	for _, key := range memberKeys(ra.Ref) {
		pid := ra.Ref.Members[key].PersonID
		recs, err := a.svc.ConsentRecords(ctx, a.selfActor(ra), pid)
		if err != nil {
			return consent.Record{}, "", false, err
		}
		for _, rec := range recs {
			if rec.ID == id {
				return rec, pid, true, nil
			}
		}
	}
	return consent.Record{}, "", false, nil
}

type withdrawConfirmData struct {
	Consent myConsent
	Family  int // other members' consents given on the same question
}

// familyConsents are the active consents the applicant gave on the same
// form question as rec (consent_sharing.<person> …) for the other members:
// a parent who withdraws usually means it for the children too.
func (a *App) familyConsents(ctx context.Context, ra *residentAccess, rec consent.Record, now time.Time) ([]consent.Record, []string, error) {
	question, _, _ := strings.Cut(rec.ID, ".")
	var recs []consent.Record
	var subjects []string
	for _, key := range memberKeys(ra.Ref) {
		pid := ra.Ref.Members[key].PersonID
		all, err := a.svc.ConsentRecords(ctx, a.selfActor(ra), pid)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range all {
			q, _, _ := strings.Cut(r.ID, ".")
			if r.ID != rec.ID && q == question && r.Status(now) == consent.StatusActive && r.Current().Grantor.Person == ra.applicant() {
				recs, subjects = append(recs, r), append(subjects, pid)
			}
		}
	}
	return recs, subjects, nil
}

// myWithdraw asks for confirmation, then records the withdrawal (of this
// consent, or of the family's consents given on the same question).
func (a *App) myWithdraw(w http.ResponseWriter, r *http.Request, s *session) {
	ra := s.access
	if ra == nil {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	rec, subject, ok, err := a.findConsent(ctx, ra, r.PostForm.Get("consent_id"))
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	now := a.now()
	if !ok || rec.Status(now) != consent.StatusActive || rec.Current().Grantor.Person != ra.applicant() {
		a.message(w, r, http.StatusUnprocessableEntity, "resident", "取り消せません", "この同意は、すでに取り消されているか、取り消せるものではありません。")
		return
	}
	family, familySubjects, err := a.familyConsents(ctx, ra, rec, now)
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		a.render(w, r, http.StatusOK, "my_withdraw", view{Title: "同意の取り消し", Area: "resident", CSRF: s.csrf,
			Data: withdrawConfirmData{Consent: a.consentView(rec, ra, now), Family: len(family)}})
		return
	}
	recs, subjects := []consent.Record{rec}, []string{subject}
	if r.PostForm.Get("scope") == "family" {
		recs, subjects = append(recs, family...), append(subjects, familySubjects...)
	}
	actor := a.selfActor(ra)
	var tell []consent.PastRecipient
	for i, rc := range recs {
		ev := consent.Event{
			Type: consent.EventWithdrawn, ConsentID: rc.ID, At: now, EffectiveAt: now, By: actor.User,
			Evidence: &consent.Evidence{Channel: consent.ChannelWebForm, Ref: ra.ReceiptNo, RecordedBy: actor.User},
		}
		if _, err := a.svc.RecordConsent(ctx, actor, subjects[i], ev); err != nil {
			a.serverError(w, r, "resident", err)
			return
		}
		// whom to tell: the departments that received data under it
		after, _, _, err := a.findConsent(ctx, ra, rc.ID)
		if err != nil {
			a.serverError(w, r, "resident", err)
			return
		}
		dis, err := a.svc.Disclosures(ctx, actor, subjects[i])
		if err != nil {
			a.serverError(w, r, "resident", err)
			return
		}
		t, err := consent.RecipientsToTell(after, consentDisclosures(subjects[i], dis))
		if err != nil {
			a.serverError(w, r, "resident", err)
			return
		}
		tell = mergeRecipients(tell, t)
	}
	d, err := a.myOverview(ctx, ra)
	if err != nil {
		a.serverError(w, r, "resident", err)
		return
	}
	d.Withdrawn = &withdrawResult{Title: a.consentView(rec, ra, now).Title, Count: len(recs), Tell: tell}
	a.render(w, r, http.StatusOK, "my", view{Title: "わたしの情報", Area: "resident", CSRF: s.csrf, Data: d})
}

// mergeRecipients adds the recipients of b to a, one line per recipient.
func mergeRecipients(a, b []consent.PastRecipient) []consent.PastRecipient {
	for _, x := range b {
		i := slices.IndexFunc(a, func(y consent.PastRecipient) bool { return y.Recipient == x.Recipient })
		if i < 0 {
			a = append(a, x)
			continue
		}
		a[i].Count += x.Count
		a[i].AfterWithdrawal += x.AfterWithdrawal
		if x.Last.After(a[i].Last) {
			a[i].Last = x.Last
		}
		if a[i].First.IsZero() || x.First.Before(a[i].First) {
			a[i].First = x.First
		}
	}
	return a
}

// consentDisclosures turns casefile's disclosure register into the
// consent package's form.
func consentDisclosures(subject string, in []casefile.Disclosure) []consent.Disclosure {
	var out []consent.Disclosure
	for _, d := range in {
		cd := consent.Disclosure{Subject: subject, Recipient: d.Recipient, ConsentIDs: d.ConsentIDs, At: d.At}
		switch d.Action {
		case "read":
			cd.Action = consent.ActionView
		case "export":
			cd.Action = consent.ActionCopy
		case "notify":
			cd.Action = consent.ActionNotify
		}
		if p, err := consent.ParsePurpose(d.Purpose); err == nil {
			cd.Purpose = p
		}
		var cs []consent.Category
		for _, c := range d.Categories {
			if cat, err := consent.ParseCategory(c); err == nil {
				cs = append(cs, cat)
			}
		}
		cd.Categories = consent.Categories(cs...)
		out = append(out, cd)
	}
	return out
}

func purposeLabel(code string) string {
	if p, err := consent.ParsePurpose(code); err == nil {
		return p.Label()
	}
	return code
}

func categoryLabel(code string) string {
	if c, err := consent.ParseCategory(code); err == nil {
		return c.Label()
	}
	return code
}

func actionLabel(code string) string {
	switch code {
	case "read":
		return "閲覧"
	case "export":
		return "写しの提供"
	case "notify":
		return "通知"
	}
	return code
}
