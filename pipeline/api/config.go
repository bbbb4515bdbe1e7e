package api

import (
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"time"
)

// EnvKeys is the environment variable whose comma-separated API keys are
// added to Config.Keys.
const EnvKeys = "SCALORA_API_KEYS"

// Config bounds and secures the API.
type Config struct {
	// Keys are the accepted bearer API keys. Keys from the environment
	// variable SCALORA_API_KEYS (comma-separated) are added by SetDefaults
	// (once, however often it is called). In YAML, ${VAR} keeps a key out
	// of the file.
	// Empty is allowed only when Addr is a localhost address.
	Keys []string `yaml:"keys"`
	// MaxUploadBytes caps the body of POST /v1/analyze. Default 64 MiB.
	MaxUploadBytes int64 `yaml:"max_upload_bytes"`
	// MaxSamplesBytes caps the body of POST /v1/samples. Default 16 MiB.
	MaxSamplesBytes int64 `yaml:"max_samples_bytes"`
	// MaxConcurrentAnalyses is how many analyses run at once; more get 429.
	// Default 2.
	MaxConcurrentAnalyses int `yaml:"max_concurrent_analyses"`
	// RequestTimeout bounds the handling of one request (analyses
	// included). Default 2m.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// Addr is the listening address, used only to decide whether an API
	// without keys may run. Set by the process from http.addr, not read
	// from YAML.
	Addr string `yaml:"-"`
}

// SetDefaults fills zero fields with the defaults written in the field
// docs and adds the keys of SCALORA_API_KEYS.
func (c *Config) SetDefaults() {
	for _, k := range strings.Split(os.Getenv(EnvKeys), ",") {
		if k = strings.TrimSpace(k); k != "" && !slices.Contains(c.Keys, k) {
			c.Keys = append(c.Keys, k)
		}
	}
	if c.MaxUploadBytes == 0 {
		c.MaxUploadBytes = 64 << 20
	}
	if c.MaxSamplesBytes == 0 {
		c.MaxSamplesBytes = 16 << 20
	}
	if c.MaxConcurrentAnalyses == 0 {
		c.MaxConcurrentAnalyses = 2
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = 2 * time.Minute
	}
}

// Validate checks the limits and refuses an open API off localhost.
func (c Config) Validate() error {
	if c.MaxUploadBytes < 1 || c.MaxSamplesBytes < 1 || c.MaxConcurrentAnalyses < 1 || c.RequestTimeout <= 0 {
		return errors.New("api: max_upload_bytes, max_samples_bytes, max_concurrent_analyses and request_timeout must be positive")
	}
	for _, k := range c.Keys {
		if strings.TrimSpace(k) == "" {
			return errors.New("api: an API key is empty")
		}
	}
	if len(c.Keys) == 0 && !IsLocalhost(c.Addr) {
		return ErrOpenNonLocal
	}
	return nil
}

// IsLocalhost reports whether addr ("host:port") listens on loopback only.
// An empty host (":8080") listens everywhere, so it is not localhost.
func IsLocalhost(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
