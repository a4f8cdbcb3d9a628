package config

// globMatch reports whether s matches pattern with Redis's stringmatchlen
// rules (*, ?, [abc], [^a-z], \x), ignoring ASCII case when nocase is set.
// CONFIG GET matches parameter names with nocase. Kept private: the public
// matcher for KEYS/SCAN lives elsewhere.
func globMatch(pattern, s string, nocase bool) bool {
	skipLonger := false
	return globMatchImpl(pattern, s, nocase, &skipLonger, 0)
}

// maxGlobNesting bounds the recursion on '*', like Redis does, so that a
// hostile pattern cannot exhaust the stack.
const maxGlobNesting = 1000

func globMatchImpl(pattern, s string, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > maxGlobNesting {
		return false
	}
	lower := func(c byte) byte {
		if nocase && c >= 'A' && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	p := 0
	for p < len(pattern) && len(s) > 0 {
		switch pattern[p] {
		case '*':
			for p+1 < len(pattern) && pattern[p+1] == '*' {
				p++
			}
			if p+1 == len(pattern) {
				return true
			}
			for len(s) > 0 {
				if globMatchImpl(pattern[p+1:], s, nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				s = s[1:]
			}
			// The rest of the pattern matched nowhere in the rest of the
			// string, so no earlier '*' can make it match either.
			*skipLonger = true
			return false
		case '?':
			s = s[1:]
		case '[':
			p++
			not := p < len(pattern) && pattern[p] == '^'
			if not {
				p++
			}
			match := false
			for {
				if p < len(pattern) && pattern[p] == '\\' && len(pattern)-p >= 2 {
					p++
					if pattern[p] == s[0] {
						match = true
					}
				} else if p < len(pattern) && pattern[p] == ']' {
					break
				} else if p >= len(pattern) {
					p--
					break
				} else if len(pattern)-p >= 3 && pattern[p+1] == '-' {
					start, end, c := pattern[p], pattern[p+2], s[0]
					if start > end {
						start, end = end, start
					}
					start, end, c = lower(start), lower(end), lower(c)
					p += 2
					if c >= start && c <= end {
						match = true
					}
				} else if lower(pattern[p]) == lower(s[0]) {
					match = true
				}
				p++
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s = s[1:]
		case '\\':
			if len(pattern)-p >= 2 {
				p++
			}
			fallthrough
		default:
			if lower(pattern[p]) != lower(s[0]) {
				return false
			}
			s = s[1:]
		}
		p++
		if len(s) == 0 {
			for p < len(pattern) && pattern[p] == '*' {
				p++
			}
			break
		}
	}
	return p >= len(pattern) && len(s) == 0
}
