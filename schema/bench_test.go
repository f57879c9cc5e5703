package schema_test

import (
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/internal/cputime"
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
	cpu := startCPU()
	for b.Loop() {
		if _, err := reg.Validate(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// cpuClock measures the process's CPU time (user + system, all threads,
// so GC work counts), which on a shared machine estimates single-core
// throughput better than wall time. Reported as cpu-ns/op and records/cpu-s.
type cpuClock struct{ start time.Duration }

func processCPU() time.Duration {
	cpu, _ := cputime.Process()
	return cpu
}

func startCPU() cpuClock { return cpuClock{processCPU()} }

func (c cpuClock) report(b *testing.B) {
	used := processCPU() - c.start
	if b.N == 0 || used <= 0 {
		return
	}
	perOp := float64(used.Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp, "cpu-ns/op")
	b.ReportMetric(1e9/perOp, "records/cpu-s")
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
