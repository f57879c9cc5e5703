// Package ledgergate holds files the binary serves from the repository:
// the OpenAPI document the API is specified by.
package ledgergate

import _ "embed"

// OpenAPI is docs/openapi.yaml, served at /openapi.yaml.
//
//go:embed docs/openapi.yaml
var OpenAPI []byte
