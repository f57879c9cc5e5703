// Command schemadoc regenerates docs/schema-reference.md.
package main

import (
	"log"
	"os"

	"github.com/ledgergate/ledgergate/schema"
	"github.com/ledgergate/ledgergate/schema/internal/schemadoc"
)

func main() {
	out := "docs/schema-reference.md"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	b, err := schemadoc.Generate(schema.Default())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
