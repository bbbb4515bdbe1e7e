package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// authenticator checks bearer keys. Keys are kept as SHA-256 digests so
// that every comparison has the same length and takes the same time
// whichever key, or how much of one, a caller guesses.
type authenticator struct {
	digests [][sha256.Size]byte
}

func newAuthenticator(keys []string) *authenticator {
	a := &authenticator{}
	for _, k := range keys {
		a.digests = append(a.digests, sha256.Sum256([]byte(k)))
	}
	return a
}

// open reports whether no key is configured (allowed on localhost only;
// Config.Validate enforces that).
func (a *authenticator) open() bool { return len(a.digests) == 0 }

// valid compares token against every key, without stopping at the first
// match, so the time taken does not say which key matched.
func (a *authenticator) valid(token string) bool {
	d := sha256.Sum256([]byte(token))
	ok := 0
	for i := range a.digests {
		ok |= subtle.ConstantTimeCompare(d[:], a.digests[i][:])
	}
	return ok == 1
}

// middleware answers 401 to a request without a valid bearer key. The key
// is never logged or echoed.
func (a *authenticator) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.open() {
			next.ServeHTTP(w, r)
			return
		}
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || !a.valid(strings.TrimSpace(token)) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="scalora"`)
			writeProblem(w, r, http.StatusUnauthorized, "unauthorized",
				"send an API key as \"Authorization: Bearer KEY\"")
			return
		}
		next.ServeHTTP(w, r)
	})
}
