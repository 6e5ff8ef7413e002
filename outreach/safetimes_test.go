package outreach

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jt is a time in Japan.
func jt(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, jst) }

var allDay = SendingHours{From: 0, To: 24 * time.Hour}

func TestParseSafeTimes(t *testing.T) {
	// 2026-12-07 is a Monday; 2026-12-05 a Saturday; 2026-11-23 a
	// Monday holiday (勤労感謝の日).
	mon := func(h, m int) time.Time { return jt(2026, 12, 7, h, m) }
	sat := func(h, m int) time.Time { return jt(2026, 12, 5, h, m) }
	hol := func(h, m int) time.Time { return jt(2026, 11, 23, h, m) }
	wed := func(h, m int) time.Time { return jt(2026, 12, 9, h, m) }
	for _, c := range []struct {
		in      string
		allowed []time.Time
		refused []time.Time
	}{
		{"", []time.Time{mon(3, 0), sat(23, 0)}, nil},
		{"平日9時〜12時", []time.Time{mon(9, 0), mon(11, 59)}, []time.Time{mon(8, 59), mon(12, 0), sat(10, 0), hol(10, 0)}},
		{"平日９時～１２時", []time.Time{mon(9, 0)}, []time.Time{mon(12, 0)}},
		{"平日 10:00-16:00", []time.Time{mon(10, 0), mon(15, 59)}, []time.Time{mon(16, 0)}},
		{"土日祝日", []time.Time{sat(8, 0), hol(20, 0)}, []time.Time{mon(10, 0)}},
		{"平日9時〜12時、土日祝日", []time.Time{mon(9, 30), sat(15, 0), hol(15, 0)}, []time.Time{mon(13, 0)}},
		{"平日17時以降", []time.Time{mon(17, 0), mon(23, 59)}, []time.Time{mon(16, 59), sat(18, 0)}},
		{"土日の午前中", []time.Time{sat(9, 0), sat(11, 59)}, []time.Time{sat(12, 0), mon(10, 0)}},
		{"月・水・金 9時～17時", []time.Time{mon(9, 0), wed(16, 0)}, []time.Time{jt(2026, 12, 8, 10, 0), sat(10, 0)}},
		{"月曜から金曜の9時から17時", []time.Time{wed(12, 0), hol(12, 0)}, []time.Time{sat(12, 0), mon(17, 0)}},
		{"月〜金 午後3時〜5時", []time.Time{mon(15, 0), mon(16, 59)}, []time.Time{mon(14, 59), mon(17, 0)}},
		{"午前10時〜午後2時", []time.Time{sat(10, 0), sat(13, 59)}, []time.Time{sat(14, 0)}},
		{"夜7時以降", []time.Time{mon(19, 0)}, []time.Time{mon(18, 59)}},
		{"いつでも", []time.Time{mon(3, 0)}, nil},
		{"24時間OK", []time.Time{mon(3, 0)}, nil},
		{"夜は避けてください", []time.Time{mon(17, 59)}, []time.Time{mon(18, 0), mon(23, 0)}},
		{"18時以降は不可", []time.Time{mon(17, 59)}, []time.Time{mon(18, 0)}},
		{"土日は避けて", []time.Time{mon(10, 0)}, []time.Time{sat(10, 0), jt(2026, 12, 6, 10, 0)}},
		{"平日以外", []time.Time{sat(10, 0), hol(10, 0)}, []time.Time{mon(10, 0)}},
		{"12時まで", []time.Time{mon(11, 0)}, []time.Time{mon(12, 0)}},
		{"10時頃", []time.Time{mon(10, 30)}, []time.Time{mon(11, 0), mon(9, 59)}},
		{"22時〜6時", []time.Time{mon(23, 0), mon(5, 0)}, []time.Time{mon(6, 0), mon(21, 59)}},
		{"平日の日中でお願いします", []time.Time{mon(9, 0), mon(16, 59)}, []time.Time{mon(17, 0), sat(12, 0)}},
		{"平日9時〜12時。「市役所」と名乗らないでください", []time.Time{mon(9, 0)}, []time.Time{mon(13, 0)}},
		{"平日10時〜15時が良いです", []time.Time{mon(10, 0)}, []time.Time{mon(15, 0)}},
	} {
		st, err := ParseSafeTimes(c.in)
		require.NoError(t, err, c.in)
		for _, a := range c.allowed {
			assert.True(t, st.Allows(a, allDay), "%q should allow %v", c.in, a)
		}
		for _, r := range c.refused {
			assert.False(t, st.Allows(r, allDay), "%q should refuse %v", c.in, r)
		}
	}
}

func TestParseSafeTimesUnclear(t *testing.T) {
	for _, in := range []string{
		"夫がいる時はだめ",        // a condition on someone else: cannot be planned
		"仕事の休みの日",         // which days?
		"平日9時〜",           // fine: from 9 (checked below)
		"平日9時〜12時（昼休み除く）", // 除く is not read
		"水曜はパートなので不可",     // パート is not read
		"9時〜",
		"〜",
		"25時",
	} {
		st, err := ParseSafeTimes(in)
		switch in {
		case "平日9時〜", "9時〜":
			require.NoError(t, err, in)
			assert.True(t, st.Allows(jt(2026, 12, 7, 22, 0), allDay), in)
			continue
		}
		var se *SafeTimesError
		require.ErrorAs(t, err, &se, "%q", in)
		assert.ErrorIs(t, err, ErrSafeTimes)
		assert.NotContains(t, err.Error(), in, "the person's words stay out of the message")
	}
}

func TestNextWindow(t *testing.T) {
	hours := DefaultSendingHours
	st, err := ParseSafeTimes("平日9時〜12時")
	require.NoError(t, err)
	// Friday 2026-12-04 at 13:00: the next window is Monday 9:00–12:00.
	a, b, ok := st.Next(jt(2026, 12, 4, 13, 0), hours, 14)
	require.True(t, ok)
	assert.Equal(t, jt(2026, 12, 7, 9, 0), a)
	assert.Equal(t, jt(2026, 12, 7, 12, 0), b)
	// Inside the window: now; 11:50 leaves too little time, so tomorrow.
	a, _, _ = st.Next(jt(2026, 12, 7, 10, 0), hours, 14)
	assert.Equal(t, jt(2026, 12, 7, 10, 0), a)
	a, _, _ = st.Next(jt(2026, 12, 7, 11, 50), hours, 14)
	assert.Equal(t, jt(2026, 12, 8, 9, 0), a)

	// Sending hours cut a person's "いつでも" and "夜".
	st, _ = ParseSafeTimes("いつでも")
	a, b, _ = st.Next(jt(2026, 12, 7, 22, 0), hours, 14)
	assert.Equal(t, jt(2026, 12, 8, 9, 0), a)
	assert.Equal(t, jt(2026, 12, 8, 20, 0), b)
	st, _ = ParseSafeTimes("22時〜6時")
	_, _, ok = st.Next(jt(2026, 12, 7, 10, 0), hours, 14)
	assert.False(t, ok, "only night: never inside the sending hours")

	// Holidays: 年末 is no holiday, 2027-01-01 is.
	st, _ = ParseSafeTimes("祝日の午前中")
	a, _, ok = st.Next(jt(2026, 12, 24, 10, 0), hours, 14)
	require.True(t, ok)
	assert.Equal(t, jt(2027, 1, 1, 9, 0), a)
	_, _, ok = st.Next(jt(2027, 1, 2, 10, 0), hours, 5)
	assert.False(t, ok, "no holiday within the horizon")
}

func FuzzParseSafeTimes(f *testing.F) {
	for _, s := range []string{"平日9時〜12時、土日祝日", "夜は避けてください", "月・水・金 9時～17時", "22時〜6時", "24時間", "午後3時〜5時",
		"月〜", "・月", "と日", "9:", "99時", "〜〜", "(((", "平日以外は不可"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseSafeTimes(s)
		if err != nil {
			var se *SafeTimesError
			if !errors.As(err, &se) || se.Part < 1 {
				t.Fatalf("error %v is not a *SafeTimesError with a part", err)
			}
			return
		}
		from := jt(2026, 12, 4, 13, 7)
		a, b, ok := st.Next(from, DefaultSendingHours, 14)
		if !ok {
			return
		}
		if a.Before(from) || b.Sub(a) < minWindow*time.Minute {
			t.Fatalf("window %v–%v from %v", a, b, from)
		}
		for x := a; x.Before(b); x = x.Add(7 * time.Minute) {
			if !st.Allows(x, DefaultSendingHours) {
				t.Fatalf("%q: window %v–%v holds a refused instant %v", s, a, b, x)
			}
		}
	})
}
