package schema_test

import (
	"errors"
	"fmt"

	"github.com/ledgergate/ledgergate/schema"
)

func ExampleRegistry_Validate() {
	data, _ := schema.ExampleOf(schema.TypeCertificateOfOrigin, "minimal")
	rec, err := schema.Default().Validate(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rec.Type, rec.ID)
	fmt.Println(rec.Digest)
	// Output:
	// CertificateOfOrigin urn:uuid:3f0c6a1e-8b1d-4c53-9a7e-2d5b8f9c1a02
	// sha256:d589e72c25633fd807b4c9b182eb43a9008f417fe388eec872ae92f89f36376f
}

func ExampleValidationError() {
	_, err := schema.Default().Validate([]byte(`{
	  "id": "urn:uuid:3f0c6a1e-8b1d-4c53-9a7e-2d5b8f9c1a99", "type": "SensorReading", "schemaVersion": "1.0",
	  "issuer": {"id": "urn:gln:0614141000005", "role": "sensor-operator"},
	  "issuedAt": "2026-07-04T15:22:03Z", "validFrom": "2026-07-04T15:22:03Z",
	  "sensorId": "TMP-7", "sensorType": "thermometer", "observedAt": "2026-07-04T15:22:00",
	  "property": "ambientTemperature", "value": "-18.5"}`))
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		for _, v := range ve.Violations {
			fmt.Println(v.Pointer, v.Rule)
		}
	}
	fmt.Println(errors.Is(err, schema.ErrInvalid))
	// Output:
	// /observedAt format.date-time
	// /sensorType sensor.type
	// /unitCode sensor.value-unit
	// true
}

func ExampleCanonicalize() {
	out, _ := schema.Canonicalize([]byte(`{ "b": 1.50, "a": [true, "\u00e9"] }`))
	fmt.Println(string(out))
	fmt.Println(schema.DigestOf(out))
	// Output:
	// {"a":[true,"é"],"b":1.5}
	// sha256:eb11c7301c4476278512561c87fc3425f56246261f98c3e1127a27ba16a54c4a
}

func ExampleRegistry_Register() {
	reg, _ := schema.NewRegistry()
	info, err := reg.Register([]byte(`{
	  "properties": {
	    "type": {"const": "PortCall"},
	    "vessel": {"type": "string"},
	    "port": {"$ref": "https://schemas.ledgergate.org/v1/common.json#/$defs/unLocode"}
	  },
	  "required": ["vessel", "port"]
	}`))
	fmt.Println(info.Name, info.Version, err)
	_, err = reg.Validate([]byte(`{"id": "urn:uuid:5e1a0a4c-9f3b-4d2e-8c1a-7b6d5e4f3a22", "type": "PortCall",
	  "schemaVersion": "1.0", "issuer": {"id": "did:web:port.example", "role": "carrier"},
	  "issuedAt": "2026-01-01T00:00:00Z", "validFrom": "2026-01-01T00:00:00Z",
	  "vessel": "EVER GIVEN", "port": "NLRTM"}`))
	fmt.Println(err)
	// Output:
	// PortCall 1.0 <nil>
	// <nil>
}
