package schema_test

import (
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

// BenchmarkValidateCertificate measures validate + canonicalise + digest of
// the complete CertificateOfOrigin example (about 2 KB), the issue's
// "typical certificate". records/s = 1e9 / ns/op.
func BenchmarkValidateCertificate(b *testing.B) {
	data, err := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	if err != nil {
		b.Fatal(err)
	}
	reg := schema.Default()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Validate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanonicalize isolates RFC 8785 canonicalisation of the same input.
func BenchmarkCanonicalize(b *testing.B) {
	data, _ := schema.ExampleOf(schema.TypeCertificateOfOrigin, "complete")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := schema.Canonicalize(data); err != nil {
			b.Fatal(err)
		}
	}
}
