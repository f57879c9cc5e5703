package compat

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/testnet/factomd/realnode"
)

var update = flag.Bool("update", false, "rewrite adapters/factom/testdata/factomd-6.13-golden.json from the live capture")

// shared is the one factomd the package's tests use, started on first use
// and stopped by TestMain.
var shared struct {
	once sync.Once
	n    *realnode.Node
	key  protocol.ECKey
	err  error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if shared.n != nil {
		_ = shared.n.Stop()
	}
	os.Exit(code)
}

// skipOrFail skips a test whose tooling is missing, except on CI (CI=true),
// where missing tooling is a failure.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format+" (CI=true: required)", args...)
	}
	t.Skipf(format+" (set CI=true to make this a failure)", args...)
}

// factomd returns the shared node and an entry-credit key funded on it
// with 200,000 credits from the LOCAL genesis key.
func factomd(t *testing.T) (*realnode.Node, protocol.ECKey) {
	t.Helper()
	if testing.Short() {
		skipOrFail(t, "factomd tests do not run with -short")
	}
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		bin, err := realnode.Build(ctx)
		if err != nil {
			shared.err = fmt.Errorf("factomd %s cannot be built: %w", realnode.Version, err)
			return
		}
		n, err := realnode.Start(ctx, bin, realnode.Options{BlockTime: 2})
		if err != nil {
			shared.err = fmt.Errorf("factomd %s cannot be started: %w", realnode.Version, err)
			return
		}
		shared.n = n
		if shared.key, err = protocol.GenerateECKey(); err == nil {
			_, err = n.FundEC(ctx, shared.key.Public(), 200_000)
		}
		if err != nil {
			shared.err = fmt.Errorf("funding an EC key on factomd: %w", err)
		}
	})
	if shared.err != nil {
		skipOrFail(t, "%v", shared.err)
	}
	return shared.n, shared.key
}
