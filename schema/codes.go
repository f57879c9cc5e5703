package schema

import (
	"encoding/json"
	"sync"
)

//go:generate go run ./internal/gencodes -o schemas/v1/codes.json

// The code lists live in schemas/v1/codes.json (generated), so the exported
// JSON Schemas and the Go helpers enforce the same lists.
var codeLists = sync.OnceValue(func() struct{ countries, currencies map[string]bool } {
	var doc struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	b, err := schemaFS.ReadFile("schemas/v1/codes.json")
	if err == nil {
		err = json.Unmarshal(b, &doc)
	}
	if err != nil {
		panic("schema: embedded codes.json is unreadable: " + err.Error())
	}
	set := func(list []string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, c := range list {
			m[c] = true
		}
		return m
	}
	return struct{ countries, currencies map[string]bool }{set(doc.Defs["countryCode"].Enum), set(doc.Defs["currencyCode"].Enum)}
})

// IsCountryCode reports whether c is an ISO 3166-1 alpha-2 code.
func IsCountryCode(c string) bool { return codeLists().countries[c] }

// IsCurrencyCode reports whether c is an active ISO 4217 currency code.
func IsCurrencyCode(c string) bool { return codeLists().currencies[c] }
