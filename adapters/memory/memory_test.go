package memory_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/conformance"
)

func harness(faults memory.Faults) conformance.Harness {
	ledger := memory.NewLedger()
	return conformance.Harness{
		Open: func(t *testing.T) adapters.Adapter {
			return memory.New(ledger, memory.WithFaults(faults), memory.WithMaxContent(64<<10))
		},
		LedgerWrites: func(t *testing.T) uint64 { return ledger.Writes() },
		MaxContent:   64 << 10,
		EventTimeout: 5 * time.Second,
	}
}

func TestConformance(t *testing.T) {
	conformance.TestAdapter(t, harness(memory.Faults{}))
}

// faultEnv selects the fault TestKitWithFault injects; set only when
// TestEachFaultFailsTheKit runs this test binary as a child process.
const faultEnv = "LEDGERGATE_KIT_FAULT"

var faults = map[string]struct {
	faults memory.Faults
	// failing is a subtest the fault must make fail.
	failing string
}{
	"drop":        {memory.Faults{DropEvent: 3}, "WatchFromStart"},
	"duplicate":   {memory.Faults{DuplicateEvent: 2}, "WatchFromStart"},
	"reorder":     {memory.Faults{ReorderEvents: 2}, "WatchFromStart"},
	"unavailable": {memory.Faults{UnavailableAfterApply: 2}, "RoundTrip"},
	"rewrite":     {memory.Faults{SubmitRewrites: 1}, "SubmitTrack"},
	"pending":     {memory.Faults{TrackNeverGivesUp: 1}, "TrackNotFound"},
}

func TestKitWithFault(t *testing.T) {
	name := os.Getenv(faultEnv)
	if name == "" {
		t.Skip("run by TestEachFaultFailsTheKit")
	}
	conformance.TestAdapter(t, harness(faults[name].faults))
}

// TestEachFaultFailsTheKit proves the kit catches each contract violation:
// it runs the kit against an adapter with one injected fault in a child
// process and expects that run to fail in the subtest the fault breaks.
func TestEachFaultFailsTheKit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the kit in child processes")
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestKitWithFault$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), faultEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the kit passed an adapter with fault %q:\n%s", name, out)
			}
			if !strings.Contains(string(out), "--- FAIL: TestKitWithFault/"+f.failing) {
				t.Fatalf("fault %q did not fail subtest %s:\n%s", name, f.failing, out)
			}
		})
	}
}
