package ethereum_test

import (
	"crypto/ecdsa"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/schema"
)

var (
	full     = adapters.Policy{Disclosure: adapters.DisclosureFull}
	redacted = adapters.Policy{Disclosure: adapters.DisclosureRedacted, PublicFields: []string{"sensorType", "observedAt"}}
	digest   = adapters.Policy{Disclosure: adapters.DisclosureDigest}
)

func big31337() *big.Int { return big.NewInt(31337) }

func ethereumAddress(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// maker builds valid SensorReading records with fresh ids.
type maker struct{ t *testing.T }

func newMaker(t *testing.T) maker { return maker{t} }

func (m maker) make() *schema.Record {
	m.t.Helper()
	b, err := schema.ExampleOf(schema.TypeSensorReading, "complete")
	if err != nil {
		m.t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		m.t.Fatal(err)
	}
	doc["id"] = conformance.NewRecordID()
	delete(doc, "supersedes")
	return m.validate(doc)
}

func (m maker) validate(doc map[string]any) *schema.Record {
	m.t.Helper()
	return conformance.RecordOf(m.t, doc)
}

// expectEvent waits for the next event of the record id, skipping others.
func expectEvent(t *testing.T, events <-chan adapters.Event, kind adapters.EventKind, id string) adapters.Event {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.RecordID != id {
				continue
			}
			if ev.Kind != kind {
				t.Fatalf("event of %s: %s, want %s", id, ev.Kind, kind)
			}
			return ev
		case <-timeout:
			t.Fatalf("no %s event of %s within 60s", kind, id)
			return adapters.Event{}
		}
	}
}
