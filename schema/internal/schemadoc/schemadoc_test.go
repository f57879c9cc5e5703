package schemadoc_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
	"github.com/ledgergate/ledgergate/schema/internal/schemadoc"
)

// TestReferenceIsCurrent fails when docs/schema-reference.md no longer
// matches the schemas. Fix: go run ./schema/internal/schemadoc/cmd
func TestReferenceIsCurrent(t *testing.T) {
	want, err := schemadoc.Generate(schema.Default())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../../docs/schema-reference.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/schema-reference.md is stale; regenerate with: go run ./schema/internal/schemadoc/cmd")
	}
}
