package eligibility

import "regexp"

// Identifiers written by rule authors.
var (
	// programID is an ASCII slug: child-rearing-allowance.
	programID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	// identName is a CEL-safe snake_case name for parameters and values.
	identName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)
