package server_test

import (
	"context"
	"testing"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
)

// runGateway starts a gateway on cfg and stops it when the test ends.
func runGateway(t testing.TB, cfg *config.Config, opts ...server.Option) *server.Gateway {
	t.Helper()
	g, err := server.New(context.Background(), cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	<-g.Started()
	return g
}

func routeTo(ledger string) routing.Route {
	return routing.Route{Name: "r", Targets: []routing.Target{{Ledger: ledger, Disclosure: adapters.DisclosureFull}}}
}
