package config

// The directives whose syntax fits no generic kind: save, dir, bind,
// replicaof, client-output-buffer-limit, oom-score-adj-values,
// notify-keyspace-events and latency-tracking-info-percentiles, plus the
// validators some generic directives need. Each follows the matching
// function of Redis's config.c.

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ---- save ----

var defaultSave = []SavePoint{{3600, 1}, {300, 100}, {60, 10000}}

func setSave(s *Settings, args []string, ctx *setContext) error {
	// A single empty argument (save "") means no save points.
	if len(args) == 1 && cString(args[0]) == "" {
		s.Save = nil
		args = nil
	}
	if len(args)%2 != 0 {
		return reason("Invalid save parameters")
	}
	for j, a := range args {
		v, _, rest := strtoll(cString(a), 10)
		if rest != "" || (j%2 == 0 && v < 1) || (j%2 == 1 && v < 0) {
			return reason("Invalid save parameters")
		}
	}
	// CONFIG SET replaces the save points. While loading, the first save
	// line replaces the defaults and later ones add to it, so a file can
	// list one rule per line.
	var points []SavePoint
	if ctx.loading && ctx.saveLoaded {
		points = append(points, s.Save...)
	}
	ctx.saveLoaded = true
	for j := 0; j < len(args); j += 2 {
		seconds, _, _ := strtoll(cString(args[j]), 10)
		changes, _, _ := strtoll(cString(args[j+1]), 10)
		// Redis keeps changes in a C int.
		points = append(points, SavePoint{Seconds: seconds, Changes: int(int32(changes))})
	}
	s.Save = points
	return nil
}

func getSave(s *Settings) string {
	parts := make([]string, 0, 2*len(s.Save))
	for _, p := range s.Save {
		parts = append(parts, strconv.FormatInt(p.Seconds, 10), strconv.Itoa(p.Changes))
	}
	return strings.Join(parts, " ")
}

func rewriteSave(s *Settings, name string, rw *rewriteState) {
	// An explicit save "" keeps the defaults from coming back on restart.
	if len(s.Save) == 0 {
		rw.rewriteLine(name, `save ""`, true)
	}
	for _, p := range s.Save {
		rw.rewriteLine(name, "save "+strconv.FormatInt(p.Seconds, 10)+" "+strconv.Itoa(p.Changes), true)
	}
	rw.markProcessed(name)
}

// ---- dir ----

// setDir validates the directory as chdir would and stores its absolute,
// symlink-free path (what getcwd returns after Redis's chdir). Vireo does
// not change its working directory: the server joins file names to Dir.
func setDir(s *Settings, args []string, _ *setContext) error {
	if len(args) != 1 {
		return reason("wrong number of arguments")
	}
	dir := cString(args[0])
	if dir == "" {
		return reason(errnoText(syscall.ENOENT))
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(s.Dir, dir)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return reason(errnoText(err))
	}
	if !fi.IsDir() {
		return reason(errnoText(syscall.ENOTDIR))
	}
	// chdir needs search permission on the directory.
	if err := syscall.Access(dir, 1 /* X_OK */); err != nil {
		return reason(errnoText(err))
	}
	if resolved, err := filepath.EvalSymlinks(dir); err == nil {
		dir = resolved
	}
	s.Dir = filepath.Clean(dir)
	return nil
}

func getDir(s *Settings) string { return s.Dir }

func rewriteDir(s *Settings, name string, rw *rewriteState) {
	if s.Dir == "" {
		rw.markProcessed(name)
		return
	}
	rw.rewriteLine(name, name+" "+quoteRepr(s.Dir), true)
}

// errnoText gives the C library's strerror text for the errno inside err,
// since Redis replies with strerror and Go's texts differ in case.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.ENOENT:
			return "No such file or directory"
		case syscall.ENOTDIR:
			return "Not a directory"
		case syscall.EACCES:
			return "Permission denied"
		case syscall.ENAMETOOLONG:
			return "File name too long"
		case syscall.ELOOP:
			return "Too many levels of symbolic links"
		case syscall.EROFS:
			return "Read-only file system"
		case syscall.ENOSPC:
			return "No space left on device"
		case syscall.EISDIR:
			return "Is a directory"
		case syscall.EPERM:
			return "Operation not permitted"
		}
		err = errno
	}
	text := err.Error()
	if text != "" {
		text = strings.ToUpper(text[:1]) + text[1:]
	}
	return text
}

// ---- bind ----

const maxBindAddresses = 16 // CONFIG_BINDADDR_MAX

var defaultBind = []string{"*", "-::*"}

func setBind(s *Settings, args []string, _ *setContext) error {
	if len(args) > maxBindAddresses {
		return reason("Too many bind addresses specified.")
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	addrs := make([]string, len(args))
	for i, a := range args {
		addrs[i] = cString(a)
	}
	s.Bind = addrs
	return nil
}

func getBind(s *Settings) string { return strings.Join(s.Bind, " ") }

func rewriteBind(s *Settings, name string, rw *rewriteState) {
	if equalStrings(s.Bind, defaultBind) {
		rw.markProcessed(name)
		return
	}
	addrs := `""`
	if len(s.Bind) > 0 {
		addrs = strings.Join(s.Bind, " ")
	}
	rw.rewriteLine(name, name+" "+addrs, true)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ---- replicaof ----

func setReplicaOf(s *Settings, args []string, _ *setContext) error {
	if len(args) != 2 {
		return reason("wrong number of arguments")
	}
	s.ReplicaOfHost, s.ReplicaOfPort = "", 0
	if strings.EqualFold(cString(args[0]), "no") && strings.EqualFold(cString(args[1]), "one") {
		return nil
	}
	p, _, rest := strtoll(cString(args[1]), 10)
	port := int(int32(p)) // Redis keeps the port in a C int
	if port < 0 || port > 65535 || rest != "" {
		return reason("Invalid master port")
	}
	s.ReplicaOfHost, s.ReplicaOfPort = args[0], port
	return nil
}

func getReplicaOf(s *Settings) string {
	if s.ReplicaOfHost == "" {
		return ""
	}
	return s.ReplicaOfHost + " " + strconv.Itoa(s.ReplicaOfPort)
}

func rewriteReplicaOf(s *Settings, name string, rw *rewriteState) {
	// A primary, or a cluster node, has no replicaof line at all.
	if s.ClusterEnabled || s.ReplicaOfHost == "" {
		rw.markProcessed(name)
		return
	}
	rw.rewriteLine(name, name+" "+s.ReplicaOfHost+" "+strconv.Itoa(s.ReplicaOfPort), true)
}

// ---- client-output-buffer-limit ----

var defaultOutputBufferLimits = [clientClassCount]OutputBufferLimit{
	ClientClassNormal:  {0, 0, 0},
	ClientClassReplica: {256 << 20, 64 << 20, 60},
	ClientClassPubSub:  {32 << 20, 8 << 20, 60},
}

// clientClassNames are the names CONFIG GET prints, by class.
var clientClassNames = [clientClassCount]string{"normal", "slave", "pubsub"}

func setClientOutputBufferLimit(s *Settings, args []string, _ *setContext) error {
	if len(args)%4 != 0 {
		return reason("Wrong number of arguments in buffer limit configuration.")
	}
	limits := s.ClientOutputBufferLimit
	for j := 0; j < len(args); j += 4 {
		class := -1
		switch strings.ToLower(cString(args[j])) {
		case "normal":
			class = ClientClassNormal
		case "slave", "replica":
			class = ClientClassReplica
		case "pubsub":
			class = ClientClassPubSub
		}
		if class < 0 { // "master" is a class too, but has no limit.
			return reason("Invalid client class specified in buffer limit configuration.")
		}
		hard, hardOK := memToULL(args[j+1])
		soft, softOK := memToULL(args[j+2])
		secs, _, rest := strtoll(cString(args[j+3]), 10)
		seconds := int64(int32(secs)) // Redis reads the seconds into a C int
		if !hardOK || !softOK || seconds < 0 || rest != "" {
			return reason("Error in hard, soft or soft_seconds setting in buffer limit configuration.")
		}
		limits[class] = OutputBufferLimit{Hard: hard, Soft: soft, SoftSeconds: seconds}
	}
	s.ClientOutputBufferLimit = limits
	return nil
}

func getClientOutputBufferLimit(s *Settings) string {
	parts := make([]string, 0, clientClassCount)
	for class, l := range s.ClientOutputBufferLimit {
		parts = append(parts, clientClassNames[class]+" "+strconv.FormatUint(l.Hard, 10)+" "+
			strconv.FormatUint(l.Soft, 10)+" "+strconv.FormatInt(l.SoftSeconds, 10))
	}
	return strings.Join(parts, " ")
}

func rewriteClientOutputBufferLimit(s *Settings, name string, rw *rewriteState) {
	for class, l := range s.ClientOutputBufferLimit {
		className := clientClassNames[class]
		if class == ClientClassReplica {
			className = "replica"
		}
		line := name + " " + className + " " + formatMemory(l.Hard) + " " +
			formatMemory(l.Soft) + " " + strconv.FormatInt(l.SoftSeconds, 10)
		rw.rewriteLine(name, line, l != defaultOutputBufferLimits[class])
	}
}

// ---- oom-score-adj-values ----

var defaultOOMScoreAdjValues = [3]int{0, 200, 800}

func setOOMScoreAdjValues(s *Settings, args []string, _ *setContext) error {
	if len(args) != len(s.OOMScoreAdjValues) {
		return reason("wrong number of arguments")
	}
	var values [3]int
	for i, a := range args {
		v, _, rest := strtoll(cString(a), 10)
		if rest != "" || v < -2000 || v > 2000 {
			return reason("Invalid oom-score-adj-values, elements must be between -2000 and 2000.")
		}
		values[i] = int(v)
	}
	s.OOMScoreAdjValues = values
	return nil
}

func getOOMScoreAdjValues(s *Settings) string {
	v := s.OOMScoreAdjValues
	return strconv.Itoa(v[0]) + " " + strconv.Itoa(v[1]) + " " + strconv.Itoa(v[2])
}

func rewriteOOMScoreAdjValues(s *Settings, name string, rw *rewriteState) {
	rw.rewriteLine(name, name+" "+getOOMScoreAdjValues(s), s.OOMScoreAdjValues != defaultOOMScoreAdjValues)
}

// ---- notify-keyspace-events ----

func setNotifyKeyspaceEvents(s *Settings, args []string, _ *setContext) error {
	if len(args) != 1 {
		return reason("wrong number of arguments")
	}
	flags, ok := ParseKeyspaceEvents(cString(args[0]))
	if !ok {
		return reason(errBadEventClass)
	}
	s.NotifyKeyspaceEvents = flags
	return nil
}

func getNotifyKeyspaceEvents(s *Settings) string { return s.NotifyKeyspaceEvents.String() }

func rewriteNotifyKeyspaceEvents(s *Settings, name string, rw *rewriteState) {
	rw.rewriteLine(name, name+" "+quoteRepr(s.NotifyKeyspaceEvents.String()), s.NotifyKeyspaceEvents != 0)
}

// ---- latency-tracking-info-percentiles ----

var defaultPercentiles = []float64{50, 99, 99.9}

func setPercentiles(s *Settings, args []string, _ *setContext) error {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	values := make([]float64, 0, len(args))
	for _, a := range args {
		v, ok := string2d(a)
		if !ok {
			return reason("Invalid latency-tracking-info-percentiles parameters")
		}
		if v > 100 || v < 0 {
			return reason("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
		}
		values = append(values, v)
	}
	s.LatencyTrackingInfoPercentiles = values
	return nil
}

// string2d is Redis's strict float parser: no blanks around, no NaN, no
// overflow.
func string2d(s string) (float64, bool) {
	if s == "" || isCSpace(s[0]) || isCSpace(s[len(s)-1]) || strings.ContainsAny(s, "_") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v {
		return 0, false
	}
	return v, true
}

// formatPercentile prints like Redis's "%f" followed by trimDoubleString.
func formatPercentile(v float64) string {
	text := strconv.FormatFloat(v, 'f', 6, 64)
	if strings.IndexByte(text, '.') >= 0 {
		text = strings.TrimRight(text, "0")
		text = strings.TrimSuffix(text, ".")
	}
	return text
}

func getPercentiles(s *Settings) string {
	parts := make([]string, len(s.LatencyTrackingInfoPercentiles))
	for i, v := range s.LatencyTrackingInfoPercentiles {
		parts[i] = formatPercentile(v)
	}
	return strings.Join(parts, " ")
}

func rewritePercentiles(s *Settings, name string, rw *rewriteState) {
	// Always written, with "" for none, so the defaults do not come back.
	values := `""`
	if len(s.LatencyTrackingInfoPercentiles) > 0 {
		values = getPercentiles(s)
	}
	rw.rewriteLine(name, name+" "+values, true)
}

// ---- validators of generic directives ----

func validateBaseName(what, kind string) func(string) error {
	return func(v string) error {
		if what != "dbfilename" && v == "" {
			return reason(what + " can't be empty")
		}
		if strings.ContainsAny(v, `/\`) {
			return reason(what + " can't be a path, just a " + kind)
		}
		return nil
	}
}

func validateHostname(v string) error {
	if len(v) >= 256 {
		return reason("Hostnames must be less than 256 characters")
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isDigit(c) || c == '-' || c == '.') {
			return reason("Hostnames may only contain alphanumeric characters, hyphens or dots")
		}
	}
	return nil
}

// validateProcTitleTemplate expands the template as Redis's sdstemplate does
// ({{ is a literal brace, {name} a variable) and refuses unknown variables
// and templates that expand to nothing.
func validateProcTitleTemplate(v string) error {
	invalid := reason("template format is invalid or contains unknown variables")
	var out strings.Builder
	for p := v; p != ""; {
		open := strings.IndexByte(p, '{')
		if open < 0 {
			out.WriteString(p)
			break
		}
		out.WriteString(p[:open])
		p = p[open+1:]
		if p == "" {
			return invalid
		}
		if p[0] == '{' {
			out.WriteByte('{')
			p = p[1:]
			continue
		}
		end := strings.IndexByte(p, '}')
		if end < 0 {
			return invalid
		}
		switch p[:end] {
		case "title", "server-mode", "config-file", "unixsocket":
			// May be empty when the title is checked.
		case "listen-addr", "port", "tls-port":
			out.WriteString("x")
		default:
			return invalid
		}
		p = p[end+1:]
	}
	if strings.Trim(out.String(), " ") == "" {
		return invalid
	}
	return nil
}

func validatePowerOfTwo(n int64) error {
	if n&(n-1) != 0 {
		return reason("argument must be a power of two")
	}
	return nil
}

// refuseDaemonize refuses `daemonize yes`: a Go process cannot fork itself
// safely; run Vireo under a supervisor instead.
func refuseDaemonize(v bool, _ *setContext) error {
	if v {
		return reason("daemonize yes is not supported by Vireo: run it in the foreground under a supervisor (systemd, docker ...)")
	}
	return nil
}

// refuseActiveDefrag gives Redis's answer for a build without active
// defragmentation, which is what Vireo is.
func refuseActiveDefrag(v bool, _ *setContext) error {
	if v {
		return reason("Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution")
	}
	return nil
}
