package server

import (
	"strconv"
	"strings"
	"testing"
)

// With enable-module-command yes (or local, from loopback) loading gets as
// far as the library, which Vireo cannot load: redis-server 7.0.15's
// replies for a library it cannot open.
func TestModuleCommandEnabled(t *testing.T) {
	for _, mode := range []string{"yes", "local"} {
		c := dialResp(t, startVireo(t, "--enable-module-command", mode).Addr().String())
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"MODULE", "LOAD", "/nonexistent/module.so"}, "-ERR Error loading the extension. Please check the server logs.\r\n"},
			{[]string{"MODULE", "LOADEX", "/nonexistent/module.so", "CONFIG", "a"}, "-ERR Error loading the extension. Please check the server logs.\r\n"},
			{[]string{"MODULE", "UNLOAD", "foo"}, "-ERR Error unloading module: no such module with that name\r\n"},
			{[]string{"MODULE", "LIST"}, "*0\r\n"},
		} {
			if got := c.do(tc.args...); got != tc.want {
				t.Errorf("%s: %v = %q, want %q", mode, tc.args, got, tc.want)
			}
		}
	}
}

// MEMORY STATS has redis-server's fields, in its order (values differ: the
// allocators do), and the figures add up: total = overhead + dataset.
func TestMemoryStatsFields(t *testing.T) {
	fields := func(addr string) ([]string, map[string]string) {
		c := dialResp(t, addr)
		c.do("FLUSHALL")
		c.do("SET", "a", "1")
		c.do("SELECT", "2")
		c.do("SET", "b", "1", "EX", "100")
		raw := c.do("MEMORY", "STATS")
		var names []string
		vals := map[string]string{}
		lines := strings.Split(raw, "\r\n")
		for i := 1; i+1 < len(lines); i++ {
			if strings.HasPrefix(lines[i], "$") && i+2 < len(lines) {
				name := lines[i+1]
				if _, err := strconv.ParseFloat(name, 64); err != nil && (strings.Contains(name, ".") || strings.HasPrefix(name, "fragmentation")) {
					names = append(names, name)
					vals[name] = strings.TrimPrefix(strings.TrimPrefix(lines[i+2], ":"), "$")
				}
			}
		}
		return names, vals
	}
	want, _ := fields(startRedis(t))
	got, vals := fields(startVireo(t).Addr().String())
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("fields\n vireo %v\n redis %v", got, want)
	}
	total, _ := strconv.ParseInt(vals["total.allocated"], 10, 64)
	over, _ := strconv.ParseInt(vals["overhead.total"], 10, 64)
	data, _ := strconv.ParseInt(vals["dataset.bytes"], 10, 64)
	if total == 0 || total != over+data {
		t.Fatalf("total %d != overhead %d + dataset %d", total, over, data)
	}
}
