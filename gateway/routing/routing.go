// Package routing decides, from configuration, which ledgers receive a
// record and how much of it each one sees.
package routing

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
)

// Route sends records of some types from some partners to ledgers.
type Route struct {
	Name string `yaml:"name" json:"name"`
	// Types and Partners select records; empty matches all.
	Types    []string `yaml:"types,omitempty" json:"types,omitempty"`
	Partners []string `yaml:"partners,omitempty" json:"partners,omitempty"`
	Targets  []Target `yaml:"ledgers" json:"ledgers"`
}

// Target is one ledger of a route with its disclosure policy.
type Target struct {
	Ledger       string              `yaml:"ledger" json:"ledger"`
	Disclosure   adapters.Disclosure `yaml:"disclosure" json:"disclosure"`
	PublicFields []string            `yaml:"publicFields,omitempty" json:"publicFields,omitempty"`
}

// ErrInvalid wraps configuration errors.
var ErrInvalid = errors.New("invalid routes")

// Router evaluates routes.
type Router struct {
	routes []Route
}

// New checks the routes against the known ledgers and returns a router.
// A ledger that several matching routes name gets the most restrictive
// disclosure among them (digest < redacted < full), so adding a route can
// never widen what a ledger sees by accident.
func New(routes []Route, ledgers []string) (*Router, error) {
	var errs []error
	for i, r := range routes {
		where := fmt.Sprintf("routes[%d] (%s)", i, r.Name)
		if len(r.Targets) == 0 {
			errs = append(errs, fmt.Errorf("%s: no ledgers", where))
		}
		for j, t := range r.Targets {
			if !slices.Contains(ledgers, t.Ledger) {
				errs = append(errs, fmt.Errorf("%s.ledgers[%d]: unknown ledger %q (configured: %v)", where, j, t.Ledger, ledgers))
			}
			switch t.Disclosure {
			case adapters.DisclosureFull, adapters.DisclosureDigest:
				if len(t.PublicFields) > 0 {
					errs = append(errs, fmt.Errorf("%s.ledgers[%d]: publicFields only apply to redacted disclosure", where, j))
				}
			case adapters.DisclosureRedacted:
			default:
				errs = append(errs, fmt.Errorf("%s.ledgers[%d]: disclosure %q: want full, redacted or digest", where, j, t.Disclosure))
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	return &Router{routes: routes}, nil
}

var rank = map[adapters.Disclosure]int{adapters.DisclosureDigest: 0, adapters.DisclosureRedacted: 1, adapters.DisclosureFull: 2}

// Deliveries returns the deliveries a record of type from partner gets,
// ordered by ledger name.
func (r *Router) Deliveries(partner, recordType string) []store.NewDelivery {
	byLedger := map[string]adapters.Policy{}
	for _, rt := range r.routes {
		if (len(rt.Types) > 0 && !slices.Contains(rt.Types, recordType)) || (len(rt.Partners) > 0 && !slices.Contains(rt.Partners, partner)) {
			continue
		}
		for _, t := range rt.Targets {
			p := adapters.Policy{Disclosure: t.Disclosure, PublicFields: t.PublicFields}
			prev, seen := byLedger[t.Ledger]
			switch {
			case !seen, rank[p.Disclosure] < rank[prev.Disclosure]:
				byLedger[t.Ledger] = p
			case p.Disclosure == adapters.DisclosureRedacted && prev.Disclosure == adapters.DisclosureRedacted:
				// Keep only fields both routes make public.
				var both []string
				for _, f := range prev.PublicFields {
					if slices.Contains(p.PublicFields, f) {
						both = append(both, f)
					}
				}
				byLedger[t.Ledger] = adapters.Policy{Disclosure: adapters.DisclosureRedacted, PublicFields: both}
			}
		}
	}
	out := make([]store.NewDelivery, 0, len(byLedger))
	for l, p := range byLedger {
		out = append(out, store.NewDelivery{Ledger: l, Policy: p})
	}
	slices.SortFunc(out, func(a, b store.NewDelivery) int {
		if a.Ledger < b.Ledger {
			return -1
		}
		if a.Ledger > b.Ledger {
			return 1
		}
		return 0
	})
	return out
}
