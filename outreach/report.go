package outreach

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/internal/textwidth"
)

// Report is what a run did: counts only — programme ids, channel and
// reason codes — and no person, case or contact.
type Report struct {
	RunID  string     `json:"run_id"`
	AsOf   civil.Date `json:"as_of"`
	DryRun bool       `json:"dry_run"`
	// Cases is the number of cases read; Screened the households screened.
	Cases    int `json:"cases"`
	Screened int `json:"screened"`
	// Planned is the number of notices written (in a dry run: that would
	// be written); Notified the households they go to (a household with
	// notices to write, some of which may already have been written).
	Planned  int `json:"planned"`
	Notified int `json:"notified_households"`
	// Households counts households nobody was notified in, by reason;
	// Programmes counts programmes left out of a household's notices, by
	// reason (see the Skip constants and the consent reasons).
	Households map[string]int `json:"households_skipped"`
	Programmes map[string]int `json:"programmes_skipped"`
	// Notices counts the notices planned by programme and first channel.
	Notices map[string]map[string]int `json:"notices"`
	Timing  Timing                    `json:"timing"`
}

// Timing says where a run's time went. Read (store queries and rows),
// Decide (decoding and consent decisions) and Audit are the scan's, summed
// over the goroutines doing them; Filter is the outreach filters' (support,
// texts, channels, safe times), Write the notices written; Total is the
// wall-clock time. Screening runs on the eligibility batch's workers,
// overlapping the rest: it is what Total leaves (a CPU profile splits it
// exactly, see docs/outreach.md).
type Timing struct {
	Total     time.Duration `json:"total"`
	Read      time.Duration `json:"read"`
	Decide    time.Duration `json:"decide"`
	Audit     time.Duration `json:"audit"`
	Filter    time.Duration `json:"filter"`
	Write     time.Duration `json:"write"`
	PerSecond float64       `json:"households_per_second"`
}

func (t *Timing) finish(total time.Duration, st *casefile.ScanStats, cases int) {
	t.Total = total
	t.Read = time.Duration(st.Read.Load())
	t.Decide = time.Duration(st.Decide.Load())
	t.Audit = time.Duration(st.AuditTime.Load())
	if total > 0 {
		t.PerSecond = float64(cases) / total.Seconds()
	}
}

func newReport(runID string, asOf civil.Date, dry bool) *Report {
	return &Report{RunID: runID, AsOf: asOf, DryRun: dry, Households: map[string]int{}, Programmes: map[string]int{},
		Notices: map[string]map[string]int{}}
}

func (r *Report) add(res *caseResult) {
	r.Cases++
	if res.screened {
		r.Screened++
	}
	if res.skipHousehold != "" {
		r.Households[res.skipHousehold]++
	}
	if len(res.plans) > 0 {
		r.Notified++
	}
	for _, s := range res.skipPrograms {
		r.Programmes[s]++
	}
	r.Timing.Filter += res.filter
}

func (r *Report) planned(program, channel string, st casefile.PlanStatus, reason string) {
	switch st {
	case casefile.PlanPlanned:
		r.Planned++
		if r.Notices[program] == nil {
			r.Notices[program] = map[string]int{}
		}
		r.Notices[program][channel]++
	case casefile.PlanExists:
		r.Programmes[SkipNotified]++
	default:
		r.Programmes["refused_"+reason]++
	}
}

// SkippedHouseholds is the number of households counted in Households.
func (r *Report) SkippedHouseholds() int {
	n := 0
	for _, v := range r.Households {
		n += v
	}
	return n
}

// reasonLabels are the reasons in Japanese.
var reasonLabels = map[string]string{
	SkipNoNewProgramme:     "新たに知らせる制度なし",
	SkipScreening:          "判定できない世帯情報",
	SkipNoChannel:          "通知に使える連絡先なし",
	SkipNotOK:              "連絡を希望していない",
	SkipDVRestricted:       "DV等支援措置で連絡先を使えない",
	SkipSafeTimes:          "連絡可能時間帯が読み取れない",
	SkipNoWindow:           "期間内に連絡可能な時間帯がない",
	SkipReceiving:          "受給中（停止中を含む）",
	SkipApplied:            "申請中",
	SkipSupportUnknown:     "利用中の支援を確認できない（同意の範囲外）",
	SkipNotified:           "通知済み（同じ制度・期間）",
	SkipNotAnswerable:      "判定保留（本人が答えられない情報が不足）",
	SkipSensitive:          "判定保留（要配慮の情報が不足。通知では尋ねない）",
	SkipRuleError:          "ルールの評価エラー",
	SkipNoTemplate:         "通知文面なし",
	"case_closed":          "終結したケース",
	"counterparty":         "DV等支援措置の相手方に関わる請求",
	"member_not_visible":   "世帯員の情報を使う同意がない",
	"record_error":         "記録を読めない",
	"no_consent":           "同意なし（または他の目的の同意のみ）",
	"withdrawn":            "同意が撤回されている",
	"expired":              "同意の期間が終わっている",
	"no_capacity":          "本人に同意の能力がない年齢の同意",
	"representation_ended": "成年に達し法定代理人の同意が終了",
	"grantor_counterparty": "相手方が与えた同意",
	"restricted":           "DV等支援措置で保護されている",
	"sensitive_not_named":  "要配慮情報が同意に明記されていない",
	"excepted":             "同意の除外事項",
}

// ReasonLabel returns a skip reason in Japanese.
func ReasonLabel(code string) string {
	if l, ok := reasonLabels[code]; ok {
		return l
	}
	if c, ok := strings.CutPrefix(code, "notify_"); ok {
		return "通知への同意: " + ReasonLabel(c)
	}
	if c, ok := strings.CutPrefix(code, "refused_"); ok {
		return "書き込み時の再判定で見送り: " + ReasonLabel(c)
	}
	return code
}

// WriteText writes the report as Japanese tables. name gives a
// programme's Japanese name (nil: the ids).
func (r *Report) WriteText(w io.Writer, name func(program string) string) error {
	if name == nil {
		name = func(id string) string { return id }
	}
	var b strings.Builder
	title := "支援情報の通知（プッシュ型支援）"
	if r.DryRun {
		title += " — 試行（通知は作成していません）"
	}
	fmt.Fprintf(&b, "%s\n基準日 %s　実行ID %s\n\n", title, r.AsOf, r.RunID)
	verb := "作成した通知"
	if r.DryRun {
		verb = "作成される通知"
	}
	rows := [][2]string{{"読み込んだケース", num(r.Cases)}, {"判定した世帯", num(r.Screened)}, {"通知する世帯", num(r.Notified)},
		{verb, num(r.Planned)}, {"通知しなかった世帯", num(r.SkippedHouseholds())}}
	table(&b, []string{"項目", "件数"}, rows)

	if len(r.Notices) > 0 {
		b.WriteString("\n制度別・通知方法別の通知数\n")
		chans := []string{casefile.ChannelSMS, casefile.ChannelEmail, casefile.ChannelLINE, casefile.ChannelPost}
		head := []string{"制度"}
		for _, c := range chans {
			head = append(head, casefile.NotifyChannelLabel(c))
		}
		head = append(head, "計")
		var rows [][]string
		for _, p := range sortedKeys(r.Notices) {
			row := []string{name(p)}
			total := 0
			for _, c := range chans {
				row = append(row, num(r.Notices[p][c]))
				total += r.Notices[p][c]
			}
			rows = append(rows, append(row, num(total)))
		}
		tableN(&b, head, rows)
	}
	for _, part := range []struct {
		title string
		m     map[string]int
	}{{"通知しなかった世帯（理由別）", r.Households}, {"通知から除いた制度（理由別、世帯×制度）", r.Programmes}} {
		if len(part.m) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", part.title)
		var rows [][2]string
		for _, k := range sortedByCount(part.m) {
			rows = append(rows, [2]string{ReasonLabel(k), num(part.m[k])})
		}
		table(&b, []string{"理由", "件数"}, rows)
	}
	if t := r.Timing; t.Total > 0 {
		fmt.Fprintf(&b, "\n処理時間 %s（%s 世帯/秒）\n", t.Total.Round(time.Millisecond), num(int(t.PerSecond)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedByCount(m map[string]int) []string {
	out := sortedKeys(m)
	sort.SliceStable(out, func(i, j int) bool { return m[out[i]] > m[out[j]] })
	return out
}

// num writes a count with thousands separators.
func num(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func table(b *strings.Builder, head []string, rows [][2]string) {
	rs := make([][]string, len(rows))
	for i, r := range rows {
		rs[i] = r[:]
	}
	tableN(b, head, rs)
}

// tableN writes aligned columns (East Asian wide characters count two);
// every column but the first is right-aligned.
func tableN(b *strings.Builder, head []string, rows [][]string) {
	widths := textwidth.Widths(append([][]string{head}, rows...))
	sep := make([]string, len(head))
	for i := range sep {
		sep[i] = strings.Repeat("-", widths[i])
	}
	for _, r := range append([][]string{head, sep}, rows...) {
		b.WriteString(textwidth.Row(r, widths))
		b.WriteByte('\n')
	}
}
