package chatbot

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyQuery: thresholds every query passes, so that only the rules that
// hold an answer back (the programme rule, Foreign) decide.
func everyQuery() Option {
	th := DefaultThresholds()
	th.Confidence, th.Confirm, th.AspectRaise = math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64, 0
	return WithThresholds(th)
}

// TestOtherServicesList: the shipped other services have names, unique
// IDs and forms, and none is a rewrite's source or a programme's form
// (they would be read two ways); the two survivors' pensions are the
// exception, named by both on purpose (an FAQ that names 遺族基礎年金
// names 遺族年金).
func TestOtherServicesList(t *testing.T) {
	g := DefaultGlossary()
	require.GreaterOrEqual(t, len(g.OtherServices), 25)
	progForms := map[string]bool{}
	for _, p := range DefaultProgrammes() {
		for _, f := range programmeForms(p) {
			progForms[Normalize(f)] = true
		}
	}
	ids, forms := map[string]bool{}, map[string]string{}
	for _, s := range g.OtherServices {
		assert.NotEmpty(t, s.Name)
		assert.False(t, ids[s.ID], "duplicate id %s", s.ID)
		ids[s.ID] = true
		for _, f := range programmeForms(s) {
			n := Normalize(f)
			assert.NotEmpty(t, n, s.ID)
			if prev, ok := forms[n]; ok {
				t.Errorf("%q is a form of both %s and %s", f, prev, s.ID)
			}
			forms[n] = s.ID
			if progForms[n] && s.ID != "survivors-pension" {
				t.Errorf("%q (%s) is also a programme", f, s.ID)
			}
		}
	}
}

// TestOtherServicesNotAnswered: a question naming one other service is
// never answered directly with an entry about another (every pair), and is
// answered with the service's own entry when the FAQ has one.
func TestOtherServicesNotAnswered(t *testing.T) {
	skipUnderRace(t)
	if testing.Short() {
		t.Skip("short")
	}
	svcs := DefaultGlossary().OtherServices
	entry := func(s Programme) [2]string {
		n := stripQualifier(s.Name)
		return [2]string{n + "の手続きはどこでしますか", n + "の手続きは担当の窓口で受け付けます。"}
	}
	for i, b := range svcs {
		t.Run(b.ID, func(t *testing.T) {
			var rows [][2]string
			for j, a := range svcs {
				if j != i {
					rows = append(rows, entry(a))
				}
			}
			rows = append(rows, [2]string{"窓口の受付時間は？", "平日の8時30分から17時15分までです。"})
			m, err := Compile(tinyKB(t, rows...), everyQuery(), WithoutResidentLibrary())
			require.NoError(t, err)
			for _, f := range programmeForms(b) {
				for _, q := range []string{f + "の手続きはどこでしますか", f + "について教えて"} {
					r := m.Match(q)
					assert.NotEqual(t, Answer, r.Level, "%q answered with %q", q, r.Best())
					if len(r.Candidates) > 0 {
						assert.Equal(t, 2, r.Signals.Foreign, q)
					}
				}
			}
			m, err = Compile(tinyKB(t, append(rows, entry(b))...), everyQuery(), WithoutResidentLibrary())
			require.NoError(t, err)
			q := stripQualifier(b.Name) + "の手続きはどこでしますか"
			r := m.Match(q)
			require.NotNil(t, r.Best(), q)
			assert.Equal(t, entry(b)[0], r.Best().Question, q)
			assert.Equal(t, Answer, r.Level, q)
			assert.Equal(t, 0, r.Signals.Foreign, q)
		})
	}
}

// TestOtherServiceRules: which mentions of an other service count.
func TestOtherServiceRules(t *testing.T) {
	kb := tinyKB(t,
		[2]string{"児童扶養手当は年金と一緒にもらえますか", "遺族年金や障害年金を受けている場合も、年金額が手当額より低ければ差額が支給されます。"},
		[2]string{"児童扶養手当の支払日はいつですか", "奇数月の11日に振り込みます。"},
		[2]string{"介護の相談はどこにできますか", "地域包括支援センターで受け付けます。介護保険の申請もできます。"},
		[2]string{"冷蔵庫はどうやって処分しますか", "販売店に引き取りを依頼してください。"},
		[2]string{"窓口の受付時間は？", "平日の8時30分から17時15分までです。"})
	m, err := Compile(kb, everyQuery(), WithoutResidentLibrary())
	require.NoError(t, err)
	for _, tt := range []struct {
		q       string
		foreign int
	}{
		// named only in an answer: asked about, unless the question names
		// a programme entries are about, or the allowance
		{"遺族年金の請求はどこでしますか", 2},
		{"遺族年金をもらっていても児童扶養手当は出ますか", 0},
		{"遺族年金と手当って両方もらえる？", 0},
		{"介護保険の申請はどこでしますか", 2},
		// named nowhere
		{"失業保険はいつ振り込まれますか", 2},
		{"失業保険をもらっていても児童扶養手当の支払日は同じですか", 2},
		{"水道料金の減免はありますか", 2},
		{"燃えるごみの日はいつですか", 2},
		{"粗大ごみの出し方", 2},
		// round 14: the vaccination, not the illness
		{"インフルの予防接種 子ども 補助ある?", 2},
		// round 17: written as two words, and with 摂取 for 接種
		{"インフル 予防摂取 子ども 助成", 2},
		{"インフルエンザ 予防接種 子ども", 2},
		{"インフルで寝込んでいます。窓口の受付時間は？", 0},
		{"新生児聴覚検査の費用って助成ある？", 2},
		// a correction, not a question about it
		{"失業保険じゃなくて児童扶養手当の支払日はいつですか", 0},
		// added by an also rule (捨てたい → + 粗大ごみ), not written
		{"冷蔵庫を捨てたい", 0},
	} {
		r := m.Match(tt.q)
		require.NotNil(t, r.Best(), tt.q)
		assert.Equal(t, tt.foreign, r.Signals.Foreign, tt.q)
		assert.Equal(t, tt.foreign < 2, r.Level == Answer, "%s: %s", tt.q, r.Level)
	}
}

// TestOtherServicesChangeOnlyTheGate: on a development FAQ, every query
// is matched alike with and without the other services, except that a
// query naming one the FAQ has no entry for is not answered directly.
func TestOtherServicesChangeOnlyTheGate(t *testing.T) {
	skipUnderRace(t)
	if testing.Short() {
		t.Skip("short")
	}
	f, err := os.Open("testdata/dev13_faq.csv")
	require.NoError(t, err)
	defer f.Close()
	kb, err := LoadCSV(f, "dev13_faq.csv", CSVOptions{})
	require.NoError(t, err)
	with := DefaultGlossary()
	without := DefaultGlossary()
	without.OtherServices = nil
	m1, err := Compile(kb, WithGlossary(with))
	require.NoError(t, err)
	m0, err := Compile(kb, WithGlossary(without))
	require.NoError(t, err)
	qs := loadQueryFiles(t, "dev13_queries.json", "dev13_oos_queries.json")
	gated := 0
	for _, q := range qs {
		r0, r1 := m0.Match(q.Q), m1.Match(q.Q)
		require.Equal(t, len(r0.Candidates), len(r1.Candidates), q.Q)
		for i := range r0.Candidates {
			assert.Equal(t, r0.Candidates[i].Entry.ID, r1.Candidates[i].Entry.ID, q.Q)
		}
		assert.InDelta(t, r0.Confidence, r1.Confidence, 1e-6, q.Q)
		if r0.Signals.Foreign != r1.Signals.Foreign {
			assert.Equal(t, 2, r1.Signals.Foreign, q.Q)
			if r0.Level != r1.Level {
				assert.Equal(t, Answer, r0.Level, q.Q)
				assert.Equal(t, Suggest, r1.Level, q.Q)
				assert.Empty(t, q.Expected, "an in-scope question lost its direct answer: %s", q.Q)
				gated++
			}
			continue
		}
		assert.Equal(t, r0.Level, r1.Level, q.Q)
	}
	// 「児童扶養手当を受けている家庭は、水道料金の減免とかってありますか？」,
	// the マイナンバーカード 電子証明書 questions … (out of scope; how many
	// were answered directly before depends on the models).
	assert.GreaterOrEqual(t, gated, 2)
}

func TestLoadGlossaryOtherServices(t *testing.T) {
	g, err := LoadGlossary(strings.NewReader("other_services:\n  - {id: dog, name: 犬の登録, aliases: [鑑札]}\n  - {name: 固定資産税}\n"), "g.yaml")
	require.NoError(t, err)
	require.Len(t, g.OtherServices, 2)
	assert.Equal(t, Programme{ID: "dog", Name: "犬の登録", Aliases: []string{"鑑札"}}, g.OtherServices[0])
	assert.Equal(t, "固定資産税", g.OtherServices[1].ID)
	_, err = LoadGlossary(strings.NewReader("other_services:\n  - {aliases: [鑑札]}\n"), "g.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "name")
}
