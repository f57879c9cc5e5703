// Package config loads ledgergate's YAML configuration.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ledgergate/ledgergate/schema"
	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration file.
type Config struct {
	Schema Schema `yaml:"schema"`
}

// Schema configures the record-type registry.
type Schema struct {
	// MaxSize is the largest accepted record in bytes (default 1 MiB).
	MaxSize int `yaml:"maxSize"`
	// Types lists JSON Schema files of deployment-specific record types.
	// Relative paths are relative to the configuration file.
	Types []string `yaml:"types"`
}

// ErrInvalid wraps every configuration error.
var ErrInvalid = errors.New("invalid configuration")

// Load reads a YAML configuration file, rejecting unknown keys, then
// applies environment overrides (see ApplyEnv).
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrInvalid, err)
	}
	dir := filepath.Dir(path)
	for i, t := range c.Schema.Types {
		if !filepath.IsAbs(t) {
			c.Schema.Types[i] = filepath.Join(dir, t)
		}
	}
	if err := c.ApplyEnv(os.Getenv); err != nil {
		return nil, err
	}
	return &c, nil
}

// ApplyEnv overrides settings from environment variables:
// LEDGERGATE_SCHEMA_MAX_SIZE (bytes) and LEDGERGATE_SCHEMA_TYPES (a
// comma-separated list of schema files, appended to the configured ones).
func (c *Config) ApplyEnv(getenv func(string) string) error {
	if v := getenv("LEDGERGATE_SCHEMA_MAX_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("LEDGERGATE_SCHEMA_MAX_SIZE=%q: %w: want a positive number of bytes", v, ErrInvalid)
		}
		c.Schema.MaxSize = n
	}
	if v := getenv("LEDGERGATE_SCHEMA_TYPES"); v != "" {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				c.Schema.Types = append(c.Schema.Types, p)
			}
		}
	}
	return nil
}

// Registry builds the schema registry the configuration describes.
func (s Schema) Registry() (*schema.Registry, error) {
	var opts []schema.Option
	if s.MaxSize != 0 {
		if s.MaxSize < 0 {
			return nil, fmt.Errorf("schema.maxSize %d: %w: must be positive", s.MaxSize, ErrInvalid)
		}
		opts = append(opts, schema.WithMaxSize(s.MaxSize))
	}
	reg, err := schema.NewRegistry(opts...)
	if err != nil {
		return nil, err
	}
	for _, t := range s.Types {
		if _, err := reg.RegisterFile(t); err != nil {
			return nil, fmt.Errorf("schema.types: %w", err)
		}
	}
	return reg, nil
}
