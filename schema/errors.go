package schema

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, so callers can branch with errors.Is.
var (
	// ErrInvalid means the input was well-formed JSON but breaks one or more
	// rules; the error is a *ValidationError listing every violation.
	ErrInvalid = errors.New("record is invalid")
	// ErrMalformed means the input is not acceptable JSON text: a syntax
	// error, invalid UTF-8, a duplicate key, excessive nesting or a number
	// that cannot be represented exactly. The error is a *ValidationError
	// with a single violation.
	ErrMalformed = errors.New("record is malformed")
	// ErrTooLarge means the input exceeds the registry's size limit; it was
	// refused before parsing.
	ErrTooLarge = errors.New("record is too large")
	// ErrUnknownType means the record's type is not registered.
	ErrUnknownType = errors.New("unknown record type")
)

// Violation is one broken rule.
type Violation struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value ("" is
	// the whole document).
	Pointer string `json:"pointer"`
	// Rule is the stable rule identifier (see docs/schema.md), e.g.
	// "format.gln" or "coo.blanket-period.max-12-months".
	Rule string `json:"rule"`
	// Message explains the violation to a person.
	Message string `json:"message"`
}

func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "/"
	}
	return fmt.Sprintf("%s: %s [%s]", p, v.Message, v.Rule)
}

// ValidationError reports every violation found in one input.
type ValidationError struct {
	// Kind is ErrInvalid, ErrMalformed, ErrTooLarge or ErrUnknownType.
	Kind       error
	Violations []Violation
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	switch len(e.Violations) {
	case 0:
	case 1:
		b.WriteString(": ")
		b.WriteString(e.Violations[0].String())
	default:
		fmt.Fprintf(&b, ": %d violations", len(e.Violations))
		for _, v := range e.Violations {
			b.WriteString("\n  ")
			b.WriteString(v.String())
		}
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalid) (or the other kinds) work.
func (e *ValidationError) Unwrap() error { return e.Kind }

func single(kind error, pointer, rule, format string, args ...any) *ValidationError {
	return &ValidationError{Kind: kind, Violations: []Violation{{Pointer: pointer, Rule: rule, Message: fmt.Sprintf(format, args...)}}}
}

// Pointer builds an RFC 6901 JSON pointer from reference tokens.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointerToken(t))
	}
	return b.String()
}

func escapePointerToken(t string) string {
	if !strings.ContainsAny(t, "~/") {
		return t
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(t)
}
