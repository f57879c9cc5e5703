package fabric_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/schema"
)

var (
	full     = adapters.Policy{Disclosure: adapters.DisclosureFull}
	redacted = adapters.Policy{Disclosure: adapters.DisclosureRedacted, PublicFields: []string{"sensorType", "observedAt"}}
	digest   = adapters.Policy{Disclosure: adapters.DisclosureDigest}
)

// open returns an adapter for org's user on the test network, closed at
// the end of the test.
func open(t testing.TB, n *fabrictest.Connection, org string, opts ...fabric.Option) *fabric.Adapter {
	t.Helper()
	a, err := n.Dial(context.Background(), org, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// gateway returns a raw fabric-gateway connection as org's user, closed at
// the end of the test.
func gateway(t testing.TB, n *fabrictest.Connection, org string) *client.Gateway {
	t.Helper()
	gw, closeFn, err := n.Connect(org, client.WithEvaluateTimeout(30*time.Second), client.WithEndorseTimeout(30*time.Second),
		client.WithSubmitTimeout(30*time.Second), client.WithCommitStatusTimeout(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closeFn() })
	return gw
}

// txCounter counts the transactions on the channel signed by the customs
// org's user (the identity the conformance run writes as), read from the
// blocks (qscc): every such transaction that reached the orderer, valid or
// not. Tests elsewhere that share the network write as other identities,
// so they cannot disturb the count.
type txCounter struct {
	qscc    *client.Contract
	channel string
	creator []byte // the counted identity's certificate (PEM)
	mu      sync.Mutex
	height  uint64 // blocks counted
	count   uint64
}

func newTxCounter(t testing.TB, n *fabrictest.Connection) *txCounter {
	gw := gateway(t, n, "customs")
	o, _ := n.Org("customs")
	cert, err := os.ReadFile(o.UserCert)
	if err != nil {
		t.Fatal(err)
	}
	return &txCounter{qscc: gw.GetNetwork(n.Channel).GetContract("qscc"), channel: n.Channel, creator: cert}
}

// signedBy reports whether a block's transaction envelope was created by
// the identity whose certificate is cert.
func signedBy(envelope, cert []byte) bool {
	var env common.Envelope
	var pl common.Payload
	var sh common.SignatureHeader
	var id msp.SerializedIdentity
	if proto.Unmarshal(envelope, &env) != nil || proto.Unmarshal(env.GetPayload(), &pl) != nil ||
		proto.Unmarshal(pl.GetHeader().GetSignatureHeader(), &sh) != nil || proto.Unmarshal(sh.GetCreator(), &id) != nil {
		return false
	}
	return bytes.Equal(bytes.TrimSpace(id.GetIdBytes()), bytes.TrimSpace(cert))
}

func (c *txCounter) writes(t *testing.T) uint64 {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	raw, err := c.qscc.EvaluateTransaction("GetChainInfo", c.channel)
	if err != nil {
		t.Fatalf("GetChainInfo: %v", err)
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		t.Fatal(err)
	}
	for ; c.height < info.Height; c.height++ {
		raw, err := c.qscc.EvaluateTransaction("GetBlockByNumber", c.channel, strconv.FormatUint(c.height, 10))
		if err != nil {
			t.Fatalf("GetBlockByNumber(%d): %v", c.height, err)
		}
		var b common.Block
		if err := proto.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		for _, envelope := range b.GetData().GetData() {
			if signedBy(envelope, c.creator) {
				c.count++
			}
		}
	}
	return c.count
}

// record returns a valid SensorReading with a fresh id.
func record(t testing.TB) *schema.Record {
	t.Helper()
	return validate(t, conformance.SensorDoc(t))
}

// next returns a new version of rec superseding it.
func next(t testing.TB, rec *schema.Record, value string) *schema.Record {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(rec.Canonical, &doc); err != nil {
		t.Fatal(err)
	}
	doc["value"] = value
	doc["supersedes"] = string(rec.Digest)
	return validate(t, doc)
}

func validate(t testing.TB, doc map[string]any) *schema.Record {
	t.Helper()
	return conformance.RecordOf(t, doc)
}
