package server_test

import (
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/routing"
)

func routeTo(ledger string) routing.Route {
	return routing.Route{Name: "r", Targets: []routing.Target{{Ledger: ledger, Disclosure: adapters.DisclosureFull}}}
}
