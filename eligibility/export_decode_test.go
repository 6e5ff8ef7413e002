package eligibility

import (
	"io"

	"github.com/onestop-jp/onestop/internal/docnode"
)

// DecodeHouseholdTreeForTest decodes with the tree decoder (a document
// tree, then the reflective walk of the YAML rule tests), the reference
// the JSON decoder is compared with.
func DecodeHouseholdTreeForTest(data []byte) (*Household, error) { return treeDecode(data) }

// ReadHouseholdsTreeForTest reads a stream with the tree decoder, up to
// limit records: each record's household or error.
func ReadHouseholdsTreeForTest(r io.Reader, source string, limit int) ([]*Household, []error) {
	return treeRead(r, source, limit)
}

// treeDecode is DecodeHousehold as it was before the JSON decoder: parse
// a tree, then walk it.
func treeDecode(data []byte) (*Household, error) {
	n, err := docnode.ParseJSON(data)
	if err != nil {
		return nil, syntaxFactsError("", 0, err)
	}
	return householdFromNode(n, "", 0)
}

// treeRead is HouseholdReader as it was: the stream's trees, walked.
func treeRead(r io.Reader, source string, limit int) ([]*Household, []error) {
	s := docnode.NewStream(r)
	var hs []*Household
	var errs []error
	for record := 1; record <= limit; record++ {
		n, err := s.Next()
		if err == io.EOF {
			break
		}
		var h *Household
		if err != nil {
			err = syntaxFactsError(source, record, err)
		} else {
			h, err = householdFromNode(n, source, record)
		}
		hs, errs = append(hs, h), append(errs, err)
	}
	return hs, errs
}
