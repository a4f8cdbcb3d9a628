package server

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/vireodb/vireo/server/config"
)

func TestParseTLSProtocols(t *testing.T) {
	cases := []struct {
		in       string
		min, max uint16
		bad      bool
	}{
		{"", tls.VersionTLS12, tls.VersionTLS13, false},
		{"TLSv1.2", tls.VersionTLS12, tls.VersionTLS12, false},
		{"tlsv1.3", tls.VersionTLS13, tls.VersionTLS13, false},
		{"TLSv1.3 TLSv1", tls.VersionTLS10, tls.VersionTLS13, false},
		{"TLSv1.2 SSLv3", 0, 0, true},
	}
	for _, c := range cases {
		min, max, err := parseTLSProtocols(c.in)
		if c.bad {
			if err == nil || !strings.HasPrefix(err.Error(), "Invalid tls-protocols specified.") {
				t.Errorf("%q: err = %v, want Redis's invalid tls-protocols message", c.in, err)
			}
			continue
		}
		if err != nil || min != c.min || max != c.max {
			t.Errorf("%q = %x..%x, %v; want %x..%x", c.in, min, max, err, c.min, c.max)
		}
	}
}

func TestParseTLSCiphers(t *testing.T) {
	name := tls.CipherSuites()[0].Name
	if got := parseTLSCiphers(name); len(got) != 1 || got[0] != tls.CipherSuites()[0].ID {
		t.Fatalf("parseTLSCiphers(%q) = %v", name, got)
	}
	// An OpenSSL cipher string is not Go's to interpret: defaults.
	if got := parseTLSCiphers("DEFAULT:!MEDIUM"); got != nil {
		t.Fatalf("OpenSSL string gave %v, want nil (Go's defaults)", got)
	}
	if got := parseTLSCiphers(""); got != nil {
		t.Fatalf("empty gave %v", got)
	}
}

// buildTLSConfig refuses incomplete settings with tls.c's reasons, before
// touching any file.
func TestBuildTLSConfigNeedsFiles(t *testing.T) {
	cases := []struct {
		set  config.Settings
		want string
	}{
		{config.Settings{TLSAuthClients: "no"}, "No tls-cert-file configured!"},
		{config.Settings{TLSAuthClients: "no", TLSCertFile: "c"}, "No tls-key-file configured!"},
		{config.Settings{TLSAuthClients: "yes", TLSCertFile: "c", TLSKeyFile: "k"}, "Either tls-ca-cert-file or tls-ca-cert-dir must be specified"},
		{config.Settings{TLSAuthClients: "no", TLSReplication: true, TLSCertFile: "c", TLSKeyFile: "k"}, "Either tls-ca-cert-file or tls-ca-cert-dir must be specified"},
		{config.Settings{TLSAuthClients: "no", TLSCertFile: "/nonexistent/c", TLSKeyFile: "k"}, "Failed to load certificate: /nonexistent/c"},
	}
	for _, c := range cases {
		_, err := buildTLSConfig(&c.set)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want prefix %q", c.set, err, c.want)
		}
	}
}

// Without tls-port nothing listens for TLS and a CONFIG SET of the files
// is only stored (it is checked when tls-port is set), as in Redis.
func TestTLSOffByDefault(t *testing.T) {
	s := startVireo(t)
	if s.tls.port != 0 || len(s.tls.listeners) != 0 {
		t.Fatalf("TLS listeners without tls-port: port %d, %d listeners", s.tls.port, len(s.tls.listeners))
	}
	c := s.testClient(t)
	c.expect("CONFIG SET tls-cert-file /nonexistent.crt", "+OK\r\n")
	c.expect("CONFIG SET tls-port 1", "-ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.\r\n")
	c.expect("CONFIG GET tls-port", "*2\r\n$8\r\ntls-port\r\n$1\r\n0\r\n")
}
