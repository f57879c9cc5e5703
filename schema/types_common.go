package schema

import (
	"encoding/json"
	"time"
)

// Go types for the v1 schemas. They mirror the JSON Schemas field for field
// (a test decodes every example with unknown fields disallowed and checks
// that re-encoding gives the same digest). Date-times and decimals are kept
// as the strings that were signed, so a record round-trips byte for byte
// through its canonical form.

// DateTime is an RFC 3339 date-time with an offset, kept as written.
type DateTime string

// Time parses the date-time.
func (d DateTime) Time() (time.Time, error) { return time.Parse(time.RFC3339Nano, string(d)) }

// NewDateTime formats t for a record.
func NewDateTime(t time.Time) DateTime { return DateTime(t.Format(time.RFC3339Nano)) }

// Date is an RFC 3339 full-date (YYYY-MM-DD).
type Date string

// Decimal is an exact decimal number written as a string, e.g. "1250.00".
type Decimal string

// Envelope holds the fields every record carries.
type Envelope struct {
	ID            string                     `json:"id"`
	Type          string                     `json:"type"`
	SchemaVersion string                     `json:"schemaVersion"`
	Issuer        Issuer                     `json:"issuer"`
	IssuedAt      DateTime                   `json:"issuedAt"`
	ValidFrom     DateTime                   `json:"validFrom"`
	ValidUntil    DateTime                   `json:"validUntil,omitempty"`
	Supersedes    Digest                     `json:"supersedes,omitempty"`
	Extensions    map[string]json.RawMessage `json:"extensions,omitempty"`
}

// Issuer is the party that issued a record.
type Issuer struct {
	ID   string `json:"id"`
	Role string `json:"role"`
	Name string `json:"name,omitempty"`
}

// Party is an organisation or person named in a record.
type Party struct {
	ID      string   `json:"id,omitempty"`
	Name    string   `json:"name"`
	GLN     string   `json:"gln,omitempty"`
	TaxID   string   `json:"taxId,omitempty"`
	Address *Address `json:"address,omitempty"`
	Email   string   `json:"email,omitempty"`
	Phone   string   `json:"phone,omitempty"`
}

// Address is a postal address.
type Address struct {
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	CountryCode   string `json:"countryCode"`
}

// Quantity is an amount with a UN/ECE Rec 20 unit code.
type Quantity struct {
	Value    Decimal `json:"value"`
	UnitCode string  `json:"unitCode"`
}

// Money is an amount in an ISO 4217 currency.
type Money struct {
	Amount   Decimal `json:"amount"`
	Currency string  `json:"currency"`
}

// Geo is a WGS 84 position.
type Geo struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Location is where something happened.
type Location struct {
	CountryCode string `json:"countryCode"`
	UNLocode    string `json:"unLocode,omitempty"`
	Facility    string `json:"facility,omitempty"`
	GLN         string `json:"gln,omitempty"`
	Geo         *Geo   `json:"geo,omitempty"`
}
