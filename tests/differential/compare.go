package differential

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"github.com/vireodb/vireo/tests/harness"
)

// CompareMode says how a step's two replies are compared; zero is byte for
// byte.
type CompareMode uint8

const (
	CompareSkip      CompareMode = 1 << iota // don't compare (TIME, INFO, RANDOMKEY)
	CompareUnordered                         // sort the elements of every aggregate first
	CompareTTL                               // positive integers are all equal
	compareHello                             // mask HELLO's server, version and id values
)

// helloMasked are the HELLO reply fields that legitimately differ between
// two servers.
var helloMasked = map[string]bool{"server": true, "version": true, "id": true}

// Normalise returns the bytes a reply is compared by under mode. A reply
// that does not parse is compared as it is.
func Normalise(raw []byte, mode CompareMode) []byte {
	if mode&(CompareUnordered|CompareTTL|compareHello) == 0 {
		return raw
	}
	reply, err := harness.ParseReply(raw)
	if err != nil {
		return raw
	}
	if mode&compareHello != 0 {
		maskHello(reply)
	}
	if mode&CompareTTL != 0 {
		classifyPositive(reply)
	}
	if mode&CompareUnordered != 0 {
		sortAggregates(reply)
	}
	return reply.Bytes()
}

// maskHello blanks the values of the masked keys in a HELLO reply, a map in
// RESP3 and a flat key, value array in RESP2.
func maskHello(r *harness.Reply) {
	if r.Kind != '%' && r.Kind != '*' {
		return
	}
	for i := 0; i+1 < len(r.Elems); i += 2 {
		key := r.Elems[i]
		name := key.Line
		if key.Bulk != nil {
			name = string(key.Bulk)
		}
		if helloMasked[name] {
			r.Elems[i+1] = &harness.Reply{Kind: '+', Line: "<masked>"}
		}
	}
}

// classifyPositive replaces every positive integer with one placeholder.
func classifyPositive(r *harness.Reply) {
	if r.Kind == ':' {
		if n, err := strconv.ParseInt(r.Line, 10, 64); err == nil && n > 0 {
			r.Line = "<positive>"
		}
	}
	for _, e := range r.Elems {
		classifyPositive(e)
	}
}

// sortAggregates sorts, bottom up, the elements of arrays, sets and pushes
// by their bytes, and the key/value pairs of maps by the pair's bytes.
func sortAggregates(r *harness.Reply) {
	for _, e := range r.Elems {
		sortAggregates(e)
	}
	switch r.Kind {
	case '*', '~', '>':
		slices.SortFunc(r.Elems, func(a, b *harness.Reply) int { return bytes.Compare(a.Bytes(), b.Bytes()) })
	case '%':
		pairs := make([][2]*harness.Reply, len(r.Elems)/2)
		for i := range pairs {
			pairs[i] = [2]*harness.Reply{r.Elems[2*i], r.Elems[2*i+1]}
		}
		slices.SortFunc(pairs, func(a, b [2]*harness.Reply) int {
			return bytes.Compare(append(a[0].Bytes(), a[1].Bytes()...), append(b[0].Bytes(), b[1].Bytes()...))
		})
		for i, p := range pairs {
			r.Elems[2*i], r.Elems[2*i+1] = p[0], p[1]
		}
	}
}

// Mismatch describes the first step whose replies differ.
type Mismatch struct {
	Index        int // into the steps that ran
	Step         Step
	Vireo, Redis []byte // raw replies (or a description of a connection error)
}

func (m *Mismatch) String() string {
	return fmt.Sprintf("%s: %s\n  vireo: %q\n  redis: %q", m.Step.Pos, m.Step.Script(), m.Vireo, m.Redis)
}
