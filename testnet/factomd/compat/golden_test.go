package compat

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/golden"
	"github.com/ledgergate/ledgergate/testnet/factomd/capture"
)

// TestGoldenLive captures fresh vectors from factomd and checks the
// protocol package against them: byte compatibility is tested against the
// real node on every CI run, not only against the checked-in copy. With
// -update the capture replaces the checked-in vectors.
func TestGoldenLive(t *testing.T) {
	n, _ := factomd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	v, err := capture.Capture(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if err := golden.Check(v); err != nil {
		t.Fatalf("factomd disagrees with ledgergate's protocol package:\n%v", err)
	}
	if *update {
		path := filepath.Join("..", "..", "..", golden.DefaultPath)
		if err := v.Save(path); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
	}
}
