package ethereum_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/internal/anvil"
)

// skipOrFail skips a test whose tooling is missing, except on CI
// (CI=true), where missing tooling is a failure.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format+" (CI=true: required)", args...)
	}
	t.Skipf(format+" (set CI=true to make this a failure)", args...)
}

// startAnvil installs (once) and starts an anvil node on 127.0.0.1; it is
// stopped when the test ends.
func startAnvil(t *testing.T, opts anvil.Options) *anvil.Node {
	t.Helper()
	if testing.Short() {
		skipOrFail(t, "anvil tests do not run with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bin, err := anvil.Install(ctx)
	if err != nil {
		skipOrFail(t, "anvil %s cannot be installed: %v", anvil.Version, err)
	}
	n, err := anvil.Start(ctx, bin, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Stop() })
	return n
}

func dialAnvil(t *testing.T, n *anvil.Node) *ethclient.Client {
	t.Helper()
	c, err := ethclient.Dial(n.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// anvilRegistry deploys a registry on n with its first dev key and returns
// options for adapters on it.
func anvilRegistry(t *testing.T, ctx context.Context, n *anvil.Node, c *ethclient.Client, extra ...ethereum.Option) []ethereum.Option {
	t.Helper()
	base := []ethereum.Option{ethereum.WithKey(n.Keys[0]), ethereum.WithPollInterval(20 * time.Millisecond)}
	d, err := ethereum.Deploy(ctx, c, append(base, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	return append(append(base, ethereum.WithRegistry(d.Registry()), ethereum.WithStartBlock(d.StartBlock())), extra...)
}

func TestConformanceAnvil(t *testing.T) {
	n := startAnvil(t, anvil.Options{})
	ctx := testCtx(t, 5*time.Minute)
	c := dialAnvil(t, n)
	opts := anvilRegistry(t, ctx, n, c, ethereum.WithChainID(big31337()))
	from := ethereumAddress(n.Keys[0])
	conformance.TestAdapter(t, conformance.Harness{
		Open: func(t *testing.T) adapters.Adapter {
			a, err := ethereum.New(ctx, c, opts...)
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		LedgerWrites: func(t *testing.T) uint64 {
			nonce, err := c.PendingNonceAt(ctx, from)
			if err != nil {
				t.Fatal(err)
			}
			return nonce
		},
		MaxContent: ethereum.DefaultMaxContent,
	})
}

// TestRestartAnvil stops the node under a live adapter and watcher: writes
// fail with ErrUnavailable (nothing sent) while it is down, and both carry
// on when it is back with its chain (state file).
func TestRestartAnvil(t *testing.T) {
	n := startAnvil(t, anvil.Options{StateFile: t.TempDir() + "/state.json"})
	ctx := testCtx(t, 2*time.Minute)
	c := dialAnvil(t, n)
	opts := anvilRegistry(t, ctx, n, c)
	c.Close()
	a, err := ethereum.Dial(ctx, n.URL, opts...) // the adapter's own connection, across the restart
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	m := newMaker(t)
	before := m.make()
	if _, err := a.Write(ctx, before, full); err != nil {
		t.Fatal(err)
	}
	events := watchInto(t, ctx, a)
	expectEvent(t, events, adapters.EventWritten, before.ID)

	if err := n.Stop(); err != nil {
		t.Fatal(err)
	}
	during := m.make()
	if _, err := a.Write(ctx, during, full); !errors.Is(err, adapters.ErrUnavailable) {
		t.Fatalf("Write while the node is down = %v, want ErrUnavailable", err)
	}
	if _, err := a.Read(ctx, before.ID); err == nil {
		t.Fatalf("Read while the node is down succeeded")
	}
	if err := n.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Read(ctx, before.ID); err != nil || got.Digest != before.Digest {
		t.Fatalf("Read after restart = %+v, %v", got, err)
	}
	if _, err := a.Write(ctx, during, full); err != nil {
		t.Fatalf("Write after restart: %v", err)
	}
	expectEvent(t, events, adapters.EventWritten, during.ID)
}
