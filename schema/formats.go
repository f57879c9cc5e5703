package schema

import (
	"errors"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Check-digit formats that a regular expression cannot express. The v1
// schemas pair each with a pattern, so a validator that ignores unknown
// formats still checks the shape.
var customFormats = []*jsonschema.Format{
	{Name: "gln", Validate: stringFormat(ValidGLN, "not a valid GS1 GLN (13 digits with a mod-10 check digit)")},
	{Name: "gtin", Validate: stringFormat(ValidGTIN, "not a valid GS1 GTIN (8, 12, 13 or 14 digits with a mod-10 check digit)")},
	{Name: "upu-s10", Validate: stringFormat(ValidS10, "not a valid UPU S10 item id (AA + 8 digits + mod-11 check digit + ISO 3166 country)")},
	{Name: "impb", Validate: stringFormat(ValidIMpb, "not a valid USPS IMpb tracking number (20 to 34 digits with a mod-10 check digit)")},
	{Name: "unlocode", Validate: stringFormat(ValidUNLOCODE, "not a valid UN/LOCODE (ISO 3166-1 alpha-2 country + 3 characters A-Z, 2-9)")},
	{Name: "iso6346", Validate: stringFormat(ValidContainerNumber, "not a valid ISO 6346 container number (check digit mismatch)")},
}

func stringFormat(valid func(string) bool, msg string) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok || valid(s) {
			return nil
		}
		return errors.New(msg)
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// gs1CheckDigitOK checks the GS1 mod-10 check digit used by GTIN, GLN, SSCC
// and USPS IMpb: from the right, excluding the check digit, weights 3,1,3,...
func gs1CheckDigitOK(s string) bool {
	if !allDigits(s) || len(s) < 2 {
		return false
	}
	sum := 0
	for i, w := len(s)-2, 3; i >= 0; i, w = i-1, 4-w {
		sum += int(s[i]-'0') * w
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

// ValidGLN reports whether s is a GS1 Global Location Number.
func ValidGLN(s string) bool { return len(s) == 13 && gs1CheckDigitOK(s) }

// ValidGTIN reports whether s is a GS1 GTIN-8, -12, -13 or -14.
func ValidGTIN(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
		return gs1CheckDigitOK(s)
	}
	return false
}

// ValidIMpb reports whether s is a USPS Intelligent Mail package barcode
// tracking number (20 to 34 digits ending in a GS1 mod-10 check digit).
func ValidIMpb(s string) bool { return len(s) >= 20 && len(s) <= 34 && gs1CheckDigitOK(s) }

// S10CheckDigit computes the UPU S10 check digit of an 8-digit serial.
func S10CheckDigit(serial string) (int, error) {
	if len(serial) != 8 || !allDigits(serial) {
		return 0, fmt.Errorf("S10 serial must be 8 digits, got %q", serial)
	}
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i := range 8 {
		sum += int(serial[i]-'0') * weights[i]
	}
	c := 11 - sum%11
	switch c {
	case 10:
		c = 0
	case 11:
		c = 5
	}
	return c, nil
}

// ValidS10 reports whether s is a UPU S10 item identifier with a correct
// check digit and an ISO 3166-1 alpha-2 country suffix.
func ValidS10(s string) bool {
	if len(s) != 13 || !isUpper(s[0]) || !isUpper(s[1]) || !isUpper(s[11]) || !isUpper(s[12]) {
		return false
	}
	if !allDigits(s[2:11]) {
		return false
	}
	c, err := S10CheckDigit(s[2:10])
	if err != nil || c != int(s[10]-'0') {
		return false
	}
	return IsCountryCode(s[11:13])
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// ValidUNLOCODE reports whether s is a UN/LOCODE whose country part is an
// ISO 3166-1 alpha-2 code.
func ValidUNLOCODE(s string) bool {
	if len(s) != 5 || !IsCountryCode(s[:2]) {
		return false
	}
	for i := 2; i < 5; i++ {
		c := s[i]
		if !isUpper(c) && (c < '2' || c > '9') {
			return false
		}
	}
	return true
}

// ValidContainerNumber reports whether s is an ISO 6346 container number
// with a correct check digit.
func ValidContainerNumber(s string) bool {
	if len(s) != 11 {
		return false
	}
	sum := 0
	for i := range 10 {
		c := s[i]
		var v int
		switch {
		case i < 4 && isUpper(c):
			// Letter values run from A=10 and skip multiples of 11.
			v = int(c-'A') + 10
			v += (v - 1) / 10
		case i >= 4 && c >= '0' && c <= '9':
			v = int(c - '0')
		default:
			return false
		}
		sum += v << i
	}
	d := s[10]
	if d < '0' || d > '9' {
		return false
	}
	return sum%11%10 == int(d-'0')
}
