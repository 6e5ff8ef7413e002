package eligibility

import "regexp"

// Identifiers written by rule authors.
var (
	// programID is an ASCII slug: child-rearing-allowance.
	programID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	// identName is a CEL-safe snake_case name for parameters and values.
	identName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// isProgramID reports whether id matches programID, without the regexp
// machinery (the decoder checks every household's receiving list): lower-case
// ASCII letters and digits in words joined by single hyphens, the first
// starting with a letter.
func isProgramID(id string) bool {
	if id == "" || id[0] < 'a' || id[0] > 'z' || id[len(id)-1] == '-' {
		return false
	}
	for i := 1; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && id[i-1] != '-':
		default:
			return false
		}
	}
	return true
}
