package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/report"
)

// ⑥ The 実施状況報告: the released tables of a closed fiscal year, with
// small counts suppressed by casefile (report.Suppress: no hidden cell can
// be worked out from what is shown). The charts are drawn from the released
// cells only — a suppressed cell has no bar — so the picture never says more
// than the table.

type reportData struct {
	FY       int
	Years    []int
	Released bool
	Until    string
	Tables   []report.Table
	Charts   []chart
	K        int
}

func (a *App) reportPage(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	latest := a.today().Year() - 1
	if a.now().Before(a.svc.ReleaseFrom(latest)) {
		latest--
	}
	fy := latest
	if v, err := strconv.Atoi(r.URL.Query().Get("fy")); err == nil && v >= 2000 && v <= latest+1 {
		fy = v
	}
	d := reportData{FY: fy, Years: []int{latest - 1, latest}}
	rep, err := a.svc.Report(r.Context(), a.actor(u), fy)
	switch {
	case errors.Is(err, casefile.ErrPeriodOpen):
		d.Until = a.svc.ReleaseFrom(fy).In(jst).Format("2006年1月2日")
	case err != nil:
		a.staffError(w, r, err)
		return
	default:
		d.Released, d.K = true, rep.K
		d.Tables = []report.Table{rep.ByTopic, rep.ByChannel, rep.Sharing, rep.Notifications}
		d.Charts = []chart{
			columnChart("月別の相談件数（相談内容の延べ件数）", rep.ByTopic.Cols, rep.ByTopic.ColTotals),
			barChart("相談内容別の件数（延べ）", rep.ByTopic.Rows, rep.ByTopic.RowTotals),
		}
	}
	a.render(w, r, http.StatusOK, "staff_report", view{Title: "実施状況", Area: "staff", CSRF: s.csrf, Staff: u, Data: d})
}
