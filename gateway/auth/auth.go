// Package auth authenticates API callers (per-partner API keys, of which
// only SHA-256 hashes are stored, and optional mTLS client certificates)
// and holds the role rules.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Roles.
const (
	RolePartner = "partner" // writes as its own issuer; reads its own records and the public fields of others
	RoleOfficer = "officer" // reads everything; writes nothing
	RoleAdmin   = "admin"   // everything
)

// Principal is an authenticated caller.
type Principal struct {
	ID     string `json:"id"`
	Role   string `json:"role"`
	Issuer string `json:"issuer,omitempty"` // the issuer id a partner writes as
}

// Account configures one caller.
type Account struct {
	ID     string `yaml:"id" json:"id"`
	Role   string `yaml:"role" json:"role"`
	Issuer string `yaml:"issuer,omitempty" json:"issuer,omitempty"`
	// APIKeyHashes are "sha256:<hex>" of the account's API keys.
	APIKeyHashes []string `yaml:"apiKeyHashes,omitempty" json:"apiKeyHashes,omitempty"`
	// CertSubjects are client-certificate identities (a URI SAN such as
	// spiffe://..., a DNS SAN, or "CN=<common name>") that authenticate
	// as this account over mTLS.
	CertSubjects []string `yaml:"certSubjects,omitempty" json:"certSubjects,omitempty"`
}

// Errors.
var (
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrInvalid         = errors.New("invalid accounts")
)

// Authenticator maps credentials to principals.
type Authenticator struct {
	byKey  map[[32]byte]Principal
	byCert map[string]Principal
}

// New checks the accounts and builds an Authenticator.
func New(accounts []Account) (*Authenticator, error) {
	a := &Authenticator{byKey: map[[32]byte]Principal{}, byCert: map[string]Principal{}}
	seen := map[string]bool{}
	var errs []error
	for i, acc := range accounts {
		where := fmt.Sprintf("accounts[%d] (%s)", i, acc.ID)
		if acc.ID == "" {
			errs = append(errs, fmt.Errorf("%s: id is required", where))
		}
		if seen[acc.ID] {
			errs = append(errs, fmt.Errorf("%s: duplicate id", where))
		}
		seen[acc.ID] = true
		switch acc.Role {
		case RolePartner:
			if acc.Issuer == "" {
				errs = append(errs, fmt.Errorf("%s: a partner needs the issuer id it writes as", where))
			}
		case RoleOfficer, RoleAdmin:
		default:
			errs = append(errs, fmt.Errorf("%s: role %q: want partner, officer or admin", where, acc.Role))
		}
		p := Principal{ID: acc.ID, Role: acc.Role, Issuer: acc.Issuer}
		for j, h := range acc.APIKeyHashes {
			sum, err := parseHash(h)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s.apiKeyHashes[%d]: %w", where, j, err))
				continue
			}
			if _, dup := a.byKey[sum]; dup {
				errs = append(errs, fmt.Errorf("%s.apiKeyHashes[%d]: key already belongs to another account", where, j))
			}
			a.byKey[sum] = p
		}
		for _, s := range acc.CertSubjects {
			a.byCert[s] = p
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	return a, nil
}

func parseHash(h string) ([32]byte, error) {
	var sum [32]byte
	hexPart, ok := strings.CutPrefix(h, "sha256:")
	b, err := hex.DecodeString(hexPart)
	if !ok || err != nil || len(b) != 32 {
		return sum, fmt.Errorf("want sha256:<64 hex digits>")
	}
	copy(sum[:], b)
	return sum, nil
}

// NewKey returns a fresh API key and the hash to put in configuration.
func NewKey() (key, hash string) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	key = "lgk_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	return key, HashKey(key)
}

// HashKey is the stored form of an API key.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Authenticate identifies the caller of r: a verified client certificate
// first, then an API key (Authorization: Bearer <key>, or X-API-Key).
func (a *Authenticator) Authenticate(r *http.Request) (Principal, error) {
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
		if p, ok := a.fromCert(r.TLS.VerifiedChains[0][0]); ok {
			return p, nil
		}
	}
	key := r.Header.Get("X-API-Key")
	if auth := r.Header.Get("Authorization"); key == "" && auth != "" {
		scheme, rest, _ := strings.Cut(auth, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return Principal{}, fmt.Errorf("authorization scheme %q: want Bearer: %w", scheme, ErrUnauthenticated)
		}
		key = strings.TrimSpace(rest)
	}
	if key == "" {
		return Principal{}, fmt.Errorf("no API key (Authorization: Bearer <key>) or client certificate: %w", ErrUnauthenticated)
	}
	sum := sha256.Sum256([]byte(key))
	// Lookup by the key's hash: keys are never stored or compared, and a
	// caller cannot steer the hash to learn a stored one byte by byte.
	if p, ok := a.byKey[sum]; ok {
		return p, nil
	}
	return Principal{}, fmt.Errorf("unknown API key: %w", ErrUnauthenticated)
}

func (a *Authenticator) fromCert(c *x509.Certificate) (Principal, bool) {
	for _, u := range c.URIs {
		if p, ok := a.byCert[u.String()]; ok {
			return p, true
		}
	}
	for _, d := range c.DNSNames {
		if p, ok := a.byCert[d]; ok {
			return p, true
		}
	}
	p, ok := a.byCert["CN="+c.Subject.CommonName]
	return p, ok
}

// CanWrite reports whether p may submit a record issued by issuer.
func (p Principal) CanWrite(issuer string) bool {
	switch p.Role {
	case RoleAdmin:
		return true
	case RolePartner:
		return issuer == p.Issuer
	}
	return false
}

// CanReadAll reports whether p sees every field of a record submitted by
// partner; others see only its public fields.
func (p Principal) CanReadAll(partner string) bool {
	return p.Role == RoleAdmin || p.Role == RoleOfficer || (p.Role == RolePartner && p.ID == partner)
}
