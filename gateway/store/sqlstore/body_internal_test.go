package sqlstore

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

func TestBody(t *testing.T) {
	compressible := []byte(`{"lines":[` + strings.Repeat(`{"hsCode":"721320","originCountry":"MX"},`, 40) + `{}]}`)
	for _, tc := range []struct {
		name      string
		canonical []byte
		tag       byte
	}{
		{"compressible", compressible, bodyS2},
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
	for _, bad := range [][]byte{nil, {0x02, 'x'}, {'['}, {bodyS2, 0xff, 0xff, 0xff}} {
		if _, err := decodeBody(bad); !errors.Is(err, errBody) {
			t.Errorf("decodeBody(%q) = %v, want errBody", bad, err)
		}
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
	body, err := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
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
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := decodeBody(stored); err != nil {
				b.Fatal(err)
			}
		}
	})
}
