package routing_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
)

var ledgers = []string{"eth", "fabric", "factom"}

func TestDeliveries(t *testing.T) {
	r, err := routing.New([]routing.Route{
		{Name: "coo", Types: []string{"CertificateOfOrigin"}, Targets: []routing.Target{
			{Ledger: "eth", Disclosure: adapters.DisclosureDigest},
			{Ledger: "fabric", Disclosure: adapters.DisclosureFull},
		}},
		{Name: "acme-all", Partners: []string{"acme"}, Targets: []routing.Target{
			{Ledger: "factom", Disclosure: adapters.DisclosureRedacted, PublicFields: []string{"agreement", "goods"}},
			{Ledger: "fabric", Disclosure: adapters.DisclosureRedacted, PublicFields: []string{"agreement"}},
		}},
		{Name: "narrow", Partners: []string{"acme"}, Types: []string{"CertificateOfOrigin"}, Targets: []routing.Target{
			{Ledger: "factom", Disclosure: adapters.DisclosureRedacted, PublicFields: []string{"goods", "signedAt"}},
		}},
	}, ledgers)
	if err != nil {
		t.Fatal(err)
	}
	p := func(d adapters.Disclosure, f ...string) adapters.Policy {
		return adapters.Policy{Disclosure: d, PublicFields: f}
	}
	cases := []struct {
		partner, typ string
		want         []store.NewDelivery
	}{
		{"other", "SensorReading", []store.NewDelivery{}},
		{"other", "CertificateOfOrigin", []store.NewDelivery{{Ledger: "eth", Policy: p("digest")}, {Ledger: "fabric", Policy: p("full")}}},
		{"acme", "SensorReading", []store.NewDelivery{{Ledger: "fabric", Policy: p("redacted", "agreement")}, {Ledger: "factom", Policy: p("redacted", "agreement", "goods")}}},
		// fabric: full (coo) vs redacted (acme-all): the redacted one wins;
		// factom: two redacted routes: only the fields both make public.
		{"acme", "CertificateOfOrigin", []store.NewDelivery{{Ledger: "eth", Policy: p("digest")}, {Ledger: "fabric", Policy: p("redacted", "agreement")}, {Ledger: "factom", Policy: p("redacted", "goods")}}},
	}
	for _, tc := range cases {
		if got := r.Deliveries(tc.partner, tc.typ); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Deliveries(%s, %s) = %+v, want %+v", tc.partner, tc.typ, got, tc.want)
		}
	}
}

func TestInvalidRoutes(t *testing.T) {
	_, err := routing.New([]routing.Route{
		{Name: "bad", Targets: []routing.Target{{Ledger: "bitcoin", Disclosure: "full"}, {Ledger: "eth", Disclosure: "some"}, {Ledger: "fabric", Disclosure: "digest", PublicFields: []string{"x"}}}},
		{Name: "empty"},
	}, ledgers)
	if !errors.Is(err, routing.ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{`unknown ledger "bitcoin"`, `disclosure "some"`, "publicFields only apply", "routes[1] (empty): no ledgers"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
