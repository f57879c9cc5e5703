package events_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

// TestJetStreamSharedStream: two gateway instances (two buses) on one
// JetStream stream deliver every event, whoever published it, in the same
// order with the same sequence numbers.
func TestJetStreamSharedStream(t *testing.T) {
	c, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second)
	testenv.Need(t, "NATS JetStream on 127.0.0.1:4222", err)
	c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := events.JetStreamConfig{Stream: fmt.Sprintf("LGTEST_%d", time.Now().UnixNano()), Subject: fmt.Sprintf("lgtest.%d", time.Now().UnixNano())}
	var buses []*events.Bus
	for range 2 {
		b := events.NewBus()
		js, err := events.OpenJetStream(ctx, cfg, b, nil)
		testenv.Need(t, "NATS JetStream", err)
		t.Cleanup(func() { _ = js.Close() })
		buses = append(buses, b)
	}
	subs := []*events.Sub{buses[0].Subscribe(events.Filter{}, 0, false), buses[1].Subscribe(events.Filter{}, 0, false)}
	for i := range 10 {
		ev, _ := events.New(events.TypeAccepted, events.Attrs{Subject: fmt.Sprint("r", i)}, events.RecordData{RecordID: fmt.Sprint("r", i)})
		if err := buses[i%2].Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var seqs [2][]uint64
	for j, s := range subs {
		for range 10 {
			it, gap, err := s.Next(ctx)
			if err != nil || gap != nil {
				t.Fatalf("bus %d: %v %v", j, err, gap)
			}
			seqs[j] = append(seqs[j], it.Seq)
		}
	}
	if fmt.Sprint(seqs[0]) != fmt.Sprint(seqs[1]) || seqs[0][9]-seqs[0][0] != 9 {
		t.Fatalf("sequences differ or skip: %v vs %v", seqs[0], seqs[1])
	}
}
