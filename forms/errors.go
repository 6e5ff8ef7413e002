package forms

import (
	"strings"
)

// ErrorCode says what is wrong with an answer, for programs; the message
// says it to people.
type ErrorCode string

// Error codes of FieldError.
const (
	CodeRequired  ErrorCode = "required"   // a required field has no answer
	CodePostal    ErrorCode = "postal"     // not a 7-digit postal code
	CodePhone     ErrorCode = "phone"      // not a Japanese phone number
	CodeKatakana  ErrorCode = "katakana"   // a reading not in katakana
	CodeDate      ErrorCode = "date"       // not a date
	CodeAfterForm ErrorCode = "after_form" // a date after the form date (a birth date)
	CodeLGCode    ErrorCode = "lg_code"    // not a 全国地方公共団体コード with a correct check digit
	CodeYen       ErrorCode = "yen"        // not an amount in whole yen
	CodeWhole     ErrorCode = "whole"      // not a whole number
	CodeBool      ErrorCode = "bool"       // not yes or no
	CodeChoice    ErrorCode = "choice"     // not one of the choices
	CodeExclusive ErrorCode = "exclusive"  // なし combined with other choices
	CodeTooMany   ErrorCode = "too_many"   // more list items than allowed
	CodeTooLong   ErrorCode = "too_long"   // text longer than allowed
	CodeRange     ErrorCode = "range"      // a number outside min..max
	CodeEmail     ErrorCode = "email"      // not an e-mail address
	CodeUnknown   ErrorCode = "unknown"    // a key the form does not have
	CodeType      ErrorCode = "type"       // a JSON value of the wrong kind
	CodeInvalid   ErrorCode = "invalid"    // a malformed value (an item id …)
	CodeDuplicate ErrorCode = "duplicate"  // an item id used twice
	CodeTooLarge  ErrorCode = "too_large"  // a value or document too large
	CodeSyntax    ErrorCode = "syntax"     // not JSON
	CodeForm      ErrorCode = "form"       // the submission is for another form or version
	CodeNoDate    ErrorCode = "no_date"    // the form date is missing or not a date
	CodeFacts     ErrorCode = "facts"      // the answers together are not a valid household
)

var tagCodes = map[string]ErrorCode{
	tagAnswered: CodeRequired, tagChosen: CodeRequired, tagPostal: CodePostal, tagPhone: CodePhone,
	tagKatakana: CodeKatakana, tagDate: CodeDate, tagPast: CodeAfterForm, tagLGCode: CodeLGCode, tagYen: CodeYen,
	tagWhole: CodeWhole, tagBool: CodeBool, tagChoice: CodeChoice, tagExcl: CodeExclusive, tagCount: CodeTooMany,
	"email": CodeEmail,
}

// FieldError is one problem with one answer: where it is (the path in
// the submission's answers, children[1].birth_date), the field's label,
// a code, and a Japanese message that says what to fix.
type FieldError struct {
	Path    string    `json:"path"`
	Label   string    `json:"label,omitempty"`
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
}

func (e FieldError) String() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// ValidationError lists every problem of a submission at once, in the
// order of the form. A submission with a ValidationError is never mapped
// or recorded.
type ValidationError struct {
	Form   string       `json:"form"`
	Errors []FieldError `json:"errors"`
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("forms: ")
	b.WriteString(e.Form)
	b.WriteString(": 入力に誤りがあります")
	for _, fe := range e.Errors {
		b.WriteString("\n  ")
		b.WriteString(fe.String())
	}
	return b.String()
}

// Fields returns the errors at a path (for a front end placing messages
// under fields).
func (e *ValidationError) Fields(path string) []FieldError {
	var out []FieldError
	for _, fe := range e.Errors {
		if fe.Path == path {
			out = append(out, fe)
		}
	}
	return out
}
