package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/outreach"
)

// ④ Push-type support (プッシュ型支援), at the desk. A dry run screens the
// desk's cases and lists, per family, the notices that would be written
// and why the rest would not; a real run writes them to the outbox
// (outreach.Runner, decided again by casefile when written); sending hands
// the notices that are due to a Notifier. This demo's Notifier is an outbox
// page: it writes each message to the portal's table instead of an SMS
// gateway or a mail server.

type outreachData struct {
	AsOf     string
	Report   *outreach.Report
	Reasons  []reasonCount
	Families []outreachFamily
	Planned  []plannedNotice
	Dispatch *outreach.DispatchReport
	DryRun   bool
	Error    string
}

type reasonCount struct {
	Label string
	Count int
}

type outreachFamily struct {
	CaseID   string
	Name     string
	Programs []string
	Channels []string
}

type plannedNotice struct {
	CaseID, Name, Program, Channel, Status string
	Due                                    time.Time
}

func (a *App) outreachDesk() outreach.Desk {
	return outreach.Desk{Name: orgName(deskOrg), Sender: a.opts.Municipality, Phone: a.opts.DeskPhone, Place: a.opts.DeskAddress}
}

func (a *App) outreachPage(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	d := outreachData{AsOf: a.today().String()}
	a.renderOutreach(w, r, s, u, &d)
}

func (a *App) renderOutreach(w http.ResponseWriter, r *http.Request, s *session, u *staffUser, d *outreachData) {
	if d.Planned == nil {
		var err error
		if d.Planned, err = a.plannedNotices(r.Context(), u); err != nil {
			a.staffError(w, r, err)
			return
		}
	}
	a.render(w, r, http.StatusOK, "staff_outreach", view{Title: "プッシュ型支援", Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
}

// outreachRun runs the push-type screening, dry or for real.
func (a *App) outreachRun(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	ctx := r.Context()
	d := &outreachData{AsOf: r.PostForm.Get("as_of"), DryRun: r.PostForm.Get("mode") != "real"}
	asOf, err := civil.Parse(d.AsOf)
	if err != nil {
		d.AsOf, d.Error = a.today().String(), "基準日を YYYY-MM-DD で入力してください。"
		a.renderOutreach(w, r, s, u, d)
		return
	}
	runner, err := outreach.New(a.svc, a.engine, a.messages)
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	actor := a.actor(u)
	runID := fmt.Sprintf("portal-%s-%s", asOf, a.now().In(jst).Format("150405"))
	rep, err := runner.Run(ctx, actor, asOf, outreach.RunOptions{DryRun: d.DryRun, RunID: runID})
	if err != nil {
		a.staffError(w, r, err)
		return
	}
	d.Report = rep
	for _, m := range []map[string]int{rep.Households, rep.Programmes} {
		for code, n := range m {
			d.Reasons = append(d.Reasons, reasonCount{Label: outreach.ReasonLabel(code), Count: n})
		}
	}
	slices.SortFunc(d.Reasons, func(x, y reasonCount) int { return y.Count - x.Count })
	if d.DryRun {
		// the families, one dry run per case with notices: the same filters,
		// for the desk that owns the cases and may see who they are
		if d.Families, err = a.dryRunFamilies(ctx, runner, actor, asOf, runID); err != nil {
			a.staffError(w, r, err)
			return
		}
	}
	a.renderOutreach(w, r, s, u, d)
}

// dryRunFamilies lists the families a dry run would notify.
func (a *App) dryRunFamilies(ctx context.Context, runner *outreach.Runner, actor casefile.Actor, asOf civil.Date, runID string) ([]outreachFamily, error) {
	ids, err := a.svc.CaseIDs(ctx, actor)
	if err != nil {
		return nil, err
	}
	var out []outreachFamily
	for _, id := range ids {
		cases := a.svc.OutreachCases(ctx, actor, casefile.OutreachScan{RunID: runID, AsOf: asOf, CaseIDs: []string{id}, Workers: 1})
		rep, err := runner.Run(ctx, actor, asOf, outreach.RunOptions{DryRun: true, RunID: runID, Cases: cases})
		if err != nil {
			return nil, err
		}
		if rep.Planned == 0 {
			continue
		}
		f := outreachFamily{CaseID: id, Name: a.subjectName(ctx, actor, id)}
		for prog, byChannel := range rep.Notices {
			f.Programs = append(f.Programs, a.programName(prog))
			for ch := range byChannel {
				if l := channelLabel(ch); !slices.Contains(f.Channels, l) {
					f.Channels = append(f.Channels, l)
				}
			}
		}
		slices.Sort(f.Programs)
		out = append(out, f)
	}
	return out, nil
}

// subjectName is the case subject's name as the desk may see it.
func (a *App) subjectName(ctx context.Context, actor casefile.Actor, caseID string) string {
	v, err := a.svc.ReadCase(ctx, actor, caseID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	if err != nil {
		return "（表示できません）"
	}
	if p, ok := v.Person(v.Case.Subject); ok {
		t := buildTree(p.View.Fields)
		if n := strings.TrimSpace(t.str("name.family") + " " + t.str("name.given")); n != "" {
			return n
		}
	}
	return "（氏名は表示できません）"
}

func channelLabel(ch string) string {
	return lookup(map[string]string{"sms": "SMS", "email": "メール", "line": "LINE", "post": "郵便"}, ch)
}

var notifyStatusLabels = map[string]string{"planned": "送信待ち", "sending": "送信中", "sent": "送信済み", "delivered": "配達済み",
	"failed": "送信できず", "cancelled": "取りやめ", "undeliverable": "届けられず"}

// plannedNotices lists the desk's outbox (newest first).
func (a *App) plannedNotices(ctx context.Context, u *staffUser) ([]plannedNotice, error) {
	if u.Org != deskOrg {
		return nil, nil
	}
	ns, err := a.svc.Notifications(ctx, a.actor(u), casefile.NotificationQuery{Org: deskOrg, Limit: 500})
	if err != nil {
		return nil, err
	}
	out := []plannedNotice{}
	names := map[string]string{}
	for i := len(ns) - 1; i >= 0 && len(out) < 100; i-- {
		n := ns[i]
		name, ok := names[n.CaseID]
		if !ok {
			name = a.subjectName(ctx, a.actor(u), n.CaseID)
			names[n.CaseID] = name
		}
		ch := ""
		if c, ok := n.Current(); ok {
			ch = channelLabel(c.Type)
		}
		out = append(out, plannedNotice{CaseID: n.CaseID, Name: name, Program: a.programName(n.Program), Channel: ch,
			Status: lookup(notifyStatusLabels, string(n.Status)), Due: n.Due})
	}
	return out, nil
}

// outreachDispatch sends the notices that are due.
func (a *App) outreachDispatch(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	d, err := outreach.NewDispatcher(a.svc, a.messages, &outboxNotifier{db: a.db, now: a.now})
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	rep, err := d.Dispatch(r.Context(), a.actor(u))
	if err != nil {
		a.staffError(w, r, err)
		return
	}
	a.renderOutreach(w, r, s, u, &outreachData{AsOf: a.today().String(), Dispatch: &rep})
}

// outboxNotifier is the demo's outreach.Notifier: instead of an SMS gateway
// or a mail server it writes each message to the portal's outbox table,
// which the desk reads on the outbox page. Key is the idempotency key: a
// message sent again after a crash is not written twice.
type outboxNotifier struct {
	db  *portalDB
	now func() time.Time
}

func (n *outboxNotifier) Send(ctx context.Context, m outreach.Message) (outreach.Receipt, error) {
	to := m.To.Address
	if m.To.Name != "" {
		to = m.To.Name + " " + to
	}
	_, err := n.db.exec(ctx, `INSERT INTO portal_sent (id, channel, program, subject, body, at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.Key, m.Channel, m.Program, strings.TrimSpace(to+"\n"+m.Subject), m.Body, n.now().UnixMicro())
	if err != nil {
		var exists bool
		if qerr := n.db.queryRow(ctx, `SELECT 1 FROM portal_sent WHERE id = ?`, m.Key).Scan(&exists); qerr == nil {
			return outreach.Receipt{ProviderRef: m.Key, Delivered: true}, nil // sent before: the same receipt
		} else if !errors.Is(qerr, sql.ErrNoRows) {
			return outreach.Receipt{}, qerr
		}
		return outreach.Receipt{}, err
	}
	return outreach.Receipt{ProviderRef: m.Key, Delivered: true}, nil
}

type sentMessage struct {
	Channel, Program, To, Subject, Body string
	At                                  time.Time
}

type outboxData struct {
	Messages []sentMessage
}

// outboxPage shows what the demo notifier "sent".
func (a *App) outboxPage(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	if u.Org != deskOrg {
		a.message(w, r, http.StatusForbidden, "staff", "権限がありません", "送信箱は、ひとり親相談窓口の画面です。")
		return
	}
	rows, err := a.db.query(r.Context(), `SELECT channel, program, subject, body, at FROM portal_sent ORDER BY at DESC LIMIT 200`)
	if err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	defer rows.Close()
	var d outboxData
	for rows.Next() {
		var m sentMessage
		var head string
		var at int64
		if err := rows.Scan(&m.Channel, &m.Program, &head, &m.Body, &at); err != nil {
			a.serverError(w, r, "staff", err)
			return
		}
		m.To, m.Subject, _ = strings.Cut(head, "\n")
		m.Channel, m.Program, m.At = channelLabel(m.Channel), a.programName(m.Program), time.UnixMicro(at)
		d.Messages = append(d.Messages, m)
	}
	if err := rows.Err(); err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	a.render(w, r, http.StatusOK, "staff_outbox", view{Title: "送信箱（デモ）", Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
}
