package e2e_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// tlsArgs are the directives that serve TLS on port with files f.
func tlsArgs(f harness.TLSFiles, port int, authClients string) []string {
	return []string{"--tls-port", strconv.Itoa(port), "--tls-cert-file", f.ServerCert, "--tls-key-file", f.ServerKey,
		"--tls-ca-cert-file", f.CACert, "--tls-auth-clients", authClients}
}

func tlsClient(t *testing.T, port int, cfg *tls.Config) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), TLSConfig: cfg, MaxRetries: -1, DialTimeout: 2 * time.Second})
	t.Cleanup(func() { c.Close() })
	return c
}

func TestTLSClientsAndCertificates(t *testing.T) {
	f := harness.WriteTLSFiles(t)
	port := harness.FreePort(t)
	srv := harness.StartVireo(t, tlsArgs(f, port, "yes")...)
	ctx := context.Background()

	// go-redis with a client certificate, over TLS.
	withCert := tlsClient(t, port, f.ClientConfig(t, true))
	if err := withCert.Set(ctx, "tls:k", "v", 0).Err(); err != nil {
		t.Fatalf("SET over TLS: %v", err)
	}
	if got := srv.Client(3).Get(ctx, "tls:k").Val(); got != "v" {
		t.Fatalf("plain port GET = %q, want v (one keyspace behind both ports)", got)
	}

	// tls-auth-clients yes: no certificate, no connection.
	noCert := tlsClient(t, port, f.ClientConfig(t, false))
	if err := noCert.Ping(ctx).Err(); err == nil {
		t.Fatal("PING without a client certificate succeeded under tls-auth-clients yes")
	}

	// redis-cli with --tls and the same files.
	res := runCLI(t, port, "", "--tls", "--cacert", f.CACert, "--cert", f.ClientCert, "--key", f.ClientKey, "get", "tls:k")
	if res.code != 0 || strings.TrimSpace(res.out) != "v" {
		t.Fatalf("redis-cli --tls get = %q (exit %d), want v", res.out, res.code)
	}

	// A plain-text client on the TLS port gets no reply and does not hang
	// or crash the server.
	raw, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	raw.Write([]byte("PING\r\n"))
	raw.SetReadDeadline(time.Now().Add(time.Second))
	if line, err := bufio.NewReader(raw).ReadString('\n'); err == nil && strings.HasPrefix(line, "+PONG") {
		t.Fatalf("plain-text PING on the TLS port answered %q", line)
	}
	raw.Close()

	// CONFIG SET takes effect for new handshakes.
	admin := srv.Client(2)
	if err := admin.ConfigSet(ctx, "tls-auth-clients", "no").Err(); err != nil {
		t.Fatal(err)
	}
	if err := tlsClient(t, port, f.ClientConfig(t, false)).Ping(ctx).Err(); err != nil {
		t.Fatalf("PING without a certificate after tls-auth-clients no: %v", err)
	}
	err = admin.ConfigSet(ctx, "tls-cert-file", f.Dir+"/missing.crt").Err()
	want := "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs."
	if err == nil || err.Error() != want {
		t.Fatalf("CONFIG SET of a missing certificate = %v, want %q", err, want)
	}
	if got := admin.ConfigGet(ctx, "tls-cert-file").Val()["tls-cert-file"]; got != f.ServerCert {
		t.Fatalf("tls-cert-file after the failed set = %q, want the old %q", got, f.ServerCert)
	}
	if err := withCert.Ping(ctx).Err(); err != nil {
		t.Fatalf("TLS after the failed set: %v", err)
	}

	// A port that cannot be bound (the plain one) fails with Redis's reason.
	err = admin.ConfigSet(ctx, "tls-port", strconv.Itoa(srv.Port())).Err()
	want = "ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to listen on this port. Check server logs."
	if err == nil || err.Error() != want {
		t.Fatalf("CONFIG SET tls-port to a used port = %v, want %q", err, want)
	}

	// CONFIG SET tls-port moves the listener.
	newPort := harness.FreePort(t)
	if err := admin.ConfigSet(ctx, "tls-port", strconv.Itoa(newPort)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := tlsClient(t, newPort, f.ClientConfig(t, true)).Ping(ctx).Err(); err != nil {
		t.Fatalf("PING on the new tls-port: %v", err)
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
		c.Close()
		t.Fatal("the old tls-port still accepts connections")
	}
}

// The CONFIG SET replies about TLS equal redis-server's (the oracle is
// built with TLS), with the same certificate files.
func TestTLSConfigSetRepliesMatchRedis(t *testing.T) {
	f := harness.WriteTLSFiles(t)
	vireo := harness.StartVireo(t, tlsArgs(f, harness.FreePort(t), "optional")...)
	redisSrv := harness.StartRedis(t, tlsArgs(f, harness.FreePort(t), "optional")...)
	steps := [][]string{
		{"CONFIG", "SET", "tls-protocols", "TLSv1.2 TLSv9"},
		{"CONFIG", "SET", "tls-protocols", "TLSv1.2 TLSv1.3"},
		{"CONFIG", "SET", "tls-cert-file", f.Dir + "/nope.crt"},
		{"CONFIG", "SET", "tls-key-file", f.ClientKey},
		{"CONFIG", "SET", "tls-auth-clients", "maybe"},
		{"CONFIG", "SET", "tls-auth-clients", "yes"},
		{"CONFIG", "SET", "tls-port", "70000"},
		{"CONFIG", "GET", "tls-auth-clients"},
		{"CONFIG", "GET", "tls-protocols"},
		{"CONFIG", "SET", "tls-ca-cert-file", f.ServerKey},
	}
	v, r := vireo.Raw(t), redisSrv.Raw(t)
	for _, step := range steps {
		got, want := v.Do(step...), r.Do(step...)
		if string(got) != string(want) {
			t.Errorf("%q: vireo %q, redis %q", step, got, want)
		}
	}
}

// port 0 with a tls-port serves TLS only, as redis-server does.
func TestTLSOnly(t *testing.T) {
	f := harness.WriteTLSFiles(t)
	port := harness.FreePort(t)
	cmd := exec.Command(harness.BuildVireo(t), append([]string{"--port", "0", "--dir", t.TempDir(), "--bind", "127.0.0.1"}, tlsArgs(f, port, "no")...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	c := tlsClient(t, port, f.ClientConfig(t, false))
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := c.Ping(context.Background()).Err()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("TLS-only server never answered: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := c.ConfigGet(context.Background(), "port").Val()["port"]; got != "0" {
		t.Fatalf("CONFIG GET port = %q, want 0", got)
	}
}

// A TLS port whose certificate cannot be loaded stops the start with exit
// 1 and Redis's reason, as redis-server does.
func TestTLSBadCertificateRefusesStart(t *testing.T) {
	f := harness.WriteTLSFiles(t)
	args := []string{"--port", strconv.Itoa(harness.FreePort(t)), "--dir", t.TempDir(), "--bind", "127.0.0.1",
		"--tls-port", strconv.Itoa(harness.FreePort(t)), "--tls-cert-file", f.Dir + "/missing.crt", "--tls-key-file", f.ServerKey, "--tls-auth-clients", "no"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, harness.BuildVireo(t), args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit = %v, want status 1; output:\n%s", err, out)
	}
	if !strings.Contains(string(out), "missing.crt") {
		t.Fatalf("output does not name the missing file:\n%s", out)
	}
}

// tls-key-file-pass decrypts a key in OpenSSL's legacy encrypted PEM form.
func TestTLSEncryptedKey(t *testing.T) {
	f := harness.WriteTLSFiles(t)
	encrypted := f.EncryptServerKey(t, "s3cret")
	port := harness.FreePort(t)
	args := append(tlsArgs(f, port, "no"), "--tls-key-file", encrypted, "--tls-key-file-pass", "s3cret")
	harness.StartVireo(t, args...)
	if err := tlsClient(t, port, f.ClientConfig(t, false)).Ping(context.Background()).Err(); err != nil {
		t.Fatalf("PING with an encrypted server key: %v", err)
	}
}

// tls-replication: the link to the primary is TLS, with certificates
// checked both ways, for each pairing with redis-server.
func TestTLSReplication(t *testing.T) {
	f := harness.WriteTLSFiles(t)
	replicaArgs := func(primaryTLSPort int) []string {
		return []string{"--tls-replication", "yes", "--tls-cert-file", f.ServerCert, "--tls-key-file", f.ServerKey,
			"--tls-ca-cert-file", f.CACert, "--replicaof", "127.0.0.1 " + strconv.Itoa(primaryTLSPort)}
	}
	for _, pair := range []struct{ name, primary, replica string }{
		{"vireo-vireo", "vireo", "vireo"}, {"redis-vireo", "redis", "vireo"}, {"vireo-redis", "vireo", "redis"},
	} {
		t.Run(pair.name, func(t *testing.T) {
			start := func(kind string, args ...string) *harness.Server {
				if kind == "redis" {
					return harness.StartRedis(t, append(args, "--repl-diskless-sync-delay", "0")...)
				}
				return startVireoPrimary(t, args...)
			}
			tlsPort := harness.FreePort(t)
			// The primary takes replicas only with a client certificate.
			primary := start(pair.primary, tlsArgs(f, tlsPort, "yes")...)
			replica := start(pair.replica, replicaArgs(tlsPort)...)
			pc, rc := primary.Client(2), replica.Client(2)
			fillPrimary(t, pc)
			waitSynced(t, pc, rc)
			writeAfterSync(t, pc)
			waitSynced(t, pc, rc)
			sameDigest(t, pc, rc)
		})
	}
}
