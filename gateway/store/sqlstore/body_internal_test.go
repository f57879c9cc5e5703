package sqlstore

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
	"github.com/ledgergate/ledgergate/schema"
)

func TestBody(t *testing.T) {
	compressible := []byte(`{"lines":[` + strings.Repeat(`{"hsCode":"721320","originCountry":"MX"},`, 40) + `{}]}`)
	for _, tc := range []struct {
		name      string
		canonical []byte
		tag       byte
	}{
		{"compressible", compressible, bodyS2Dict},
		{"too short to gain", []byte(`{"a":1}`), bodyRaw},
		{"empty", []byte{}, bodyRaw},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := encodeBody(tc.canonical)
			if b[0] != tc.tag {
				t.Fatalf("stored with tag 0x%02x, want 0x%02x", b[0], tc.tag)
			}
			if tc.tag == bodyS2 && len(b) >= len(tc.canonical) {
				t.Fatalf("compressed %d bytes to %d", len(tc.canonical), len(b))
			}
			got, err := decodeBody(b)
			if err != nil || !bytes.Equal(got, tc.canonical) {
				t.Fatalf("decodeBody(encodeBody(x)) = %q, %v; want x", got, err)
			}
		})
	}
	// Bodies stored before version 8 are the canonical JSON itself.
	if got, err := decodeBody(compressible); err != nil || !bytes.Equal(got, compressible) {
		t.Fatalf("legacy body: %q, %v", got, err)
	}
	// Bodies stored by store versions 8-12 are S2 blocks without the
	// dictionary.
	if got, err := decodeBody(append([]byte{bodyS2}, s2.Encode(nil, compressible)...)); err != nil || !bytes.Equal(got, compressible) {
		t.Fatalf("S2 body without the dictionary: %q, %v", got, err)
	}
	for _, bad := range [][]byte{nil, {0x03, 'x'}, {'['}, {bodyS2, 0xff, 0xff, 0xff}, {bodyS2Dict, 0xff, 0xff, 0xff}, {bodyS2Dict, 10, 0xfc}} {
		if _, err := decodeBody(bad); !errors.Is(err, errBody) {
			t.Errorf("decodeBody(%q) = %v, want errBody", bad, err)
		}
	}
}

// TestBodyDictFixed: dictionary v1 is what bodies stored with tag
// bodyS2Dict were made with, for good.
func TestBodyDictFixed(t *testing.T) {
	const want = "587444bf46fb8e90388a854248ec53b6942af81da28235fb0b61d3f117faea07"
	if got := fmt.Sprintf("%x", sha256.Sum256(bodyDictV1)); got != want {
		t.Fatalf("bodydict-v1.s2dict has SHA-256 %s, want %s: bodies stored with it could no longer be read; make a new dictionary a v2 instead", got, want)
	}
}

// TestBodyDictGains: every shipped example, complete or minimal, is
// stored in fewer bytes with the dictionary than S2 makes of it alone.
func TestBodyDictGains(t *testing.T) {
	for _, e := range schema.Examples() {
		canonical, err := schema.Canonicalize(e.Data)
		if err != nil {
			t.Fatal(err)
		}
		plain := 1 + len(s2.Encode(nil, canonical))
		stored := encodeBody(canonical)
		if stored[0] != bodyS2Dict || len(stored) >= plain {
			t.Errorf("%s: %d canonical bytes stored in %d (tag 0x%02x); S2 alone makes %d", e.File, len(canonical), len(stored), stored[0], plain)
		}
		t.Logf("%s: %d canonical bytes, S2 %d, with the dictionary %d", e.File, len(canonical), plain, len(stored))
	}
}

func FuzzBody(f *testing.F) {
	f.Add([]byte(`{"a":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, canonical []byte) {
		got, err := decodeBody(encodeBody(canonical))
		if err != nil || !bytes.Equal(got, canonical) {
			t.Fatalf("round trip of %q: %q, %v", canonical, got, err)
		}
		_, _ = decodeBody(canonical) // never panics on what a database holds
	})
}

// BenchmarkBody measures storing and reading back the complete
// CertificateOfOrigin example's body.
func BenchmarkBody(b *testing.B) {
	example, err := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	if err != nil {
		b.Fatal(err)
	}
	body, err := schema.Canonicalize(example)
	if err != nil {
		b.Fatal(err)
	}
	stored := encodeBody(body)
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			encodeBody(body)
		}
		b.ReportMetric(float64(len(stored)), "stored-bytes")
	})
	// S2 without the dictionary (store versions 8-12), and zstd with and
	// without the same dictionary (raw content), for comparison: zstd is
	// smaller, at several times the CPU (not used).
	b.Run("s2-nodict-encode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		var out []byte
		for b.Loop() { // as encodeBody does, into a buffer of its own
			out = s2.Encode(make([]byte, 1+s2.MaxEncodedLen(len(body)))[1:], body)
		}
		b.ReportMetric(float64(1+len(out)), "stored-bytes")
	})
	dict := bodyDict.Bytes()
	for _, c := range []struct {
		name string
		opts []zstd.EOption
	}{
		{"zstd-encode", nil},
		{"zstd-dict-encode", []zstd.EOption{zstd.WithEncoderDictRaw(1, dict)}},
	} {
		enc, err := zstd.NewWriter(nil, append([]zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(false)}, c.opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			var out []byte
			for b.Loop() {
				out = enc.EncodeAll(body, out[:0])
			}
			b.ReportMetric(float64(len(out)), "stored-bytes")
		})
	}
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := decodeBody(stored); err != nil {
				b.Fatal(err)
			}
		}
	})
}
