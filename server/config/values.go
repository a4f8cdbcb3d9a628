package config

// The value kinds of the directive table: how a directive's arguments are
// parsed and stored (set), shown by CONFIG GET (get) and written by CONFIG
// REWRITE (rewrite). Each mirrors one of Redis's generic config types, and the
// error strings are Redis's, since CONFIG SET replies with them.

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// valueKind is the behaviour shared by every directive of one type.
type valueKind interface {
	// init stores the default value.
	init(s *Settings)
	// set parses args (the words after the directive name) and stores them.
	// The error text is the reason Redis gives.
	set(s *Settings, args []string, ctx *setContext) error
	// get formats the value as CONFIG GET shows it.
	get(s *Settings) string
	// rewrite records the directive's lines in a CONFIG REWRITE.
	rewrite(s *Settings, name string, rw *rewriteState)
}

// setContext tells a setter whether it runs while loading the configuration
// (file and command line) or for CONFIG SET.
type setContext struct {
	loading bool
	// saveLoaded records that a save line was already read while loading:
	// the first one replaces the default save points, later ones add to it.
	saveLoaded bool
}

// reason is an error carrying only Redis's reason text.
func reason(text string) error { return errors.New(text) }

// ---- yes/no ----

type boolValue struct {
	field    func(*Settings) *bool
	def      bool
	validate func(v bool, ctx *setContext) error
}

func (v *boolValue) init(s *Settings) { *v.field(s) = v.def }

func (v *boolValue) set(s *Settings, args []string, ctx *setContext) error {
	b, ok := yesNo(args[0])
	if !ok {
		return reason("argument must be 'yes' or 'no'")
	}
	if v.validate != nil {
		if err := v.validate(b, ctx); err != nil {
			return err
		}
	}
	*v.field(s) = b
	return nil
}

func (v *boolValue) get(s *Settings) string { return yesNoString(*v.field(s)) }

func (v *boolValue) rewrite(s *Settings, name string, rw *rewriteState) {
	val := *v.field(s)
	rw.rewriteLine(name, name+" "+yesNoString(val), val != v.def)
}

func yesNoString(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// ---- numbers ----

// numFormat says how a numeric directive is written and bounded, like the
// MEMORY_CONFIG / PERCENT_CONFIG / OCTAL_CONFIG flags and the C type of the
// Redis field (unsigned types compare their bounds unsigned).
type numFormat struct {
	memory   bool // accepts units (1kb, 5m ...); CONFIG GET prints plain bytes
	percent  bool // also accepts N%, stored as -N
	octal    bool // read and shown in octal
	unsigned bool // bounds compared as unsigned, as for Redis's size_t/uint fields
}

var (
	signedInt   = numFormat{}
	unsignedInt = numFormat{unsigned: true}
	signedMem   = numFormat{memory: true}
	unsignedMem = numFormat{memory: true, unsigned: true}
	octalPerm   = numFormat{octal: true, unsigned: true}
	memPercent  = numFormat{memory: true, percent: true}
)

// Bounds used by the table, named after the C limits Redis uses.
const (
	intMin   = math.MinInt32
	intMax   = math.MaxInt32
	uintMax  = math.MaxUint32
	longMax  = math.MaxInt64
	llongMax = math.MaxInt64
	// ullongMax is ULLONG_MAX as Redis keeps it in a long long bound.
	ullongMax = -1
)

type numValue struct {
	format   numFormat
	min, max int64
	def      int64
	load     func(*Settings) int64
	store    func(*Settings, int64)
	validate func(int64) error
}

// bindNumber adapts a pointer to a typed field to the int64 view numValue
// works with; values are range-checked before they are stored.
func bindNumber[T int | int64 | uint64](field func(*Settings) *T) (func(*Settings) int64, func(*Settings, int64)) {
	return func(s *Settings) int64 { return int64(*field(s)) },
		func(s *Settings, v int64) { *field(s) = T(v) }
}

func (v *numValue) init(s *Settings) { v.store(s, v.def) }

// parse is Redis's numericParseString.
func (v *numValue) parse(arg string) (int64, error) {
	if v.format.memory {
		if u, ok := memToULL(arg); ok {
			return int64(u), nil
		}
	}
	if v.format.percent && len(arg) > 1 && arg[len(arg)-1] == '%' {
		if n, ok := string2ll(arg[:len(arg)-1]); ok && n >= 0 {
			return -n, nil
		}
	}
	if v.format.octal {
		if n, overflow, rest := strtoll(cString(arg), 8); !overflow && rest == "" {
			return n, nil
		}
	}
	if !v.format.memory && !v.format.percent && !v.format.octal {
		if n, ok := string2ll(arg); ok {
			return n, nil
		}
	}
	switch {
	case v.format.memory && v.format.percent:
		return 0, reason("argument must be a memory or percent value")
	case v.format.memory:
		return 0, reason("argument must be a memory value")
	case v.format.octal:
		return 0, reason("argument couldn't be parsed as an octal number")
	}
	return 0, reason("argument couldn't be parsed into an integer")
}

// checkBounds is Redis's numericBoundaryCheck.
func (v *numValue) checkBounds(n int64) error {
	if v.format.unsigned {
		u, lo, hi := uint64(n), uint64(v.min), uint64(v.max)
		if u > hi || u < lo {
			if v.format.octal {
				return reason("argument must be between " + strconv.FormatUint(lo, 8) +
					" and " + strconv.FormatUint(hi, 8) + " inclusive")
			}
			return reason("argument must be between " + strconv.FormatUint(lo, 10) +
				" and " + strconv.FormatUint(hi, 10) + " inclusive")
		}
		return nil
	}
	if v.format.percent && n < 0 {
		if n < v.min {
			return reason("percentage argument must be less or equal to " + strconv.FormatInt(-v.min, 10))
		}
		return nil
	}
	if n > v.max || n < v.min {
		return reason("argument must be between " + strconv.FormatInt(v.min, 10) +
			" and " + strconv.FormatInt(v.max, 10) + " inclusive")
	}
	return nil
}

func (v *numValue) set(s *Settings, args []string, _ *setContext) error {
	n, err := v.parse(args[0])
	if err != nil {
		return err
	}
	if err := v.checkBounds(n); err != nil {
		return err
	}
	if v.validate != nil {
		if err := v.validate(n); err != nil {
			return err
		}
	}
	v.store(s, n)
	return nil
}

func (v *numValue) get(s *Settings) string {
	n := v.load(s)
	switch {
	case v.format.percent && n < 0:
		return strconv.FormatInt(-n, 10) + "%"
	case v.format.memory:
		return strconv.FormatUint(uint64(n), 10)
	case v.format.octal:
		return strconv.FormatUint(uint64(n), 8)
	}
	return strconv.FormatInt(n, 10)
}

func (v *numValue) rewrite(s *Settings, name string, rw *rewriteState) {
	n := v.load(s)
	force := n != v.def
	switch {
	case v.format.percent && n < 0:
		rw.rewriteLine(name, name+" "+strconv.FormatInt(-n, 10)+"%", force)
	case v.format.memory:
		// Redis formats through a signed long long here, which turns values
		// past 2^63 into text it cannot read back; unsigned keeps them valid.
		rw.rewriteLine(name, name+" "+formatMemory(uint64(n)), force)
	case v.format.octal:
		rw.rewriteLine(name, name+" "+strconv.FormatUint(uint64(n), 8), force)
	default:
		rw.rewriteLine(name, name+" "+strconv.FormatInt(n, 10), force)
	}
}

// ---- enumerations ----

// enumEntry is one accepted word of an enumeration and its value; words
// sharing a value are synonyms (oom-score-adj: relative reads back as yes).
type enumEntry struct {
	name string
	val  int
}

type enumValue struct {
	// field holds the value's canonical text: the first word with that
	// value, or for flags the words of the set bits in table order
	// ("save now").
	field   func(*Settings) *string
	entries []enumEntry // in Redis's order, the order of its error message
	def     string
	// flags enumerations (shutdown-on-sigint) take several words and OR
	// their values.
	flags    bool
	validate func(int) error
}

func (v *enumValue) init(s *Settings) { *v.field(s) = v.def }

// value is Redis's configEnumGetValue.
func (v *enumValue) value(args []string) (int, bool) {
	if len(args) == 0 || (!v.flags && len(args) != 1) {
		return 0, false
	}
	combined := 0
	for _, arg := range args {
		arg = cString(arg)
		found := false
		for _, e := range v.entries {
			if strings.EqualFold(arg, e.name) {
				combined |= e.val
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return combined, true
}

// name is Redis's configEnumGetName.
func (v *enumValue) name(val int) string {
	var names []string
	unmatched := val
	for _, e := range v.entries {
		if e.val == val {
			return e.name
		}
		if v.flags && e.val != 0 && e.val == unmatched&e.val {
			names = append(names, e.name)
			unmatched &^= e.val
		}
	}
	if names == nil || unmatched != 0 {
		return "unknown"
	}
	return strings.Join(names, " ")
}

func (v *enumValue) set(s *Settings, args []string, _ *setContext) error {
	val, ok := v.value(args)
	if !ok {
		names := make([]string, len(v.entries))
		for i, e := range v.entries {
			names[i] = e.name
		}
		msg := "argument(s) must be one of the following: " + strings.Join(names, ", ")
		if len(msg) > 255 { // Redis copies the message into a 256-byte buffer.
			msg = msg[:255]
		}
		return reason(msg)
	}
	if v.validate != nil {
		if err := v.validate(val); err != nil {
			return err
		}
	}
	*v.field(s) = v.name(val)
	return nil
}

func (v *enumValue) get(s *Settings) string { return *v.field(s) }

func (v *enumValue) rewrite(s *Settings, name string, rw *rewriteState) {
	val := *v.field(s)
	rw.rewriteLine(name, name+" "+val, val != v.def)
}

// ---- strings ----

type stringValue struct {
	field func(*Settings) *string
	def   string
	// nullable is Redis's EMPTY_STRING_IS_NULL: an empty value means "not
	// set", and CONFIG REWRITE removes the directive instead of writing "".
	nullable bool
	// binary keeps bytes after a NUL (Redis stores these as sds, the others
	// as C strings).
	binary   bool
	validate func(string) error
}

func (v *stringValue) init(s *Settings) { *v.field(s) = v.def }

func (v *stringValue) set(s *Settings, args []string, _ *setContext) error {
	val := args[0]
	if !v.binary {
		val = cString(val)
	}
	if v.validate != nil {
		if err := v.validate(val); err != nil {
			return err
		}
	}
	*v.field(s) = val
	return nil
}

func (v *stringValue) get(s *Settings) string { return *v.field(s) }

func (v *stringValue) rewrite(s *Settings, name string, rw *rewriteState) {
	val := *v.field(s)
	if v.nullable && val == "" {
		rw.markProcessed(name)
		return
	}
	rw.rewriteLine(name, name+" "+quoteRepr(val), val != v.def)
}

// ---- directives with their own syntax ----

// specialValue is a directive with hand-written parsing and formatting
// (save, bind, client-output-buffer-limit ...).
type specialValue struct {
	initf    func(*Settings)
	setf     func(s *Settings, args []string, ctx *setContext) error
	getf     func(*Settings) string
	rewritef func(s *Settings, name string, rw *rewriteState)
}

func (v *specialValue) init(s *Settings) { v.initf(s) }
func (v *specialValue) set(s *Settings, args []string, ctx *setContext) error {
	return v.setf(s, args, ctx)
}
func (v *specialValue) get(s *Settings) string { return v.getf(s) }
func (v *specialValue) rewrite(s *Settings, name string, rw *rewriteState) {
	v.rewritef(s, name, rw)
}
