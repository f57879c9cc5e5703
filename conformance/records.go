package conformance

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

// NewRecordID returns a fresh urn:uuid (version 4).
func NewRecordID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// SensorDoc returns the shipped complete SensorReading example (small,
// every field filled) as a JSON object with a fresh id and no
// supersedes: the start of a test's record, to edit and validate.
func SensorDoc(t testing.TB) map[string]any {
	t.Helper()
	base, err := schema.ExampleOf(schema.TypeSensorReading, "complete")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		t.Fatal(err)
	}
	doc["id"] = NewRecordID()
	delete(doc, "supersedes")
	return doc
}

// RecordOf returns doc as a record validated by the default registry,
// failing t if it is not valid: the end of a test's record built from
// SensorDoc.
func RecordOf(t testing.TB, doc map[string]any) *schema.Record {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := schema.Default().Validate(b)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// recordMaker builds valid records with fresh ids from the shipped
// examples.
type recordMaker struct {
	t   *testing.T
	reg *schema.Registry
}

// make returns a valid record of the shipped complete SensorReading
// example (small, every field filled) with a fresh id, after applying
// edits to its fields.
func (m recordMaker) make(edits ...func(map[string]any)) *schema.Record {
	m.t.Helper()
	doc := SensorDoc(m.t)
	for _, e := range edits {
		e(doc)
	}
	return m.validate(doc)
}

func (m recordMaker) validate(doc map[string]any) *schema.Record {
	m.t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		m.t.Fatal(err)
	}
	rec, err := m.reg.Validate(b)
	if err != nil {
		m.t.Fatalf("kit built an invalid record: %v", err)
	}
	return rec
}

// nextVersion returns a new version of rec (a changed value) that
// supersedes digest.
func (m recordMaker) nextVersion(rec *schema.Record, supersedes schema.Digest, value string) *schema.Record {
	m.t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(rec.Canonical, &doc); err != nil {
		m.t.Fatal(err)
	}
	doc["value"] = value
	if supersedes == "" {
		delete(doc, "supersedes")
	} else {
		doc["supersedes"] = string(supersedes)
	}
	return m.validate(doc)
}

// withPadding makes a record whose canonical form is about n bytes, by
// padding an extension.
func withPadding(n int) func(map[string]any) {
	return func(doc map[string]any) {
		doc["extensions"] = map[string]any{"org.ledgergate.conformance:padding": strings.Repeat("x", n)}
	}
}
