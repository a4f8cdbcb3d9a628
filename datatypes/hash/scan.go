package hash

// Scan calls fn for some pairs starting at cursor and returns the cursor to
// pass next; 0 means the scan is complete. A compact hash returns every pair
// in one call and cursor 0, whatever the cursor (Redis does the same for a
// listpack). A table is walked one bucket at a time with the dict's
// reverse-binary cursor (Redis's dictScan), so every pair present for the
// whole scan comes at least once however the table is resized between calls.
// fn must not modify h.
func (h *Hash) Scan(cursor uint64, fn func(field, value []byte)) (next uint64) {
	if h.table == nil {
		h.compactRange(func(f, v []byte) bool { fn(f, v); return true })
		return 0
	}
	return h.table.Scan(cursor, func(k string, v []byte) { fn(stringBytes(k), v) })
}
