package server

// TLS for client connections, with Redis's tls-* directives: tls-port opens
// a TLS listener beside the plain one on every bind address; tls-cert-file
// and tls-key-file (optionally encrypted, tls-key-file-pass) are the
// server's identity; tls-ca-cert-file / tls-ca-cert-dir verify client
// certificates as tls-auth-clients asks (yes, optional, no);
// tls-protocols limits the versions. CONFIG SET of any of them rebuilds the
// configuration, and new handshakes use it at once (connections already
// open keep theirs), as Redis's applyTlsCfg does; CONFIG SET tls-port moves
// the listeners.
//
// A TLS connection cannot use the raw-descriptor read loop (conn_raw.go):
// it is served by the plain net.Conn loop, which crypto/tls sits under.
// Vireo does not interpret OpenSSL cipher strings: tls-ciphers may list
// Go's (IANA) cipher-suite names; anything else is logged and ignored, and
// tls-ciphersuites (TLS 1.3) is ignored, as Go does not make those suites
// configurable.

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vireodb/vireo/server/config"
)

// tlsHandshakeTimeout bounds how long an accepted TLS connection may take
// to finish its handshake before it is dropped.
const tlsHandshakeTimeout = 10 * time.Second

type tlsState struct {
	// current is the configuration new handshakes use.
	current atomic.Pointer[tls.Config]

	mu        sync.Mutex
	listeners []net.Listener // the tls-port listeners, one per bind address
	port      int            // the port they listen on (0: none)
}

// tlsDirectives are the directives buildTLSConfig reads; a CONFIG SET of
// any of them rebuilds the configuration.
var tlsDirectives = []string{
	"tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-ca-cert-file",
	"tls-ca-cert-dir", "tls-auth-clients", "tls-protocols", "tls-ciphers",
	"tls-ciphersuites", "tls-prefer-server-ciphers", "tls-session-caching",
	"tls-replication", "tls-cluster",
}

func (s *Server) initTLS() {
	s.cfg.OnApply(s.applyTLSConfig, tlsDirectives...)
	s.cfg.OnApply(s.applyTLSPort, "tls-port")
}

// buildTLSConfig makes the server-side TLS configuration from st. The
// errors name what is wrong in Redis's words (tls.c's tlsConfigure).
func buildTLSConfig(st *config.Settings) (*tls.Config, error) {
	if st.TLSCertFile == "" {
		return nil, errors.New("No tls-cert-file configured!")
	}
	if st.TLSKeyFile == "" {
		return nil, errors.New("No tls-key-file configured!")
	}
	if (st.TLSAuthClients != "no" || st.TLSCluster || st.TLSReplication) && st.TLSCACertFile == "" && st.TLSCACertDir == "" {
		return nil, errors.New("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!")
	}
	cert, err := loadKeyPair(st.TLSCertFile, st.TLSKeyFile, st.TLSKeyFilePass)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{
		Certificates:           []tls.Certificate{cert},
		SessionTicketsDisabled: !st.TLSSessionCaching,
	}
	if st.TLSCACertFile != "" || st.TLSCACertDir != "" {
		pool, err := loadCAPool(st.TLSCACertFile, st.TLSCACertDir)
		if err != nil {
			return nil, err
		}
		cfg.ClientCAs = pool
		cfg.RootCAs = pool // for outgoing links (tls-replication)
	}
	switch st.TLSAuthClients {
	case "no":
		cfg.ClientAuth = tls.NoClientCert
	case "optional":
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	default:
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	if cfg.MinVersion, cfg.MaxVersion, err = parseTLSProtocols(st.TLSProtocols); err != nil {
		return nil, err
	}
	cfg.CipherSuites = parseTLSCiphers(st.TLSCiphers)
	return cfg, nil
}

// loadKeyPair reads the certificate and key; pass decrypts a key in
// OpenSSL's legacy encrypted PEM form ("Proc-Type: 4,ENCRYPTED").
func loadKeyPair(certFile, keyFile, pass string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("Failed to load certificate: %s: %w", certFile, err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("Failed to load private key: %s: %w", keyFile, err)
	}
	if pass != "" {
		block, _ := pem.Decode(keyPEM)
		// The legacy PEM encryption (deprecated in Go for its weak key
		// derivation) is what `openssl genrsa -aes256` writes.
		if block != nil && x509.IsEncryptedPEMBlock(block) {
			der, err := x509.DecryptPEMBlock(block, []byte(pass))
			if err != nil {
				return tls.Certificate{}, fmt.Errorf("Failed to load private key: %s: %w", keyFile, err)
			}
			keyPEM = pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der})
		}
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("Failed to load certificate/key pair %s, %s: %w", certFile, keyFile, err)
	}
	return cert, nil
}

// loadCAPool reads the CA certificates of file and of every *.pem/*.crt
// file in dir.
func loadCAPool(file, dir string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	var files []string
	if file != "" {
		files = append(files, file)
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("Failed to configure CA certificate(s) file/directory: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	added := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("Failed to configure CA certificate(s) file/directory: %w", err)
		}
		if pool.AppendCertsFromPEM(b) {
			added++
		} else if f == file {
			return nil, fmt.Errorf("Failed to configure CA certificate(s) file/directory: no certificate in %s", f)
		}
	}
	if added == 0 {
		return nil, errors.New("Failed to configure CA certificate(s) file/directory: no certificate found")
	}
	return pool, nil
}

// parseTLSProtocols reads tls-protocols ("TLSv1.2 TLSv1.3"); empty means
// TLS 1.2 and 1.3, Redis's default.
func parseTLSProtocols(v string) (min, max uint16, err error) {
	if strings.TrimSpace(v) == "" {
		return tls.VersionTLS12, tls.VersionTLS13, nil
	}
	for _, p := range strings.Fields(v) {
		var ver uint16
		switch strings.ToLower(p) {
		case "tlsv1":
			ver = tls.VersionTLS10
		case "tlsv1.1":
			ver = tls.VersionTLS11
		case "tlsv1.2":
			ver = tls.VersionTLS12
		case "tlsv1.3":
			ver = tls.VersionTLS13
		default:
			return 0, 0, errors.New("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.")
		}
		if min == 0 || ver < min {
			min = ver
		}
		if ver > max {
			max = ver
		}
	}
	return min, max, nil
}

// parseTLSCiphers maps tls-ciphers to Go cipher suites when every name in
// the colon-separated list is one of Go's suite names; an OpenSSL cipher
// string is logged and left to Go's defaults.
func parseTLSCiphers(v string) []uint16 {
	if v == "" {
		return nil
	}
	byName := map[string]uint16{}
	for _, cs := range tls.CipherSuites() {
		byName[cs.Name] = cs.ID
	}
	var ids []uint16
	for _, name := range strings.Split(v, ":") {
		id, ok := byName[name]
		if !ok {
			slog.Warn("tls-ciphers is not a list of Go cipher-suite names; using Go's defaults", "tls-ciphers", v)
			return nil
		}
		ids = append(ids, id)
	}
	return ids
}

// applyTLSConfig is the CONFIG SET hook of the tls-* directives: with a
// TLS listener open, the new configuration must load, or the set fails.
func (s *Server) applyTLSConfig() error {
	st := s.cfg.Snapshot()
	if st.TLSPort == 0 && !st.TLSReplication {
		return nil // nothing uses it; it is checked when tls-port is set
	}
	cfg, err := buildTLSConfig(&st)
	if err != nil {
		slog.Warn("failed to update the TLS configuration", "err", err)
		return errors.New("Unable to update TLS configuration. Check server logs.")
	}
	s.tls.current.Store(cfg)
	return nil
}

// applyTLSPort is the CONFIG SET hook of tls-port: listen on the new port
// (closing the old listeners only once the new ones are open).
func (s *Server) applyTLSPort() error {
	st := s.cfg.Snapshot()
	err := s.listenTLS(&st)
	var cfgErr tlsConfigError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &cfgErr):
		slog.Warn("failed to configure TLS", "err", err)
		return errors.New("Unable to update TLS configuration. Check server logs.")
	default:
		slog.Warn("failed to listen on the TLS port", "port", st.TLSPort, "err", err)
		return errors.New("Unable to listen on this port. Check server logs.")
	}
}

// tlsConfigError is a listenTLS failure of the configuration rather than of
// the listening socket; CONFIG SET tls-port words the two apart, as Redis.
type tlsConfigError struct{ error }

func (e tlsConfigError) Unwrap() error { return e.error }

// listenTLS makes the TLS listeners match st.TLSPort, loading the TLS
// configuration first when a port is wanted.
func (s *Server) listenTLS(st *config.Settings) error {
	s.tls.mu.Lock()
	defer s.tls.mu.Unlock()
	if st.TLSPort == s.tls.port {
		return nil
	}
	var opened []net.Listener
	if st.TLSPort != 0 {
		cfg, err := buildTLSConfig(st)
		if err != nil {
			return tlsConfigError{err}
		}
		s.tls.current.Store(cfg)
		for _, host := range s.bindHosts() {
			ln, err := net.Listen("tcp", net.JoinHostPort(host.addr, strconv.Itoa(st.TLSPort)))
			if err != nil {
				if host.optional {
					continue
				}
				for _, o := range opened {
					o.Close()
				}
				return err
			}
			opened = append(opened, &tlsListener{Listener: ln, srv: s})
		}
	}
	for _, ln := range s.tls.listeners {
		ln.Close()
	}
	s.tls.listeners, s.tls.port = opened, st.TLSPort
	for _, ln := range opened {
		s.wg.Add(1)
		go s.acceptLoop(ln)
	}
	return nil
}

func (s *Server) closeTLSListeners() {
	s.tls.mu.Lock()
	defer s.tls.mu.Unlock()
	for _, ln := range s.tls.listeners {
		ln.Close()
	}
	s.tls.listeners, s.tls.port = nil, 0
}

// tlsListener hands out server-side TLS connections that take the
// configuration current at their handshake.
type tlsListener struct {
	net.Listener
	srv *Server
}

func (l *tlsListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tuneTCP(nc)
	return tls.Server(nc, &tls.Config{GetConfigForClient: l.srv.tlsConfigForClient}), nil
}

func (s *Server) tlsConfigForClient(*tls.ClientHelloInfo) (*tls.Config, error) {
	return s.tls.current.Load(), nil
}

// handshakeTLS finishes a TLS connection's handshake within
// tlsHandshakeTimeout; false means it failed and the connection is closed.
func handshakeTLS(tc *tls.Conn) bool {
	tc.SetDeadline(time.Now().Add(tlsHandshakeTimeout))
	if err := tc.Handshake(); err != nil {
		slog.Debug("TLS handshake failed", "addr", tc.RemoteAddr().String(), "err", err)
		tc.Close()
		return false
	}
	tc.SetDeadline(time.Time{})
	return true
}

// replicationTLS is the link's client configuration when tls-replication is
// on (nil otherwise). A replica presents tls-client-cert-file (or, when
// that is unset, tls-cert-file) and checks the primary's certificate
// against the CA, without a host-name check, as Redis's OpenSSL setup
// does. Files that cannot be loaded make every handshake fail with the
// reason, which the link logs.
func (s *Server) replicationTLS(st *config.Settings) *tls.Config {
	if !st.TLSReplication {
		return nil
	}
	cfg, err := buildClientTLSConfig(st)
	if err != nil {
		slog.Warn("tls-replication: can't configure TLS for the link to the primary", "err", err)
		return &tls.Config{GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return nil, fmt.Errorf("tls-replication: %w", err)
		}, InsecureSkipVerify: true, VerifyPeerCertificate: func([][]byte, [][]*x509.Certificate) error {
			return fmt.Errorf("tls-replication: %w", err)
		}}
	}
	return cfg
}

func buildClientTLSConfig(st *config.Settings) (*tls.Config, error) {
	certFile, keyFile, pass := st.TLSClientCertFile, st.TLSClientKeyFile, st.TLSClientKeyFilePass
	if certFile == "" {
		certFile, keyFile, pass = st.TLSCertFile, st.TLSKeyFile, st.TLSKeyFilePass
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("No tls-cert-file configured!")
	}
	if st.TLSCACertFile == "" && st.TLSCACertDir == "" {
		return nil, errors.New("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!")
	}
	cert, err := loadKeyPair(certFile, keyFile, pass)
	if err != nil {
		return nil, err
	}
	pool, err := loadCAPool(st.TLSCACertFile, st.TLSCACertDir)
	if err != nil {
		return nil, err
	}
	minV, maxV, err := parseTLSProtocols(st.TLSProtocols)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   minV, MaxVersion: maxV,
		CipherSuites: parseTLSCiphers(st.TLSCiphers),
		// The chain is checked below, the host name is not (as Redis).
		InsecureSkipVerify:    true,
		VerifyPeerCertificate: verifyChain(pool),
	}, nil
}

// verifyChain checks the peer's certificate chain against roots.
func verifyChain(roots *x509.CertPool) func([][]byte, [][]*x509.Certificate) error {
	return func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return errors.New("tls: the peer sent no certificate")
		}
		certs := make([]*x509.Certificate, len(raw))
		for i, b := range raw {
			c, err := x509.ParseCertificate(b)
			if err != nil {
				return err
			}
			certs[i] = c
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		return err
	}
}
