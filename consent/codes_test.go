package consent

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type enum interface {
	String() string
	Label() string
	MarshalText() ([]byte, error)
}

func TestCodeTablesRoundTrip(t *testing.T) {
	tests := []struct {
		kind  string
		all   []enum
		parse func(string) (enum, error)
	}{
		{"purpose", toEnums(AllPurposes()), func(s string) (enum, error) { return ParsePurpose(s) }},
		{"action", toEnums(AllActions()), func(s string) (enum, error) { return ParseAction(s) }},
		{"category", toEnums(AllCategories()), func(s string) (enum, error) { return ParseCategory(s) }},
		{"channel", toEnums([]Channel{ChannelPaper, ChannelWebForm, ChannelLINE, ChannelVerbal}),
			func(s string) (enum, error) { return ParseChannel(s) }},
		{"capacity", toEnums([]Capacity{CapacitySelf, CapacityLegalRepresentative}),
			func(s string) (enum, error) { return ParseCapacity(s) }},
		{"recipient kind", toEnums([]RecipientKind{RecipientDepartment, RecipientContractor, RecipientExternal}),
			func(s string) (enum, error) { return ParseRecipientKind(s) }},
		{"event type", toEnums([]EventType{EventGiven, EventAmended, EventReconfirmed, EventWithdrawn, EventExpired, EventCorrected}),
			func(s string) (enum, error) { return ParseEventType(s) }},
		{"restriction kind", toEnums([]RestrictionKind{RestrictionDV, RestrictionStalking, RestrictionAbuse}),
			func(s string) (enum, error) { return ParseRestrictionKind(s) }},
		{"statute", toEnums([]Statute{StatuteChildProtectionCouncil, StatuteNeedySupportMeeting, StatuteChildAbusePrevention, StatuteLifeOrBody}),
			func(s string) (enum, error) { return ParseStatute(s) }},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			seen := map[string]bool{}
			for _, v := range tc.all {
				code := v.String()
				require.NotEmpty(t, code)
				require.NotEmpty(t, v.Label(), code)
				assert.False(t, seen[code], "duplicate code %s", code)
				seen[code] = true
				for _, r := range code {
					assert.True(t, r < 0x80, "code %q must be ASCII", code)
				}
				b, err := v.MarshalText()
				require.NoError(t, err)
				assert.Equal(t, code, string(b))
				back, err := tc.parse(code)
				require.NoError(t, err)
				assert.Equal(t, v, back)
			}
			_, err := tc.parse("no-such-code")
			var ce *CodeError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.kind, ce.Kind)
			assert.ErrorIs(t, err, ErrUnknownCode)
			_, err = tc.parse("")
			assert.ErrorIs(t, err, ErrUnknownCode, "the zero value has no code")
		})
	}
}

func toEnums[T enum](vs []T) []enum {
	out := make([]enum, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

func TestCodesAreTheDocumentedOnes(t *testing.T) {
	// The codes are a public contract (JSON, stores, other packages).
	assert.Equal(t, "consultation", PurposeConsultation.String())
	assert.Equal(t, "相談対応", PurposeConsultation.Label())
	assert.Equal(t, "income_tax", CategoryIncomeTax.String())
	assert.Equal(t, "収入・税", CategoryIncomeTax.Label())
	assert.Equal(t, "health_disability", CategoryHealthDisability.String())
	assert.Equal(t, "dv_related", CategoryDVRelated.String())
	assert.Equal(t, "contractor_processing", PurposeContractorProcessing.String())
	assert.Equal(t, "委託先での取扱い", PurposeContractorProcessing.Label())
	assert.Equal(t, "copy", ActionCopy.String())
	assert.Equal(t, "verbal", ChannelVerbal.String())
	assert.Equal(t, "legal_representative", CapacityLegalRepresentative.String())
	assert.Equal(t, "法定代理人", CapacityLegalRepresentative.Label())
}

func TestInvalidEnumValues(t *testing.T) {
	assert.Equal(t, "purpose(0)", Purpose(0).String())
	assert.Equal(t, "category(42)", Category(42).String())
	assert.False(t, Purpose(0).Valid())
	assert.False(t, Action(9).Valid())
	assert.False(t, CategoryAny.Valid(), "the wildcard is not a concrete category")
	_, err := Purpose(0).MarshalText()
	assert.Error(t, err, "a zero enum must not encode as a real code")
	_, err = Category(77).MarshalText()
	assert.Error(t, err)
	var p Purpose
	assert.ErrorIs(t, p.UnmarshalText([]byte("bogus")), ErrUnknownCode)
	require.NoError(t, p.UnmarshalText([]byte("statistics")))
	assert.Equal(t, PurposeStatistics, p)
}

func TestSensitiveCategories(t *testing.T) {
	for _, c := range AllCategories() {
		want := c == CategoryHealthDisability || c == CategoryDVRelated
		assert.Equal(t, want, c.Sensitive(), c.String())
	}
}

func TestCategorySet(t *testing.T) {
	tests := []struct {
		name string
		in   []Category
		want []Category
	}{
		{"empty", nil, []Category{}},
		{"two", []Category{CategoryContact, CategoryIdentity}, []Category{CategoryIdentity, CategoryContact}},
		{"duplicates collapse", []Category{CategoryContact, CategoryContact}, []Category{CategoryContact}},
		{"invalid ignored", []Category{Category(0), Category(200)}, []Category{}},
		{"wildcard excludes sensitive and My Number", []Category{CategoryAny}, []Category{
			CategoryIdentity, CategoryContact, CategoryHousehold, CategoryIncomeTax,
			CategorySupportInUse, CategoryProgram, CategoryConsultation}},
		{"wildcard plus named sensitive", []Category{CategoryAny, CategoryHealthDisability}, []Category{
			CategoryIdentity, CategoryContact, CategoryHousehold, CategoryIncomeTax,
			CategorySupportInUse, CategoryProgram, CategoryConsultation, CategoryHealthDisability}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Categories(tc.in...)
			assert.Equal(t, tc.want, s.List())
			assert.Equal(t, len(tc.want), s.Len())
			assert.Equal(t, len(tc.want) == 0, s.Empty())
			for _, c := range tc.want {
				assert.True(t, s.Has(c))
			}
			b, err := json.Marshal(s)
			require.NoError(t, err)
			var back CategorySet
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, s, back)
		})
	}
	assert.False(t, Categories(CategoryAny).Has(CategoryMyNumber))
	assert.False(t, CategorySet(0xFFFF).Has(CategoryAny))
	assert.Equal(t, "identity,contact", Categories(CategoryIdentity, CategoryContact).String())
	assert.Equal(t, "基本情報、連絡先", Categories(CategoryIdentity, CategoryContact).Labels())
}

func TestCategorySetJSONStrict(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{`["identity","*"]`, ErrUnknownCode},
		{`["identiti"]`, ErrUnknownCode},
		{`[1]`, ErrWrongType},
		{`{"identity":true}`, ErrWrongType},
		{`null`, ErrWrongType},
	}
	for _, tc := range tests {
		var s CategorySet
		err := json.Unmarshal([]byte(tc.in), &s)
		assert.True(t, errors.Is(err, tc.want), "%s: got %v", tc.in, err)
		var de *DecodeError
		assert.ErrorAs(t, err, &de, tc.in)
	}
	// Broken syntax is caught by encoding/json before UnmarshalJSON runs.
	var s CategorySet
	assert.Error(t, json.Unmarshal([]byte(`["identity"`), &s))
	assert.ErrorIs(t, s.UnmarshalJSON([]byte(`["identity"`)), ErrSyntax)
}
