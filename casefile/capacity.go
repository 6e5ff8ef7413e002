package casefile

import (
	"strconv"
	"time"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// AgeOfMajority is 成年 (民法第4条): from the day a person reaches 18 a
// 法定代理人 no longer consents for them.
const AgeOfMajority = 18

// DefaultSelfConsentAge is the age from which a child's own consent counts
// when Config.SelfConsentAge is not set. The 個人情報保護委員会's Q&A 1-62
// says a 法定代理人 generally consents for children of 12 to 15 and
// younger; 16 is the conservative end of that range, and the age below
// which the Commission's 2025–26 reform plan has a 法定代理人 consent.
const DefaultSelfConsentAge = 16

// reaches returns the instant (00:00 in Japan) of the day a person born
// on birth reaches age n, by the module's one law of age
// (civil.ReachesAge: 年齢計算ニ関スル法律 and 民法第143条, the day before
// the n-th birthday), or false for no birth date.
func reaches(birth civil.Date, n int) (time.Time, bool) {
	if birth.IsZero() {
		return time.Time{}, false
	}
	return civil.ReachesAge(birth, n).Time(jst), true
}

// minor works out the age limits of a person's consents from their birth
// date (see consent.Minor); false when the birth date is not known.
func (s *Service) minor(p *Person) (consent.Minor, bool) {
	if p == nil {
		return consent.Minor{}, false
	}
	adult, ok := reaches(p.BirthDate, AgeOfMajority)
	if !ok {
		return consent.Minor{}, false
	}
	self, _ := reaches(p.BirthDate, s.selfConsentAge())
	return consent.Minor{Subject: p.ID, SelfFrom: self, AdultFrom: adult}, true
}

func (s *Service) selfConsentAge() int {
	if s.cfg.SelfConsentAge > 0 {
		return min(s.cfg.SelfConsentAge, AgeOfMajority)
	}
	return DefaultSelfConsentAge
}

// checkCapacity refuses to record a consent its grantor could not give
// for the subject at the time it takes effect: the subject's own consent
// below the self-consent age, a 法定代理人's once the subject is of age.
func (s *Service) checkCapacity(p *Person, ev consent.Event) error {
	c := ev.Consent
	if c == nil {
		return nil
	}
	m, ok := s.minor(p)
	if !ok {
		return nil
	}
	at := ev.EffectiveAt
	if at.IsZero() {
		at = ev.At
	}
	switch c.Grantor.Capacity {
	case consent.CapacitySelf:
		if at.Before(m.SelfFrom) {
			return &ValidationError{Kind: KindConsent, Problems: []Problem{{"consent.grantor",
				"本人が" + strconv.Itoa(s.selfConsentAge()) + "歳未満のため、本人の同意としては記録できません。法定代理人（親権者など）の同意として記録してください"}}}
		}
	case consent.CapacityLegalRepresentative:
		if !at.Before(m.AdultFrom) {
			return &ValidationError{Kind: KindConsent, Problems: []Problem{{"consent.grantor",
				"本人が成年（18歳）に達しているため、法定代理人の同意は記録できません。本人の同意を得てください"}}}
		}
	}
	return nil
}
