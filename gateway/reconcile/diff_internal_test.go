package reconcile

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/ledgergate/ledgergate/internal/cputime"
)

const (
	canonSample    = `{"extensions":{"gov.cbp:laneId":"LRD-4"},"id":"urn:uuid:00000000-0000-4000-8000-000000000000","issuedAt":"2026-07-04T15:22:03.250Z","issuer":{"id":"urn:gln:0614141000005","name":"Port of Laredo RPM Lane 4","role":"sensor-operator"},"location":{"countryCode":"US","facility":"World Trade Bridge, lane 4","geo":{"latitude":27.5997,"longitude":-99.5336},"gln":"0614141000005","unLocode":"USLRD"},"mediaDigest":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","mediaType":"image/jpeg","observedAt":"2026-07-04T15:22:01.875Z","property":"gammaCounts","schemaVersion":"1.0","sensorId":"RPM-LRD-04","sensorType":"radiation","subject":{"containerNumber":"CSQU3054383","conveyance":"TX-TRK-88812","recordId":"urn:uuid:9b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d01"},"type":"SensorReading","unitCode":"C62","validFrom":"2026-07-04T15:22:03.250Z","validUntil":"2031-07-04T15:22:03.250Z","value":"1420"}`
	redactedSample = `{"id":"urn:uuid:00000000-0000-4000-8000-000000000000","issuedAt":"2026-07-04T15:22:03.250Z","issuer":{"id":"urn:gln:0614141000005","name":"Port of Laredo RPM Lane 4","role":"sensor-operator"},"observedAt":"2026-07-04T15:22:01.875Z","schemaVersion":"1.0","sensorType":"radiation","type":"SensorReading","validFrom":"2026-07-04T15:22:03.250Z","validUntil":"2031-07-04T15:22:03.250Z"}`
)

// sameFieldsMembers is the reference for sameFields: split both documents
// with the original byte-by-byte scanner, then merge.
func sameFieldsMembers(expected, found []byte) bool {
	em, ok1 := refMembers(expected)
	fm, ok2 := refMembers(found)
	if !ok1 || !ok2 {
		return false
	}
	j := 0
	for _, m := range fm {
		for j < len(em) && !bytes.Equal(em[j].key, m.key) {
			j++
		}
		if j == len(em) || !bytes.Equal(em[j].val, m.val) {
			return false
		}
		j++
	}
	return true
}

func refMembers(b []byte) ([]member, bool) {
	var out []member
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	i := 1
	if b[i] == '}' {
		return out, i == len(b)-1
	}
	for {
		if b[i] != '"' {
			return nil, false
		}
		ks := i
		i = refSkipString(b, i)
		if i < 0 || i >= len(b) || b[i] != ':' {
			return nil, false
		}
		key := b[ks:i]
		i++
		vs := i
		i = refSkipValue(b, i)
		if i < 0 || i >= len(b) {
			return nil, false
		}
		out = append(out, member{key: key, val: b[vs:i]})
		switch b[i] {
		case ',':
			i++
		case '}':
			return out, i == len(b)-1
		default:
			return nil, false
		}
	}
}

func refSkipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

func refSkipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return refSkipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = refSkipString(b, j) - 1
				if j < 0 {
					return -1
				}
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		for j := i; j < len(b); j++ {
			if c := b[j]; c == ',' || c == '}' || c == ']' {
				return j
			}
		}
		return -1
	}
}

func TestSameFieldsMatchesMembers(t *testing.T) {
	docs := []string{
		canonSample, redactedSample, `{}`, `{"a":1}`, `{"a":12}`, `{"a":1,"b":2}`, `{"b":2}`, `{"a":1,"c":3}`,
		`{"a":"x\"y","b":[1,{"c":"}"}]}`, `{"a":"x\"y"}`, `{"b":[1,{"c":"}"}]}`, `{"b":[1,{"c":"}"}]`, `{"a":1}x`,
		`{"a":1,}`, `{"a":}`, `{"a"}`, `[1]`, `{`, ``, `{"a":1}}`, `{"a":{"b":1}}`, `{"a":{"b":1},"z":true}`,
		`{"a":{"b":12}}`, `{"a":{"b":1}`, `{"a":"b\\"}`, `{"a":"b\\","c":1}`, `{"a":1 ,"b":2}`, `{"a":1,"a":1}`,
		`{"a":"1","b":2}`, `{"a":1,"b":2,"b":2}`, `{"b":2,"a":1}`, `{"":0}`, `{"":0,"a":1}`,
	}
	red := []byte(redactedSample)
	for i := range red {
		docs = append(docs, string(red[:i]))
	}
	for _, e := range docs {
		for _, f := range docs {
			if got, want := sameFields([]byte(e), []byte(f)), sameFieldsMembers([]byte(e), []byte(f)); got != want {
				t.Errorf("sameFields(%s, %s) = %v, want %v", e, f, got, want)
			}
		}
	}
	// Every one-byte change of the samples, against each other.
	canon := []byte(canonSample)
	for _, doc := range [][]byte{canon, red} {
		for i := range doc {
			for _, c := range []byte(`"\\{}[],:a1 `) {
				m := bytes.Clone(doc)
				m[i] = c
				for _, pair := range [][2][]byte{{canon, m}, {m, red}, {m, m}} {
					if got, want := sameFields(pair[0], pair[1]), sameFieldsMembers(pair[0], pair[1]); got != want {
						t.Fatalf("sameFields(%s, %s) = %v, want %v", pair[0], pair[1], got, want)
					}
				}
			}
		}
	}
	if !sameFields([]byte(canonSample), red) {
		t.Fatal("sample: want same")
	}
}

func BenchmarkSameFields(b *testing.B) {
	e, f := []byte(canonSample), []byte(redactedSample)
	defer threadCPU(b)()
	for range b.N {
		if !sameFields(e, f) {
			b.Fatal("differ")
		}
	}
}

// threadCPU reports the benchmark's CPU time per op on its (locked) OS
// thread: on a shared machine wall time per op says more about the load.
func threadCPU(b *testing.B) func() {
	runtime.LockOSThread()
	t0 := threadTime()
	b.ResetTimer()
	return func() {
		b.ReportMetric(float64(threadTime()-t0)/float64(b.N), "cpu-ns/op")
		runtime.UnlockOSThread()
	}
}

func threadTime() int64 { return int64(cputime.Thread()) }
