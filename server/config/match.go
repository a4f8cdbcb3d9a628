package config

import "github.com/vireodb/vireo/datatypes/glob"

// globMatch reports whether s matches pattern with Redis's stringmatchlen
// rules (datatypes/glob), ignoring ASCII case when nocase is set. CONFIG GET
// matches parameter names with nocase.
func globMatch(pattern, s string, nocase bool) bool {
	return glob.MatchString(pattern, s, nocase)
}
