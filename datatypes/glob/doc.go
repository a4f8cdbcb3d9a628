// Package glob is Redis's glob-style matcher (util.c stringmatchlen), byte
// for byte: KEYS, SCAN MATCH, HSCAN/SSCAN/ZSCAN MATCH, CONFIG GET, ACL key
// and channel patterns and PSUBSCRIBE all go through it, and clients rely on
// Redis's exact answers, including its quirks:
//
//   - '*' never matches an empty string on its own: the matcher stops as soon
//     as either side runs out, so Match("*", "") is false (KEYS * and
//     SCAN MATCH * short-circuit the pattern "*" before calling it);
//   - an unterminated class "[abc" is accepted and ends at the pattern's end;
//     "[^" matches any one byte;
//   - a class range compares bytes as C's signed char, so ranges that cross
//     0x80 behave as in Redis on x86-64;
//   - inside a class a backslash-escaped byte is compared case-sensitively
//     even when nocase is set;
//   - recursion through '*' stops at 1000 levels (Redis's guard against
//     abusive patterns): deeper patterns report no match.
//
// It imports only the standard library.
package glob
