package ctxtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/internal/ctxtime"
)

func TestSleep(t *testing.T) {
	if !ctxtime.Sleep(context.Background(), time.Millisecond) {
		t.Error("Sleep with a live context: false, want true")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if ctxtime.Sleep(ctx, time.Hour) {
		t.Error("Sleep with an ended context: true, want false")
	}
	if time.Since(start) > time.Minute {
		t.Error("Sleep with an ended context waited")
	}
}
