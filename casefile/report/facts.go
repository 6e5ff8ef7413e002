package report

import "github.com/onestop-jp/onestop/civil"

// Facts are the anonymous facts of one fiscal year (年度) for the annual
// 実施状況報告書 and EBPM statistics: no person, no case, no text.
// casefile.Service.ReportFacts collects them (casefile.Facts is this type).
type Facts struct {
	Tenant     string
	FiscalYear int
	// Topics and Channels are the code tables the consultations were
	// classified under; they are the rows of the topic and channel tables.
	Topics        []Label
	Channels      []Label
	Consultations []ConsultationFact
	Sharing       []SharingFact
	Notifications []NotificationFact
}

// Label is a code with its Japanese label.
type Label struct {
	Code string
	Name string
}

// ConsultationFact is one consultation.
type ConsultationFact struct {
	On      civil.Date // day in Japan time
	Channel string
	Topics  []string
}

// SharingFact is one disclosure of one person's data to another department.
type SharingFact struct {
	On        civil.Date
	Recipient string
	Action    string // read, export
}

// NotificationFact is one notification produced (プッシュ型支援).
type NotificationFact struct {
	On      civil.Date
	Channel string
	Event   string
}
