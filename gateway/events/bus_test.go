package events

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func publish(t *testing.T, b *Bus, typ, partner, rt, id string) {
	t.Helper()
	ev, err := New(typ, Attrs{Partner: partner, RecordType: rt, Subject: id}, RecordData{RecordID: id})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
}

func next(t *testing.T, s *Sub) (Item, *Gap) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	it, gap, err := s.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return it, gap
}

func TestBusFiltersAndResume(t *testing.T) {
	b := NewBus(WithRingSize(100))
	live := b.Subscribe(Filter{Types: []string{"org.ledgergate.record.*"}, Partner: "acme"}, 0, false)
	start := b.Last()
	publish(t, b, TypeAccepted, "acme", "CertificateOfOrigin", "r1")
	publish(t, b, TypeAccepted, "other", "CertificateOfOrigin", "r2")
	publish(t, b, TypeConfirmed, "acme", "CertificateOfOrigin", "r1")
	publish(t, b, TypeDeadLettered, "acme", "", "x")
	publish(t, b, TypeObserved, "acme", "PostalItemEvent", "r3")

	var got []string
	var seqs []uint64
	for range 3 {
		it, gap := next(t, live)
		if gap != nil {
			t.Fatalf("gap %+v", gap)
		}
		var ev map[string]any
		if err := json.Unmarshal(it.Data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev["sequence"] == nil || ev["specversion"] != "1.0" || ev["partner"] != "acme" {
			t.Fatalf("event %s", it.Data)
		}
		got = append(got, it.Type+" "+ev["subject"].(string))
		seqs = append(seqs, it.Seq)
	}
	want := []string{TypeAccepted + " r1", TypeConfirmed + " r1", TypeObserved + " r3"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %v, want %v", got, want)
	}
	if seqs[0] != start+1 || seqs[2] != start+5 {
		t.Fatalf("sequences %v after %d", seqs, start)
	}
	// Resume after the first event: the rest again, nothing before.
	r := b.Subscribe(Filter{RecordType: "CertificateOfOrigin"}, seqs[0], true)
	it, _ := next(t, r)
	if it.Seq != start+2 {
		t.Fatalf("resumed at %d, want %d", it.Seq, start+2)
	}
	it, _ = next(t, r)
	if it.Seq != start+3 {
		t.Fatalf("resumed at %d, want %d", it.Seq, start+3)
	}
}

func TestBusGap(t *testing.T) {
	b := NewBus(WithRingSize(3))
	first := b.Last()
	for i := range 6 {
		publish(t, b, TypeAccepted, "p", "T", string(rune('a'+i)))
	}
	s := b.Subscribe(Filter{}, first+1, true) // events first+2.. ; ring holds first+4..first+6
	_, gap := next(t, s)
	if gap == nil || gap.From != first+2 || gap.To != first+3 {
		t.Fatalf("gap %+v", gap)
	}
	it, gap := next(t, s)
	if gap != nil || it.Seq != first+4 {
		t.Fatalf("after gap: %d %+v", it.Seq, gap)
	}
	// A resume from an older process (before this bus's start) is a gap.
	old := b.Subscribe(Filter{}, first-10, true)
	if _, gap := next(t, old); gap == nil || gap.From != first-9 {
		t.Fatalf("old resume: %+v", gap)
	}
}

func TestBusCloseEndsSubscribers(t *testing.T) {
	b := NewBus()
	s := b.Subscribe(Filter{}, 0, false)
	done := make(chan error, 1)
	go func() { _, _, err := s.Next(context.Background()); done <- err }()
	_ = b.Close()
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Fatalf("err %v", err)
	}
}

func TestSign(t *testing.T) {
	body := []byte(`{"specversion":"1.0"}`)
	at := time.Unix(1700000000, 0)
	m := hmac.New(sha256.New, []byte("s3cret"))
	m.Write([]byte("1700000000." + string(body)))
	if got, want := Sign([]byte("s3cret"), at, body), "t=1700000000,v1="+hex.EncodeToString(m.Sum(nil)); got != want {
		t.Fatalf("%s != %s", got, want)
	}
}
