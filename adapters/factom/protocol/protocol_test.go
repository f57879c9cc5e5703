package protocol_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// Well-known public test keys of the Factom tooling.
func TestAddresses(t *testing.T) {
	dev, err := protocol.NewECKey(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	if got := dev.Public().String(); got != "EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r" {
		t.Errorf("zero-seed EC address %s", got)
	}
	if got := dev.Secret(); got != "Es2Rf7iM6PdsqfYCo3D1tnAR65SkLENyWJG1deUzpRMQmbh9F3eG" {
		t.Errorf("zero-seed EC secret %s", got)
	}
	fs, err := protocol.ParseFactoidSecret("Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK")
	if err != nil {
		t.Fatal(err)
	}
	if got := fs.Address(); got != "FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q" {
		t.Errorf("LOCAL genesis address %s", got)
	}
	if _, err := protocol.ParseECAddress("EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2s"); err == nil {
		t.Error("a bad checksum parsed")
	}
	if _, err := protocol.ParseECSecret(fs.Secret()); err == nil {
		t.Error("an Fs secret parsed as an Es secret")
	}
}

func TestVarInt(t *testing.T) {
	for _, c := range []struct {
		v   uint64
		enc []byte
	}{
		{0, []byte{0}}, {1, []byte{1}}, {127, []byte{0x7f}}, {128, []byte{0x81, 0}},
		{300, []byte{0x82, 0x2c}}, {1 << 63, []byte{0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0}},
	} {
		if got := protocol.AppendVarInt(nil, c.v); !bytes.Equal(got, c.enc) {
			t.Errorf("AppendVarInt(%d) = %x, want %x", c.v, got, c.enc)
		}
		v, rest, err := protocol.ReadVarInt(append(c.enc, 9))
		if err != nil || v != c.v || !bytes.Equal(rest, []byte{9}) {
			t.Errorf("ReadVarInt(%x) = %d %x %v", c.enc, v, rest, err)
		}
	}
	if _, _, err := protocol.ReadVarInt([]byte{0x80}); err == nil {
		t.Error("a truncated varint parsed")
	}
}

func TestMerkleBranches(t *testing.T) {
	for n := 1; n <= 17; n++ {
		leaves := make([]protocol.Hash, n)
		for i := range leaves {
			leaves[i] = protocol.Sha([]byte{byte(i)})
		}
		root := protocol.MerkleRoot(leaves)
		for i := range leaves {
			cur := leaves[i]
			for _, node := range protocol.MerkleBranch(leaves, i) {
				if *node.Left != cur && *node.Right != cur {
					t.Fatalf("n=%d i=%d: branch does not contain the running hash", n, i)
				}
				cur = protocol.MerkleParent(*node.Left, *node.Right)
				if cur != *node.Top {
					t.Fatalf("n=%d i=%d: top mismatch", n, i)
				}
			}
			if cur != root {
				t.Fatalf("n=%d i=%d: branch ends at %s, root %s", n, i, cur, root)
			}
		}
	}
}

func TestEntryLimitsAndCost(t *testing.T) {
	e := &protocol.Entry{ExtIDs: [][]byte{make([]byte, 100)}, Content: make([]byte, 10240-102)}
	if c, err := e.Cost(); err != nil || c != 10 {
		t.Fatalf("cost of a full entry = %d, %v", c, err)
	}
	e.Content = append(e.Content, 0)
	if _, err := e.MarshalBinary(); err == nil {
		t.Fatal("an entry over 10240 bytes of payload marshalled")
	}
	small := &protocol.Entry{Content: []byte("x")}
	if c, _ := small.Cost(); c != 1 {
		t.Fatalf("cost of a tiny entry %d", c)
	}
}

func TestCommitRejectsTampering(t *testing.T) {
	key, _ := protocol.GenerateECKey()
	e := protocol.NewChainEntry([]byte("c"), []byte("a"))
	ce, err := protocol.NewCommitEntry(e, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	msg := ce.MarshalBinary()
	for i := range []int{0, 10, 39, 50, 100} {
		bad := append([]byte(nil), msg...)
		bad[[]int{0, 10, 39, 50, 100}[i]] ^= 1
		c, err := protocol.UnmarshalCommitEntry(bad)
		if err == nil && c.Verify() == nil {
			t.Errorf("a commit with byte %d changed verifies", []int{0, 10, 39, 50, 100}[i])
		}
	}
	cc, _ := protocol.NewCommitChain(e, key, time.Now())
	if cc.Credits != 11 || len(cc.MarshalBinary()) != protocol.CommitChainSize || cc.Verify() != nil {
		t.Errorf("chain commit: credits %d size %d verify %v", cc.Credits, len(cc.MarshalBinary()), cc.Verify())
	}
}

func FuzzEntry(f *testing.F) {
	e := &protocol.Entry{ExtIDs: [][]byte{[]byte("a"), {}}, Content: []byte("hello")}
	raw, _ := e.MarshalBinary()
	f.Add(raw)
	f.Add(make([]byte, 35))
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := protocol.UnmarshalEntry(raw)
		if err != nil {
			return
		}
		again, err := e.MarshalBinary()
		if err != nil {
			t.Fatalf("a parsed entry does not marshal: %v", err)
		}
		if !bytes.Equal(again, raw) {
			t.Fatalf("round trip changed the entry:\n%x\n%x", raw, again)
		}
	})
}
