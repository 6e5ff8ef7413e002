package consent

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func basicProvision() Provision {
	return permit([]Recipient{rDesk, rKosodate}, []Purpose{PurposeConsultation, PurposeSharing},
		[]Action{ActionView}, []Category{CategoryIdentity, CategoryContact})
}

func TestConsentValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Consent)
		paths  []string // problem paths expected; none means valid
	}{
		{"valid self consent", func(c *Consent) {}, nil},
		{"valid legal representative", func(c *Consent) {
			c.Subject = child
			c.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
		}, nil},
		{"valid verbal with witness", func(c *Consent) {
			c.Evidence = Evidence{Channel: ChannelVerbal, Witness: staffB, RecordedBy: staffA}
		}, nil},
		{"valid wildcard and named sensitive", func(c *Consent) {
			c.Provisions[0].Categories = []Category{CategoryAny, CategoryHealthDisability}
		}, nil},
		{"valid open-ended period", func(c *Consent) { c.Period.End = time.Time{} }, nil},
		{"missing ids", func(c *Consent) { c.ID, c.Subject, c.Manager = "", "", "" },
			[]string{"id", "subject", "grantor.person", "manager"}},
		{"id with space", func(c *Consent) { c.ID = "c 1" }, []string{"id"}},
		{"id too long", func(c *Consent) { c.ID = strings.Repeat("x", 129) }, []string{"id"}},
		{"self but other person", func(c *Consent) { c.Grantor.Person = child }, []string{"grantor.person"}},
		{"representative of self", func(c *Consent) {
			c.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
		}, []string{"grantor.person"}},
		{"representative without basis", func(c *Consent) {
			c.Subject = child
			c.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative}
		}, []string{"grantor.basis"}},
		{"no capacity", func(c *Consent) { c.Grantor.Capacity = 0 }, []string{"grantor.capacity"}},
		{"no given_at", func(c *Consent) { c.GivenAt = time.Time{} }, []string{"given_at"}},
		{"no period", func(c *Consent) { c.Period = Period{} }, []string{"period.start"}},
		{"end before start", func(c *Consent) { c.Period.End = c.Period.Start }, []string{"period.end"}},
		{"bad notice", func(c *Consent) { c.Notice = Notice{TextHash: "ABC", Language: "japanese"} },
			[]string{"notice.version", "notice.text_hash", "notice.language", "notice.shown_at"}},
		{"uppercase hash", func(c *Consent) { c.Notice.TextHash = strings.ToUpper(HashNotice("x")) },
			[]string{"notice.text_hash"}},
		{"notice after consent", func(c *Consent) { c.Notice.ShownAt = c.GivenAt.Add(time.Second) },
			[]string{"notice.shown_at"}},
		{"verbal without witness", func(c *Consent) {
			c.Evidence = Evidence{Channel: ChannelVerbal, RecordedBy: staffA}
		}, []string{"evidence.witness"}},
		{"verbal witness is recorder", func(c *Consent) {
			c.Evidence = Evidence{Channel: ChannelVerbal, Witness: staffA, RecordedBy: staffA}
		}, []string{"evidence.witness"}},
		{"paper without ref", func(c *Consent) { c.Evidence.Ref = " " }, []string{"evidence.ref"}},
		{"no channel", func(c *Consent) { c.Evidence.Channel = 0 }, []string{"evidence.channel"}},
		{"no recorder", func(c *Consent) { c.Evidence.RecordedBy = "" }, []string{"evidence.recorded_by"}},
		{"no provisions", func(c *Consent) { c.Provisions = nil }, []string{"provisions"}},
		{"empty permit lists", func(c *Consent) { c.Provisions = []Provision{{}} }, []string{
			"provisions[0].recipients", "provisions[0].purposes", "provisions[0].actions", "provisions[0].categories"}},
		{"My Number never", func(c *Consent) { c.Provisions[0].Categories = []Category{CategoryMyNumber} },
			[]string{"provisions[0].categories[0]"}},
		{"My Number not even in an exception", func(c *Consent) {
			c.Provisions[0].Exceptions = []Provision{{Categories: []Category{CategoryMyNumber}}}
		}, []string{"provisions[0].exceptions[0].categories[0]"}},
		{"duplicates", func(c *Consent) {
			p := &c.Provisions[0]
			p.Recipients = append(p.Recipients, rDesk)
			p.Purposes = append(p.Purposes, PurposeSharing)
			p.Actions = append(p.Actions, ActionView)
			p.Categories = append(p.Categories, CategoryContact, CategoryAny, CategoryAny)
		}, []string{"provisions[0].recipients[2].code", "provisions[0].purposes[2]", "provisions[0].actions[1]",
			"provisions[0].categories[2]", "provisions[0].categories[4]"}},
		{"invalid codes", func(c *Consent) {
			p := &c.Provisions[0]
			p.Purposes = []Purpose{0}
			p.Actions = []Action{9}
			p.Categories = []Category{77}
			p.Recipients = []Recipient{{Code: "x", Name: "x"}}
		}, []string{"provisions[0].recipients[0].kind", "provisions[0].purposes[0]", "provisions[0].actions[0]",
			"provisions[0].categories[0]"}},
		{"recipient without name", func(c *Consent) { c.Provisions[0].Recipients[0].Name = "" },
			[]string{"provisions[0].recipients[0].name"}},
		{"nested exceptions", func(c *Consent) {
			c.Provisions[0].Exceptions = []Provision{{Exceptions: []Provision{{}}}}
		}, []string{"provisions[0].exceptions[0].exceptions"}},
		{"empty exception is fine", func(c *Consent) {
			c.Provisions[0].Exceptions = []Provision{{}}
		}, nil},
		{"too many provisions", func(c *Consent) {
			for len(c.Provisions) <= MaxProvisions {
				c.Provisions = append(c.Provisions, basicProvision())
			}
		}, []string{"provisions"}},
		{"control character", func(c *Consent) { c.Provisions[0].Recipients[0].Name = "課\x07" },
			[]string{"provisions[0].recipients[0].name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newConsent("c-1", basicProvision())
			tc.mutate(&c)
			err := c.Validate()
			if tc.paths == nil {
				require.NoError(t, err)
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			require.ErrorIs(t, err, ErrInvalid)
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Path)
				assert.NotEmpty(t, p.Message)
			}
			assert.ElementsMatch(t, tc.paths, got, "problems: %v", ve.Problems)
		})
	}
}

func TestHashNotice(t *testing.T) {
	h := HashNotice("同意説明文")
	assert.Len(t, h, 64)
	assert.True(t, isSHA256Hex(h))
	assert.NotEqual(t, h, HashNotice("同意説明文 "))
}

func TestLanguageTag(t *testing.T) {
	for _, ok := range []string{"ja", "en", "vi", "zh-Hans", "pt-BR", "ja-JP"} {
		assert.True(t, isLanguageTag(ok), ok)
	}
	for _, bad := range []string{"", "j", "japanese", "ja-", "-ja", "1a", "ja_JP", "ja-toolongsubtag"} {
		assert.False(t, isLanguageTag(bad), bad)
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 4, 1, 0, 0, 0, 0, jst), "令和7年4月1日"},
		{time.Date(2019, 5, 1, 0, 0, 0, 0, jst), "令和元年5月1日"},
		{time.Date(2019, 4, 30, 23, 0, 0, 0, jst), "平成31年4月30日"},
		{time.Date(1989, 1, 8, 0, 0, 0, 0, jst), "平成元年1月8日"},
		{time.Date(1989, 1, 7, 0, 0, 0, 0, jst), "昭和64年1月7日"},
		{time.Date(1920, 1, 1, 0, 0, 0, 0, jst), "1920年1月1日"},
		// 2025-03-31T15:00Z is already 1 April in Japan.
		{time.Date(2025, 3, 31, 15, 0, 0, 0, time.UTC), "令和7年4月1日"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, FormatDate(tc.t))
	}
	assert.Equal(t, "令和7年4月1日 10時05分", FormatDateTime(time.Date(2025, 4, 1, 1, 5, 0, 0, time.UTC)))
}

func TestFormatPeriod(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, jst) }
	assert.Equal(t, "令和7年4月1日から令和8年3月31日まで", formatPeriod(Period{Start: d(2025, 4, 1), End: d(2026, 4, 1)}))
	assert.Equal(t, "令和7年4月1日から撤回まで", formatPeriod(Period{Start: d(2025, 4, 1)}))
	assert.Equal(t, "令和7年4月1日 10時00分から令和7年4月2日 9時30分まで",
		formatPeriod(Period{Start: t0, End: d(2025, 4, 2).Add(9*time.Hour + 30*time.Minute)}))
}

func TestPeriodContains(t *testing.T) {
	p := Period{Start: t0, End: tNextYear}
	assert.True(t, p.Contains(t0), "start is included")
	assert.False(t, p.Contains(tNextYear), "end is excluded")
	assert.False(t, p.Contains(t0.Add(-time.Nanosecond)))
	assert.True(t, Period{Start: t0}.Contains(t0.AddDate(50, 0, 0)), "zero end is open")
}
