package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed examples/v1/*.json
var exampleFS embed.FS

// Example is a shipped sample record.
type Example struct {
	Type    string // record type name
	Variant string // "complete" (every optional field) or "minimal"
	File    string // file name, e.g. certificate-of-origin.complete.json
	Data    []byte
}

// Examples returns the shipped examples, one complete and one minimal per
// built-in record type, ordered by file name.
func Examples() []Example {
	entries, _ := fs.ReadDir(exampleFS, "examples/v1")
	byFile := map[string]string{}
	for _, t := range builtinTypeNames {
		byFile[kebab(t)] = t
	}
	var out []Example
	for _, e := range entries {
		base, variant, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".json"), ".")
		if !ok {
			continue
		}
		b, _ := exampleFS.ReadFile("examples/v1/" + e.Name())
		out = append(out, Example{Type: byFile[base], Variant: variant, File: e.Name(), Data: b})
	}
	slices.SortFunc(out, func(a, b Example) int { return strings.Compare(a.File, b.File) })
	return out
}

// ExampleOf returns the shipped example of a type ("complete" or "minimal").
func ExampleOf(typeName, variant string) ([]byte, error) {
	b, err := exampleFS.ReadFile("examples/v1/" + kebab(typeName) + "." + variant + ".json")
	if err != nil {
		return nil, fmt.Errorf("no %s example of %s", variant, typeName)
	}
	return b, nil
}

var builtinTypeNames = []string{
	TypeCertificateOfOrigin, TypeCommercialInvoice, TypeBillOfLading, TypePostalItemEvent,
	TypeIPRRight, TypeIPRLicense, TypeSensorReading, TypeAssetEvent,
}
