package fabric

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// MaxMessageSize is the gRPC message limit Dial sets (Fabric's own
// default): blocks read back for receipts can exceed gRPC's 4 MiB.
const MaxMessageSize = 100 << 20

// Config is what Dial needs to reach a peer's Gateway service as one
// client identity.
type Config struct {
	// Endpoint is the peer's host:port.
	Endpoint string
	// TLSCACert is the PEM file of the CA that issued the peer's TLS
	// certificate. ServerName overrides the name checked against it
	// (default: the endpoint's host).
	TLSCACert  string
	ServerName string
	// TLSClientCert and TLSClientKey (PEM files) are sent when the peer
	// requires mutual TLS.
	TLSClientCert, TLSClientKey string
	// MSPID, CertPath (PEM X.509) and KeyPath (PEM PKCS#8 or SEC 1 private
	// key) are the client identity that signs proposals and transactions.
	MSPID, CertPath, KeyPath string
}

// Dial connects to a peer's Gateway service over TLS and returns an
// adapter that owns the connection (Close closes it).
func Dial(ctx context.Context, cfg Config, opts ...Option) (*Adapter, error) {
	id, sign, err := LoadIdentity(cfg.MSPID, cfg.CertPath, cfg.KeyPath)
	if err != nil {
		return nil, err
	}
	conn, err := DialPeer(cfg)
	if err != nil {
		return nil, err
	}
	a, err := New(conn, id, sign, opts...)
	if err != nil {
		conn.Close()
		return nil, err
	}
	a.closeFn = conn.Close
	return a, nil
}

// Connect dials cfg.Endpoint (DialPeer) and connects to the peer's
// Gateway service as cfg's client identity (LoadIdentity), for code that
// uses fabric-gateway directly rather than through an Adapter, such as
// gateway/watch following a partner's own chaincode. opts add to the
// identity, signer and connection (timeouts, for instance). closeFn closes
// the gateway and then the connection.
func Connect(cfg Config, opts ...client.ConnectOption) (gw *client.Gateway, closeFn func() error, err error) {
	id, sign, err := LoadIdentity(cfg.MSPID, cfg.CertPath, cfg.KeyPath)
	if err != nil {
		return nil, nil, err
	}
	conn, err := DialPeer(cfg)
	if err != nil {
		return nil, nil, err
	}
	gw, err = connect(conn, id, sign, opts...)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return gw, func() error {
		err := gw.Close()
		if cerr := conn.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

// connect opens a fabric-gateway Gateway over conn, signing as id.
func connect(conn grpc.ClientConnInterface, id identity.Identity, sign identity.Sign, opts ...client.ConnectOption) (*client.Gateway, error) {
	opts = append([]client.ConnectOption{client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn)}, opts...)
	gw, err := client.Connect(id, opts...)
	if err != nil {
		return nil, fmt.Errorf("fabric: gateway: %w", err)
	}
	return gw, nil
}

// DialPeer opens a TLS gRPC client connection to cfg.Endpoint. The
// connection is lazy: nothing is dialled until the first call.
func DialPeer(cfg Config) (*grpc.ClientConn, error) {
	pem, err := os.ReadFile(cfg.TLSCACert)
	if err != nil {
		return nil, fmt.Errorf("fabric: TLS CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("fabric: TLS CA %s: no PEM certificate", cfg.TLSCACert)
	}
	tc := &tls.Config{RootCAs: pool, ServerName: cfg.ServerName, MinVersion: tls.VersionTLS12}
	if cfg.TLSClientCert != "" || cfg.TLSClientKey != "" {
		kp, err := tls.LoadX509KeyPair(cfg.TLSClientCert, cfg.TLSClientKey)
		if err != nil {
			return nil, fmt.Errorf("fabric: TLS client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{kp}
	}
	conn, err := grpc.NewClient(cfg.Endpoint,
		grpc.WithTransportCredentials(credentials.NewTLS(tc)),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageSize), grpc.MaxCallSendMsgSize(MaxMessageSize)))
	if err != nil {
		return nil, fmt.Errorf("fabric: dial %s: %w", cfg.Endpoint, err)
	}
	return conn, nil
}

// LoadIdentity reads a client identity: its X.509 certificate and private
// key (PEM files), for the MSP mspID.
func LoadIdentity(mspID, certPath, keyPath string) (*identity.X509Identity, identity.Sign, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, fmt.Errorf("fabric: identity certificate: %w", err)
	}
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("fabric: identity certificate %s: %w", certPath, err)
	}
	id, err := identity.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, nil, fmt.Errorf("fabric: identity: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, fmt.Errorf("fabric: identity key: %w", err)
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("fabric: identity key %s: %w", keyPath, err)
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, fmt.Errorf("fabric: signer: %w", err)
	}
	return id, sign, nil
}
