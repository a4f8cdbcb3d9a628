package glob

// maxNesting is Redis's bound on '*' recursion depth; past it the match fails.
const maxNesting = 1000

// Match reports whether s matches the glob pattern, as Redis's
// stringmatchlen(pattern, s, nocase) does. nocase folds ASCII letters only.
func Match(pattern, s []byte, nocase bool) bool {
	skipLongerMatches := false
	return match(pattern, s, nocase, &skipLongerMatches, 0)
}

// MatchString is Match for string arguments.
func MatchString(pattern, s string, nocase bool) bool {
	return Match([]byte(pattern), []byte(s), nocase)
}

// at returns p[i], or 0 past the end: the C original reads the pattern's NUL
// terminator there, and its control flow depends on seeing that 0.
func at(p []byte, i int) byte {
	if i < len(p) {
		return p[i]
	}
	return 0
}

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// signedLower is C's tolower((int)(char)b) on a platform where char is
// signed: the value class ranges compare.
func signedLower(b byte, nocase bool) int {
	if nocase {
		b = lower(b)
	}
	return int(int8(b))
}

// match is stringmatchlen_impl. pattern and s shrink from the front as the
// C pointers advance. skipLongerMatches is shared by every level: once the
// rest of the pattern after some '*' matched nowhere in the rest of the
// string, an earlier '*' taking a longer prefix cannot help, so every level
// gives up (this keeps "a*a*a*...b" from taking exponential time).
func match(pattern, s []byte, nocase bool, skipLongerMatches *bool, nesting int) bool {
	if nesting > maxNesting {
		return false
	}
	for len(pattern) > 0 && len(s) > 0 {
		switch pattern[0] {
		case '*':
			for at(pattern, 1) == '*' {
				pattern = pattern[1:]
			}
			if len(pattern) == 1 {
				return true
			}
			for len(s) > 0 {
				if match(pattern[1:], s, nocase, skipLongerMatches, nesting+1) {
					return true
				}
				if *skipLongerMatches {
					return false
				}
				s = s[1:]
			}
			*skipLongerMatches = true
			return false
		case '?':
			s = s[1:]
		case '[':
			var ok bool
			pattern, ok = matchClass(pattern, s[0], nocase)
			if !ok {
				return false
			}
			s = s[1:]
		case '\\':
			if len(pattern) >= 2 {
				pattern = pattern[1:]
			}
			fallthrough
		default:
			if nocase {
				if lower(pattern[0]) != lower(s[0]) {
					return false
				}
			} else if pattern[0] != s[0] {
				return false
			}
			s = s[1:]
		}
		pattern = pattern[1:]
		if len(s) == 0 {
			for at(pattern, 0) == '*' {
				pattern = pattern[1:]
			}
			break
		}
	}
	return len(pattern) == 0 && len(s) == 0
}

// matchClass matches ch against the class that starts at pattern[0] (the
// '['). It returns the pattern positioned on the class's last byte (the
// closing ']', or the pattern's last byte for an unterminated class), where
// the C loop leaves its pointer, and whether ch is accepted.
func matchClass(pattern []byte, ch byte, nocase bool) ([]byte, bool) {
	i := 1
	not := at(pattern, i) == '^'
	if not {
		i++
	}
	matched := false
	for {
		rest := len(pattern) - i
		switch {
		case at(pattern, i) == '\\' && rest >= 2:
			i++
			if pattern[i] == ch {
				matched = true
			}
		case at(pattern, i) == ']':
			goto done
		case rest == 0:
			// Unterminated: step back onto the last byte, as C does.
			i--
			goto done
		case rest >= 3 && pattern[i+1] == '-':
			start := signedLower(pattern[i], nocase)
			end := signedLower(pattern[i+2], nocase)
			c := signedLower(ch, nocase)
			if start > end {
				start, end = end, start
			}
			i += 2
			if c >= start && c <= end {
				matched = true
			}
		default:
			if nocase {
				if lower(pattern[i]) == lower(ch) {
					matched = true
				}
			} else if pattern[i] == ch {
				matched = true
			}
		}
		i++
	}
done:
	if not {
		matched = !matched
	}
	return pattern[i:], matched
}
