package ethereum_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBindingsUpToDate regenerates the registry's ABI, bytecode and Go
// bindings with the pinned solc and abigen into a temporary directory and
// checks they are byte-identical to the committed files.
func TestBindingsUpToDate(t *testing.T) {
	if testing.Short() {
		skipOrFail(t, "regenerating the bindings does not run with -short")
	}
	for _, tool := range []string{"bash", "node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s is not installed: cannot regenerate the bindings", tool)
		}
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "contracts/gen.sh", out)
	log, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		skipOrFail(t, "generator tooling unavailable:\n%s", log)
	}
	if err != nil {
		t.Fatalf("contracts/gen.sh: %v\n%s", err, log)
	}
	for _, name := range []string{"RecordRegistry.abi", "RecordRegistry.bin", "registry.go"} {
		want, err := os.ReadFile(filepath.Join("registry", name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("registry/%s differs from what contracts/gen.sh generates; run go generate ./adapters/ethereum and commit", name)
		}
	}
}
