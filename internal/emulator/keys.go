package emulator

import (
	"crypto/hmac"
	"strings"
	"time"
)

// What both signature styles share: the key pairs and STS sessions a signature may use, the
// clock-skew window and the nonce replay cache.

// skewWindow is how far a request's time stamp may be from the real clock, either way, and how
// long a nonce is remembered.
const skewWindow = 15 * time.Minute

// authIdentity is who signed a request.
type authIdentity struct {
	accessKeyID string
	accountID   string
	secret      string
	session     *stsSession // nil for a permanent key pair
}

// resolveKeyLocked finds the secret of an access key id, checking the security token of an STS
// session. A session's key id without its token is unknown, as on the service (session keys live
// in STS, not among the account's key pairs). The caller holds e.mu.
func (e *Emulator) resolveKeyLocked(accessKeyID, token string) (authIdentity, *APIError) {
	if c, ok := e.creds[accessKeyID]; ok {
		if token != "" {
			if _, known := e.sts.byToken[token]; known {
				return authIdentity{}, errTokenMismatch()
			}
			return authIdentity{}, errTokenMalformed()
		}
		return authIdentity{accessKeyID: c.AccessKeyID, accountID: c.AccountID, secret: c.AccessKeySecret}, nil
	}
	s, ok := e.sts.byKey[accessKeyID]
	if !ok || token == "" {
		return authIdentity{}, errAccessKeyNotFound()
	}
	owner, known := e.sts.byToken[token]
	switch {
	case !known:
		return authIdentity{}, errTokenMalformed()
	case owner != s:
		return authIdentity{}, errTokenMismatch()
	case !e.wallNow().Before(s.Expiration):
		return authIdentity{}, errTokenExpired()
	}
	return authIdentity{accessKeyID: s.AccessKeyID, accountID: s.AccountID, secret: s.AccessKeySecret, session: s}, nil
}

// parseRequestTime reads a time stamp in ISO 8601 UTC (2006-01-02T15:04:05Z, fractions allowed)
// and checks it against the real clock.
func (e *Emulator) parseRequestTime(name, value string) *APIError {
	if !strings.HasSuffix(value, "Z") {
		return errTimestampFormat(name)
	}
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return errTimestampFormat(name)
	}
	if d := e.wallNow().Sub(t); d > skewWindow || d < -skewWindow {
		return errTimestampExpired()
	}
	return nil
}

// nonceCache remembers the nonces of the last skewWindow, per access key.
type nonceCache struct {
	seen  map[string]time.Time
	order []nonceSeen // oldest first
}

type nonceSeen struct {
	key string
	at  time.Time
}

func newNonceCache() nonceCache { return nonceCache{seen: map[string]time.Time{}} }

// use records a nonce, reporting false when it was used within the window.
func (c *nonceCache) use(accessKeyID, nonce string, now time.Time) bool {
	for len(c.order) > 0 && now.Sub(c.order[0].at) > skewWindow {
		if at, ok := c.seen[c.order[0].key]; ok && at.Equal(c.order[0].at) {
			delete(c.seen, c.order[0].key)
		}
		c.order = c.order[1:]
	}
	key := accessKeyID + "\x00" + nonce
	if at, ok := c.seen[key]; ok && now.Sub(at) <= skewWindow {
		return false
	}
	c.seen[key] = now
	c.order = append(c.order, nonceSeen{key: key, at: now})
	return true
}

// equalSignature compares signatures in constant time.
func equalSignature(got, want string) bool {
	return hmac.Equal([]byte(got), []byte(want))
}
