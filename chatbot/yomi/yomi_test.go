package yomi_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

func TestReadings(t *testing.T) {
	d, err := dict()
	require.NoError(t, err)
	rs := d.Readings("児童扶養手当の申請には戸籍謄本が必要です。")
	has := func(word, kana string) bool {
		return slices.Contains(rs, chatbot.Reading{Word: word, Kana: kana})
	}
	assert.True(t, has("児童扶養手当", "ジドウフヨウテアテ"), "%v", rs)
	assert.True(t, has("扶養手当", "フヨウテアテ"), "a compound's parts too")
	assert.True(t, has("申請", "シンセイ"))
	assert.True(t, has("戸籍謄本", "コセキトウホン"))
	for _, r := range rs {
		assert.NotEqual(t, "の", r.Word, "particles are not words")
		assert.NotEqual(t, "必要です", r.Word)
	}
	assert.Empty(t, d.Readings("ひらがなだけ です"), "words without kanji need no reading")

	// A word the dictionary does not know has no reading.
	rs = d.Readings("ぽかぽか広場で龘に会う")
	found := false
	for _, r := range rs {
		if r.Word == "龘" {
			found = true
			assert.Empty(t, r.Kana)
		}
	}
	assert.True(t, found, "%v", rs)
}

// TestHiraganaQuestions: with readings, a question typed in hiragana (or
// katakana) meets entries written in kanji, on a knowledge base without
// any alias of its own.
func TestHiraganaQuestions(t *testing.T) {
	d, err := dict()
	require.NoError(t, err)
	kb := qaOnly(t)
	with, err := chatbot.Compile(kb, chatbot.WithReadings(d))
	require.NoError(t, err)
	without, err := chatbot.Compile(kb)
	require.NoError(t, err)
	assert.Equal(t, "高等職業訓練促進給付金", with.Canonical("こうとうしょくぎょうくんれんそくしんきゅうふきん"))
	for q, want := range map[string]string{
		"ようせいきかんに かようあいだの せいかつひ": "koutou-kunren",
		"ほごめいれい とは":              "dv-hogomeirei",
		"こうがくりょうようひ":             "kougaku-ryouyouhi",
		"ジュウキョカクホキュウフキン":         "juukyo-kakuho",
	} {
		r := with.Match(q)
		require.NotEmpty(t, r.Candidates, q)
		assert.Equal(t, want, r.Best().ID, "%q → %s", q, with.Canonical(q))
		if b := without.Match(q).Best(); b != nil {
			assert.NotEqual(t, "", b.ID)
		}
	}
	st := with.Stats()
	assert.Greater(t, st.ReadingRules, 1000)
	assert.Zero(t, without.Stats().ReadingRules)
}

// TestAccuracy keeps the figures of the default knowledge base and its
// QA-only reduction with readings at or above their floors (the measured
// values; chatbot's TestAccuracy has the same without readings).
func TestAccuracy(t *testing.T) {
	skipUnderRace(t)
	d, err := dict()
	require.NoError(t, err)
	def, err := chatbot.Default()
	require.NoError(t, err)
	type floor struct {
		file                               string
		top1, top3, rejected, wrong, right float64
	}
	for _, k := range []struct {
		name   string
		kb     *chatbot.KnowledgeBase
		floors []floor
	}{
		{"default", def, []floor{
			{"heldout5_queries.json", 0.977, 0.992, 0.893, 0.008, 0.822},
			{"heldout4_queries.json", 0.955, 0.992, 0.977, 0.004, 0.824}, // right 0.821 before round 6's compound homophones
			{"heldout3_queries.json", 0.969, 0.992, 1.0, 0.0, 0.795},     // top-1 0.966 before them
			{"heldout2_queries.json", 0.933, 0.992, 0.96, 0.028, 0.847},
			{"heldout_queries.json", 0.973, 0.996, 0.96, 0.008, 0.893},
			{"dev_queries.json", 0.95, 0.983, 1.0, 0.025, 0.892},
		}},
		// The calibrated confidence traded rejection on heldout3 and dev
		// and wrong answers on dev for right answers (see chatbot's
		// TestAccuracy). Issue 16f (answer and implicit aspects in the
		// re-ranker) moved heldout4 top-1 −0.7, heldout5 and heldout
		// top-3 −0.4 and −0.3 (one question each); its confidence refit
		// (thresholds back to 0.93/0.85) gave more right answers and
		// lower rejection on heldout5, heldout3, heldout2, wrong answers
		// on heldout2 0.020 → 0.027 (within the fit's per-set limit 0.035).
		// Its second stage (compare, consult, channel aspects): heldout5
		// top-1 0.877 → 0.892, top-3 0.989 → 0.981; heldout4 top-1 0.825
		// → 0.836, wrong 0.011 (3 of 268); dev top-1 −0.8 (1 of 122).
		// The round-5 confidence model (five more inputs, one threshold
		// chosen on FAQs left out) traded wrong answers (up to 2.7 % on
		// heldout2, 2.3 % on heldout3) and rejection (0.85 on heldout5,
		// 7 of 47; 0.92 on heldout3; 0.9 on dev) for 1–15 points more
		// right answers. i16f's third stage (aspects from the rewritten
		// text only) and refit (0.865): wrong +0.3 to +0.4 points on
		// heldout4, heldout3, heldout2, heldout (one question each).
		// Round 6 (i16h: dev6 in the re-ranker's fit; romaji, until-when,
		// compound homophones, answer-only programmes; confidence refit
		// 0.86): heldout4 top-1 0.836 → 0.832, heldout2 0.813 → 0.809
		// (one question each), heldout3 top-3 0.913 → 0.925, heldout5
		// rejection 0.851 → 0.830 (1 of 47), right +0.8 to +3 points.
		// Round 6 (i16g): dev6 in the confidence fit; thresholds 0.945
		// and Confirm 0.85 bound EVERY development FAQ left out (≤ 1.5 %
		// wrong, ≥ 90 % rejection), not the mean: right −1.5 to −13
		// points, wrong 0–2.3 %, rejection 0.91–1.0 (heldout5 0.830 →
		// 0.915).
		{"qa-only", qaOnly(t), []floor{
			// i16h stage 2 (number terms, English, 転入; refit 0.95/0.80):
			// heldout5 top-1 0.892 → 0.888, heldout4 0.832 → 0.828 (one
			// question each); heldout2 rejection 0.98 → 0.96 (1 of 50);
			// wrong on dev 0.9 → 3.3 % (4 of 122, the lower Confirm),
			// heldout 0.4 → 0.8 %; right +0.4 to +5 points.
			// Round 7 (i16i: needs table, dev7 in the re-ranker's fit;
			// forced confidence refit 0.96/0.775): heldout3 top-3 0.924 →
			// 0.917 (2 of 265); right −0.3 to −2.1 points (the higher
			// Confidence).
			// Round 7 (i16i stage 2: more needs, ranker refit, i16j's
			// model refitted on it, 0.955/0.725): heldout2 top-1 0.809 →
			// 0.805, dev top-1 0.795 → 0.787, top-3 0.959 → 0.951 (one
			// question each); right −0.3 to −1.8 points (the higher
			// Confidence).
			// Round 7 (i16j's margin: thresholds 0.96/0.73, one grid step
			// above the chosen ones): right −0.7 to −1.7 points on
			// heldout5, heldout3, heldout2, dev.
			// Round 8 (i16l: dev8 in both fits, some 80 more out-of-scope
			// questions per dev FAQ in the confidence fit; refit
			// 0.885/0.885): right −0.2 to −10.6 points (dev 64 → 51 of
			// 122; the coverage rule's answers at 0.73 are gone), heldout4
			// wrong 1 → 2 of 268; re-ranker refit with dev8: heldout2 top-1
			// 0.805 → 0.802, heldout4 top-3 0.937 → 0.933 (one each).
			// Its second stage (ProgrammeEntries, 0.89/0.76): right +4.4 to
			// +13.9 points over the first (above round 7 on every set:
			// dev 0.524 → 0.557, heldout2 0.459 → 0.486); wrong heldout3
			// 4 → 5, heldout 3 → 4 of 265.
			// Round 8 (i16k: っ/いつ fix, needs negation, English window
			// words, nine needs and glossary facts; re-ranker refit):
			// heldout2 top-1 0.801 → 0.797, heldout4 top-3 0.932 → 0.929
			// (one question each); over the six sets top-1 82.0 → 82.4.
			// On i16k's ranking with the policy fix (Confirm = Confidence
			// − 0.13, 0.90/0.77): right −0.4 to −2.7 points against stage
			// 2; heldout4 top-3 0.933 → 0.929, heldout2 top-1 0.802 →
			// 0.798 (one question each; i16k's ranking); refit on i16k's
			// last ranking: wrong heldout5 0 → 1 of 269, heldout4 2 → 3 of
			// 268.
			// Round 9 (i16n: dev9 in both fits; refit 0.91/0.78, margin
			// three grid steps): right heldout5 0.468 → 0.457, heldout4
			// 0.444 → 0.425, heldout3 0.374 → 0.366, heldout2 0.475 →
			// 0.459, heldout 0.445 → 0.423 (the higher Confidence); top-1
			// heldout5 0.903 → 0.900, heldout4 0.847 → 0.843, heldout2
			// 0.817 → 0.813 (one question each).
			// Round 9 (i16m's resident-question library, default_qa's own
			// questions and phrasings out of it; i16n's refit with libagree,
			// 0.91/0.78): top-1 heldout5 0.900 → 0.885 (4 of 269), heldout2
			// 0.813 → 0.798 (4 of 257), up on the others (heldout4 0.843 →
			// 0.854, heldout3 0.811 → 0.823, heldout 0.823 → 0.842, dev
			// 0.820 → 0.844); right heldout5 0.457 → 0.454, heldout4 0.425,
			// heldout3 0.366 → 0.351, heldout2 0.459 → 0.506, heldout 0.423
			// → 0.449, dev 0.566 → 0.549; wrong heldout5 1 → 2 of 269,
			// heldout2 5 → 9 of 257, heldout 3 → 5 of 265 (default_qa as a
			// whole keeps 1.5 % left out).
			// Round 10 (i16p: dev10 in both fits and the library; refit
			// 0.92/0.79 by the same rule): right heldout5 0.454 → 0.435,
			// heldout4 0.425 → 0.403, heldout3 0.351 → 0.325, heldout2
			// 0.506 → 0.475, heldout 0.449 → 0.430 (the higher
			// Confidence), dev 0.549 → 0.557; top-1 heldout5 0.885 → 0.877
			// (2 of 269), heldout 0.842 → 0.830 (3 of 265), up on heldout3
			// (0.823 → 0.834) and dev (0.844 → 0.852); wrong heldout2 9 → 6
			// of 257, heldout 5 → 2 of 265.
			// Round 10's second stage (i16q: LibraryReach, 0.90/0.77):
			// right heldout5 0.435 → 0.446, heldout4 0.403 → 0.414,
			// heldout3 0.325 → 0.332, heldout2 0.475 → 0.482, heldout
			// 0.430 → 0.434, dev 0.557 → 0.549; wrong heldout5 2 → 3 of
			// 269, heldout4 2 → 4 of 268, heldout2 6 → 8 of 257, heldout
			// 2 → 3 of 265, dev 2 → 1 of 122; rejection heldout5 0.915 →
			// 0.936. Top-1 unchanged (the ranking is).
			// Round 11 (i16t: 放課後等デイサービス, 児童発達支援, 5歳児健診,
			// 風しん抗体検査 as programmes; interest and renew aspects;
			// mechanical refit of both models, 0.90/0.77): right heldout5
			// 0.434 → 0.431, dev 0.549 → 0.541 (one question each).
			// Round 11 (i16s: dev11 in both fits and the library, the
			// re-ranker refit, libvd, 0.915/0.785): right heldout5 0.431 →
			// 0.420, heldout4 0.402 → 0.388, heldout3 0.324 → 0.309,
			// heldout2 0.474 → 0.490, heldout 0.430 → 0.430, dev 0.541 →
			// 0.574; wrong heldout2 9 of 257 (0.035), lower or equal
			// elsewhere; top-1 heldout5 0.877 → 0.866 (3 of 269), up on the
			// others (heldout4 0.847, heldout3 0.834, dev 0.836).
			// Round 12 (i16w: dev12 in both fits and the library, one
			// threshold — Confidence = Confirm = 0.89 — and wordgap):
			// right heldout5 0.420 → 0.390, heldout4 0.388 → 0.358,
			// heldout3 0.309 → 0.268, heldout2 0.490 → 0.416, heldout
			// 0.430 → 0.389, dev 0.574 → 0.459 (no confirmation path);
			// wrong heldout2 9 → 6 of 257, heldout4 2 → 3 of 268,
			// heldout3 1 → 2 of 265; top-1 heldout 0.830 → 0.819 (3 of
			// 265, the re-ranker refit).
			// Round 12 (i16w: dev12 in both fits and the library, one
			// threshold — Confidence = Confirm = 0.895 — and wordgap; on
			// top of i16v's changes): right heldout5 0.420 → 0.398,
			// heldout4 0.388 → 0.369, heldout3 0.309 → 0.268, heldout2
			// 0.478 → 0.420, heldout 0.426 → 0.381, dev 0.565 → 0.459 (no
			// confirmation path); wrong heldout2 9 → 5 of 257, heldout5 3
			// → 2 of 269, heldout4 2 → 3 of 268, heldout3 1 → 2 of 265;
			// top-1 heldout 0.830 → 0.826 (one question).
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-1 0.861 → 0.859.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.008 → 0.011.
			// Round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0): wrong 0.012 → 0.015 (4 of 269).
			// Round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most development FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73): right 0.397 → 0.557 (150 of 269).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.858 → 0.888 (239 of 269), top-3 0.984 → 0.985 (265), right 0.557 → 0.572 (154).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-3 0.985 → 0.988 (266 of 269); wrong 0.015 → 0.012 (3 of 269); right 0.572 → 0.55 (148 of 269: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.888 → 0.877 (236 of 269: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); top-3 0.988 → 0.992 (267 of 269); rejection 0.914 → 0.936 (44 of 47); right 0.55 → 0.531 (143 of 269: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout5_queries.json", 0.877, 0.992, 0.936, 0.012, 0.531},
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-3 0.969 → 0.963.
			// Round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0): wrong 0.012 → 0.015.
			// Round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most development FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73): right 0.368 → 0.514 (138 of 268).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.846 → 0.880 (236 of 268), top-3 0.962 → 0.981 (263), rejection 0.999 → 1.0 (44 of 44), wrong 0.016 → 0.015 (4), right 0.514 → 0.533 (143).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-3 0.981 → 0.977 (262 of 268: LOWERED — the re-ranker refitted with dev25 in); right 0.533 → 0.518 (139 of 268: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.88 → 0.865 (232 of 268: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); top-3 0.977 → 0.973 (261 of 268: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.518 → 0.511 (137 of 268: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout4_queries.json", 0.865, 0.973, 1.0, 0.015, 0.511},
			// Round 7 (i16j: dev7 in the confidence fit; 21 inputs with
			// OwnRatio; 0.945/0.725): right +1 to +3 points on heldout3,
			// heldout2, heldout; wrong +0.3 to +0.4 points there (one
			// question each).
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): rejection 0.999 → 0.980.
			// Round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0): top-1 0.833 → 0.830.
			// Round 14 (i16ab: dev14 and i16ac's data in both fits, 0.91 / 0.78, margin 0): top-3 0.946 → 0.943.
			// Round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most development FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73): right 0.267 → 0.441 (117 of 265).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.829 → 0.871 (231 of 265), top-3 0.942 → 0.973 (258), rejection 0.979 → 0.980 (50 of 51), wrong 0.009 → 0.008 (2), right 0.441 → 0.452 (120).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): right 0.452 → 0.437 (116 of 265: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.871 → 0.86 (228 of 265: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.437 → 0.426 (113 of 265: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout3_queries.json", 0.86, 0.973, 0.980, 0.008, 0.426},
			// Round 12 (i16v: English glossary, negated programmes,
			// personal-case rule; mechanical refit, 0.920/0.790): right
			// heldout2 0.489 → 0.478, heldout 0.430 → 0.426, dev 0.573 →
			// 0.565 (three, one and one question).
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-3 0.948 → 0.946, wrong 0.02 → 0.023.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.024 → 0.027.
			// Round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most development FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73): right 0.419 → 0.556 (143 of 257), wrong 0.028 → 0.032 (8 of 257: the lower bar answers more; the rule bounds the FAQs' mean wrong share at 1 % and every FAQ at 3 %, not each at 2 %).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.801 → 0.809 (208 of 257), top-3 0.945 → 0.949 (244), rejection 0.959 → 0.960 (48 of 50), right 0.556 → 0.568 (146); wrong LOWERED 0.032 → 0.039 (8 → 10 of 257: the lower bar 0.82 / 0.72 answers more; P2 bounds the FAQs' mean wrong share at 1 % and every FAQ at 3 %, not each at 2 %).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-1 0.809 → 0.813 (209 of 257); top-3 0.949 → 0.953 (245 of 257); wrong 0.039 → 0.028 (7 of 257); right 0.568 → 0.556 (143 of 257: LOWERED — the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm)).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-3 0.953 → 0.957 (246 of 257); right 0.556 → 0.54 (139 of 257: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout2_queries.json", 0.813, 0.957, 0.960, 0.028, 0.54},
			// Round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015): top-1 0.825 → 0.815.
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.016 → 0.019.
			// Round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005): wrong 0.02 → 0.027 (7 of 265).
			// Round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most development FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73): right 0.38 → 0.513 (136 of 265).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.814 → 0.852 (226 of 265), top-3 0.957 → 0.966 (256), rejection 0.999 → 1.0 (50 of 50), right 0.513 → 0.524 (139).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): top-3 0.966 → 0.969 (257 of 265).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.852 → 0.849 (225 of 265: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.524 → 0.505 (134 of 265: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"heldout_queries.json", 0.849, 0.969, 1.0, 0.027, 0.505},
			// Round 13 (i16y: unreach, 0.88 / 0.83, margin 0): wrong 0.009 → 0.016.
			// Round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0): top-1 0.835 → 0.828.
			// Round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005): wrong 0.017 → 0.025 (3 of 122).
			// Round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most development FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73): right 0.458 → 0.581 (71 of 122).
			// Round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72): top-1 0.827 → 0.852 (104 of 122), top-3 0.974 → 0.975 (119), rejection 0.949 → 0.950 (19 of 20), right 0.581 → 0.590 (72).
			// Round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705): right 0.59 → 0.598 (73 of 122).
			// Round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74): top-1 0.852 → 0.844 (103 of 122: LOWERED — the re-ranker refitted with dev26 and the money-help inputs in); right 0.598 → 0.565 (69 of 122: LOWERED — the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm)).
			{"dev_queries.json", 0.844, 0.975, 0.950, 0.025, 0.565},
		}},
	} {
		m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), ownOut("default_qa"))
		require.NoError(t, err)
		for _, f := range k.floors {
			t.Run(k.name+"/"+f.file, func(t *testing.T) {
				rep := chatbot.Evaluate(m, loadQueries(t, f.file))
				t.Logf("top-1 %.3f top-3 %.3f rejection %.3f right %.3f wrong %.3f", rep.Top1, rep.Top3, rep.Rejection, rep.AnsweredCorrect, rep.AnsweredWrong)
				assert.GreaterOrEqual(t, rep.Top1, f.top1, "top-1")
				assert.GreaterOrEqual(t, rep.Top3, f.top3, "top-3")
				assert.GreaterOrEqual(t, rep.Rejection, f.rejected, "rejection")
				assert.LessOrEqual(t, rep.AnsweredWrong, f.wrong, "wrong direct answers")
				assert.GreaterOrEqual(t, rep.AnsweredCorrect, f.right, "right direct answers")
			})
		}
	}
}

func TestHomophones(t *testing.T) {
	d, err := dict()
	require.NoError(t, err)
	hs := d.Homophones([]string{"じどう", "そうだん", "ほご"})
	assert.Contains(t, hs["じどう"], "自動")
	assert.Contains(t, hs["じどう"], "児童")
	assert.Contains(t, hs["そうだん"], "装弾")
	assert.Contains(t, hs["ほご"], "補語")
	// A conversion error is added, not substituted, and only for words the
	// knowledge base never uses.
	kb := qaOnly(t)
	m, err := chatbot.Compile(kb, chatbot.WithReadings(d))
	require.NoError(t, err)
	assert.Contains(t, m.Canonical("補語の申請"), "補語 保護")
	// A compound with one part misconverted gets the compound added, even
	// when the knowledge base uses the misconverted word elsewhere
	// (自動的に): 生活補語 for 生活保護. Voice input's 自動扶養手当 is
	// also a glossary rule since round 17, which replaces it outright.
	assert.Contains(t, m.Canonical("生活補語の申請"), "生活補語 生活保護")
	assert.Contains(t, m.Canonical("自動扶養手当の申請"), "児童扶養手当")
	assert.NotContains(t, m.Canonical("自動扶養手当の申請"), "自動扶養手当")
	assert.Contains(t, m.Canonical("児童不要手当"), "児童扶養手当")
	assert.NotContains(t, m.Canonical("自動的に"), "児童", "the word alone is not rewritten")
	r := m.Match("生活補語の申請")
	require.NotEmpty(t, r.Candidates)
	assert.Equal(t, "seikatsu-hogo", r.Best().ID)
	assert.Greater(t, m.Stats().HomophoneRules, 100)
}

// ownFAQFloor is what one development FAQ without sample phrasings must
// keep on its labelled questions (its files are devFAQs'): top-1, top-3,
// out-of-scope rejection and right direct answers at least these, wrong
// direct answers at most wrong; oos is the least rejection of its extra
// out-of-scope set (testdata/devN_oos_queries.json, round 8; 0: none
// written).
type ownFAQFloor struct {
	name                                string
	top1, top3, rejection, wrong, right float64
	oos                                 float64
}

// ownFAQFloors has one row per development FAQ but default_qa (whose
// floors are per query set, in TestAccuracy). Until round 9 the rows were
// the tests TestSecondFAQ … TestNinthFAQ (city2 … dev9: the second to
// ninth development knowledge bases); docs/chatbot.md names them so too.
//
// The extra out-of-scope sets (oos) were written in round 8 — 80 per FAQ
// by writers who saw only that FAQ: other municipal services, personal
// case questions, near misses of its entries, chat — less the 14 that an
// entry of the FAQ answers after all, listed in docs/chatbot.md (until
// round 9 TestOwnFAQOutOfScope). They are in the confidence model's fit
// since round 8 (i16l), so these are in-sample figures.
var ownFAQFloors = []ownFAQFloor{
	{
		// city2 (TestSecondFAQ until round 9): a second development
		// knowledge base, written for this test as a municipality's own
		// CSV (28 entries: pregnancy, birth, child allowances, medical
		// aid, childcare, check-ups, single-parent support, and some
		// everyday procedures) with 60 questions written by the same
		// person, who also wrote glossary rules after reading their
		// failures: a check that what the library brings works beyond the
		// default knowledge base's own words, not an independent
		// measurement.
		name:      "city2",
		top1:      0.962, // 52 of 54 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.944 since round 15 (i16ad: dev15 in both fits and the library, the re-ranker's ×long inputs, 0.885 / 0.835, margin 0); 52 of 54 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 51 of 54 since round 11 (i16t: 放課後等デイサービス … as programmes, interest/renew aspects, mechanical refit); 52 of 54 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 51 of 54 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.906 before; 0.889 before the re-ranker
		top3:      1.0,   // 54 of 54 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.981 before; 1.0 before dev6 joined the re-ranker's fit (1 of 54)
		rejection: 1.000, // 6 of 6 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72)
		wrong:     0.000, // 0 of 54 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0 of 54 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 1 of 54 since round 9 (library ranking + libagree, 0.91/0.78): 「育児相談できるとこ」 (want 20 子育て支援センター) goes to 23 養育費の相談 with the library's vote, confidently; 0 before; 0.019 before the calibrated confidence
		right:     0.666, // 36 of 54 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 37 of 54 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.537 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 30 of 54 since round 12 (i16v: English glossary, negated programmes, personal-case rule; mechanical refit of both models, 0.920/0.790); 31 of 54 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 29 of 54 since round 10's second stage (i16q: libreach, 0.90/0.77); 27 of 54 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 30 of 54 since round 9 (library ranking + libagree, 0.91/0.78); 30 of 54 since round 9's dev9 refit (i16n: dev9 in both fits, 0.91/0.78); 32 of 54 since round 8 (i16l: ProgrammeEntries, 0.89/0.76); 0.463 before it, 0.537 before the re-ranker, 0.556 before the round-5 model, 0.685 before round 6, 0.704 before i16g's per-FAQ bound, 0.556 before round 7's refit (0.96/0.775; 1 of 54)
	},
	{
		// dev3 (TestThirdFAQ until round 9): a 65-entry municipal FAQ
		// (testdata/dev3_faq.csv, みずほ町) and 416 questions
		// (testdata/dev3_queries.json, 63 out of scope), both written by a
		// writer who saw neither the matcher nor the other sets. Measured
		// first at main 67cae08: top-1 0.720, top-3 0.918, rejection 1.0,
		// right 0.360, wrong 0.023. It is a development set: the
		// confidence model was fitted on it. Before the re-ranker: 0.745,
		// 0.924, 1.0, 0.011, 0.377.
		name:      "dev3",
		top1:      0.906, // 320 of 353 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 316 of 353 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 2 fewer of its questions' right entries first; 318 of 353 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.873 since round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0); 0.878 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.881 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 313 of 353 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 311 of 353 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.787 before; 0.772 before issue 16f, 0.788 before i16h's stage 2, 0.790 before round 7 (i16i; left out 79.0 → 78.8)
		top3:      0.983, // 347 of 353 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 346 of 353 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 345 of 353 since round 11 (i16t: 放課後等デイサービス … as programmes, interest/renew aspects, mechanical refit); 346 of 353 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.954 before; 0.931 before issue 16f, 0.949 before round 6, 0.958 before round 7 (1 of 353)
		rejection: 0.984, // 62 of 63 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.984 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 1.000 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 62 of 63 since round 8 (i16l: 0.89/0.76; 77 of 79 of its extra out-of-scope set); 1.0 before the round-5 confidence model, 0.952–0.968 with it
		wrong:     0.006, // 2 of 353 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.006 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 0.003 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.000 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 1 of 353 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 0.015 before it, 0.031 with it
		right:     0.651, // 230 of 353 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 235 of 353 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 230 of 353 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.470 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.513 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 171 of 353 since round 12 (i16v: English glossary, negated programmes, personal-case rule; mechanical refit of both models, 0.920/0.790); 172 of 353 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 176 of 353 since round 10's second stage (i16q: libreach, 0.90/0.77); 163 of 353 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79) (wrong 1 → 2); 171 of 353 since round 9 (library ranking + libagree, 0.91/0.78); 157 of 353 since round 9 (dev9 in both fits, 0.91/0.78); 163 of 353 since round 8 on i16k's ranking (Confirm = Confidence − 0.13, 0.90/0.77), 167 at i16l's stage 2; 0.396 before it, 0.418 before dev5 joined the fits, 0.533 before round 6, 0.547 before i16g's per-FAQ bound, 0.453 before round 7's refit (0.96/0.775)
		oos:       0.949, // 75 of 79 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 74 of 79 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 75 of 79 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.962 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.987 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 0.975 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 75 of 79 since round 9 (library ranking + libagree, 0.91/0.78); 77 of 79 before
	},
	{
		// dev4 (TestFourthFAQ until round 9): the round-3 held-out set
		// (北浦市, 80 entries, testdata/dev4_faq.csv; 456 questions,
		// testdata/dev4_queries.json), written by writers who saw neither
		// the matcher nor the other sets, measured once before and once
		// after issue 16's second round, and opened as a development set
		// on 2026-12-05 after those two measurements (top-1 0.738, top-3
		// 0.880, rejection 0.986, right 0.309, wrong 0.0 at main 8c6963e).
		name:      "dev4",
		top1:      0.942, // 360 of 382 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the re-ranker refitted with dev26 and the money-help inputs in has 2 fewer of its questions' right entries first; 362 of 382 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries first; 363 of 382 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.942 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 358 of 382 since round 12 (i16v: English glossary, negated programmes, personal-case rule; mechanical refit of both models, 0.920/0.790); 359 of 382 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 356 of 382 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 352 of 382 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.861 before; 0.842 before issue 16f, 0.856 before round 6, 0.863 before dev7 joined the re-ranker's fit (1 of 382)
		top3:      0.989, // 378 of 382 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the re-ranker refitted with dev26 and the money-help inputs in has 2 fewer of its questions' right entries among the first three; 380 of 382 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 379 of 382 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.984 since round 15 (i16ad: dev15 in both fits and the library, the re-ranker's ×long inputs, 0.885 / 0.835, margin 0); 377 of 382 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.949 before; 0.944 before issue 16f, 0.953 before round 6 (2 of 382)
		rejection: 0.945, // 0.946 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 71 of 74 since round 12 (i16v: English glossary, negated programmes, personal-case rule; mechanical refit of both models, 0.920/0.790); 0.973 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 0.985 before the round-5 confidence model, 0.918–0.932 with it
		wrong:     0.008, // 3 of 382 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.008 since round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0); 0.005 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 1 of 382 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 4 of 382 since round 10's second stage (i16q: libreach, 0.90/0.77), 0.009 before; 0.003 before the round-5 confidence model (1 of 382), 0.011 with it, 0.005 before round 7 (3 of 382)
		right:     0.641, // 245 of 382 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 250 of 382 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 261 of 382 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 251 of 382 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.445 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.505 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 174 of 382 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 179 of 382 since round 10's second stage (i16q: libreach, 0.90/0.77); 153 of 382 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 168 of 382 since round 9 (library ranking + libagree, 0.91/0.78); 158 of 382 since round 9 (dev9 in both fits, 0.91/0.78); 169 of 382 since round 8 (i16l); 0.387 before i16h's stage 2 refit (0.95/0.80), 0.332 before it, 0.355 before dev5 joined the fits, 0.552 before round 6, 0.568 before i16g's per-FAQ bound, 0.385 before round 7's refit (0.96/0.775)
		oos:       0.973, // 73 of 75 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.973 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 72 of 75 since round 10's second stage (i16q: libreach, 0.90/0.77); 73 of 75
	},
	{
		// dev5 (TestFifthFAQ until round 9): the round-4 held-out set
		// (白鷺市, 72 entries, testdata/dev5_faq.csv; 290 questions, 44 out
		// of scope, testdata/dev5_queries.json), written by writers who
		// saw neither the matcher nor the other sets, measured once before
		// and once after issue 16's fourth round (main 8c6963e: top-1
		// 0.772, top-3 0.907, rejection 0.977, right 0.244, wrong 0.0;
		// main 238e5fa: 0.850, 0.955, 0.955, 0.268, 0.0), and opened as a
		// development set in round 5 after those two measurements.
		name:      "dev5",
		top1:      0.971, // 239 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 235 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries first; 236 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 234 of 246 since round 18 (i18a: dev18 in both fits and the library, i18b's data, the rankmargin and long inputs, 0.90 / 0.77, margin 0); 0.954 before, 0.955 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 234 of 246 at i16m's final ranking (637eed0); 235 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.882 before; 0.849 before issue 16f, 0.866 before round 6, 0.885 before dev7 joined the re-ranker's fit (1 of 246)
		top3:      1.000, // 246 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 244 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 245 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.967 before; 0.955 before issue 16f, 0.963 before round 6, 0.972 before i16h's stage 2 (1 of 246)
		rejection: 0.977, // 43 of 44 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 42 of 44 since round 13 (i16z: other services, personal phrases, need words; refit 0.920 / 0.790); 43 of 44 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 42 of 44 since round 9 (library ranking + libagree, 0.91/0.78); 43 before; 0.955 before i16g's per-FAQ bound, 1.0 before round 7's confidence refit (i16j, 1 of 44)
		wrong:     0.000, // 0 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 1 of 246 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73)
		right:     0.626, // 154 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 153 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 162 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 157 of 246 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.411 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.467 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 102 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 100 of 246 since round 11 (i16t: 放課後等デイサービス … as programmes, interest/renew aspects, mechanical refit); 102 of 246 since round 10's second stage (i16q: libreach, 0.90/0.77); 87 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 92 of 246 since round 9 (library ranking + libagree, 0.91/0.78); 88 of 246 since round 9 (dev9 in both fits, 0.91/0.78); 94 of 246 since round 8 on i16k's ranking (0.90/0.77), 96 at i16l's stage 2; 0.329 before i16h's stage 2 refit, 0.256 before the round-5 confidence model, 0.268 before dev5 joined the fits, 0.524 before round 6, 0.545 before i16g's per-FAQ bound
		oos:       0.911, // 72 of 79 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 71 of 79 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 70 of 79 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 71 of 79 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 72 of 79 since round 21 (i21a: dev21 in both fits and the library, i21b's words, Long dropped from the confidence model, 0.875 / 0.745, margin 0.005; one more extra out-of-scope question answered by the refitted model at the same thresholds; nested, thresholds chosen without dev5, 92.7 % of its 125 out-of-scope questions rejected); 73 of 79 since round 20 (i20a: dev20 in both fits and the library, i20b's sibling aspects, 0.875 / 0.745, margin 0.005); 0.936 before, 74 of 79 since round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0); 0.948 before, 0.949 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 0.962 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 77 of 79 (76 at round 8's first stage)
	},
	{
		// dev6 (TestSixthFAQ until round 9): the round-5 held-out set
		// (楓ヶ丘市, 78 entries, testdata/dev6_faq.csv; 290 questions, 44
		// out of scope, testdata/dev6_queries.json), written by writers
		// who saw neither the matcher nor the other sets, measured once
		// before and once after issue 16's fifth round (main 23d94b2:
		// top-1 0.740, top-3 0.919, rejection 0.932, right 0.301, wrong
		// 0.012; main b41cdc3: 0.776, 0.923, 0.795, 0.500, 0.028), and
		// opened as a development set in round 6 after those two
		// measurements. Floors at main c9297e5's figures, then round 6
		// (i16h's ranking, then i16g: dev6 in the confidence fit,
		// thresholds that bound every development FAQ left out): top-1
		// 0.776 → 0.817, rejection 0.795 → 0.932, wrong 0.028 → 0.004,
		// right 0.500 → 0.394 (in sample: dev6 is in the fits now; left
		// out of them: 41.9 / 0.4 / 93.2 %). Round 6 (i16h): dev6 joined
		// the re-ranker's fit, with the romaji, until-when,
		// compound-homophone and answer-only-programme mechanisms; the
		// ranking figures are in sample since.
		name:      "dev6",
		top1:      0.865, // 213 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the re-ranker refitted with dev24 in orders one more of its questions wrongly; 0.870 since round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0); 0.878 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.882 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 214 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 216 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79) (「4月に隣の県から引っ越してきました…児童手当…」 → K056, see TestRerankAnswerProgramme); 217 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.828 before; 0.776 before round 6, 0.817 before i16h's stage 2
		top3:      0.983, // 242 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 241 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 242 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.954 before; 0.923 before round 6, 0.927 before i16h's stage 2
		rejection: 0.954, // 42 of 44 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 41 of 44 since round 13 (i16z: other services, personal phrases, need words; refit 0.920 / 0.790); 0.955 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.977 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 41 of 44 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 40 of 44 since round 9 (library ranking + libagree, 0.91/0.78); 41 before; 0.795 before i16g's per-FAQ bound
		wrong:     0.013, // 3 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 2 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 3 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 0.008 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 1 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 1 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79) (0 at round 9's end); 2 of 246 since round 8's refit (i16l, 0.885/0.885; 1 before, 1 again since round 9); 0.028 before round 6, 0.017 before i16g's per-FAQ bound
		right:     0.556, // 137 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 139 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 141 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 137 of 246 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.333 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.402 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 82 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 81 of 246 since round 10's second stage (i16q: libreach, 0.90/0.77); 73 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 79 of 246 since round 9 (library ranking + libagree, 0.91/0.78) (wrong 1 → 0); 80 of 246 since round 9's dev9 refit (0.91/0.78; wrong 2 → 1); 83 of 246 since round 8 on i16k's ranking (0.90/0.77; 83 on its first commits), 86 at its second stage (ProgrammeEntries, 0.89/0.76), 81 at its first (0.885/0.885), 84 before; 0.349 before i16j's margin (0.96/0.73; 2 of 246), 0.394 before i16h's stage 2 refit, 0.500 before round 6, 0.545 before i16g's per-FAQ bound (in sample since dev6 joined the fits), 0.378 before round 7's refit (0.96/0.775), 0.353 before i16i's stage 2 (0.955/0.725; 1 of 246)
		oos:       0.868, // 66 of 76 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 65 of 76 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 66 of 76 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 67 of 76 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005); 0.894 before, 68 of 76 since round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0); 0.907 before, 0.908 since round 15 (i16ad: dev15 in both fits and the library, the re-ranker's ×long inputs, 0.885 / 0.835, margin 0); 0.934 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 72 of 76 since round 13 (i16z: other services, personal phrases, need words; refit 0.920 / 0.790); 0.961 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 70 of 76 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 71 of 76 since round 8 on i16k's ranking (0.90/0.77), 70 at its first stage
	},
	{
		// dev7 (TestSeventhFAQ until round 9): the round-6 held-out set
		// (北上台町, 75 entries, testdata/dev7_faq.csv; 290 questions, 44
		// out of scope, testdata/dev7_queries.json), written by writers
		// who saw neither the matcher nor the other sets, measured once
		// before and once after issue 16's sixth round (main c9297e5:
		// top-1 0.768, top-3 0.907, rejection 0.795, right 0.496, wrong
		// 0.020; main 6e07b72: 0.793, 0.927, 0.886, 0.276, 0.008), and
		// opened as a development set in round 7 after those two
		// measurements. Floors at main f44b00c's figures; round 7 (i16i)
		// put it in the re-ranker's fit (left out of it: top-1 82.1,
		// top-3 93.5 %); i16j put it in the confidence model's fit.
		name:      "dev7",
		top1:      0.943, // 232 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 231 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 230 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.911 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.915 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 224 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 223 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.82 before
		top3:      0.991, // 244 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 240 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 239 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 238 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.934 before; 230 of 246; 228 before round 7
		rejection: 0.909, // 40 of 44 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 38 of 44 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 39 of 44 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 40 of 44 since round 12 (i16v: English glossary, negated programmes, personal-case rule; mechanical refit of both models, 0.920/0.790); 0.932 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 40 of 44 since round 10's second stage (i16q: libreach, 0.90/0.77); 41 of 44 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 40 of 44 since round 9 (library ranking + libagree, 0.91/0.78); 41 of 44 since round 8's second stage (0.89/0.76), 40 of 44 at its first (i16l, 0.885/0.885; 117 of 123 with its 79 more out-of-scope questions); 41 of 44 before (in sample since i16j put dev7 in the confidence fit); 39 before that
		wrong:     0.009, // 2 of 246 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005); 0.005 before, 0.004 since round 15 (i16ad: dev15 in both fits and the library, the re-ranker's ×long inputs, 0.885 / 0.835, margin 0); 0 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 2 of 246
		right:     0.630, // 155 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 158 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 160 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 154 of 246 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.378 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.407 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 91 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 85 of 246 since round 10's second stage (i16q: libreach, 0.90/0.77); 73 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79) (wrong 1 → 0); 76 of 246 since round 9 (library ranking + libagree, 0.91/0.78); 75 of 246 since round 9 (dev9 in both fits, 0.91/0.78; 79 before); 76 of 246 at round 8's second stage, 70 at its first (0.885/0.885); 73 of 246 with i16j's margin (0.96/0.73); 76 of 246 at i16i's stage 2 (0.955/0.725); 82 at i16j's refit (in sample), 63 at i16i's stage 1 (0.96/0.775), 68 before round 7
		oos:       0.962, // 76 of 79 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 75 of 79 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.924 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 0.937 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 0.975 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 76 of 79 since round 10's second stage (i16q: libreach, 0.90/0.77); 77 of 79
	},
	{
		// dev8 (TestEighthFAQ until round 9): the round-7 held-out set
		// (汐見川市, 72 entries, testdata/dev8_faq.csv; 290 questions, 44
		// out of scope, testdata/dev8_queries.json), written by writers
		// who saw neither the matcher nor the other sets, measured once
		// before and once after issue 16's seventh round (main f44b00c:
		// top-1 0.776, top-3 0.927, rejection 0.932, right 0.289, wrong
		// 0.008; main fa559e0: 0.797, 0.939, 0.955, 0.244, 0.008), and
		// opened as a development set in round 8 after those two
		// measurements. Floors at main 0b8b42b's figures (the same as
		// fa559e0's: the commits between changed no matching).
		name:      "dev8",
		top1:      0.918, // 226 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 224 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries first; 225 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 223 of 246 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005) (the re-ranker's refit); 0.914 before, 0.915 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 222 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 224 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 221 of 246 at i16m's final ranking (637eed0); 220 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.796 before; 196 of 246 (206 at round 8's end, 204 since round 9's refit with dev9)
		top3:      0.987, // 243 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.972 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 239 of 246 at i16m's final ranking (637eed0); 238 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.938 before; 231 of 246
		rejection: 0.909, // 40 of 44 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 41 of 44 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 40 of 44 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 39 of 44 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.932 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 1.000 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 1.000 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 42 of 44
		wrong:     0.013, // 3 of 246 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005); 0.009 before, 0.008 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.004 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 2 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 3 of 246 since round 9 (library ranking + libagree, 0.91/0.78); 2 before
		right:     0.556, // 137 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 144 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 149 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 142 of 246 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.337 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.423 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 81 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 69 of 246 since round 10's second stage (i16q: libreach, 0.90/0.77); 64 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 66 of 246 since round 9 (library ranking + libagree, 0.91/0.78); 61 of 246 since round 9 (dev9 in both fits, 0.91/0.78); 65 of 246 since round 8 on i16k's ranking (0.90/0.77), 67 at i16l's stage 2 (dev8 in the fits, ProgrammeEntries, 0.89/0.76); 60 before
		oos:       0.923, // 72 of 78 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 73 of 78 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 72 of 78 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.910 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 0.936 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 0.962 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 74 of 78 since round 10's second stage (i16q: libreach, 0.90/0.77); 75 of 78 since round 8's second stage (ProgrammeEntries, 0.89/0.76), 77 at its first
	},
	{
		// dev9 (TestNinthFAQ until round 9): the round-8 held-out set
		// (風早市, 72 entries, testdata/dev9_faq.csv; 290 questions, 44
		// out of scope, testdata/dev9_queries.json), written by writers
		// who saw neither the matcher nor the other sets, measured once
		// before and once after issue 16's eighth round (main 0b8b42b:
		// top-1 0.744, top-3 0.935, rejection 0.977, right 0.260, wrong
		// 0.016; main 0429b46: 0.756, 0.951, 0.977, 0.260, 0.012), and
		// opened as a development set at the end of round 8 after those
		// two measurements (its failures were read then). Floors at main
		// d662ffa's figures; in both fits since round 9 (i16n; left out
		// of them: top-1 75.6, top-3 95.1, right / wrong / rejection
		// 25.2 / 1.2 / 97.7 %). No extra out-of-scope set was written
		// for it.
		name:      "dev9",
		top1:      0.902, // 222 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 218 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries first; 219 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.878 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 214 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 212 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 208 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.756 before; 186 of 246
		top3:      0.991, // 244 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 238 of 246 since round 9 (i16m's resident-question library, the FAQ's own questions out of it; LOFO in docs); 0.955 before; 235 of 246 since round 9 (i16n: dev9 in both fits); 234 before
		rejection: 0.977, // 43 of 44 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 42 of 44 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 43 of 44 before
		wrong:     0.021, // 5 of 246 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.016 since round 15 (i16ad: dev15 in both fits and the library, the re-ranker's ×long inputs, 0.885 / 0.835, margin 0); 0.008 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.000 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 2 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 3 of 246 since round 10's second stage (i16q: libreach, 0.90/0.77); 2 of 246 since round 9 (0.91/0.78); 3 before
		right:     0.626, // 154 of 246 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 153 of 246 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 157 of 246 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 149 of 246 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.366 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.423 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 90 of 246 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 85 of 246 since round 10's second stage (i16q: libreach, 0.90/0.77); 65 of 246 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 71 of 246 since round 9 (library ranking + libagree, 0.91/0.78); 66 of 246 since round 9; 64 before
		oos:       0.937, // 75 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 74 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.925 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 0.938 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 76 of 80 (dev9_oos_queries.json, written in round 10) since round 10's second stage (i16q: libreach, 0.90/0.77)
	},
	{
		// dev10: 瀬戸浜市, a fictional city of 108,000 in 広島県
		// with islands — 80 entries (M001–M080, 22 categories; 13 on
		// 児童扶養手当, 7 on 児童手当) and 300 labelled questions (254 in
		// scope, 46 out of scope) by two writers who saw only the FAQ:
		// 広島・岡山弁 parents typing on a phone, and foreign residents
		// (English, romaji), a 19-year-old mother, a DV evacuee, a
		// grandparent, keyword typists. Measured once before and once
		// after issue 16's ninth round (main 3b6d27d: top-1 0.807, top-3
		// 0.957, rejection 0.957, right 0.283, wrong 0.004; main c366c80:
		// 0.870, 0.957, 0.913, 0.280, 0.008), then opened (its failures
		// were read). Floors at c366c80's figures in round 9 (openedFAQs:
		// not in the fits nor the library); in both fits and the library
		// since round 10 (i16p; left out of them: top-1 87.0, top-3 95.7,
		// right / wrong / rejection 26.0 / 0.8 / 93.5 %). No extra
		// out-of-scope set was written for it.
		name:      "dev10",
		top1:      0.905, // 230 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 229 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 228 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.882 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 221 of 254 (also at round 9's end)
		top3:      0.984, // 250 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 249 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.969 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 245 of 254 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79); 243 of 254 before
		rejection: 0.913, // 42 of 46 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 41 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.891 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 43 of 46 since round 13 (i16z: other services, personal phrases, need words; refit 0.920 / 0.790); 0.957 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.978 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 0.957 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 42 of 46
		wrong:     0.016, // 4 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 2 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 3 of 254 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005); 0.009 before, 0.008 since round 14 (i16ab: dev14 and i16ac's data in both fits, 0.91 / 0.78, margin 0); 1 of 254 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 3 of 254 since round 10's second stage (i16q: libreach, 0.90/0.77); 2 of 254
		right:     0.586, // 149 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 151 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 155 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 153 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.335 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.390 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 84 of 254 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 79 of 254 since round 10's second stage (i16q: libreach, 0.90/0.77); 69 of 254 since round 10 (i16p: dev10 in both fits and the library, 0.92/0.79) (the higher Confidence); 71 of 254 before
		oos:       0.937, // 75 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 74 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 0.938 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 0.925 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 75 of 80 since round 11 (i16t: 放課後等デイサービス … as programmes, interest/renew aspects, mechanical refit); 76 of 80 (dev10_oos_queries.json, written in round 10) since round 10's second stage (i16q: libreach, 0.90/0.77)
	},
	{
		// dev11: 雪見野市, a fictional city of 64,000 in 富山県 — 75
		// entries (R001–R075, 20 categories; 14 on 児童扶養手当, 6 on
		// 児童手当) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ: parents typing
		// LINE-chat messages in 富山弁 (emoji, line breaks, abbreviations),
		// and people asking for someone else or from a notice (a
		// grandparent, a 民生委員, an unmarried pregnant woman, a widowed
		// father, foreign residents). Measured once before and once after
		// issue 16's tenth round (main e8ed815: top-1 0.862, top-3 0.965,
		// rejection 0.935, right 0.323, wrong 0.020; main 4b1f103: 0.874,
		// 0.972, 0.935, 0.350, 0.020), then opened (its failures were
		// read). Floors at 4b1f103's figures in round 10 (openedFAQs: not
		// in the fits nor the library); in both fits and the library since
		// round 11 (i16s; left out of them: top-1 87.8, top-3 97.6, right
		// / wrong / rejection 40.6 / 1.6 / 94.4 % nested, its extra
		// out-of-scope set included).
		name:      "dev11",
		top1:      0.917, // 233 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 232 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 231 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.886 since round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0); 0.894 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 224 of 254 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 222 of 254
		top3:      0.976, // 248 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries among the first three; 249 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 248 of 254 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 247 of 254
		rejection: 0.956, // 44 of 46 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 43 of 46 since round 18 (i18a: dev18 in both fits and the library, i18b's data, the rankmargin and long inputs, 0.90 / 0.77, margin 0); 0.956 before, 0.957 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 0.978 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 0.957 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 43 of 46
		wrong:     0.004, // 1 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 3 of 254 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 5 of 254
		right:     0.610, // 155 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 166 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 158 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.382 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.449 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 95 of 254 since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785); 88 of 254 since round 11 (i16t: 放課後等デイサービス … as programmes, interest/renew aspects, mechanical refit); 89 of 254
		oos:       0.962, // 77 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 76 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.938 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 0.963 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 76 of 80 (dev11_oos_queries.json, written in round 11 by a writer who saw only the FAQ) since round 11 (i16s: dev11 in both fits and the library, libvd, 0.915/0.785)
	},
	{
		// dev12: 緑川市, a fictional city of 58,000 in 熊本県 — 75
		// entries (T001–T075, 21 categories; 13 on 児童扶養手当, 7 on
		// 児童手当) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ: speech typed by
		// voice input or transcribed from the city's AI phone line (熊本弁,
		// fillers, self-corrections, recognition errors such as 自動扶養手当),
		// and people in the middle of a life event (separation, a
		// 19-year-old mother, a move for the semiconductor plant, foreign
		// residents in やさしい日本語 or English, comparisons). Measured once
		// before and once after issue 16's eleventh round (main 58c110e:
		// top-1 0.839, top-3 0.969, rejection 0.957, right 0.264, wrong
		// 0.008; main 9759b16: 0.850, 0.969, 1.000, 0.276, 0.004), then
		// opened (its failures were read). Floors at 9759b16's figures in
		// round 11 (openedFAQs: not in the fits nor the library); in both
		// fits and the library since round 12 (i16w; left out of them:
		// top-1 85.4, top-3 97.6, right / wrong / rejection 35.4 / 0.0 /
		// 95.2 % nested, its extra out-of-scope set included).
		name:      "dev12",
		top1:      0.905, // 230 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the re-ranker refitted with dev26 and the money-help inputs in has 1 fewer of its questions' right entries first; 231 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries first; 232 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.858 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 216 of 254
		top3:      0.992, // 252 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 251 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 250 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.976 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 246 of 254
		rejection: 0.956, // 44 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 43 of 46 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.957 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 46 of 46
		wrong:     0.004, // 1 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 0 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.000 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 1 of 254
		right:     0.657, // 167 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 166 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 167 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 166 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.280 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 0.335 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 70 of 254
		oos:       0.975, // 78 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.925 since round 13 (i16y: unreach, 0.88 / 0.83, margin 0); 0.938 since round 12 (i16w: dev12 in both fits and the library, one threshold 0.895, wordgap); 74 of 80 (dev12_oos_queries.json, written at the end of round 11 by a writer who saw only the FAQ, after the freeze) at 79cab4e
	},
	{
		// dev13: 岩木野市, a fictional city of 64,000 in 青森県 (津軽)
		// — 75 entries (N001–N075, 20 categories; 14 on 児童扶養手当, 6
		// on 児童手当) and 299 labelled questions (253 in scope, 46 out of
		// scope) by two writers who saw only the FAQ: residents with a
		// letter, notice or form from the city in front of them (quoting
		// its wording, search-box keywords, 津軽弁, older writers), and
		// people asking on behalf of someone else (a 民生委員, teachers, a
		// 保育士, friends and sisters, an employer of a foreign worker,
		// grandparents) or teenagers about themselves. Measured once
		// before and once after issue 16's twelfth round (main 43808a3:
		// top-1 0.881, top-3 0.968, rejection 0.957, right 0.316, wrong
		// 0.008; main 3b08b01: 0.885, 0.976, 0.913, 0.407, 0.008), then
		// opened (its failures were read). Floors at 3b08b01's figures
		// in round 12 (openedFAQs: not in the fits nor the library); in
		// both fits and the library since round 13 (i16y; left out of
		// them: top-1 88.5, top-3 97.6, right / wrong / rejection 39.9 /
		// 0.8 / 92.1 % nested, its extra out-of-scope set included).
		name:      "dev13",
		top1:      0.913, // 231 of 253 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the re-ranker refitted with dev26 and the money-help inputs in has 1 fewer of its questions' right entries first; 232 of 253 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 229 of 253 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 224 of 253 before
		top3:      0.996, // 252 of 253 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 247 of 253 before
		rejection: 1.000, // 46 of 46 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 45 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 42 of 46 before
		wrong:     0.004, // 1 of 253 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 2 of 253 before
		right:     0.679, // 172 of 253 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 171 of 253 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 176 of 253 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 171 of 253 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.328 since round 13 (i16y: dev13 in both fits and the library, 0.925 / 0.795, margin 0.015); 103 of 253
		oos:       0.887, // 71 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 69 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 68 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 71 of 80 (dev13_oos_queries.json, written in round 12 before the "after" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev14: 浦風市, a fictional city of 58,000 in 沖縄県 (本島中部)
		// — 75 entries (U001–U075, 22 categories; 14 on 児童扶養手当, 8
		// on 児童手当) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ: young parents on a
		// phone between shifts or by voice input (LINE-style, keywords,
		// hiragana, ウチナーヤマトグチ, misconversions), and people at a
		// turning point telling their story before asking (separation,
		// a grandmother raising grandchildren, a move from 本土, lost
		// hotel work, an unmarried 19-year-old; comparisons and family
		// details that decide between siblings). Measured once before
		// and once after issue 16's thirteenth round (main c9a0c89:
		// top-1 0.835, top-3 0.965, rejection 0.978, right 0.343, wrong
		// 0.012; main ed5208d: 0.839, 0.965, 0.957, 0.421, 0.016), then
		// opened (its failures were read). Floors at ed5208d's figures
		// in round 13 (openedFAQs: not in the fits nor the library); in
		// both fits and the library since round 14 (i16ab; left out of
		// them: top-1 83.9, top-3 96.5, right / wrong / rejection 43.7 /
		// 1.6 / 92.9 % nested, its extra out-of-scope set included).
		name:      "dev14",
		top1:      0.893, // 227 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.835 since round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0); 213 of 254
		top3:      0.976, // 248 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 0.961 since round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0); 245 of 254
		rejection: 1.000, // 46 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 44 of 46 before
		wrong:     0.020, // 5 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 4 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 7 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 5 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 4 of 254 before
		right:     0.637, // 162 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 163 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 168 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 164 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 0.346 since round 14 (i16ab: dev14 in both fits and the library, 0.905 / 0.775, margin 0); 107 of 254
		oos:       0.925, // 74 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 72 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 71 of 80 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 72 of 80 since round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0); 0.925 before, 74 of 80 (dev14_oos_queries.json, written in round 13 before the "after" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev15: 桐野原市, a fictional commuter city of 190,000 in 東京都
		// (多摩地域) — 75 entries (E001–E075, 21 categories; 11 on
		// 児童扶養手当, 6 on 児童手当, 4 on 東京都の児童育成手当, 6 on the
		// medical subsidies マル親・マル乳・マル子・マル青, 2 on 018サポート)
		// and 300 labelled questions (254 in scope, 46 out of scope) by
		// two writers who saw only the FAQ: commuters typing on a phone
		// (keywords, the nicknames people in 東京都 use, English mixed in,
		// voice-input misconversions, やさしい日本語 from foreign-born
		// parents), and people asking with conditions or for someone else
		// (grandparents, a new partner, a parent in 離婚調停, a family moved
		// in from 地方; a programme already received named on the way to
		// another). Measured once before and once after issue 16's
		// fourteenth round (main 0dfc8de: top-1 0.874, top-3 0.961,
		// rejection 0.957, right 0.441, wrong 0.008; main 237031c: 0.886,
		// 0.965, 0.957, 0.429, 0.008), then opened (its failures were
		// read). Floors at 237031c's figures (openedFAQs: not in the fits
		// nor the library then); in both fits and the library since round
		// 15 (its own questions out of the library here).
		name:      "dev15",
		top1:      0.917, // 233 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the re-ranker refitted with dev26 and the money-help inputs in has 1 fewer of its questions' right entries first; 234 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 233 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 225 of 254 before
		top3:      0.988, // 251 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 245 of 254 before
		rejection: 0.913, // 42 of 46 since round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0); 0.934 before, 0.935 since round 15 (i16ad: dev15 in both fits and the library, the re-ranker's ×long inputs, 0.885 / 0.835, margin 0); 44 of 46
		wrong:     0.020, // 5 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 4 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 5 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 3 of 254 since round 20 (i20b: the re-ranker refitted with the sibling-aspect inputs, before i20a's confidence refit: 「全部支給と一部支給の分かれ目の収入は…どのくらい」 asks income and amount alike, and the amount sibling wins); 2 of 254 before
		right:     0.602, // 153 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 157 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 156 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 109 of 254 before
		oos:       0.900, // 72 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 73 of 80 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 74 of 80 since round 21 (i21a: dev21 in both fits and the library, i21b's words, Long dropped from the confidence model, 0.875 / 0.745, margin 0.005; two more extra out-of-scope questions answered by the refitted model at the same thresholds; nested, thresholds chosen without dev15, 92.1 % of its 126 out-of-scope questions rejected); 76 of 80 before (dev15_oos_queries.json, written in round 14 before the "after" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev16: 淀見台市, a fictional commuter city of 110,000 in 大阪府
		// (北河内) — 75 entries (W001–W075, 21 categories; 13 on
		// 児童扶養手当, 6 on 児童手当, 5 on the medical subsidies
		// (ひとり親家庭医療費助成 and 子ども医療費助成), 5 on 就学・進学
		// (就学援助, the city's 塾代助成 and 入学準備金)) and 300 labelled
		// questions (254 in scope, 46 out of scope) by two writers who
		// saw only the FAQ: residents writing LINE-style in Kansai speech
		// (slang and nicknames: シンママ, 母子手当, 児扶, マル福; flick-input
		// typos; grandparents in ひらがな), and careful or anxious writers
		// (long polite messages, fear that an ex-partner finds out, life
		// events, parents writing Japanese as a second language, two or
		// three questions in one). Measured once before and once after
		// issue 16's fifteenth round (main 5d8ed77: top-1 0.917, top-3
		// 0.984, rejection 1.0, right 0.469, wrong 0.0; main 9296fd9:
		// 0.913, 0.976, 1.0, 0.547, 0.0), then opened (its failures were
		// read). Floors at 9296fd9's figures (openedFAQs: not in the fits
		// nor the library then); in both fits and the library since round
		// 16 (its own questions out of the library here).
		name:      "dev16",
		top1:      0.944, // 240 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 239 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 232 of 254 before
		top3:      0.992, // 252 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 248 of 254 before
		rejection: 0.956, // 44 of 46 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 42 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 43 of 46 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 45 of 46 since round 17 (i17a: dev17 in both fits and the library, the library's candidates, i17b's data, 0.91 / 0.78, margin 0); 46 of 46 before
		wrong:     0.004, // 1 of 254 since round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0); 0.0 before, 0 of 254
		right:     0.700, // 178 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 177 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 179 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 173 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 123 of 254 since round 17 (i17a: dev17 in both fits and the library, the library's candidates, i17b's data, 0.91 / 0.78, margin 0); 139 of 254 before
		oos:       0.900, // 72 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 71 of 80 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 74 of 80 since round 16 (i16af: dev16 in both fits and the library, i16ag's data, 0.87 / 0.82, margin 0); 0.937 before, 75 of 80 (dev16_oos_queries.json, written in round 15 before the "after" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev17: 陽ヶ原市, a fictional city of 72,000 in 北海道 (十勝) —
		// 75 entries (D001–D075, 22 categories; 12 on 児童扶養手当, 6 on
		// 児童手当, 6 on the medical subsidies (ひとり親家庭等医療費助成 and
		// 子ども医療費助成), the city's 福祉灯油, 通学定期券助成 and
		// 除雪サービス) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ, under a harder brief
		// (half the in-scope questions without the programme's name):
		// residents in 北海道弁, many by voice input (no punctuation,
		// homophone misconversions: 自動扶養手当, 元気用届け), 自衛官
		// families, fathers alone, grandparents raising grandchildren in
		// ひらがな; and careful or anxious writers and parents writing
		// Japanese as a second language or English (life events told as
		// stories, two or three questions in one, concrete numbers).
		// Measured once before and once after issue 16's sixteenth round
		// (main fd3d832: top-1 0.811, top-3 0.921, rejection 1.0, right
		// 0.358, wrong 0.016; main 123738b: 0.823, 0.917, 1.0, 0.413,
		// 0.016), then opened (its failures were read). Floors at
		// 123738b's figures (openedFAQs: not in the fits nor the library
		// then); in both fits and the library since round 17 (its own
		// questions out of the library here).
		name:      "dev17",
		top1:      0.905, // 230 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the re-ranker refitted with dev26 and the money-help inputs in has 1 fewer of its questions' right entries first; 231 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries first; 232 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 209 of 254 before
		top3:      0.984, // 250 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 233 of 254 before
		rejection: 0.978, // 45 of 46 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 46 of 46 before
		wrong:     0.000, // 0 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 4 of 254 before
		right:     0.535, // 136 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 142 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 151 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 140 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 80 of 254 since round 17 (i17a: dev17 in both fits and the library, the library's candidates, i17b's data, 0.91 / 0.78, margin 0); 105 of 254 before
		oos:       0.962, // 77 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 76 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 74 of 80 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 76 of 80 (dev17_oos_queries.json, written in round 16 before the "after" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev18: 青松市, a fictional city of 96,000 in 愛知県 (西三河) —
		// 75 entries (G001–G075, 21 categories; 12 on 児童扶養手当, 6 on
		// 児童手当, 5 on the medical subsidies (母子・父子家庭医療費助成 and
		// 子ども医療費助成), 3 on 遺児手当 (愛知県's and the city's own,
		// paid beside 児童扶養手当), the city's 夜間・休日保育, 上下水道料金
		// 減免 and interpreters for foreign residents) and 300 labelled
		// questions (254 in scope, 46 out of scope) by two writers who saw
		// only the FAQ, under round 16's harder brief: residents in 三河弁
		// and 名古屋弁, shift workers typing after a night shift
		// (flick-input misconversions: 自動扶養手当, 医寮証, 遺児手あて),
		// grandparents in ひらがな; and careful or anxious writers and
		// parents writing Japanese as a second language (Brazilian,
		// Peruvian, Filipino, Vietnamese; English with words of Portuguese
		// or Spanish). Measured once before and once after issue 16's
		// seventeenth round (main 051dc52: top-1 0.791, top-3 0.925,
		// rejection 0.935, right 0.402, wrong 0.016; main a11dd13: 0.807,
		// 0.957, 0.978, 0.346, 0.020), then opened (its failures were
		// read). Floors at a11dd13's models with round 18's FAQ programmes
		// (遺児手当: 愛知県's against the city's), language data and the
		// partial-programme guard (openedFAQs: not in the fits nor the
		// library then: 0.854, 0.984, 1.0, 0.334, 0.008); in both fits and
		// the library since round 18 (its own questions out of the library
		// here).
		name:      "dev18",
		top1:      0.862, // 219 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries first; 220 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 216 of 254 since round 18 (i18a: dev18 in both fits and the library, i18b's data, the rankmargin and long inputs, 0.90 / 0.77, margin 0); 217 before
		top3:      0.980, // 249 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries among the first three; 250 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 248 of 254 since round 18 (i18a: dev18 in both fits and the library, i18b's data, the rankmargin and long inputs, 0.90 / 0.77, margin 0); 250 before
		rejection: 0.978, // 45 of 46 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 44 of 46 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 43 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 44 of 46 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005); 1.000 before, 46 of 46
		wrong:     0.012, // 3 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 2 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 3 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 2 of 254 before
		right:     0.503, // 128 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 132 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 139 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 131 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 92 of 254 since round 18 (i18a: dev18 in both fits and the library, i18b's data, the rankmargin and long inputs, 0.90 / 0.77, margin 0); 85 before
		oos:       0.925, // 74 of 80 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005); 0.975 before, 78 of 80 (dev18_oos_queries.json, written in round 17 before the "after" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev19: 大鶴市, a fictional city of 88,000 in 福岡県 (筑後) —
		// 75 entries (F001–F075, 22 categories; 12 on 児童扶養手当, 6 on
		// 児童手当, 5 on the medical subsidies (ひとり親家庭等医療費支給制度
		// and 子ども医療費支給制度), the city's own 入学祝金 (beside 就学援助's
		// 新入学学用品費) and 自動車運転免許取得費補助, 早朝保育 for farm and
		// shift workers, 福岡県ひとり親サポートセンター, a flood-relief
		// entry and interpreters for foreign residents) and 300 labelled
		// questions (254 in scope, 46 out of scope) by two writers who saw
		// only the FAQ, under round 16's harder brief: residents in 筑後弁
		// and 博多弁, strawberry and 海苔 farm workers and shift workers
		// (misconversions: 受給者症, 入学祝い菌), grandparents in ひらがな;
		// and careful or anxious writers and parents writing Japanese as a
		// second language (Vietnamese, Nepalese, Indonesian, Filipino;
		// romaji, English). Measured once before and once after issue 16's
		// eighteenth round (main 943fd18: top-1 0.858, top-3 0.957,
		// rejection 0.957, right 0.287, wrong 0.004; main 1dbeb66: 0.854,
		// 0.957, 0.957, 0.343, 0.004), then opened (its failures were
		// read). Floors at 1dbeb66's figures (openedFAQs: not in the fits
		// nor the library then); in both fits and the library since round
		// 19 (its own questions out of the library here, but the re-ranker
		// and the confidence model have seen its labels: in sample).
		name:      "dev19",
		top1:      0.913, // 232 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 230 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 217 of 254 before
		top3:      0.980, // 249 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 248 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries among the first three; 249 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 243 of 254 before
		rejection: 0.978, // 45 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 43 of 46 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 44 of 46 before
		wrong:     0.000, // 0 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 1 of 254 before
		right:     0.519, // 132 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 134 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 135 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 127 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 87 of 254 before
		oos:       0.937, // 75 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 76 of 80 since round 19 (i19a: dev19 in both fits and the library, i19b's data, per-FAQ wrong bound 1.75 %, 0.87 / 0.74, margin 0.005); 0.962 before, 77 of 80 (dev19_oos_queries.json, written in round 18 before the "after" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev20: 雪見沢市, a fictional city of 79,000 in 新潟県 (中越) —
		// 75 entries (Y001–Y075, 20 categories; 13 on 児童扶養手当, 7 on
		// 児童手当, 6 on the medical subsidies, the city's own 民間賃貸住宅
		// 家賃助成 (beside 市営・県営住宅's priority), 学習塾・習い事 費用助成
		// 「まなびクーポン」 (beside the 学習支援教室 and 就学援助), 病児保育
		// booked online, winter 除雪 help and interpreters for foreign
		// residents) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ, under round 16's
		// harder brief: residents typing late at night or in a break, many
		// in 新潟弁 / 中越弁, shift workers, nurses, grandparents in ひらがな;
		// and careful or anxious writers and parents writing Japanese as a
		// second language (Chinese, Filipino, Sri Lankan, Myanmar; English,
		// Tagalog). Measured once before and once after issue 16's
		// nineteenth round (main b2dc08a: top-1 0.850, top-3 0.969,
		// rejection 1.000, right 0.429, wrong 0.008; lead 968f28a: 0.874,
		// 0.969, 0.957, 0.476, 0.016), then opened (its failures were
		// read). Floors at 968f28a's figures (openedFAQs: not in the fits
		// nor the library).
		name:      "dev20",
		top1:      0.933, // 237 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 235 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 222 of 254 before
		top3:      0.988, // 251 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries among the first three; 252 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 246 of 254 before
		rejection: 0.956, // 44 of 46
		wrong:     0.016, // 4 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 3 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 4 of 254 before
		right:     0.594, // 151 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 149 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 152 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 143 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 121 of 254 before
		oos:       0.900, // 72 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 69 of 80 (dev20_oos_queries.json, written in round 19 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev21: 潮凪市, a fictional city of 68,000 in 香川県 (西讃) on the
		// Seto Inland Sea, with two islands reached by ferry — 72 entries
		// (P001–P072, 20 categories; 13 on 児童扶養手当, 6 on 児童手当, 6 on
		// the medical subsidies, the city's own 運転免許取得費助成 (beside
		// 自立支援教育訓練給付金), 島しょ部 高校生 通学費補助 (beside 高校生等
		// 奨学給付金 and 就学援助), a フードパントリー, ひとり親家庭等日常生活
		// 支援事業 (beside ファミリー・サポート and 一時預かり), 制服リユース and
		// a 無料学習会) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ, under round 16's
		// harder brief: residents typing at night, before an early factory
		// shift or on the ferry, many in 讃岐弁, shift workers with
		// misconversions, grandparents on the islands in ひらがな; and careful
		// or anxious writers and parents writing Japanese as a second
		// language (Vietnamese, Indonesian, Nepali, Filipino; English).
		// Measured once before and once after issue 16's twentieth round
		// (main e9e02c6: top-1 0.850, top-3 0.945, rejection 0.978, right
		// 0.453, wrong 0.004; lead 71b1888: 0.843, 0.945, 1.000, 0.429,
		// 0.008), then opened (its failures were read). Floors at
		// 71b1888's figures (openedFAQs: not in the fits nor the library).
		name:      "dev21",
		top1:      0.897, // 228 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 227 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 214 of 254 before
		top3:      0.976, // 248 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 247 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 240 of 254 before
		rejection: 0.978, // 45 of 46 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 46 of 46 before
		wrong:     0.012, // 3 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 2 of 254 before
		right:     0.578, // 147 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 144 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 154 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 143 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 109 of 254 before
		oos:       0.862, // 69 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 68 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 67 of 80 (dev21_oos_queries.json, written in round 20 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev22: 稲倉市, a fictional city of 43,000 in 秋田県 (県南, 横手盆地)
		// with heavy snow — 72 entries (C001–C072, 22 categories; 13 on
		// 児童扶養手当, 6 on 児童手当, 6 on the medical subsidies, the city's
		// own 福祉灯油購入費助成 and 雪下ろし・除排雪費用助成 (beside each
		// other and the hardship desk), 高校生 通学定期券補助 (beside 高校生等
		// 奨学給付金 and 就学援助), a ひとり親 移住定住応援金, a 子ども食堂・
		// 学習支援 and the 学童 fee reduction) and 300 labelled questions
		// (254 in scope, 46 out of scope) by two writers who saw only the
		// FAQ, under round 16's harder brief: residents typing after the
		// children are asleep, before an early shift at a care home or a
		// sewing factory, or after clearing snow, some in 秋田弁, shift
		// workers with misconversions, grandparents in ひらがな; and careful
		// or anxious writers and parents writing Japanese as a second
		// language (Chinese, Filipino, Vietnamese, Myanmar; English).
		// Measured once before and once after issue 16's twenty-first
		// round (main c12be8f: top-1 0.894, top-3 0.969, rejection 0.978,
		// right 0.488, wrong 0.004; lead 125afe0: 0.890, 0.976, 0.957,
		// 0.488, 0.004), then opened (its failures were read). Floors at
		// 125afe0's figures (openedFAQs: not in the fits nor the library
		// then); in both fits and the library since round 22 (measured
		// here with its own questions out of the library, as a new FAQ).
		name:      "dev22",
		top1:      0.917, // 233 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 230 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 2 fewer of its questions' right entries first; 232 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 226 of 254 before
		top3:      0.976, // 248 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 247 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries among the first three; 248 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 247 of 254 since round 22 (i22b: dev22 in the re-ranker's fit, no ranking change; left out 97.6 %); 248 of 254 before
		rejection: 0.956, // 44 of 46 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 43 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 44 of 46 before
		wrong:     0.008, // 2 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 3 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 2 of 254 since round 22 (i22a: dev22 in both fits and the library, rankmargin dropped from the confidence model, 0.885 / 0.755, margin 0.005: the refitted model also answers 「BCG 里帰り先 県外 払い戻し」 with the 予防接種 entry C025 instead of C058, ranked second; nested, model and thresholds chosen without dev22, 2 of 254 too, 0.8 %); 1 of 254 before
		right:     0.594, // 151 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 155 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 156 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 143 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 120 of 254 since round 22 (the same refit: the bar rose from 0.875 / 0.745 to 0.885 / 0.755; nested 46.9 %); 124 of 254 before
		oos:       0.962, // 77 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 76 of 80 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72) — lowered: the lower bar (0.82 / 0.72, from 0.83 / 0.73) answers more; P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 78 of 80 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 79 of 80 (dev22_oos_queries.json, written in round 21 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev23: 安芸野市, a fictional city of 38,000 on the coast of 高知県
		// (東部) — 72 entries (L001–L072, 22 categories; 13 on 児童扶養手当,
		// 6 on 児童手当, 6 on the medical subsidies, the city's own 家賃補助
		// (beside 市営・県営住宅), 運転免許取得費助成 (beside 自立支援教育訓練
		// 給付金), 入学応援金 (beside 就学援助's 入学準備金 and 就学支度資金),
		// 中学3年生 塾代助成, 季節保育 in the 柚子 and greenhouse busy season
		// and 水道基本料金の減免) and 300 labelled questions (254 in scope,
		// 46 out of scope) by two writers who saw only the FAQ, under round
		// 16's harder brief: residents typing after the children are asleep,
		// before dawn before the boat or the greenhouse, or after a night
		// shift, half of one writer's in 土佐弁, shift workers with
		// misconversions, grandparents in ひらがな; and careful or anxious
		// writers and parents writing Japanese as a second language
		// (Filipino, Indonesian, Vietnamese, Nepali; English). Measured once
		// before and once after issue 16's twenty-second round (main
		// 934f1ac: top-1 0.898, top-3 0.984, rejection 0.978, right 0.504,
		// wrong 0.004; lead ad86f58: 0.913, 0.988, 0.978, 0.492, 0.004),
		// then opened (its failures were read). Floors at ad86f58's figures
		// (openedFAQs: not in the fits nor the library) in round 22; in both
		// fits and the library since round 23 (i23a; its own questions out
		// of the library here, as for every development FAQ).
		name:      "dev23",
		top1:      0.925, // 235 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 231 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 2 fewer of its questions' right entries first; 233 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 232 of 254 before
		top3:      0.984, // 250 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries among the first three; 251 of 254 before
		rejection: 0.978, // 45 of 46
		wrong:     0.004, // 1 of 254
		right:     0.586, // 149 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 152 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 144 of 254 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 125 of 254 before
		oos:       0.887, // 71 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 72 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 70 of 80 since round 23 (i23a: dev23 in both fits and the library, the bar rule P2 — the most FAQs meeting 60 % right, 2 % wrong and 90 % rejection — 0.83 / 0.73); 72 of 80 (dev23_oos_queries.json, written in round 22 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev24: 大隅野市, a fictional city of 33,000 in the 大隅半島 of
		// 鹿児島県 — 72 entries (B001–B072, 21 categories; 13 on 児童扶養手当,
		// 6 on 児童手当, 6 on the medical subsidies, the city's own
		// 高校生通学費助成 (beside 高校生等奨学給付金 and 修学資金), 学校給食費の
		// 補助 (beside 就学援助), ファミサポ利用料助成 (beside 一時預かり and
		// 病児保育), 転入時の引っ越し費用助成 (beside 市営・県営住宅), 第3子以降
		// 出産祝い金 (beside 児童手当's 第3子 and 出産育児一時金) and 学童の
		// 利用料減免) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ, under round 16's
		// harder brief: residents typing before dawn before the cattle or
		// the poultry farm, after a night shift or on the base, 46 of one
		// writer's 150 in 鹿児島弁, shift workers with misconversions,
		// grandparents in ひらがな; and careful or anxious writers and
		// parents writing Japanese as a second language (Filipino,
		// Vietnamese, Myanmar, Indonesian; English). Measured once before
		// and once after issue 16's twenty-third round (main d0658c3: top-1
		// 0.882, top-3 0.988, rejection 0.891, right 0.461, wrong 0.016;
		// lead 96f50d3: 0.882, 0.984, 0.870, 0.535, 0.020), then opened
		// (its failures were read). Floors at 96f50d3's figures
		// (openedFAQs: not in the fits nor the library) in round 23; in
		// both fits and the library since round 24 (i24a; its own
		// questions out of the library here, as for every development FAQ).
		name:      "dev24",
		top1:      0.897, // 228 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 227 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 224 of 254 before
		top3:      0.992, // 252 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 250 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the re-ranker refitted with dev25 in has 1 fewer of its questions' right entries among the first three; 251 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 250 of 254 before
		rejection: 0.891, // 41 of 46 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 42 of 46 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 40 of 46 before
		wrong:     0.024, // 6 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); P2 bounds the FAQs' mean wrong share at 1 %, every FAQ at 3 % wrong and 85 % rejection, not each at 2 % and 90 %; 5 of 254 before
		right:     0.539, // 137 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the refitted model at the bar P2 chose on the twenty-six FAQs left out (0.835 / 0.705 → 0.84 / 0.74: a higher Confidence and Confirm); 139 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 142 of 254 since round 24 (i24a: dev24 in both fits and the library, the benefit gate G8, the bar rule P2 — 0.82 / 0.72); 136 of 254 before
		oos:       0.925, // 74 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74) — lowered: the models refitted with dev26 and the money-help inputs in; 75 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 74 of 80 before (dev24_oos_queries.json, written in round 23 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev25: 出羽野市, a fictional city of 46,000 in the 庄内平野 of
		// 山形県 — 72 entries (J001–J072, 21 categories; 13 on 児童扶養手当,
		// 6 on 児童手当, 6 on the medical subsidies, the city's own 新入学
		// ランドセル・制服購入費助成 (beside 就学援助's 新入学学用品費 and the
		// 福祉資金's 就学支度資金), 食料支援 (rice), 病児保育利用料助成 (beside
		// 病児保育 and 一時預かり), スポーツ・文化活動費助成, 資格試験受験料助成
		// (beside the two 給付金) and 子どもの眼鏡購入費助成 (beside 子ども
		// 医療費助成)) and 300 labelled questions (254 in scope, 46 out of
		// scope) by two writers who saw only the FAQ, under round 16's
		// harder brief: residents typing before the fish market or after a
		// night shift at the factory, 44 of one writer's 150 in 庄内弁, shift
		// workers with misconversions, grandparents in ひらがな; and careful
		// or anxious writers and parents writing Japanese as a second
		// language (Chinese, Filipino, Korean, Vietnamese, Indonesian;
		// English). Measured once before and once after issue 16's
		// twenty-fourth round (main a3f8aa9: top-1 0.854, top-3 0.969,
		// rejection 0.935, right 0.488, wrong 0.020; lead ecdf960: 0.858,
		// 0.969, 0.935, 0.524, 0.016), then opened (its failures were
		// read). Floors at ecdf960's figures (openedFAQs: not in the fits
		// nor the library) in round 24; in both fits and the library since
		// round 25 (i25a; its own questions out of the library here, as for
		// every development FAQ).
		name:      "dev25",
		top1:      0.870, // 221 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 218 of 254 before
		top3:      0.976, // 248 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 247 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 246 of 254 before
		rejection: 0.934, // 43 of 46
		wrong:     0.016, // 4 of 254
		right:     0.515, // 131 of 254 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705) — lowered: the refitted model at the bar P2 chose on the twenty-five FAQs left out (0.82 / 0.72 → 0.835 / 0.705: a higher Confidence, a lower Confirm); 133 of 254 before
		oos:       0.937, // 75 of 80 since round 25 (i25a: dev25 in both fits and the library, the bar rule P2 — 0.835 / 0.705); 74 of 80 before (dev25_oos_queries.json, written in round 24 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev26: 斐川原市, a fictional city of 52,000 in 島根県 出雲地方 —
		// 72 entries (V001–V072, 21 categories; 12 on 児童扶養手当, 6 on
		// 児童手当, 6 on the medical subsidies (福祉医療 and 子ども医療), the
		// city's own 受験料・模試代助成 (beside 就学支度資金 and 高校生等奨学
		// 給付金), 養育費確保支援 (公正証書 and 保証料, beside 養育費の相談 and
		// 離婚前後の法律相談), おむつ定期便 (beside 妊婦のための支援給付 and
		// 児童手当), 産前産後ヘルパー派遣 (beside ファミリー・サポート, 一時
		// 預かり and 日常生活支援) and the lawyer's monthly consultation) and
		// 300 labelled questions (254 in scope, 46 out of scope) by two
		// writers who saw only the FAQ, under round 16's harder brief:
		// residents typing before the しじみ boats go out or after a night
		// shift at the components factory, 47 of one writer's 150 in 出雲弁,
		// shift workers with misconversions, grandparents in ひらがな; and
		// careful or anxious writers and parents writing Japanese as a
		// second language (Portuguese, Spanish, Tagalog, Vietnamese,
		// Chinese; English). Measured once before and once after issue
		// 16's twenty-fifth round (main 765e030: top-1 0.874, top-3 0.988,
		// rejection 0.913, right 0.575, wrong 0.008; lead f9310a4: 0.894,
		// 0.988, 0.891, 0.567, 0.008), then opened (its failures were
		// read). Floors at f9310a4's figures (openedFAQs: not in the fits
		// nor the library) in round 25; in both fits and the library since
		// round 26 (i26a; its own questions out of the library here, as for
		// every development FAQ).
		name:      "dev26",
		top1:      0.893, // 227 of 254
		top3:      0.988, // 251 of 254
		rejection: 0.934, // 43 of 46 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 41 of 46 before
		wrong:     0.008, // 2 of 254
		right:     0.570, // 145 of 254 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 144 of 254 before
		oos:       0.887, // 71 of 80 since round 26 (i26a: dev26 and the money-help inputs in both fits and the library, the personal-case phrases, the bar rule P2 — 0.84 / 0.74); 70 of 80 before (dev26_oos_queries.json, written in round 25 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
	{
		// dev27: 北浦野市, a fictional city of 48,000 in 茨城県 鹿行地域 —
		// 72 entries (A001–A072, 21 categories; 13 on 児童扶養手当, 6 on
		// 児童手当, 6 on the three マル福 (母子・父子, 小児, 妊産婦), the
		// city's own 自動車運転免許取得費助成 (beside 自立支援教育訓練給付金
		// and 高等職業訓練促進給付金), 民間賃貸住宅家賃補助 (beside 公営住宅
		// and 転宅資金), 学習支援教室「まなびば」 (beside 就学援助 and 高校生等
		// 奨学給付金), フードパントリー, 産後ケア (beside 赤ちゃん訪問 and
		// 妊婦のための支援給付) and 病児・病後児保育 (beside ファミリー・
		// サポート and 一時預かり)) and 300 labelled questions (254 in scope,
		// 46 out of scope) by two writers who saw only the FAQ: residents
		// typing before the fields or between plant shifts, 46 of one
		// writer's 150 in 茨城弁, misconversions; and people asking on
		// someone else's behalf (some by voice input) and parents writing
		// Japanese as a second language (Tagalog, Indonesian, Vietnamese,
		// Thai, Chinese; English). Measured once before and once after
		// issue 16's twenty-sixth round (main 35cfa9a: top-1 0.850, top-3
		// 0.969, rejection 0.935, right 0.531, wrong 0.024; lead cb539b0:
		// 0.854, 0.969, 0.935, 0.516, 0.024), then opened (its failures were
		// read). Floors at cb539b0's figures (openedFAQs: not in the fits
		// nor the library).
		name:      "dev27",
		top1:      0.854, // 217 of 254
		top3:      0.968, // 246 of 254
		rejection: 0.934, // 43 of 46
		wrong:     0.024, // 6 of 254
		right:     0.515, // 131 of 254
		oos:       0.900, // 72 of 80 (dev27_oos_queries.json, written in round 26 before the "before" measurement by a writer who saw only the FAQ; not part of the held-out measurement)
	},
}

// TestOwnFAQ keeps each development FAQ without sample phrasings at or
// above its floors (ownFAQFloors), loaded and matched as `onestop faq
// eval` does (ownFAQReport); every such FAQ of devFAQs and openedFAQs has
// a row, and its extra out-of-scope set a floor.
func TestOwnFAQ(t *testing.T) {
	skipUnderRace(t)
	floors := map[string]ownFAQFloor{}
	for _, f := range ownFAQFloors {
		floors[f.name] = f
	}
	for _, x := range append(slices.Clone(devFAQs), openedFAQs...) {
		if x.name == "default_qa" {
			continue // floors per query set in TestAccuracy
		}
		tt, ok := floors[x.name]
		require.True(t, ok, "development FAQ %s has no row in ownFAQFloors", x.name)
		delete(floors, x.name)
		require.Equal(t, tt.oos > 0, len(x.sets) > 1, "%s: a floor for its extra out-of-scope set exactly when devFAQs lists one", x.name)
		t.Run(x.name, func(t *testing.T) {
			rep := ownFAQReport(t, x.faq, x.sets[0])
			assert.GreaterOrEqual(t, rep.Top1, tt.top1, "top-1")
			assert.GreaterOrEqual(t, rep.Top3, tt.top3, "top-3")
			assert.GreaterOrEqual(t, rep.Rejection, tt.rejection, "out-of-scope rejection")
			assert.LessOrEqual(t, rep.AnsweredWrong, tt.wrong, "wrong direct answers")
			assert.GreaterOrEqual(t, rep.AnsweredCorrect, tt.right, "right direct answers")
			if tt.oos == 0 {
				return
			}
			rep = ownFAQReport(t, x.faq, x.sets[1])
			require.Equal(t, rep.Queries, rep.OutOfScope, "%s holds out-of-scope questions only", x.sets[1])
			assert.GreaterOrEqual(t, rep.Rejection, tt.oos, "rejection of %s", x.sets[1])
		})
	}
	assert.Empty(t, floors, "rows of ownFAQFloors for FAQs neither devFAQs nor openedFAQs lists")
}

// ownFAQReport evaluates a municipality's own FAQ (testdata/faq, with the
// default KB's contacts and readings, as `onestop faq eval` loads it) on its
// labelled questions, and logs the figures.
func ownFAQReport(t *testing.T, faq, queries string) chatbot.EvalReport {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	kb, err := chatbot.LoadFile(context.Background(), "../testdata/"+faq)
	require.NoError(t, err)
	def, err := chatbot.Default()
	require.NoError(t, err)
	// The FAQ's own questions are in the resident-question library: out.
	m, err := chatbot.Compile(kb.WithDefaults(def), chatbot.WithReadings(d), ownOut(strings.TrimSuffix(strings.TrimSuffix(faq, "_faq.csv"), "_qa.csv")))
	require.NoError(t, err)
	qs := loadQueries(t, queries)
	require.NoError(t, chatbot.CheckQueries(m.KnowledgeBase(), qs))
	rep := chatbot.Evaluate(m, qs)
	t.Logf("top-1 %.3f top-3 %.3f MRR %.3f rejection %.3f right %.3f wrong %.3f", rep.Top1, rep.Top3, rep.MRR, rep.Rejection, rep.AnsweredCorrect, rep.AnsweredWrong)
	return rep
}

// TestReadingsNotGrammar: a reading that is far more often grammar, a
// pronoun, a loanword or a number in a question than the noun it also reads
// makes no rule (round 14; readingStop): 「なくしてしまいました」 does not
// name 姉妹 because the FAQ says 兄弟姉妹 somewhere. The nouns are in the
// FAQ's text; the questions write the kana in their everyday sense.
func TestReadingsNotGrammar(t *testing.T) {
	d, err := dict()
	require.NoError(t, err)
	const csv = "ID,問い合わせ文,応答文,カテゴリ\n" +
		"a,扶養義務者とはだれですか。,同居の父母・祖父母・兄弟姉妹などです。委員会の行為、意見の依頼、寝具、切手は別です。,手当\n" +
		"b,事業の委託について,倒産した会社の機能や、令和6年以降の加算、その事由、お渡しする書類を説明します。,手当\n" +
		"c,児童扶養手当の申請,申請は窓口でします。,手当\n"
	kb, err := chatbot.LoadCSV(strings.NewReader(csv), "grammar.csv", chatbot.CSVOptions{})
	require.NoError(t, err)
	m, err := chatbot.Compile(kb, chatbot.WithReadings(d))
	require.NoError(t, err)
	for _, tt := range []struct{ q, not string }{
		{"母子手帳をなくしてしまいました", "姉妹"},
		{"わたしの しんせいしょ とどいてますか", "渡"},
		{"証人って誰でもいいんですか", "委員"},
		{"こういう場合でももらえますか", "行為"},
		{"転校の手続きってどうすればいい", "切手"},
		{"3割払わんといけんの", "意見"},
		{"シングルだと保育園入りやすい？", "寝具"},
		{"ひとりおやの いりょうしょう おとうさんも もらえる？", "倒産"},
		{"トワイライトステイ", "依頼"},
		{"子どもは会いたくないみたいです", "委託"},
		{"きのう離婚届を出しました", "機能"},
		{"ぼしてちょう さいこうふ できる？", "以降"},
		{"ケースワーカーさんに聞きづらい", "加算"},
		{"ねんしゅう ひゃくきゅうじゅうまん", "事由"},
	} {
		assert.NotContains(t, m.Canonical(tt.q), tt.not, tt.q)
	}
	// The readings that are no grammar still make their rules.
	assert.Equal(t, "児童扶養手当", m.Canonical("じどうふようてあて"))
	assert.Contains(t, m.Canonical("ふようぎむしゃ"), "扶養義務者")
}
