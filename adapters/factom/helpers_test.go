package factom_test

import (
	"context"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/schema"
)

const funded = 10_000_000

// embedded is an embedded node serving its API on 127.0.0.1 for one test.
type embedded struct {
	n   *node.Node
	c   *client.Client
	key protocol.ECKey
	dir string
}

func startNode(t testing.TB, opts ...node.Option) *embedded {
	t.Helper()
	key, err := protocol.GenerateECKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	n, err := node.New(dir, append([]node.Option{node.WithFunds(key.Public(), funded)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := n.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return &embedded{n: n, c: client.New(url), key: key, dir: dir}
}

func (e *embedded) open(t testing.TB, ns string, opts ...factom.Option) *factom.Adapter {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := factom.New(ctx, e.c, append([]factom.Option{factom.WithECKey(e.key), factom.WithNamespace(ns), factom.WithPollInterval(5 * time.Millisecond), factom.WithNetwork("embedded")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// spent is the entry credits the node's funded key has spent.
func (e *embedded) spent(t testing.TB) uint64 {
	t.Helper()
	bal, err := e.c.ECBalance(context.Background(), e.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return uint64(funded - bal)
}

func testCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// record returns a valid SensorReading with this id and value,
// superseding supersedes (if not empty).
func record(t testing.TB, id, value string, supersedes schema.Digest) *schema.Record {
	t.Helper()
	doc := conformance.SensorDoc(t)
	doc["id"] = id
	doc["value"] = value
	if supersedes != "" {
		doc["supersedes"] = string(supersedes)
	}
	return conformance.RecordOf(t, doc)
}

var full = adapters.Policy{Disclosure: adapters.DisclosureFull}

var newID = conformance.NewRecordID

func repeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}

func schemaValidate(b []byte) (*schema.Record, error) { return schema.Default().Validate(b) }
