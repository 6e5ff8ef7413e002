package chatbot

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadQueryFile(t testing.TB, name string) []LabeledQuery {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	qs, err := LoadQueries(f, name)
	require.NoError(t, err)
	return qs
}

// loadQueryFiles loads several query sets from testdata, in order, as one.
func loadQueryFiles(t testing.TB, names ...string) []LabeledQuery {
	t.Helper()
	var qs []LabeledQuery
	for _, name := range names {
		qs = append(qs, loadQueryFile(t, name)...)
	}
	return qs
}

// accuracyFloor is what one knowledge base must keep on one query set:
// top-1, top-3 and out-of-scope rejection at least these, and at most
// wrong of the in-scope questions answered directly with the wrong entry.
type accuracyFloor struct {
	file                 string
	top1, top3, rejected float64
	wrong                float64
	// right is the least share of in-scope questions answered directly
	// with the right entry.
	right float64
}

// checkAccuracy evaluates m on each set and compares with its floors.
func checkAccuracy(t *testing.T, m *Matcher, floors []accuracyFloor) {
	t.Helper()
	for _, tt := range floors {
		t.Run(tt.file, func(t *testing.T) {
			qs := loadQueryFile(t, tt.file)
			require.NoError(t, CheckQueries(m.KnowledgeBase(), qs))
			rep := Evaluate(m, qs)
			t.Logf("%s: n=%d (out of scope %d) top-1 %.3f top-3 %.3f MRR %.3f rejection %.3f answered-right %.3f answered-wrong %.3f",
				tt.file, rep.Queries, rep.OutOfScope, rep.Top1, rep.Top3, rep.MRR, rep.Rejection, rep.AnsweredCorrect, rep.AnsweredWrong)
			assert.GreaterOrEqual(t, rep.Top1, tt.top1, "top-1")
			assert.GreaterOrEqual(t, rep.Top3, tt.top3, "top-3")
			assert.GreaterOrEqual(t, rep.Rejection, tt.rejected, "out-of-scope rejection")
			assert.LessOrEqual(t, rep.AnsweredWrong, tt.wrong, "direct answers with the wrong entry")
			assert.GreaterOrEqual(t, rep.AnsweredCorrect, tt.right, "direct answers with the right entry")
		})
	}
}

// TestAccuracy keeps the measured accuracy of the default knowledge base,
// and of its QA-only reduction (testdata/default_qa.csv: what a
// municipality's own FAQ usually holds), at or above their floors, without
// readings (chatbot/yomi has the same test with them). All six shipped
// sets are development sets now; docs/chatbot.md, "Evaluation", tells how
// each was written and used, and what was measured on each before the
// library-wide glossary, readings and programme names came in.
//
// Floors (and ceilings on wrong direct answers) are the measured values; a
// change that worsens any of them must say why in docs/chatbot.md.
func TestAccuracy(t *testing.T) {
	skipUnderRace(t)
	t.Run("default", func(t *testing.T) {
		checkAccuracy(t, defaultMatcher(t), []accuracyFloor{
			{"heldout5_queries.json", 0.977, 0.992, 0.893, 0.008, 0.813},
			{"heldout4_queries.json", 0.951, 0.992, 0.977, 0.004, 0.816},
			{"heldout3_queries.json", 0.966, 0.992, 1.0, 0.0, 0.795},
			{"heldout2_queries.json", 0.933, 0.992, 0.96, 0.028, 0.843},
			{"heldout_queries.json", 0.973, 0.996, 0.96, 0.008, 0.89},
			{"dev_queries.json", 0.942, 0.983, 1.0, 0.033, 0.892},
		})
	})
	t.Run("qa-only", func(t *testing.T) {
		m, err := Compile(qaOnlyWithContacts(t), sourceOut(qaOnlyFile))
		require.NoError(t, err)
		checkAccuracy(t, m, []accuracyFloor{
			// The calibrated confidence (confidence.go) took rejection
			// on heldout3 from 1.0 to 0.961 (2 of 51) and on dev from 1.0
			// to 0.9 (2 of 20), and wrong direct answers on dev from 0.017
			// to 0.033 (2 to 4 of 122), for more right direct answers
			// elsewhere; pooled over the six sets with readings: right
			// 39.4 → 40.9 %, wrong 1.3 → 1.2 %, rejection 98.1 → 96.6 %
			// (docs/chatbot.md, "Direct answers").
			// The re-ranker (rerank.go) then moved top-1 on dev from
			// 0.827 to 0.803 and on v4 0.783 → 0.780, up on the others;
			// floors reset to the figures after it.
			// Round 5 added dev5 to the fits: the refit (thresholds
			// 0.93/0.85 → 0.94/0.90) lost right direct answers here;
			// floors reset. Issue 16f (answer and implicit aspects):
			// heldout4 top-1 −0.3, heldout top-3 −0.3 (one question each);
			// its confidence refit (0.93/0.85) heldout2 rejection 0.979 →
			// 0.96, wrong 0.020 → 0.027. Its second stage (compare,
			// consult, channel aspects): heldout5 top-3 −0.7 (top-1
			// +0.9), dev top-1 −0.8 (1 of 122), heldout5 rejection 0.915.
			// Then the confidence model gained five inputs and one
			// threshold (0.87) chosen on FAQs left out (i16e), for 4–16
			// points more right direct answers per set: wrong up to 2.7 %
			// (heldout2; 1.1–1.9 % elsewhere), rejection 0.87 on heldout5
			// (6 of 47), 0.92 on heldout3 (4 of 51), 0.9 on dev (2 of 20).
			// i16f's third stage (aspects from the rewritten text only)
			// and refit (0.865): heldout2 wrong 3.1 % (8 of 257),
			// heldout 1.9 %.
			// Round 6 (i16h): dev6 joined the re-ranker's fit, with
			// romaji, until-when, compound homophones and the
			// answer-only programme input; the confidence refit chose
			// 0.86. Without readings (this test): top-1 −0.4 to −0.7
			// (one or two questions) on heldout5, heldout4, heldout3,
			// heldout2, heldout; heldout5 rejection 0.872 → 0.851 (1 of
			// 47); right direct answers +0.3 to +2 points on every set.
			// Round 6 (i16g): dev6 joined the confidence fit; the
			// thresholds (Confidence 0.945, Confirm 0.85 for what the
			// coverage rule answers) are chosen so that EVERY
			// development FAQ left out keeps ≤ 1.5 % wrong and ≥ 90 %
			// rejection (round 5 bounded the mean only, and a new FAQ,
			// dev6, got 2.8 % wrong and 79.5 % rejection): right −2 to
			// −12 points, wrong 0–2.3 % (heldout2 unchanged), rejection
			// 0.91–1.0.
			// i16h stage 2 (number terms, English, 転入; refit 0.95/0.80):
			// heldout5 top-1 0.858 → 0.855, heldout3 0.690 → 0.687 (one
			// question each), heldout2 rejection 0.98 → 0.96 (1 of 50),
			// heldout wrong 0.8 → 1.1 %, dev 0.8 → 2.5 %.
			// Round 7 (i16i: needs table, dev7 in the re-ranker's fit;
			// the forced confidence refit 0.95/0.80 → 0.96/0.775 on the
			// same six FAQs): dev top-1 0.795 → 0.787 (1 of 122),
			// heldout3 top-3 0.833 → 0.826 (2 of 265); right −0.5 to −2.2
			// points on heldout5, heldout3, heldout2 (the higher
			// Confidence); left out, default_qa top-1 82.0 → 82.2.
			// Round 7 (i16j's margin: both thresholds one grid step above
			// the chosen ones, 0.96/0.73, so that every FAQ left out keeps
			// ≥ 90 % rejection with thresholds chosen without it): right
			// −0.6 to −1.8 points on heldout5, heldout4, heldout3,
			// heldout2, dev.
			// Round 8 (i16l: dev8 in both fits, dev3 … dev8 with some 80
			// more out-of-scope questions each in the confidence fit;
			// refit 0.885/0.885, no separate Confirm): right −0.6 to −10.6
			// points (dev 64 → 51 of 122, heldout2 −13 of 257: the
			// coverage rule's answers at 0.73 are gone; left out,
			// default_qa 42.7 → 38.3 %); the re-ranker refit with dev8:
			// heldout2 top-1 0.782 → 0.778, heldout4 top-3 0.903 → 0.899
			// (one question each). Its second stage (ProgrammeEntries,
			// 0.89/0.76): right +4.2 to +13.9 points over the first, above
			// round 7's on every set (dev 0.524 → 0.557); wrong heldout4
			// 2 → 3 of 268, heldout3 4 → 5, heldout 4 → 5 of 265.
			// Round 8 (i16k: っ/いつ fix, needs negation, English window
			// words, nine needs and glossary facts; re-ranker refit, left
			// out 84.8/96.1 → 85.8/96.4 over eight FAQs): heldout2 top-1
			// 0.778 → 0.774, heldout4 top-3 0.899 → 0.895 (one question
			// each); over the six sets top-1 78.6 → 79.2.
			// Round 8, i16k's ranking (needs, ranker refit) with i16l's
			// policy fix (Confirm = Confidence − 0.13, 0.90/0.77): right
			// −0.8 to −3.0 points against stage 2 (heldout 112 → 104 of
			// 265), still above round 7's except heldout (0.407 → 0.392);
			// heldout4 top-3 0.899 → 0.896, heldout2 top-1 0.778 → 0.774
			// (one question each; i16k's ranking). Its refit on i16k's
			// last ranking (55a5751): heldout5 wrong 0 → 1 of 269,
			// heldout4 3 → 4 of 268.
			// Round 9 (i16n: dev9 in both fits; refit 0.91/0.78, margin
			// three grid steps): right heldout5 0.416 → 0.394, heldout4
			// 0.407 → 0.396, heldout3 0.291 → 0.287, heldout2 0.463 →
			// 0.451, heldout 0.415 → 0.392 (the higher Confidence); wrong
			// heldout4 4 → 2 of 268, heldout3 4 → 3, heldout2 6 → 5;
			// heldout2 top-1 0.794 → 0.786 (2 of 257), dev 0.820 → 0.811
			// (1 of 122).
			// Round 10 (i16q): sourceOut named default_qa.csv's
			// library source "default", which the library does not
			// hold, so since round 9 this test ran with default_qa's
			// own questions (the default KB's phrasings) voting in the
			// library (in sample: top-1 0.941 on heldout5). With them
			// out, main a991bde: top-1 heldout5 0.840, heldout4 0.817,
			// heldout3 0.747, heldout2 0.786, heldout 0.800, dev 0.844;
			// right 0.379 / 0.366 / 0.238 / 0.463 / 0.392 / 0.557.
			// Then LibraryReach (0.90/0.77): right 0.398 / 0.377 /
			// 0.245 / 0.467 / 0.396 / 0.549, wrong heldout5 2 → 3 of
			// 269, heldout4 2 → 3 of 268, heldout2 6 → 8 of 257,
			// heldout 3 → 4 of 265, dev 2 → 1 of 122; top-1 unchanged.
			// Round 11 (i16t: 放課後等デイサービス, 児童発達支援, 5歳児健診,
			// 風しん抗体検査 as programmes; interest and renew aspects;
			// mechanical refit of both models, 0.90/0.77): heldout5 top-1
			// 0.840 → 0.833 (2 of 269), right heldout4 0.376 → 0.373, dev
			// 0.549 → 0.541 (one question each).
			// Round 11 (i16s: dev11 in both fits and the library, the
			// re-ranker refit, libvd, 0.915/0.785): right heldout5 0.394 →
			// 0.361, heldout4 0.373 → 0.358, heldout3 0.245 → 0.230,
			// heldout2 0.451 → 0.479, dev 0.541 → 0.574; wrong heldout2 8 →
			// 9 of 257, lower elsewhere; top-1 heldout5 0.833 → 0.829 (1 of
			// 269), up on the others.
			// Round 12 (i16w: dev12 in both fits and the library, the
			// policy's shape chosen with the threshold — one threshold,
			// Confidence = Confirm = 0.895 — and wordgap; on top of
			// i16v's changes): right heldout5 0.36 → 0.357, heldout4
			// 0.358 → 0.340, heldout3 0.226 → 0.200, heldout2 0.466 →
			// 0.416, heldout 0.388 → 0.358, dev 0.574 → 0.459 (the coverage
			// rule's confirmed answers are gone: default_qa nested 38.7 →
			// 34.2 %, the mean over twelve FAQs 38.3 → 42.9 %); wrong
			// heldout2 9 → 6 of 257, lower or equal elsewhere; top-1
			// heldout3 0.751 → 0.747 (one question, the re-ranker refit).
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-1 0.824 → 0.822.
			// Round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0): wrong 0.012 → 0.015 (4 of 269).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.821 → 0.851 (229 of 269); top-3 0.969 → 0.97 (261 of 269); right 0.356 → 0.516 (139 of 269).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-3 0.97 → 0.973 (262 of 269); rejection 0.914 → 0.936 (44 of 47); wrong 0.015 → 0.012 (3 of 269); right 0.516 → 0.501 (135 of 269: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.851 → 0.847 (228 of 269: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.501 → 0.475 (128 of 269: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout5_queries.json", 0.847, 0.973, 0.936, 0.012, 0.475},
			// Round 7 (i16j: dev7 in the confidence fit; 21 inputs with
			// OwnRatio; 0.945/0.725; 育児休業給付金 a known programme):
			// right +1 to +3 points on heldout4, heldout3, heldout2,
			// heldout; wrong +0.3 to +1.1 points there (heldout3 4 of 265,
			// one question each elsewhere).
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-3 0.947 → 0.944.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.008 → 0.011.
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.812 → 0.861 (231 of 268); top-3 0.943 → 0.962 (258 of 268); rejection 0.999 → 1 (44 of 44); right 0.339 → 0.507 (136 of 268).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-3 0.962 → 0.958 (257 of 268: LOWERED — the re-ranker refitted with dev25 in); right 0.507 → 0.485 (130 of 268: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.861 → 0.85 (228 of 268: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); top-3 0.958 → 0.955 (256 of 268: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.485 → 0.477 (128 of 268: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout4_queries.json", 0.85, 0.955, 1, 0.012, 0.477},
			// Round 12 (i16v: English glossary, negated programmes,
			// personal-case rule; mechanical refit, 0.920/0.790): right
			// heldout3 0.229 → 0.226, heldout2 0.478 → 0.466, heldout
			// 0.392 → 0.388 (one, three and one question).
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): wrong 0.005 → 0.008.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.009 → 0.011.
			// Round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005): rejection 1.0 → 0.98 (50 of 51).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.746 → 0.792 (210 of 265); top-3 0.871 → 0.901 (239 of 265); rejection 0.98 → 1 (51 of 51); wrong 0.012 → 0.008 (2 of 265); right 0.199 → 0.369 (98 of 265).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): right 0.369 → 0.347 (92 of 265: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.792 → 0.788 (209 of 265: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.347 → 0.339 (90 of 265: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout3_queries.json", 0.788, 0.901, 1, 0.008, 0.339},
			// Round 7 (i16i stage 2: more needs, ranker refit, i16j's
			// model refitted on it, 0.955/0.725): heldout2 top-1 0.786 →
			// 0.782, heldout4 top-3 0.906 → 0.903, dev top-3 0.951 →
			// 0.943 (one question each); right −0.3 to −2.3 points (the
			// higher Confidence); left out, default_qa 82.2 / 93.9.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.024 → 0.027.
			// Round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0): wrong 0.028 → 0.032 (8 of 257).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.789 → 0.801 (206 of 257); top-3 0.933 → 0.945 (243 of 257); rejection 0.959 → 0.96 (48 of 50); wrong 0.032 → 0.043 (11 of 257: LOWERED — the lower bar 0.82 / 0.72 answers more; P2 bounds the FAQs' mean wrong share at 1 % and every FAQ at 3 %, not each at 2 %); right 0.415 → 0.544 (140 of 257).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-1 0.801 → 0.805 (207 of 257); top-3 0.945 → 0.949 (244 of 257); wrong 0.043 → 0.032 (8 of 257); right 0.544 → 0.536 (138 of 257: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-3 0.949 → 0.953 (245 of 257); right 0.536 → 0.525 (135 of 257: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout2_queries.json", 0.805, 0.953, 0.96, 0.032, 0.525},
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-1 0.795 → 0.792.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.016 → 0.019.
			// Round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0): wrong 0.02 → 0.023 (6 of 265).
			// Round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005): wrong 0.023 → 0.027 (7 of 265).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.791 → 0.83 (220 of 265); top-3 0.935 → 0.947 (251 of 265); rejection 0.999 → 1 (50 of 50); right 0.357 → 0.494 (131 of 265).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-3 0.947 → 0.95 (252 of 265).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.83 → 0.826 (219 of 265: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.494 → 0.483 (128 of 265: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout_queries.json", 0.826, 0.95, 1, 0.027, 0.483},
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-3 0.974 → 0.967.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.009 → 0.016.
			// Round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0): top-1 0.835 → 0.828.
			// Round 18 (i18a: dev18 in both fits and the library, i18b's data, the rankmargin and long inputs, 0.90 / 0.77, margin 0): wrong 0.017 → 0.025 (3 of 122).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.827 → 0.852 (104 of 122); top-3 0.966 → 0.975 (119 of 122); rejection 0.949 → 0.95 (19 of 20); right 0.458 → 0.59 (72 of 122).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): right 0.59 → 0.598 (73 of 122).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.852 → 0.844 (103 of 122: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.598 → 0.565 (69 of 122: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"dev_queries.json", 0.844, 0.975, 0.95, 0.025, 0.565},
		})
	})
}

// heldOut is the last set written blind (v5). It was measured once on the
// default knowledge base and is a development set now; benchmarks time its
// queries, and no other set may repeat one of them.
const heldOut = "heldout5_queries.json"

func TestHeldOutSetShape(t *testing.T) {
	kb, err := Default()
	require.NoError(t, err)
	phrasings := map[string]bool{}
	for _, e := range kb.Entries {
		phrasings[e.Question] = true
		for _, p := range e.Phrasings {
			phrasings[p] = true
		}
	}
	seen := map[string]string{} // query → the set it first appeared in
	for _, q := range loadQueryFile(t, "dev_queries.json") {
		seen[q.Q] = "dev_queries.json"
	}
	for _, f := range []string{"heldout_queries.json", "heldout2_queries.json", "heldout3_queries.json", "heldout4_queries.json", "heldout5_queries.json"} {
		qs := loadQueryFile(t, f)
		out := 0
		for _, q := range qs {
			if q.Expected == "" {
				out++
			}
			assert.False(t, phrasings[q.Q], "%s: %q is a sample phrasing of the knowledge base", f, q.Q)
			// The held-out set shares no query with any set used for
			// tuning; the older sets, written independently, share a few
			// short ones with each other but none with dev.
			if other, dup := seen[q.Q]; !dup {
				seen[q.Q] = f
			} else if f == heldOut || other == "dev_queries.json" {
				assert.Fail(t, "query in two sets", "%s: %q is also in %s", f, q.Q, other)
			}
		}
		assert.GreaterOrEqual(t, len(qs), 300, f)
		assert.GreaterOrEqual(t, out, 40, f)
	}
}

func TestLoadQueriesErrors(t *testing.T) {
	_, err := LoadQueries(strings.NewReader(`[{"q": "a", "expected": "x"},
  {"q": 3}]`), "q.json")
	require.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), "q.json:2:")

	_, err = LoadQueries(strings.NewReader(`[{"q": "", "expected": null}]`), "q.json")
	assert.ErrorIs(t, err, ErrMissingField)

	_, err = LoadQueries(strings.NewReader(`[{"q": "a", "expect": "x"}]`), "q.json")
	assert.ErrorIs(t, err, ErrSyntax, "unknown key is a typo")

	_, err = LoadQueries(strings.NewReader(`[]`), "q.json")
	assert.ErrorIs(t, err, ErrEmpty)

	qs, err := LoadQueries(strings.NewReader("\xEF\xBB\xBF"+`[{"q": "a", "expected": null}, {"q": "b", "expected": "nope"}]`), "q.json")
	require.NoError(t, err)
	assert.Equal(t, "", qs[0].Expected)
	kb, _ := Default()
	assert.ErrorIs(t, CheckQueries(kb, qs), ErrUnknownExpected)
}

// fixedRanker answers from a table; it checks Evaluate's arithmetic.
type fixedRanker map[string][]string

func (f fixedRanker) Rank(q string, n int) ([]string, bool) {
	ids := f[q]
	return ids, len(ids) > 0 && ids[0] != "-"
}

func TestEvaluateArithmetic(t *testing.T) {
	r := fixedRanker{
		"a": {"A", "B"},      // rank 1
		"b": {"X", "B"},      // rank 2
		"c": {"X", "Y", "C"}, // rank 3
		"d": {"X"},           // not found
		"o": {"-"},           // out of scope, rejected
		"p": {"P"},           // out of scope, answered
	}
	qs := []LabeledQuery{{Q: "a", Expected: "A"}, {Q: "b", Expected: "B"}, {Q: "c", Expected: "C"}, {Q: "d", Expected: "D"}, {Q: "o"}, {Q: "p"}}
	rep := Evaluate(r, qs)
	assert.Equal(t, 4, rep.InScope)
	assert.Equal(t, 2, rep.OutOfScope)
	assert.InDelta(t, 0.25, rep.Top1, 1e-9)
	assert.InDelta(t, 0.75, rep.Top3, 1e-9)
	assert.InDelta(t, (1+0.5+1.0/3)/4, rep.MRR, 1e-9)
	assert.InDelta(t, 0.5, rep.Rejection, 1e-9)
	assert.InDelta(t, 0.25, rep.AnsweredCorrect, 1e-9)
	assert.InDelta(t, 0.75, rep.AnsweredWrong, 1e-9)
	assert.Len(t, rep.Failures, 4)
	var b bytes.Buffer
	require.NoError(t, WriteReport(&b, "テスト", rep, true))
	assert.Contains(t, b.String(), "1位正解率 top-1  25.0%")
	assert.Contains(t, b.String(), "対象外の拒否率   50.0%")
}
