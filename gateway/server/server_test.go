package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

type certKey struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
	kpem []byte
}

func issue(t *testing.T, tmpl *x509.Certificate, parent *certKey) *certKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, parentCert := key, tmpl
	if parent != nil {
		signer, parentCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kder, _ := x509.MarshalECPrivateKey(key)
	return &certKey{cert: cert, key: key,
		pem:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		kpem: pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})}
}

func ca(t *testing.T, name string) *certKey {
	return issue(t, &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}, nil)
}

func leaf(t *testing.T, parent *certKey, cn string, usage x509.ExtKeyUsage, ips ...net.IP) *certKey {
	return issue(t, &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn}, IPAddresses: ips,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{usage}}, parent)
}

func write(t *testing.T, dir, name string, b []byte) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestMutualTLS serves HTTPS with client certificates: a certificate an
// account lists authenticates as that account; API keys still work; a
// certificate from another CA is refused in the handshake; no credential
// is 401. SIGTERM-style cancellation then shuts down cleanly.
func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	root := ca(t, "ledgergate test CA")
	srv := leaf(t, root, "gateway", x509.ExtKeyUsageServerAuth, net.ParseIP("127.0.0.1"))
	partner := leaf(t, root, "partner-gw", x509.ExtKeyUsageClientAuth)
	rogue := leaf(t, ca(t, "rogue CA"), "partner-gw", x509.ExtKeyUsageClientAuth)
	officerKey, officerHash := auth.NewKey()

	cfg := &config.Config{
		Listen: freeAddr(t),
		TLS: config.TLS{Cert: write(t, dir, "srv.pem", srv.pem), Key: write(t, dir, "srv.key", srv.kpem),
			ClientCA: write(t, dir, "ca.pem", root.pem)},
		Store: config.Store{Driver: "sqlite", DSN: filepath.Join(dir, "lg.db")},
		Accounts: []auth.Account{
			{ID: "partner", Role: auth.RolePartner, Issuer: "did:web:partner.example", CertSubjects: []string{"CN=partner-gw"}},
			{ID: "officer", Role: auth.RoleOfficer, APIKeyHashes: []string{officerHash}},
		},
	}
	g, err := server.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	<-g.Started()

	pool := x509.NewCertPool()
	pool.AddCert(root.cert)
	client := func(c *certKey) *http.Client {
		tc := &tls.Config{RootCAs: pool}
		if c != nil {
			pair, err := tls.X509KeyPair(c.pem, c.kpem)
			if err != nil {
				t.Fatal(err)
			}
			// Present the certificate whatever CAs the server asks for.
			tc.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &pair, nil }
		}
		return &http.Client{Transport: &http.Transport{TLSClientConfig: tc}, Timeout: 10 * time.Second}
	}
	get := func(c *http.Client, key string) (int, error) {
		req, _ := http.NewRequest("GET", "https://"+g.Addr()+"/v1/records", nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		res, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		return res.StatusCode, nil
	}
	if code, err := get(client(partner), ""); err != nil || code != 200 {
		t.Fatalf("client certificate: %d, %v", code, err)
	}
	if code, err := get(client(nil), officerKey); err != nil || code != 200 {
		t.Fatalf("API key over TLS: %d, %v", code, err)
	}
	if code, err := get(client(nil), ""); err != nil || code != 401 {
		t.Fatalf("no credential: %d, %v", code, err)
	}
	if code, err := get(client(rogue), ""); err == nil {
		t.Fatalf("a certificate from another CA was accepted: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]*config.Config{
		"route to unknown ledger": {Store: config.Store{DSN: filepath.Join(dir, "a.db")},
			Ledgers: []config.Ledger{{Name: "m", Kind: "memory"}},
		},
		"bad account": {Store: config.Store{DSN: filepath.Join(dir, "b.db")}, Accounts: []auth.Account{{ID: "x", Role: "king"}}},
		"factom without key": {Store: config.Store{DSN: filepath.Join(dir, "c.db")},
			Ledgers: []config.Ledger{{Name: "f", Kind: "factom", URL: "http://127.0.0.1:1"}}},
	}
	cases["route to unknown ledger"].Routes = append(cases["route to unknown ledger"].Routes, routeTo("nowhere"))
	for name, cfg := range cases {
		if _, err := server.New(context.Background(), cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

// TestCodesToIndexMetric: a gateway on PostgreSQL, which indexes codes
// after the accept, reports the versions not indexed yet on /metrics; one
// on SQLite, which indexes them in the accept, has no such gauge.
func TestCodesToIndexMetric(t *testing.T) {
	for driver, dsn := range map[string]string{"postgres": testenv.PostgresSchema(t), "sqlite": filepath.Join(t.TempDir(), "lg.db")} {
		t.Run(driver, func(t *testing.T) {
			cfg := &config.Config{Listen: freeAddr(t), Store: config.Store{Driver: driver, DSN: dsn}, Log: config.Log{Level: "error"}}
			g := runGateway(t, cfg)
			res, err := http.Get("http://" + g.Addr() + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if has := strings.Contains(string(b), "\nledgergate_store_codes_to_index 0\n"); has != (driver == "postgres") {
				t.Fatalf("%s: ledgergate_store_codes_to_index 0 on /metrics: %v", driver, has)
			}
		})
	}
}
