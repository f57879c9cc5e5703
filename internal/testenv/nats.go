package testenv

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSStream returns the URL of the local NATS server and a JetStream
// stream name and subject of the test's own (tests of parallel packages
// share the server), deleting the stream when the test ends. Without NATS
// on 127.0.0.1:4222 the test is skipped, or fails when CI=true (Need).
func NATSStream(t testing.TB, prefix string) (url, stream, subject string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second)
	Need(t, "NATS JetStream on 127.0.0.1:4222", err)
	c.Close()
	id := time.Now().UnixNano()
	url, stream, subject = nats.DefaultURL, fmt.Sprintf("LGTEST_%s_%d", prefix, id), fmt.Sprintf("lgtest.%s.%d", prefix, id)
	t.Cleanup(func() {
		nc, err := nats.Connect(url)
		if err != nil {
			return
		}
		defer nc.Close()
		if js, err := jetstream.New(nc); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = js.DeleteStream(ctx, stream)
		}
	})
	return url, stream, subject
}
