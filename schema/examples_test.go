package schema_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

// goTypes maps each built-in type to a fresh value of its Go struct.
var goTypes = map[string]func() any{
	schema.TypeCertificateOfOrigin: func() any { return new(schema.CertificateOfOrigin) },
	schema.TypeCommercialInvoice:   func() any { return new(schema.CommercialInvoice) },
	schema.TypeBillOfLading:        func() any { return new(schema.BillOfLading) },
	schema.TypePostalItemEvent:     func() any { return new(schema.PostalItemEvent) },
	schema.TypeIPRRight:            func() any { return new(schema.IPRRight) },
	schema.TypeIPRLicense:          func() any { return new(schema.IPRLicense) },
	schema.TypeSensorReading:       func() any { return new(schema.SensorReading) },
	schema.TypeAssetEvent:          func() any { return new(schema.AssetEvent) },
}

func TestExamplesValidate(t *testing.T) {
	reg := schema.Default()
	seen := map[string]map[string]bool{}
	for _, ex := range schema.Examples() {
		t.Run(ex.File, func(t *testing.T) {
			rec, err := reg.Validate(ex.Data)
			if err != nil {
				t.Fatalf("shipped example is invalid: %v", err)
			}
			if rec.Type != ex.Type {
				t.Fatalf("type %q, file says %q", rec.Type, ex.Type)
			}
			if seen[ex.Type] == nil {
				seen[ex.Type] = map[string]bool{}
			}
			seen[ex.Type][ex.Variant] = true
		})
	}
	for _, ti := range reg.Types() {
		if !seen[ti.Name]["complete"] || !seen[ti.Name]["minimal"] {
			t.Errorf("type %s lacks a complete or minimal example: %v", ti.Name, seen[ti.Name])
		}
	}
}

// TestGoTypesMirrorSchemas decodes every example into its Go type with
// unknown fields disallowed, re-encodes it and checks the digest is the
// same: the Go types hold every field the schema allows, with the same
// names and shapes.
func TestGoTypesMirrorSchemas(t *testing.T) {
	reg := schema.Default()
	for _, ex := range schema.Examples() {
		t.Run(ex.File, func(t *testing.T) {
			rec, err := reg.Validate(ex.Data)
			if err != nil {
				t.Fatal(err)
			}
			v := goTypes[ex.Type]()
			dec := json.NewDecoder(bytes.NewReader(ex.Data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v); err != nil {
				t.Fatalf("decode into %T: %v", v, err)
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			rec2, err := reg.Validate(out)
			if err != nil {
				t.Fatalf("re-encoded %T is invalid: %v\n%s", v, err, out)
			}
			if rec2.Digest != rec.Digest {
				t.Fatalf("digest changed through %T:\n in: %s\nout: %s", v, rec.Canonical, rec2.Canonical)
			}
			if ex.Variant == "complete" {
				set := map[string]bool{}
				all := map[string]bool{}
				fieldCoverage(reflect.ValueOf(v).Elem(), set, all)
				for f := range all {
					if !set[f] && !exclusiveFields[f] {
						t.Errorf("complete example never fills %s", f)
					}
				}
			}
		})
	}
}

// exclusiveFields are optional fields a complete example cannot fill
// because a rule forbids them next to another field it fills; the minimal
// examples cover them.
var exclusiveFields = map[string]bool{
	"CertificateOfOrigin.ProducerNotice": true, // exclusive with Producer
}

// fieldCoverage records, for every struct field reachable from v
// ("Type.Field"), whether some instance of it is non-zero.
func fieldCoverage(v reflect.Value, set, all map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fieldCoverage(v.Elem(), set, all)
		}
	case reflect.Slice:
		for i := range v.Len() {
			fieldCoverage(v.Index(i), set, all)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			fv := v.Field(i)
			if !f.Anonymous {
				key := v.Type().Name() + "." + f.Name
				all[key] = true
				if !fv.IsZero() || fv.Kind() == reflect.Float64 {
					set[key] = true
				}
			}
			fieldCoverage(fv, set, all)
		}
	}
}
