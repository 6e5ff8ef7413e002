package chatbot

import "bytes"

// A resident who corrects themselves names first the programme they do not
// mean: 「児童手当じゃなくて ひとり親の方の手当」 asks about 児童扶養手当,
// not 児童手当. A programme name immediately followed by one of these
// markers (after at most a connecting の, のこと, の方, って) is negated: it
// does not count as a programme the question names, and its words do not
// count in the score. 「児童手当だけじゃなくて児童扶養手当も」 (not only)
// and 「児童手当じゃなくても」 (even if not) are not corrections: だけ is
// no connector, and a marker followed by も is no marker.
var (
	negationMarkers = normalizeAllBytes(
		"じゃなくて", "じゃなく", "じゃのうて", "ではなくて", "ではなく", "でなくて", "でなく",
		"じゃない方", "じゃないほう", "ではない方", "ではないほう",
		"やなくて", "やなく", "やのうて",
	)
	negationConnectors = normalizeAllBytes("のこと", "の方", "のほう", "の", "って", "とか")
	// negationEven follows a marker that means "even if not".
	negationEven = normalizeAllBytes("も")
)

// negatedAt reports whether the programme name ending at end of rewritten
// text is negated by what follows it.
func negatedAt(text []byte, end int) bool {
	rest := bytes.TrimLeft(text[end:], " ")
	if negatedPrefix(rest) {
		return true
	}
	for _, c := range negationConnectors {
		if bytes.HasPrefix(rest, c) && negatedPrefix(bytes.TrimLeft(rest[len(c):], " ")) {
			return true
		}
	}
	return false
}

// negatedPrefix reports whether text starts with a negation marker that is
// not "even if not" (じゃなくても).
func negatedPrefix(text []byte) bool {
	for _, mk := range negationMarkers {
		if !bytes.HasPrefix(text, mk) {
			continue
		}
		after := text[len(mk):]
		for _, e := range negationEven {
			if bytes.HasPrefix(after, e) {
				return false
			}
		}
		return true
	}
	return false
}
