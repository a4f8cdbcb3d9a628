package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `make deps` installs the same gateway version that StartS3 would.
func TestMakefileInstallsTheSameGateway(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mk), "S3GW_MODULE := "+S3GatewayModule+"\n") {
		t.Errorf("Makefile's S3GW_MODULE differs from %s", S3GatewayModule)
	}
}
