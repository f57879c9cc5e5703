package schema

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Cross-field rules: what JSON Schema cannot say. Each rule reads the
// generic tree defensively: a field that is missing or of the wrong type is
// the schema's to report, so the rule skips it, and every rule runs even when
// the schema found errors, so one pass reports everything.

type rule func(*ruleContext)

type ruleContext struct {
	doc        map[string]any
	violations []Violation
}

func (c *ruleContext) add(ptr, id, format string, args ...any) {
	c.violations = append(c.violations, Violation{Pointer: ptr, Rule: id, Message: fmt.Sprintf(format, args...)})
}

// get walks the tree along reference tokens.
func (c *ruleContext) get(tokens ...string) any {
	var v any = c.doc
	for _, t := range tokens {
		switch n := v.(type) {
		case map[string]any:
			v = n[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			v = n[i]
		default:
			return nil
		}
	}
	return v
}

func (c *ruleContext) str(tokens ...string) (string, bool) {
	s, ok := c.get(tokens...).(string)
	return s, ok
}

func (c *ruleContext) has(tokens ...string) bool { return c.get(tokens...) != nil }

func (c *ruleContext) items(tokens ...string) []any {
	a, _ := c.get(tokens...).([]any)
	return a
}

func parseDateTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	return t, err == nil
}

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func parseDecimal(s string) (*big.Rat, bool) {
	if !decimalShape(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

func decimalShape(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	return allDigits(intPart) && (!hasFrac || allDigits(frac))
}

// Agreements and the countries whose goods they cover.
var agreementParties = map[string][]string{
	"USMCA":    {"CA", "MX", "US"},
	"CAFTA-DR": {"US", "CR", "DO", "SV", "GT", "HN", "NI"},
}

// envelopeRules apply to every record type, built-in or custom.
func envelopeRules(c *ruleContext, typeMinor int, info TypeInfo) {
	if v, ok := c.str("schemaVersion"); ok {
		if minor, err := minorOf(v); err == nil && minor > typeMinor {
			c.add("/schemaVersion", "envelope.schema-version", "schema version %s is newer than this registry's %s schema %s", v, info.Name, info.Version)
		}
	}
	from, okFrom := c.str("validFrom")
	until, okUntil := c.str("validUntil")
	if okFrom && okUntil {
		f, ok1 := parseDateTime(from)
		u, ok2 := parseDateTime(until)
		if ok1 && ok2 && !u.After(f) {
			c.add("/validUntil", "envelope.validity-order", "validUntil (%s) must be after validFrom (%s)", until, from)
		}
	}
}

var builtinRules = map[string][]rule{
	"CertificateOfOrigin": {cooBlanketPeriod, cooOriginCountry, cooBlanketOrInvoice, cooProducer},
	"CommercialInvoice":   {invoiceCurrency, invoiceTotal},
	"BillOfLading":        {bolPorts},
	"IPRLicense":          {iprLicenseExtendsRight},
	"SensorReading":       {sensorValueOrMedia},
	"AssetEvent":          {assetMovedFrom},
}

func cooBlanketPeriod(c *ruleContext) {
	fromS, ok1 := c.str("blanketPeriod", "from")
	toS, ok2 := c.str("blanketPeriod", "to")
	if !ok1 || !ok2 {
		return
	}
	from, ok1 := parseDate(fromS)
	to, ok2 := parseDate(toS)
	if !ok1 || !ok2 {
		return
	}
	if to.Before(from) {
		c.add("/blanketPeriod/to", "coo.blanket-period.order", "blanket period ends (%s) before it starts (%s)", toS, fromS)
		return
	}
	if !to.Before(from.AddDate(0, 12, 0)) {
		c.add("/blanketPeriod/to", "coo.blanket-period.max-12-months", "blanket period %s to %s is longer than 12 months (it may end on %s at the latest)", fromS, toS, from.AddDate(0, 12, -1).Format(time.DateOnly))
	}
}

func cooOriginCountry(c *ruleContext) {
	agreement, _ := c.str("agreement")
	allowed, ok := agreementParties[agreement]
	if !ok {
		return
	}
	for i := range c.items("goods") {
		idx := strconv.Itoa(i)
		cc, ok := c.str("goods", idx, "countryOfOrigin")
		if !ok || !IsCountryCode(cc) {
			continue
		}
		if !contains(allowed, cc) {
			c.add("/goods/"+idx+"/countryOfOrigin", "coo.origin-country", "country of origin %s is not a party to %s (parties: %s)", cc, agreement, strings.Join(allowed, ", "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cooBlanketOrInvoice(c *ruleContext) {
	if !c.has("blanketPeriod") && !c.has("invoiceNumber") {
		c.add("", "coo.blanket-or-invoice", "a certificate needs either a blanketPeriod (several shipments) or an invoiceNumber (one shipment)")
	}
}

func cooProducer(c *ruleContext) {
	p, n := c.has("producer"), c.has("producerNotice")
	switch {
	case p && n:
		c.add("/producerNotice", "coo.producer", "give either producer or producerNotice, not both")
	case !p && !n:
		c.add("", "coo.producer", "the producer must be named (producer) or withheld with producerNotice VARIOUS or AVAILABLE_UPON_REQUEST")
	}
}

// invoiceCurrency: every amount on an invoice is in the invoice currency.
func invoiceCurrency(c *ruleContext) {
	cur, ok := c.str("currency")
	if !ok {
		return
	}
	check := func(tokens ...string) {
		if got, ok := c.str(append(tokens, "currency")...); ok && got != cur {
			c.add(Pointer(append(tokens, "currency")...), "invoice.currency", "amount is in %s but the invoice currency is %s", got, cur)
		}
	}
	for i := range c.items("lines") {
		idx := strconv.Itoa(i)
		check("lines", idx, "unitPrice")
		check("lines", idx, "lineTotal")
	}
	check("freight")
	check("insurance")
	check("total")
}

// invoiceTotal: total = sum of line totals + freight + insurance, exactly.
func invoiceTotal(c *ruleContext) {
	totalS, ok := c.str("total", "amount")
	if !ok {
		return
	}
	total, ok := parseDecimal(totalS)
	if !ok {
		return
	}
	sum := new(big.Rat)
	addAmount := func(tokens ...string) bool {
		v := c.get(append(tokens, "amount")...)
		if v == nil {
			return true
		}
		s, ok := v.(string)
		if !ok {
			return false
		}
		d, ok := parseDecimal(s)
		if ok {
			sum.Add(sum, d)
		}
		return ok
	}
	lines := c.items("lines")
	for i := range lines {
		if !c.has("lines", strconv.Itoa(i), "lineTotal") || !addAmount("lines", strconv.Itoa(i), "lineTotal") {
			return
		}
	}
	if !addAmount("freight") || !addAmount("insurance") {
		return
	}
	if len(lines) > 0 && sum.Cmp(total) != 0 {
		c.add("/total/amount", "invoice.total", "total %s does not equal the sum of line totals, freight and insurance (%s)", totalS, sum.FloatString(decimalPlaces(totalS)))
	}
}

func decimalPlaces(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

func bolPorts(c *ruleContext) {
	l, ok1 := c.str("portOfLoading")
	d, ok2 := c.str("portOfDischarge")
	if ok1 && ok2 && l == d {
		c.add("/portOfDischarge", "bol.ports", "port of discharge %s is the same as the port of loading", d)
	}
}

func iprLicenseExtendsRight(c *ruleContext) {
	rightID, ok := c.str("extends", "rightId")
	if !ok {
		ptr := "/extends/rightId"
		if !c.has("extends") {
			ptr = "/extends"
		}
		c.add(ptr, "ipr-license.extends-right", "a licence must name the IPRRight record it extends (extends.rightId)")
		return
	}
	if id, _ := c.str("id"); id == rightID {
		c.add("/extends/rightId", "ipr-license.extends-right", "a licence cannot extend itself; extends.rightId must be the IPRRight record's id")
	}
}

func sensorValueOrMedia(c *ruleContext) {
	hasValue, hasUnit := c.has("value"), c.has("unitCode")
	if !hasValue && !c.has("mediaDigest") {
		c.add("", "sensor.value-or-media", "a reading needs a measured value or the digest of captured media (mediaDigest)")
	}
	if hasValue != hasUnit {
		ptr := "/unitCode"
		if !hasValue {
			ptr = "/value"
		}
		c.add(ptr, "sensor.value-unit", "value and unitCode go together: give both or neither")
	}
	if c.has("mediaDigest") && !c.has("mediaType") {
		c.add("/mediaType", "sensor.media-type", "mediaDigest needs the mediaType of the captured media")
	}
}

func assetMovedFrom(c *ruleContext) {
	ev, _ := c.str("event")
	switch has := c.has("fromLocation"); {
	case ev == "moved" && !has:
		c.add("/fromLocation", "asset.moved-from", "a moved event must say where the asset came from (fromLocation)")
	case ev != "moved" && ev != "" && has:
		c.add("/fromLocation", "asset.moved-from", "fromLocation is only allowed on a moved event")
	}
}
