package income

import (
	"github.com/onestop-jp/onestop/civil"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func d(y int, m time.Month, day int) civil.Date { return civil.MustDate(y, m, day) }

// The statutory age, as tax law uses it (the rule itself is civil's).
func TestStatutoryAgeForTax(t *testing.T) {
	cases := []struct {
		birth, on civil.Date
		want      int
	}{
		{d(2000, 5, 1), d(2023, 4, 29), 22},
		{d(2000, 5, 1), d(2023, 4, 30), 23}, // the day before the birthday
		{d(2000, 5, 1), d(2023, 5, 1), 23},
		{d(1957, 1, 1), d(2021, 12, 31), 65}, // 令和3年分: 昭和32年1月1日以前生まれ are 65+
		{d(1957, 1, 2), d(2021, 12, 31), 64},
		{d(2008, 2, 29), d(2025, 2, 27), 16},
		{d(2008, 2, 29), d(2025, 2, 28), 17},
		{d(2008, 2, 29), d(2024, 2, 28), 16},
		{d(2023, 12, 31), d(2023, 12, 31), 0},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, civil.StatutoryAge(c.birth, c.on), "%v on %v", c.birth, c.on)
	}
	assert.Equal(t, 65, AgeAtYearEnd(d(1957, 1, 1), 2021))
	assert.Equal(t, 64, AgeAtYearEnd(d(1957, 1, 2), 2021))
}

func TestCountDependentsCategories(t *testing.T) {
	rel := []Relative{
		{BirthDate: d(2010, 5, 1)},                       // 13: under 16
		{BirthDate: d(2006, 6, 1)},                       // 17: 16–18
		{BirthDate: d(2003, 1, 1)},                       // reaches 21 on 2023-12-31: 特定
		{BirthDate: d(1950, 1, 1)},                       // 74: 老人
		{BirthDate: d(2024, 1, 5)},                       // born after the year end
		{BirthDate: d(1990, 1, 1), TotalIncome: 480_001}, // over the income limit
		{BirthDate: d(1985, 3, 3), TotalIncome: 480_000}, // 38: adult, at the limit
	}
	got, steps, err := CountDependentsExplained(2023, 2_000_000, rel)
	require.NoError(t, err)
	assert.Equal(t, Dependents{
		Count: 5, Under16: 1, Aged16to18: 1, Specified: 1, Adult: 1, Elderly: 1,
		NotBorn: 1, OverIncome: 1,
		RecipientAddition:      100_000 + 2*150_000,
		LiableRelativeAddition: 60_000,
	}, got)
	got2, err := CountDependents(2023, 2_000_000, rel)
	require.NoError(t, err)
	assert.Equal(t, got, got2)
	var result *Step
	for i := range steps {
		if steps[i].Op == OpResult {
			result = &steps[i]
		}
	}
	require.NotNil(t, result)
	assert.Equal(t, int64(5), result.Amount)
}

func TestCountDependentsAgeEdges(t *testing.T) {
	cases := []struct {
		birth civil.Date
		check func(Dependents) int
		name  string
	}{
		{d(2008, 1, 1), func(x Dependents) int { return x.Aged16to18 }, "16 on 12/31 (born 1 Jan)"},
		{d(2008, 1, 2), func(x Dependents) int { return x.Under16 }, "15"},
		{d(2005, 1, 1), func(x Dependents) int { return x.Specified }, "19"},
		{d(2005, 1, 2), func(x Dependents) int { return x.Aged16to18 }, "18"},
		{d(2001, 1, 1), func(x Dependents) int { return x.Adult }, "23"},
		{d(2001, 1, 2), func(x Dependents) int { return x.Specified }, "22"},
		{d(1954, 1, 1), func(x Dependents) int { return x.Elderly }, "70"},
		{d(1954, 1, 2), func(x Dependents) int { return x.Adult }, "69"},
		{d(2023, 12, 31), func(x Dependents) int { return x.Under16 }, "born on 12/31"},
		{d(2024, 1, 1), func(x Dependents) int { return x.NotBorn }, "born on 1/1 after"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := CountDependents(2023, 0, []Relative{{BirthDate: c.birth}})
			require.NoError(t, err)
			assert.Equal(t, 1, c.check(got))
		})
	}
}

func TestCountDependentsIncomeThresholdByYear(t *testing.T) {
	cases := []struct {
		year   int
		income int64
		count  int
	}{
		{2020, 480_000, 1}, {2020, 480_001, 0},
		{2024, 480_000, 1}, {2024, 480_001, 0}, {2024, 580_000, 0},
		{2025, 579_999, 1}, {2025, 580_000, 1}, {2025, 580_001, 0},
		{2026, 580_001, 1}, {2026, 620_000, 1}, {2026, 620_001, 0},
		{2027, 620_000, 1}, {2027, 620_001, 0},
		{2023, -100_000, 1}, // a loss is below the limit
	}
	for _, c := range cases {
		got, err := CountDependents(c.year, 0, []Relative{{BirthDate: d(2010, 1, 1), TotalIncome: c.income}})
		require.NoError(t, err)
		assert.Equal(t, c.count, got.Count, "%d %d", c.year, c.income)
		assert.Equal(t, 1-c.count, got.OverIncome)
	}
}

func TestCountDependentsSpouseAndLiableRule(t *testing.T) {
	grandma := Relative{BirthDate: d(1950, 4, 1), Spouse: true}
	greatGran := Relative{BirthDate: d(1930, 4, 1)}
	greatGran2 := Relative{BirthDate: d(1932, 4, 1)}
	// Spouse 70+ and one 老人扶養親族: not all dependents are 老人扶養親族.
	got, err := CountDependents(2023, 3_000_000, []Relative{grandma, greatGran})
	require.NoError(t, err)
	assert.Equal(t, 2, got.Count)
	assert.Equal(t, 1, got.Spouse)
	assert.Equal(t, 1, got.ElderlySpouse)
	assert.Equal(t, 1, got.Elderly)
	assert.Equal(t, int64(200_000), got.RecipientAddition)
	assert.Equal(t, int64(60_000), got.LiableRelativeAddition)
	// Only 老人扶養親族: one is not counted.
	got, err = CountDependents(2023, 3_000_000, []Relative{greatGran, greatGran2})
	require.NoError(t, err)
	assert.Equal(t, int64(60_000), got.LiableRelativeAddition)
	_, steps, err := CountDependentsExplained(2023, 3_000_000, []Relative{greatGran, greatGran2})
	require.NoError(t, err)
	assert.Contains(t, steps[len(steps)-1].Label, "1人を除く")
	got, err = CountDependents(2023, 3_000_000, []Relative{greatGran})
	require.NoError(t, err)
	assert.Equal(t, int64(0), got.LiableRelativeAddition)
	assert.Equal(t, int64(100_000), got.RecipientAddition)
	// Taxpayer above 10,000,000: the 70+ spouse is not a 老人控除対象配偶者.
	got, err = CountDependents(2023, 10_000_001, []Relative{grandma})
	require.NoError(t, err)
	assert.Equal(t, 1, got.Spouse)
	assert.Equal(t, 0, got.ElderlySpouse)
	assert.Equal(t, int64(0), got.RecipientAddition)
	got, err = CountDependents(2023, 10_000_000, []Relative{grandma})
	require.NoError(t, err)
	assert.Equal(t, 1, got.ElderlySpouse)
	// A spouse over the income limit is not counted.
	got, err = CountDependents(2023, 0, []Relative{{BirthDate: d(1980, 1, 1), Spouse: true, TotalIncome: 480_001}})
	require.NoError(t, err)
	assert.Equal(t, 0, got.Count)
}

func TestCountDependentsErrors(t *testing.T) {
	_, err := CountDependents(2019, 0, nil)
	assert.ErrorIs(t, err, ErrYearNotCovered)
	_, err = CountDependents(2028, 0, nil)
	assert.ErrorIs(t, err, ErrYearNotCovered)
	_, err = CountDependents(2023, 0, []Relative{{Spouse: true, BirthDate: d(1980, 1, 1)}, {Spouse: true, BirthDate: d(1981, 1, 1)}})
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = CountDependents(2023, 0, make([]Relative, maxPersons+1))
	assert.ErrorIs(t, err, ErrInvalidInput)
	got, err := CountDependents(2023, 0, nil)
	require.NoError(t, err)
	assert.Equal(t, Dependents{}, got)
}
