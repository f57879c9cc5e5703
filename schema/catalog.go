package schema

import (
	"slices"
	"strings"
)

// RuleDoc documents one stable rule id.
type RuleDoc struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
}

// ruleCatalog lists every rule id this package can report. Ids are stable:
// clients branch on them, so an id is never reused for another meaning.
// docs/schema.md documents each one (a test keeps the two in step).
var ruleCatalog = map[string]string{
	// Input, checked before any schema rule.
	"input.too-large":     "The input is larger than the configured limit (default 1 MiB); refused before parsing.",
	"input.utf8":          "The input is not valid UTF-8, or a \\u escape encodes an unpaired surrogate.",
	"input.syntax":        "The input is not JSON text (RFC 8259): the message gives line, column and byte offset.",
	"input.duplicate-key": "An object has the same key twice (RFC 8785 and I-JSON forbid it).",
	"input.depth":         "Objects and arrays are nested deeper than the limit (default 32).",
	"input.number-range":  "A number is outside the IEEE 754 double range, or an integer beyond 2^53 that would lose precision.",

	// Generic JSON Schema keywords without a more specific rule id.
	"schema.required":       "A required field is missing.",
	"schema.unknown-field":  "A field the schema does not define (deployment data belongs under /extensions).",
	"schema.type":           "A value has the wrong JSON type.",
	"schema.min-length":     "A string is shorter than allowed.",
	"schema.max-length":     "A string is longer than allowed.",
	"schema.min-items":      "An array has fewer items than allowed.",
	"schema.max-items":      "An array has more items than allowed.",
	"schema.unique-items":   "An array that must hold distinct items repeats one.",
	"schema.minimum":        "A number is below its minimum.",
	"schema.maximum":        "A number is above its maximum.",
	"schema.min-properties": "An object has fewer fields than allowed.",
	"schema.max-properties": "An object has more fields than allowed.",

	// Envelope.
	"envelope.type-unknown":        "The record's type is not registered.",
	"envelope.schema-version":      "schemaVersion is not 1.N, or is newer than the registered schema.",
	"envelope.issuer-role":         "issuer.role is not one of the defined roles.",
	"envelope.extension-namespace": "An extension key is not namespaced as reverse-DNS:name (e.g. gov.cbp:entryNumber).",
	"envelope.validity-order":      "validUntil is not after validFrom.",

	// Formats and code lists.
	"format.record-id":           "Not a lowercase urn:uuid.",
	"format.record-type":         "A type name must match ^[A-Z][A-Za-z0-9]{1,63}$.",
	"format.digest":              "Not sha256: followed by 64 lowercase hex digits.",
	"format.party-ref":           "A party identifier must be a URI (did:, urn:, https: ...).",
	"format.date-time":           "Not an RFC 3339 date-time with an offset.",
	"format.date":                "Not an RFC 3339 full-date (YYYY-MM-DD).",
	"format.decimal":             "Not a decimal string (no exponent, no leading zeros, <= 28 integer and 18 fraction digits; non-negative where required).",
	"format.hs-code":             "Not a 6, 8 or 10 digit HS/HTS code.",
	"format.unlocode":            "Not a UN/LOCODE with a valid ISO 3166-1 country part.",
	"format.gln":                 "Not a 13-digit GS1 GLN with a correct check digit.",
	"format.gtin":                "Not a GS1 GTIN-8/12/13/14 with a correct check digit.",
	"format.upu-s10":             "Not a UPU S10 item id with a correct check digit and country.",
	"format.impb":                "Not a USPS IMpb tracking number with a correct check digit.",
	"format.scac":                "Not a 2-4 letter Standard Carrier Alpha Code.",
	"format.unit-code":           "Not a UN/ECE Recommendation 20 unit code.",
	"format.container-number":    "Not an ISO 6346 container number with a correct check digit.",
	"format.bol-number":          "Not a bill of lading number (4-35 capital letters and digits).",
	"format.package-type":        "Not a UN/ECE Recommendation 21 package type code.",
	"format.postal-code":         "Not a postal code (2-16 letters, digits, spaces, hyphens).",
	"format.tax-id":              "Not a tax identifier (4-32 letters, digits, hyphens).",
	"format.email":               "Not an e-mail address.",
	"format.phone":               "Not an E.164 phone number (+ and 7-15 digits).",
	"format.registration-number": "Not an IP registration number.",
	"format.asset-tag":           "Not an asset tag (3-64 letters, digits and : . _ -).",
	"format.property-name":       "Not a lowerCamelCase observed-property name.",
	"format.media-type":          "Not a media type (type/subtype).",
	"code.country":               "Not an ISO 3166-1 alpha-2 country code.",
	"code.currency":              "Not an active ISO 4217 currency code.",

	// Goods lists.
	"goods.count": "A goods, lines or products list has fewer than 1 or more than 100 entries.",

	// CertificateOfOrigin.
	"coo.agreement":                    "agreement is not USMCA or CAFTA-DR.",
	"coo.certifier-role":               "certifier.role is not importer, exporter or producer.",
	"coo.origin-criterion":             "originCriterion is not A, B, C or D.",
	"coo.producer-notice":              "producerNotice is not VARIOUS or AVAILABLE_UPON_REQUEST.",
	"coo.producer":                     "Exactly one of producer and producerNotice is required.",
	"coo.origin-country":               "A good's country of origin is not a party to the agreement (USMCA: CA MX US; CAFTA-DR: US CR DO SV GT HN NI).",
	"coo.blanket-or-invoice":           "A certificate needs a blanketPeriod or an invoiceNumber.",
	"coo.blanket-period.order":         "The blanket period ends before it starts.",
	"coo.blanket-period.max-12-months": "The blanket period is longer than 12 months.",

	// CommercialInvoice.
	"invoice.incoterms": "incoterms is not an Incoterms 2020 rule.",
	"invoice.currency":  "An amount is not in the invoice currency.",
	"invoice.total":     "total is not the exact sum of line totals, freight and insurance.",

	// BillOfLading.
	"bol.kind":            "kind is not master or house.",
	"bol.freight-payment": "freightPayment is not prepaid or collect.",
	"bol.ports":           "The port of discharge is the port of loading.",

	// PostalItemEvent.
	"postal.item-id-scheme":  "itemIdScheme is not S10 or IMPB.",
	"postal.event-code-list": "eventCodeList is not UPU-EMSEVT or USPS.",
	"postal.event-code":      "eventCode is not in the named code list.",
	"postal.mail-class":      "mailClass is not a defined class.",

	// IPRRight and IPRLicense.
	"ipr.right-type":            "rightType is not a defined kind of right.",
	"ipr.permitted-act":         "A permitted act is not manufacture, import, export, distribute or sell.",
	"ipr-license.extends-right": "A licence must name the IPRRight record it extends (extends.rightId), and not itself.",

	// SensorReading.
	"sensor.type":           "sensorType is not a defined sensor kind.",
	"sensor.value-or-media": "A reading needs a value or a mediaDigest.",
	"sensor.value-unit":     "value and unitCode go together.",
	"sensor.media-type":     "mediaDigest needs mediaType.",

	// AssetEvent.
	"asset.event":      "event is not tagged, verified, moved or retired.",
	"asset.condition":  "condition is not a defined condition.",
	"asset.moved-from": "A moved event needs fromLocation; other events must not have one.",
}

// Rules lists every rule id this package can report, sorted by id.
func Rules() []RuleDoc {
	out := make([]RuleDoc, 0, len(ruleCatalog))
	for id, s := range ruleCatalog {
		out = append(out, RuleDoc{ID: id, Summary: s})
	}
	slices.SortFunc(out, func(a, b RuleDoc) int { return strings.Compare(a.ID, b.ID) })
	return out
}
