package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// Chaincode events.
const (
	// EventCertified carries the stored certificate (JSON).
	EventCertified = "OriginCertified"
	// EventCancelled carries "CANCELADO|<certNo>|<motivo>": plain text,
	// the notification format of the exporter's older systems.
	EventCancelled = "OriginCancelled"
)

// Certificate states.
const (
	Vigente   = "VIGENTE"
	Cancelado = "CANCELADO"
)

const keyCert = "originreg.cert" // [certNo] -> Certificate

// Certificate is the exporter's own certificate of origin.
type Certificate struct {
	CertNo      string      `json:"certNo"`
	Tratado     string      `json:"tratado"` // "T-MEC", ...
	ExporterRFC string      `json:"exporterRfc"`
	Exportador  string      `json:"exportador"` // razón social
	Firmante    Firmante    `json:"firmante"`
	Goods       []Mercancia `json:"goods"`
	Periodo     *Periodo    `json:"periodo,omitempty"`
	Factura     string      `json:"factura,omitempty"`
	FirmadoEn   string      `json:"firmadoEn"` // RFC 3339
	// Set by the chaincode.
	Estado string `json:"estado"`
	Motivo string `json:"motivo,omitempty"`
}

// Firmante signs the certificate.
type Firmante struct {
	Nombre string `json:"nombre"`
	Cargo  string `json:"cargo,omitempty"`
}

// Mercancia is one line of goods: the tariff fraction as the exporter
// writes it (with or without dots), a description, the origin criterion
// and the country of origin.
type Mercancia struct {
	Fraccion    string `json:"fraccion"`
	Descripcion string `json:"descripcion"`
	Criterio    string `json:"criterio"`
	Pais        string `json:"pais"`
}

// Periodo is the blanket period (dates, YYYY-MM-DD).
type Periodo struct {
	Desde string `json:"desde"`
	Hasta string `json:"hasta"`
}

// OriginRegistry is the originreg contract.
type OriginRegistry struct {
	contractapi.Contract
	owner string // MSP id allowed to certify and cancel
}

// Certify registers a certificate (its JSON) and emits OriginCertified
// with the stored certificate. It returns the stored certificate.
func (c *OriginRegistry) Certify(ctx contractapi.TransactionContextInterface, certJSON string) (string, error) {
	if err := c.authorize(ctx); err != nil {
		return "", err
	}
	cert, err := parseCertificate([]byte(certJSON))
	if err != nil {
		return "", err
	}
	stub := ctx.GetStub()
	key, err := stub.CreateCompositeKey(keyCert, []string{cert.CertNo})
	if err != nil {
		return "", err
	}
	if old, err := stub.GetState(key); err != nil {
		return "", err
	} else if old != nil {
		return "", fmt.Errorf("el certificado %s ya existe", cert.CertNo)
	}
	cert.Estado = Vigente
	b, err := json.Marshal(cert)
	if err != nil {
		return "", err
	}
	if err := stub.PutState(key, b); err != nil {
		return "", err
	}
	if err := stub.SetEvent(EventCertified, b); err != nil {
		return "", err
	}
	return string(b), nil
}

// Cancel cancels a valid certificate and emits OriginCancelled (text).
func (c *OriginRegistry) Cancel(ctx contractapi.TransactionContextInterface, certNo, motivo string) error {
	if err := c.authorize(ctx); err != nil {
		return err
	}
	if strings.TrimSpace(motivo) == "" || strings.Contains(motivo, "|") {
		return errors.New("motivo: requerido, sin '|'")
	}
	stub := ctx.GetStub()
	key, err := stub.CreateCompositeKey(keyCert, []string{certNo})
	if err != nil {
		return err
	}
	b, err := stub.GetState(key)
	if err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("el certificado %s no existe", certNo)
	}
	var cert Certificate
	if err := json.Unmarshal(b, &cert); err != nil {
		return fmt.Errorf("certificado %s: %w", certNo, err)
	}
	if cert.Estado != Vigente {
		return fmt.Errorf("el certificado %s está %s", certNo, cert.Estado)
	}
	cert.Estado, cert.Motivo = Cancelado, motivo
	if b, err = json.Marshal(&cert); err != nil {
		return err
	}
	if err := stub.PutState(key, b); err != nil {
		return err
	}
	return stub.SetEvent(EventCancelled, cancelNotice(certNo, motivo))
}

// Get returns a certificate (JSON), or "" when there is none.
func (c *OriginRegistry) Get(ctx contractapi.TransactionContextInterface, certNo string) (string, error) {
	key, err := ctx.GetStub().CreateCompositeKey(keyCert, []string{certNo})
	if err != nil {
		return "", err
	}
	b, err := ctx.GetStub().GetState(key)
	return string(b), err
}

func (c *OriginRegistry) authorize(ctx contractapi.TransactionContextInterface) error {
	msp, err := ctx.GetClientIdentity().GetMSPID()
	if err != nil {
		return err
	}
	if msp != c.owner {
		return fmt.Errorf("access denied: only %s clients certify and cancel (client of %s)", c.owner, msp)
	}
	return nil
}

func cancelNotice(certNo, motivo string) []byte {
	return []byte(Cancelado + "|" + certNo + "|" + motivo)
}

var (
	certNoRE = regexp.MustCompile(`^[A-Z0-9-]{4,40}$`)
	rfcRE    = regexp.MustCompile(`^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$`)
	paisRE   = regexp.MustCompile(`^[A-Z]{2}$`)
	dateRE   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// parseCertificate decodes and checks a certificate as the exporter
// defines it (its own rules, not ledgergate's schema).
func parseCertificate(b []byte) (*Certificate, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c Certificate
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("certificado: %w", err)
	}
	if dec.More() {
		return nil, errors.New("certificado: datos después del objeto")
	}
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(certNoRE.MatchString(c.CertNo), "certNo %q: 4 a 40 caracteres A-Z, 0-9, -", c.CertNo)
	check(c.Tratado != "", "tratado: requerido")
	check(rfcRE.MatchString(c.ExporterRFC), "exporterRfc %q: no es un RFC", c.ExporterRFC)
	check(strings.TrimSpace(c.Exportador) != "", "exportador: requerido")
	check(strings.TrimSpace(c.Firmante.Nombre) != "", "firmante.nombre: requerido")
	check(len(c.Goods) >= 1 && len(c.Goods) <= 100, "goods: de 1 a 100 mercancías")
	for i, g := range c.Goods {
		check(g.Fraccion != "" && g.Descripcion != "" && g.Criterio != "", "goods[%d]: fraccion, descripcion y criterio requeridos", i)
		check(paisRE.MatchString(g.Pais), "goods[%d].pais %q: código de país de dos letras", i, g.Pais)
	}
	if p := c.Periodo; p != nil {
		check(dateRE.MatchString(p.Desde) && dateRE.MatchString(p.Hasta) && p.Desde <= p.Hasta, "periodo: desde <= hasta, AAAA-MM-DD")
	}
	_, err := time.Parse(time.RFC3339, c.FirmadoEn)
	check(err == nil, "firmadoEn %q: fecha y hora RFC 3339", c.FirmadoEn)
	check(c.Estado == "" && c.Motivo == "", "estado y motivo los asigna el registro")
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &c, nil
}
