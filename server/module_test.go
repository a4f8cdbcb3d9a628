package server

import "testing"

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
