// Package textdist finds the word a user probably meant: the "もしかして"
// suggestion shared by the fact decoder, the form loader and the CLI's flags.
package textdist

// maxRunes bounds the words compared: a longer word gets no suggestion, so
// outside data cannot make the quadratic distance expensive.
const maxRunes = 64

// Closest returns the candidate within two edits of w (the first of the
// nearest), or "" when none is that close or w is over 64 characters.
func Closest(w string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := Distance(w, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance of a and b in characters (runes);
// it is maxRunes+1 when either is longer than maxRunes characters.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > maxRunes || len(rb) > maxRunes {
		return maxRunes + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
