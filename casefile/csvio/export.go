package csvio

import (
	"context"
	"encoding/csv"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"io"
	"strconv"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/wareki"
)

// ExportOptions control Export.
type ExportOptions struct {
	Encoding Encoding
	// Purpose and Recipient (the organisation receiving the file) decide
	// what may be written; the export is audited with both.
	Purpose   consent.Purpose
	Recipient string
	// Wareki writes birth dates as 令和7年4月1日 instead of 2025-04-01.
	Wareki bool
}

// Export writes the cases, one row per household member, with the columns
// of Columns. Fields the recipient may not receive are empty cells; the
// household number is the case id. Shift_JIS output fails on a character
// CP932 cannot encode, rather than writing a wrong one.
func Export(ctx context.Context, s *casefile.Service, a casefile.Actor, caseIDs []string, w io.Writer, opts ExportOptions) error {
	views, err := s.ExportCases(ctx, a, opts.Purpose, opts.Recipient, caseIDs)
	if err != nil {
		return err
	}
	var out io.Writer = w
	var tw *transform.Writer
	switch opts.Encoding {
	case ShiftJIS:
		tw = transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
		out = tw
	default:
		if opts.Encoding == Auto {
			if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
				return err
			}
		}
	}
	cw := csv.NewWriter(out)
	cw.UseCRLF = true
	header := make([]string, len(Columns))
	for i, c := range Columns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, v := range views {
		for _, p := range v.Persons {
			if err := cw.Write(exportRow(v.CaseID, p.View, v.Case, opts.Wareki)); err != nil {
				return fmt.Errorf("csvio: export: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csvio: export: %w", err)
	}
	if tw != nil {
		if err := tw.Close(); err != nil {
			return fmt.Errorf("csvio: export: Shift_JISで表せない文字があります: %w", err)
		}
	}
	return nil
}

// exportRow writes one person's row; the case's household facts go on the
// row of the case subject (本人), from the case view cv, as far as the
// recipient may receive them.
func exportRow(caseID string, v, cv consent.RedactedView, useWareki bool) []string {
	get := func(rv consent.RedactedView, path string) string {
		x, ok := rv.Get(path)
		if !ok {
			return ""
		}
		return fmt.Sprint(x)
	}
	str := func(path string) string { return get(v, path) }
	yesNo := func(s string) string {
		switch s {
		case "true":
			return "1"
		case "false":
			return "0"
		}
		return ""
	}
	boolCell := func(path string) string { return yesNo(str(path)) }
	atena := ""
	for i := 0; ; i++ {
		sys, ok := v.Get("external_ids." + strconv.Itoa(i) + ".system")
		if !ok {
			break
		}
		if sys == "atena" {
			atena = str("external_ids." + strconv.Itoa(i) + ".value")
		}
	}
	birth := str("birth_date")
	if useWareki && birth != "" {
		var d civil.Date
		if d.UnmarshalText([]byte(birth)) == nil {
			birth = wareki.String(d)
		}
	}
	sex := map[string]string{"female": "女", "male": "男"}[str("sex")]
	incomeYear, salary := "", ""
	for i := 0; ; i++ {
		k, ok := v.Get("incomes." + strconv.Itoa(i) + ".kind")
		if !ok {
			break
		}
		if k == "salary_revenue" {
			incomeYear, salary = str("incomes."+strconv.Itoa(i)+".year"), str("incomes."+strconv.Itoa(i)+".amount")
		}
	}
	ok := boolCell("contacts.0.ok_to_contact")
	if str("contacts.0.value") == "" {
		ok = ""
	}
	role, partner, grade := "", "", ""
	if v.Subject == cv.Subject {
		role = map[string]string{"parent": "父母", "caretaker": "養育者"}[get(cv, "case.applicant_role")]
		partner, grade = yesNo(get(cv, "case.de_facto_partner")), get(cv, "case.grade_area")
	}
	return []string{caseID, atena, str("household.relationship.code"), str("household.relationship.text"),
		str("name.family"), str("name.given"), str("name.family_kana"), str("name.given_kana"), str("name.alias"), str("name.former_family"),
		birth, sex, str("address.postal_code"), str("address.prefecture"), str("address.city"), str("address.town"), str("address.block"),
		str("address.building"), str("contacts.0.value"), ok, str("contacts.0.safe_times"),
		boolCell("household.lives_with"), boolCell("household.registered_same_household"), incomeYear, salary,
		boolCell("household.same_livelihood"), boolCell("household.supported"), boolCell("household.in_facility"),
		boolCell("resides_in_japan"), schoolLabels[str("school")], boolCell("school_private"), role, partner, grade}
}
