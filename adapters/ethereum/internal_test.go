package ethereum

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
)

func TestCheckpointRoundTrip(t *testing.T) {
	h := common.HexToHash("0x01")
	for _, p := range []position{{Block: 7, Next: 3, Hash: h}, {Block: 0, Next: allLogs, Hash: h}} {
		got, ok, err := parseCheckpoint(p.Checkpoint())
		if err != nil || !ok || got != p {
			t.Fatalf("parse(%s) = %+v, %v, %v", p.Checkpoint(), got, ok, err)
		}
	}
	if _, ok, err := parseCheckpoint(""); ok || err != nil {
		t.Fatalf("empty checkpoint: ok %v err %v", ok, err)
	}
	for _, bad := range []adapters.Checkpoint{"x", "eth1:1:2", adapters.Checkpoint("eth1:a:1:" + h.Hex()), adapters.Checkpoint("eth1:1:-1:" + h.Hex()), "eth1:1:*:0x12", "memory:5"} {
		if _, _, err := parseCheckpoint(bad); err == nil {
			t.Errorf("parseCheckpoint(%q) accepted", bad)
		}
	}
}

func TestOutcomeUnknownHidesUnavailable(t *testing.T) {
	err := unknownOutcome(unavailable(fmt.Errorf("x: %w", context.Canceled)))
	if errors.Is(err, adapters.ErrUnavailable) {
		t.Fatal("an unknown outcome must not claim ErrUnavailable")
	}
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("%v: want ErrOutcomeUnknown and context.Canceled", err)
	}
}

func TestClassifySend(t *testing.T) {
	cases := map[error]sendClass{
		errors.New("nonce too low: next nonce 5, tx nonce 4"): sendNonce,
		errors.New("replacement transaction underpriced"):     sendNonce,
		errors.New("already known"):                           sendKnown,
		fmt.Errorf("post: %w", syscall.ECONNREFUSED):          sendNotApplied,
		errors.New("read tcp: connection reset by peer"):      sendUnknown,
		context.DeadlineExceeded:                              sendUnknown,
	}
	for err, want := range cases {
		if got := classifySend(err); got != want {
			t.Errorf("classifySend(%v) = %d, want %d", err, got, want)
		}
	}
}
