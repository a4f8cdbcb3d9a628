package harness

// A real S3-compatible server for the backup tests: the Versity S3 Gateway
// (github.com/versity/versitygw, Apache 2.0) serving a directory of this
// test's through its posix backend. It is a production gateway, not a mock;
// minio-go talks to it over HTTP exactly as to AWS S3 or MinIO.

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// S3GatewayModule is the gateway's main package and version; `make deps`
// installs it into bin/ so the tests need not build it.
const S3GatewayModule = "github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// S3Gateway is a running S3-compatible server.
type S3Gateway struct {
	Endpoint  string // host:port, plain HTTP
	AccessKey string
	SecretKey string
	Root      string // the directory behind it: one sub-directory per bucket
}

var (
	gatewayOnce sync.Once
	gatewayPath string
	gatewayErr  error
)

// s3GatewayBinary finds the gateway: $VIREO_S3GW, else bin/versitygw under
// the module root, else it is installed there with `go install` (a few
// minutes the first time on 2 cores).
func s3GatewayBinary() (string, error) {
	if bin := os.Getenv("VIREO_S3GW"); bin != "" {
		return exec.LookPath(bin)
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(root, "bin", "versitygw")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	cmd := exec.Command("go", "install", S3GatewayModule)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOBIN="+filepath.Join(root, "bin"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("harness: go install %s: %w\n%s", S3GatewayModule, err, out.String())
	}
	return bin, nil
}

// StartS3 starts a gateway on a free loopback port with fresh credentials
// and an empty root; it is stopped when the test ends.
func StartS3(t testing.TB) *S3Gateway {
	t.Helper()
	gatewayOnce.Do(func() { gatewayPath, gatewayErr = s3GatewayBinary() })
	if gatewayErr != nil {
		t.Fatalf("%v\n(set VIREO_S3GW to an installed versitygw, or run `make deps`)", gatewayErr)
	}
	g := &S3Gateway{AccessKey: "vireotest", SecretKey: "vireotest-secret-key", Root: t.TempDir()}
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		g.Endpoint = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		var out outputBuffer
		cmd := exec.Command(gatewayPath, "--port", g.Endpoint, "--access", g.AccessKey, "--secret", g.SecretKey, "posix", g.Root)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatalf("harness: starting %s: %v", gatewayPath, err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		stop := func() {
			cmd.Process.Kill()
			<-exited
		}
		if waitListening(g.Endpoint, exited, 10*time.Second) {
			t.Cleanup(stop)
			return g
		}
		stop()
		if attempt == 2 {
			t.Fatalf("harness: the S3 gateway did not start on %s:\n%s", g.Endpoint, out.String())
		}
	}
}

// waitListening waits until addr accepts connections; false when the
// process exited or the time ran out.
func waitListening(addr string, exited <-chan struct{}, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
