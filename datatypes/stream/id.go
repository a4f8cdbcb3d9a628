package stream

import (
	"strconv"

	"github.com/vireodb/vireo/datatypes/num"
)

// ID is a stream entry ID: a millisecond time and a sequence number.
type ID struct {
	Ms, Seq uint64
}

// MaxID is the greatest possible ID ("+").
var MaxID = ID{^uint64(0), ^uint64(0)}

// Cmp compares two IDs: -1, 0 or +1.
func (id ID) Cmp(o ID) int {
	switch {
	case id.Ms < o.Ms:
		return -1
	case id.Ms > o.Ms:
		return 1
	case id.Seq < o.Seq:
		return -1
	case id.Seq > o.Seq:
		return 1
	}
	return 0
}

// Less reports whether id sorts before o.
func (id ID) Less(o ID) bool { return id.Cmp(o) < 0 }

// IsZero reports whether id is 0-0.
func (id ID) IsZero() bool { return id.Ms == 0 && id.Seq == 0 }

// Incr returns the next ID; false when id is MaxID (streamIncrID).
func (id ID) Incr() (ID, bool) {
	if id.Seq == ^uint64(0) {
		if id.Ms == ^uint64(0) {
			return id, false
		}
		return ID{id.Ms + 1, 0}, true
	}
	return ID{id.Ms, id.Seq + 1}, true
}

// Decr returns the previous ID; false when id is 0-0 (streamDecrID).
func (id ID) Decr() (ID, bool) {
	if id.Seq == 0 {
		if id.Ms == 0 {
			return id, false
		}
		return ID{id.Ms - 1, ^uint64(0)}, true
	}
	return ID{id.Ms, id.Seq - 1}, true
}

// Append appends id as "ms-seq".
func (id ID) Append(b []byte) []byte {
	b = strconv.AppendUint(b, id.Ms, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, id.Seq, 10)
}

// String is "ms-seq".
func (id ID) String() string { return string(id.Append(nil)) }

// maxIDArgLen is the longest ID argument Redis accepts (its 128-byte buffer).
const maxIDArgLen = 127

// ParseID parses a stream ID argument as Redis's streamParseID does: "ms" or
// "ms-seq" (a missing sequence is missingSeq); unless strict, "-" and "+"
// stand for 0-0 and MaxID.
func ParseID(s []byte, missingSeq uint64, strict bool) (ID, bool) {
	id, _, ok := parseID(s, missingSeq, strict, false)
	return id, ok
}

// ParseAddID parses XADD's explicit ID: "ms", "ms-seq" or "ms-*" (seqAuto:
// the sequence is to be generated). A missing sequence is 0.
func ParseAddID(s []byte) (id ID, seqAuto bool, ok bool) {
	return parseID(s, 0, true, true)
}

// ParseExclusiveID parses a range bound that may start with "(" (an
// exclusive bound, Redis 6.2): the ID and whether it was exclusive.
// "(-" and "(+" are not accepted, as in Redis.
func ParseExclusiveID(s []byte, missingSeq uint64) (id ID, exclusive bool, ok bool) {
	if len(s) > 0 && s[0] == '(' {
		id, ok = ParseID(s[1:], missingSeq, true)
		return id, true, ok
	}
	id, ok = ParseID(s, missingSeq, false)
	return id, false, ok
}

func parseID(s []byte, missingSeq uint64, strict, allowSeqAuto bool) (ID, bool, bool) {
	if len(s) > maxIDArgLen {
		return ID{}, false, false
	}
	if len(s) == 1 && !strict {
		switch s[0] {
		case '-':
			return ID{}, false, true
		case '+':
			return MaxID, false, true
		}
	}
	dash := -1
	for i, ch := range s {
		if ch == '-' {
			dash = i
			break
		}
	}
	msPart := s
	if dash >= 0 {
		msPart = s[:dash]
	}
	ms, ok := parseUint64(msPart)
	if !ok {
		return ID{}, false, false
	}
	if dash < 0 {
		return ID{ms, missingSeq}, false, true
	}
	seqPart := s[dash+1:]
	if allowSeqAuto && len(seqPart) == 1 && seqPart[0] == '*' {
		return ID{ms, 0}, true, true
	}
	seq, ok := parseUint64(seqPart)
	if !ok {
		return ID{}, false, false
	}
	return ID{ms, seq}, false, true
}

// parseUint64 is Redis's string2ull: a canonical integer (string2ll) that
// is not negative, or else whatever C's strtoull accepts when it consumes the
// whole text (leading spaces, a sign, leading zeros; a negated value wraps).
func parseUint64(s []byte) (uint64, bool) {
	if v, ok := num.ParseInt(s); ok {
		if v < 0 {
			return 0, false
		}
		return uint64(v), true
	}
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		ch := s[i]
		if ch < '0' || ch > '9' {
			return 0, false
		}
		d := uint64(ch - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, false // ERANGE
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}
