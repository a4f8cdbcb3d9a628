package differential

import (
	"slices"
	"time"
)

// Minimise shrinks items while fails keeps holding, always keeping the last
// item (the failing command). It is delta debugging over the items: remove
// chunks of halving size, then single items until none can go, so the
// result is 1-minimal unless the deadline cut it short. fails(items) must
// be true on entry.
func Minimise[T any](items []T, fails func([]T) bool, deadline time.Time) []T {
	if len(items) <= 1 {
		return items
	}
	last := items[len(items)-1]
	body := slices.Clone(items[:len(items)-1])
	try := func(candidate []T) bool {
		return fails(append(slices.Clone(candidate), last))
	}
	// The failing command alone is the common case for stateless bugs.
	if try(nil) {
		return []T{last}
	}
	chunk := max(len(body)/2, 1)
	for len(body) > 0 {
		removed := false
		for i := 0; i < len(body); {
			if time.Now().After(deadline) {
				return append(body, last)
			}
			end := min(i+chunk, len(body))
			candidate := slices.Concat(body[:i], body[end:])
			if try(candidate) {
				body = candidate
				removed = true
			} else {
				i = end
			}
		}
		if chunk == 1 {
			if !removed {
				break
			}
			continue
		}
		chunk = max(min(chunk/2, len(body)/2), 1)
	}
	return append(body, last)
}
