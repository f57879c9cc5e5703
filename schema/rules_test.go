package schema_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

// op edits a decoded example at a JSON pointer.
type op struct {
	ptr string
	val any // nil with del=true removes the field
	del bool
}

func set(ptr string, v any) op { return op{ptr: ptr, val: v} }
func del(ptr string) op        { return op{ptr: ptr, del: true} }

// raw is a JSON literal to splice in (for numbers, objects, arrays).
type raw string

func applyOps(t *testing.T, data []byte, ops ...op) []byte {
	t.Helper()
	var doc any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		toks := strings.Split(o.ptr, "/")[1:]
		parent := doc
		for _, tok := range toks[:len(toks)-1] {
			switch p := parent.(type) {
			case map[string]any:
				parent = p[tok]
			case []any:
				i, _ := strconv.Atoi(tok)
				parent = p[i]
			}
		}
		last := toks[len(toks)-1]
		val := o.val
		if r, ok := val.(raw); ok {
			var v any
			if err := json.Unmarshal([]byte(r), &v); err != nil {
				t.Fatalf("bad raw %s: %v", r, err)
			}
			val = v
		}
		switch p := parent.(type) {
		case map[string]any:
			if o.del {
				delete(p, last)
			} else {
				p[last] = val
			}
		case []any:
			i, _ := strconv.Atoi(last)
			p[i] = val
		default:
			t.Fatalf("pointer %s: parent is %T", o.ptr, parent)
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func example(t *testing.T, typ, variant string) []byte {
	t.Helper()
	b, err := schema.ExampleOf(typ, variant)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type want struct{ ptr, rule string }

type ruleCase struct {
	name    string
	typ     string
	variant string
	ops     []op
	input   []byte // used instead of an example when set
	want    []want
}

const (
	coo    = schema.TypeCertificateOfOrigin
	inv    = schema.TypeCommercialInvoice
	bol    = schema.TypeBillOfLading
	postal = schema.TypePostalItemEvent
	right  = schema.TypeIPRRight
	lic    = schema.TypeIPRLicense
	sensor = schema.TypeSensorReading
	asset  = schema.TypeAssetEvent
)

func goods(n int) raw {
	item := `{"description":"Coffee","hsCode":"090111","originCriterion":"A","countryOfOrigin":"CR"}`
	return raw("[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]")
}

var ruleCases = []ruleCase{
	// input.*
	{name: "too large", input: []byte(`{"pad":"` + strings.Repeat("x", schema.DefaultMaxSize) + `"}`), want: []want{{"", "input.too-large"}}},
	{name: "invalid utf8", input: []byte("{\"id\":\"\xff\"}"), want: []want{{"", "input.utf8"}}},
	{name: "unpaired surrogate", input: []byte(`{"id":"\ud800"}`), want: []want{{"/id", "input.utf8"}}},
	{name: "syntax", input: []byte(`{"id": }`), want: []want{{"/id", "input.syntax"}}},
	{name: "trailing data", input: []byte(`{} {}`), want: []want{{"", "input.syntax"}}},
	{name: "duplicate key", input: []byte(`{"id":"a","issuer":{"id":"x","id":"y"}}`), want: []want{{"/issuer/id", "input.duplicate-key"}}},
	{name: "deep nesting", input: []byte(`{"extensions":{"a.b:c":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}}`), want: []want{{"/extensions/a.b:c" + strings.Repeat("/0", 30), "input.depth"}}},
	{name: "huge number", input: []byte(`{"n":1e400}`), want: []want{{"/n", "input.number-range"}}},
	{name: "imprecise integer", input: []byte(`{"n":12345678901234567890}`), want: []want{{"/n", "input.number-range"}}},
	// generic schema keywords
	{name: "not an object", input: []byte(`[1]`), want: []want{{"", "schema.type"}}},
	{name: "required", typ: coo, variant: "minimal", ops: []op{del("/signedAt")}, want: []want{{"/signedAt", "schema.required"}}},
	{name: "unknown field", typ: coo, variant: "minimal", ops: []op{set("/colour", "red")}, want: []want{{"/colour", "schema.unknown-field"}}},
	{name: "unknown nested field", typ: coo, variant: "minimal", ops: []op{set("/certifier/party/nickname", "x")}, want: []want{{"/certifier/party/nickname", "schema.unknown-field"}}},
	{name: "wrong type", typ: coo, variant: "minimal", ops: []op{set("/goods", "many")}, want: []want{{"/goods", "schema.type"}}},
	{name: "min length", typ: coo, variant: "minimal", ops: []op{set("/certifier/signatory/name", "")}, want: []want{{"/certifier/signatory/name", "schema.min-length"}}},
	{name: "max length", typ: coo, variant: "minimal", ops: []op{set("/invoiceNumber", strings.Repeat("9", 129))}, want: []want{{"/invoiceNumber", "schema.max-length"}}},
	{name: "min items", typ: right, variant: "minimal", ops: []op{set("/jurisdictions", raw(`[]`))}, want: []want{{"/jurisdictions", "schema.min-items"}}},
	{name: "max items", typ: coo, variant: "minimal", ops: []op{set("/importers", raw("["+strings.TrimSuffix(strings.Repeat(`{"name":"x"},`, 21), ",")+"]"))}, want: []want{{"/importers", "schema.max-items"}}},
	{name: "unique items", typ: right, variant: "minimal", ops: []op{set("/jurisdictions", raw(`["US","US"]`))}, want: []want{{"/jurisdictions", "schema.unique-items"}}},
	{name: "minimum", typ: coo, variant: "complete", ops: []op{set("/goods/0/lineNumber", raw("0"))}, want: []want{{"/goods/0/lineNumber", "schema.minimum"}}},
	{name: "maximum", typ: postal, variant: "complete", ops: []op{set("/location/geo/latitude", raw("91"))}, want: []want{{"/location/geo/latitude", "schema.maximum"}}},
	{name: "min properties", typ: sensor, variant: "complete", ops: []op{set("/subject", raw(`{}`))}, want: []want{{"/subject", "schema.min-properties"}}},
	{name: "max properties", typ: sensor, variant: "minimal", ops: []op{set("/extensions", raw(manyExtensions(65)))}, want: []want{{"/extensions", "schema.max-properties"}}},
	// envelope
	{name: "unknown type", typ: coo, variant: "minimal", ops: []op{set("/type", "Passport")}, want: []want{{"/type", "envelope.type-unknown"}}},
	{name: "bad type name", typ: coo, variant: "minimal", ops: []op{set("/type", "passport")}, want: []want{{"/type", "envelope.type-unknown"}, {"/type", "format.record-type"}}},
	{name: "schema version", typ: coo, variant: "minimal", ops: []op{set("/schemaVersion", "2.0")}, want: []want{{"/schemaVersion", "envelope.schema-version"}}},
	{name: "schema version newer", typ: coo, variant: "minimal", ops: []op{set("/schemaVersion", "1.7")}, want: []want{{"/schemaVersion", "envelope.schema-version"}}},
	{name: "issuer role", typ: coo, variant: "minimal", ops: []op{set("/issuer/role", "smuggler")}, want: []want{{"/issuer/role", "envelope.issuer-role"}}},
	{name: "extension namespace", typ: coo, variant: "minimal", ops: []op{set("/extensions", raw(`{"entryNumber":"1"}`))}, want: []want{{"/extensions/entryNumber", "envelope.extension-namespace"}}},
	{name: "validity order", typ: coo, variant: "minimal", ops: []op{set("/validUntil", "2026-05-10T09:00:00-06:00")}, want: []want{{"/validUntil", "envelope.validity-order"}}},
	{name: "validity order across offsets", typ: coo, variant: "minimal", ops: []op{set("/validUntil", "2026-05-10T14:59:00Z")}, want: []want{{"/validUntil", "envelope.validity-order"}}},
	// formats
	{name: "record id", typ: coo, variant: "minimal", ops: []op{set("/id", "3f0c6a1e-8b1d-4c53-9a7e-2d5b8f9c1a02")}, want: []want{{"/id", "format.record-id"}}},
	{name: "record id uppercase", typ: coo, variant: "minimal", ops: []op{set("/id", "urn:uuid:3F0C6A1E-8B1D-4C53-9A7E-2D5B8F9C1A02")}, want: []want{{"/id", "format.record-id"}}},
	{name: "digest", typ: coo, variant: "minimal", ops: []op{set("/supersedes", "sha256:XYZ")}, want: []want{{"/supersedes", "format.digest"}}},
	{name: "party ref", typ: coo, variant: "minimal", ops: []op{set("/issuer/id", "Cafe Tica")}, want: []want{{"/issuer/id", "format.party-ref"}}},
	{name: "date-time without offset", typ: coo, variant: "minimal", ops: []op{set("/signedAt", "2026-05-10T08:45:00")}, want: []want{{"/signedAt", "format.date-time"}}},
	{name: "date-time impossible", typ: coo, variant: "minimal", ops: []op{set("/signedAt", "2026-02-30T08:45:00Z")}, want: []want{{"/signedAt", "format.date-time"}}},
	{name: "date", typ: coo, variant: "complete", ops: []op{set("/blanketPeriod/from", "2026-3-1")}, want: []want{{"/blanketPeriod/from", "format.date"}}},
	{name: "decimal exponent", typ: inv, variant: "minimal", ops: []op{set("/total/amount", "9.6e4")}, want: []want{{"/total/amount", "format.decimal"}}},
	{name: "decimal as number", typ: inv, variant: "minimal", ops: []op{set("/total/amount", raw("96000"))}, want: []want{{"/total/amount", "schema.type"}}},
	{name: "negative quantity", typ: inv, variant: "minimal", ops: []op{set("/lines/0/quantity/value", "-1")}, want: []want{{"/lines/0/quantity/value", "format.decimal"}}},
	{name: "hs code", typ: coo, variant: "minimal", ops: []op{set("/goods/0/hsCode", "0901.11")}, want: []want{{"/goods/0/hsCode", "format.hs-code"}}},
	{name: "hs code 7 digits", typ: coo, variant: "minimal", ops: []op{set("/goods/0/hsCode", "0901112")}, want: []want{{"/goods/0/hsCode", "format.hs-code"}}},
	{name: "unlocode shape", typ: bol, variant: "minimal", ops: []op{set("/portOfLoading", "CN-SZX")}, want: []want{{"/portOfLoading", "format.unlocode"}}},
	{name: "unlocode country", typ: bol, variant: "minimal", ops: []op{set("/portOfLoading", "QQSZX")}, want: []want{{"/portOfLoading", "format.unlocode"}}},
	{name: "gln check digit", typ: coo, variant: "complete", ops: []op{set("/certifier/party/gln", "0614141000006")}, want: []want{{"/certifier/party/gln", "format.gln"}}},
	{name: "gtin check digit", typ: right, variant: "complete", ops: []op{set("/products/0/gtin", "4006381333932")}, want: []want{{"/products/0/gtin", "format.gtin"}}},
	{name: "s10 check digit", typ: postal, variant: "complete", ops: []op{set("/itemId", "RR473124828CN")}, want: []want{{"/itemId", "format.upu-s10"}}},
	{name: "s10 country", typ: postal, variant: "complete", ops: []op{set("/itemId", "RR473124829QQ")}, want: []want{{"/itemId", "format.upu-s10"}}},
	{name: "impb check digit", typ: postal, variant: "minimal", ops: []op{set("/itemId", "9400111899223100000018")}, want: []want{{"/itemId", "format.impb"}}},
	{name: "scac", typ: bol, variant: "minimal", ops: []op{set("/carrier/scac", "ocln")}, want: []want{{"/carrier/scac", "format.scac"}}},
	{name: "unit code", typ: inv, variant: "minimal", ops: []op{set("/lines/0/quantity/unitCode", "kg")}, want: []want{{"/lines/0/quantity/unitCode", "format.unit-code"}}},
	{name: "container check digit", typ: bol, variant: "complete", ops: []op{set("/containers/0/containerNumber", "CSQU3054384")}, want: []want{{"/containers/0/containerNumber", "format.container-number"}}},
	{name: "bol number", typ: bol, variant: "minimal", ops: []op{set("/billOfLadingNumber", "ab")}, want: []want{{"/billOfLadingNumber", "format.bol-number"}}},
	{name: "package type", typ: bol, variant: "complete", ops: []op{set("/goods/0/packageType", "carton")}, want: []want{{"/goods/0/packageType", "format.package-type"}}},
	{name: "postal code", typ: coo, variant: "complete", ops: []op{set("/certifier/party/address/postalCode", "L8L#1A1")}, want: []want{{"/certifier/party/address/postalCode", "format.postal-code"}}},
	{name: "tax id", typ: coo, variant: "complete", ops: []op{set("/certifier/party/taxId", "1")}, want: []want{{"/certifier/party/taxId", "format.tax-id"}}},
	{name: "email", typ: coo, variant: "complete", ops: []op{set("/certifier/party/email", "not-an-email")}, want: []want{{"/certifier/party/email", "format.email"}}},
	{name: "phone", typ: coo, variant: "complete", ops: []op{set("/certifier/party/phone", "905-555-0100")}, want: []want{{"/certifier/party/phone", "format.phone"}}},
	{name: "registration number", typ: right, variant: "minimal", ops: []op{set("/registrationNumber", "#1")}, want: []want{{"/registrationNumber", "format.registration-number"}}},
	{name: "asset tag", typ: asset, variant: "minimal", ops: []op{set("/assetTag", "x")}, want: []want{{"/assetTag", "format.asset-tag"}}},
	{name: "property name", typ: sensor, variant: "minimal", ops: []op{set("/property", "Ambient Temperature")}, want: []want{{"/property", "format.property-name"}}},
	{name: "media type", typ: sensor, variant: "complete", ops: []op{set("/mediaType", "jpeg")}, want: []want{{"/mediaType", "format.media-type"}}},
	{name: "country code", typ: coo, variant: "minimal", ops: []op{set("/goods/0/countryOfOrigin", "XX")}, want: []want{{"/goods/0/countryOfOrigin", "code.country"}}},
	{name: "currency code", typ: inv, variant: "minimal", ops: []op{set("/currency", "USX")}, want: []want{{"/currency", "code.currency"}, {"/lines/0/lineTotal/currency", "invoice.currency"}, {"/total/currency", "invoice.currency"}}},
	// goods count
	{name: "no goods", typ: coo, variant: "minimal", ops: []op{set("/goods", raw(`[]`))}, want: []want{{"/goods", "goods.count"}}},
	{name: "101 goods", typ: coo, variant: "minimal", ops: []op{set("/goods", goods(101))}, want: []want{{"/goods", "goods.count"}}},
	{name: "no invoice lines", typ: inv, variant: "minimal", ops: []op{set("/lines", raw(`[]`))}, want: []want{{"/lines", "goods.count"}}},
	// certificate of origin
	{name: "agreement", typ: coo, variant: "minimal", ops: []op{set("/agreement", "NAFTA")}, want: []want{{"/agreement", "coo.agreement"}}},
	{name: "certifier role", typ: coo, variant: "minimal", ops: []op{set("/certifier/role", "carrier")}, want: []want{{"/certifier/role", "coo.certifier-role"}}},
	{name: "origin criterion", typ: coo, variant: "minimal", ops: []op{set("/goods/0/originCriterion", "E")}, want: []want{{"/goods/0/originCriterion", "coo.origin-criterion"}}},
	{name: "producer notice", typ: coo, variant: "minimal", ops: []op{set("/producerNotice", "SECRET")}, want: []want{{"/producerNotice", "coo.producer-notice"}}},
	{name: "producer and notice", typ: coo, variant: "complete", ops: []op{set("/producerNotice", "VARIOUS")}, want: []want{{"/producerNotice", "coo.producer"}}},
	{name: "no producer", typ: coo, variant: "minimal", ops: []op{del("/producerNotice")}, want: []want{{"", "coo.producer"}}},
	{name: "USMCA origin country", typ: coo, variant: "complete", ops: []op{set("/goods/1/countryOfOrigin", "CN")}, want: []want{{"/goods/1/countryOfOrigin", "coo.origin-country"}}},
	{name: "CAFTA-DR origin country", typ: coo, variant: "minimal", ops: []op{set("/goods/0/countryOfOrigin", "MX")}, want: []want{{"/goods/0/countryOfOrigin", "coo.origin-country"}}},
	{name: "blanket or invoice", typ: coo, variant: "minimal", ops: []op{del("/invoiceNumber")}, want: []want{{"", "coo.blanket-or-invoice"}}},
	{name: "blanket order", typ: coo, variant: "complete", ops: []op{set("/blanketPeriod/to", "2026-02-28")}, want: []want{{"/blanketPeriod/to", "coo.blanket-period.order"}}},
	{name: "blanket over 12 months", typ: coo, variant: "complete", ops: []op{set("/blanketPeriod/to", "2027-03-01")}, want: []want{{"/blanketPeriod/to", "coo.blanket-period.max-12-months"}}},
	// invoice
	{name: "incoterms", typ: inv, variant: "complete", ops: []op{set("/incoterms", "DDU")}, want: []want{{"/incoterms", "invoice.incoterms"}}},
	{name: "line currency", typ: inv, variant: "complete", ops: []op{set("/lines/1/lineTotal/currency", "CAD")}, want: []want{{"/lines/1/lineTotal/currency", "invoice.currency"}}},
	{name: "total", typ: inv, variant: "complete", ops: []op{set("/total/amount", "148495.99")}, want: []want{{"/total/amount", "invoice.total"}}},
	// bill of lading
	{name: "bol kind", typ: bol, variant: "complete", ops: []op{set("/kind", "sea")}, want: []want{{"/kind", "bol.kind"}}},
	{name: "freight payment", typ: bol, variant: "complete", ops: []op{set("/freightPayment", "cod")}, want: []want{{"/freightPayment", "bol.freight-payment"}}},
	{name: "same ports", typ: bol, variant: "minimal", ops: []op{set("/portOfDischarge", "CNSZX")}, want: []want{{"/portOfDischarge", "bol.ports"}}},
	// postal
	{name: "item id scheme", typ: postal, variant: "minimal", ops: []op{set("/itemIdScheme", "UPS")}, want: []want{{"/itemIdScheme", "postal.item-id-scheme"}}},
	{name: "event code list", typ: postal, variant: "minimal", ops: []op{set("/eventCodeList", "DHL")}, want: []want{{"/eventCodeList", "postal.event-code-list"}}},
	{name: "UPU event code", typ: postal, variant: "complete", ops: []op{set("/eventCode", "EMZ")}, want: []want{{"/eventCode", "postal.event-code"}}},
	{name: "USPS event code", typ: postal, variant: "minimal", ops: []op{set("/eventCode", "001")}, want: []want{{"/eventCode", "postal.event-code"}}},
	{name: "mail class", typ: postal, variant: "complete", ops: []op{set("/mailClass", "pigeon")}, want: []want{{"/mailClass", "postal.mail-class"}}},
	// IPR
	{name: "right type", typ: right, variant: "minimal", ops: []op{set("/rightType", "secret-recipe")}, want: []want{{"/rightType", "ipr.right-type"}}},
	{name: "permitted act", typ: lic, variant: "minimal", ops: []op{set("/permittedActs", raw(`["counterfeit"]`))}, want: []want{{"/permittedActs/0", "ipr.permitted-act"}}},
	{name: "licence without right", typ: lic, variant: "minimal", ops: []op{del("/extends")}, want: []want{{"/extends", "ipr-license.extends-right"}}},
	{name: "licence without right id", typ: lic, variant: "complete", ops: []op{del("/extends/rightId")}, want: []want{{"/extends/rightId", "ipr-license.extends-right"}}},
	{name: "licence extends itself", typ: lic, variant: "minimal", ops: []op{set("/extends/rightId", "urn:uuid:f6a7b8c9-d0e1-4f2a-b3c4-d5e6f7a8b902")}, want: []want{{"/extends/rightId", "ipr-license.extends-right"}}},
	// sensor
	{name: "sensor type", typ: sensor, variant: "minimal", ops: []op{set("/sensorType", "sonar")}, want: []want{{"/sensorType", "sensor.type"}}},
	{name: "no value or media", typ: sensor, variant: "minimal", ops: []op{del("/value"), del("/unitCode")}, want: []want{{"", "sensor.value-or-media"}}},
	{name: "value without unit", typ: sensor, variant: "minimal", ops: []op{del("/unitCode")}, want: []want{{"/unitCode", "sensor.value-unit"}}},
	{name: "media without type", typ: sensor, variant: "complete", ops: []op{del("/mediaType")}, want: []want{{"/mediaType", "sensor.media-type"}}},
	// asset
	{name: "asset event", typ: asset, variant: "minimal", ops: []op{set("/event", "stolen")}, want: []want{{"/event", "asset.event"}}},
	{name: "asset condition", typ: asset, variant: "complete", ops: []op{set("/condition", "shiny")}, want: []want{{"/condition", "asset.condition"}}},
	{name: "moved without origin", typ: asset, variant: "complete", ops: []op{del("/fromLocation")}, want: []want{{"/fromLocation", "asset.moved-from"}}},
	{name: "origin on non-move", typ: asset, variant: "complete", ops: []op{set("/event", "verified")}, want: []want{{"/fromLocation", "asset.moved-from"}}},
}

func manyExtensions(n int) string {
	var parts []string
	for i := range n {
		parts = append(parts, fmt.Sprintf(`"org.example:k%d":%d`, i, i))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestRules(t *testing.T) {
	reg := schema.Default()
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			input := tc.input
			if input == nil {
				input = applyOps(t, example(t, tc.typ, tc.variant), tc.ops...)
			}
			_, err := reg.Validate(input)
			var ve *schema.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			var got []want
			for _, v := range ve.Violations {
				got = append(got, want{v.Pointer, v.Rule})
				if v.Message == "" {
					t.Errorf("violation %s %s has no message", v.Pointer, v.Rule)
				}
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing violation %s at %q\ngot: %v", w.rule, w.ptr, ve)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("got %d violations, want %d: %v", len(got), len(tc.want), ve)
			}
			if !errors.Is(err, schema.ErrInvalid) && !errors.Is(err, schema.ErrMalformed) && !errors.Is(err, schema.ErrTooLarge) {
				t.Errorf("error %v matches none of the sentinel errors", err)
			}
		})
	}
}

// TestEveryRuleHasAFailingCase keeps the catalog, the schemas and the tests
// in step: each rule id the package documents is produced by some case
// above, and each x-rule in the schemas is documented.
func TestEveryRuleHasAFailingCase(t *testing.T) {
	tested := map[string]bool{}
	for _, tc := range ruleCases {
		for _, w := range tc.want {
			tested[w.rule] = true
		}
	}
	for _, r := range schema.Rules() {
		if !tested[r.ID] {
			t.Errorf("rule %s has no failing test case", r.ID)
		}
	}
	documented := map[string]bool{}
	for _, r := range schema.Rules() {
		documented[r.ID] = true
	}
	for id := range tested {
		if !documented[id] {
			t.Errorf("rule %s is reported but not in the catalog (schema.Rules)", id)
		}
	}
	for _, ti := range schema.Default().Types() {
		b, _ := schema.Default().SchemaFile(ti.File)
		for _, id := range xRules(b) {
			if !documented[id] {
				t.Errorf("%s: x-rule %s is not in the catalog", ti.File, id)
			}
		}
	}
}

func xRules(b []byte) []string {
	var out []string
	for _, part := range strings.Split(string(b), `"x-rule": "`)[1:] {
		out = append(out, part[:strings.IndexByte(part, '"')])
	}
	return out
}

func TestAllErrorsReportedAtOnce(t *testing.T) {
	in := applyOps(t, example(t, coo, "complete"),
		set("/certifier/party/gln", "0614141000006"),
		set("/goods/1/countryOfOrigin", "CN"),
		set("/blanketPeriod/to", "2028-01-01"),
		set("/colour", "red"),
		del("/signedAt"),
	)
	_, err := schema.Default().Validate(in)
	var ve *schema.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 5 {
		t.Fatalf("want 5 violations in one pass, got %v", err)
	}
	if !errors.Is(err, schema.ErrInvalid) {
		t.Fatalf("errors.Is(err, ErrInvalid) = false for %v", err)
	}
}
