package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The ECS instance metadata service, as far as a credential chain uses it: an IMDSv2 token
// (PUT /latest/api/token), the list of RAM roles attached to the instance and one role's current
// STS session. The session is a real STS session of this emulator, so it signs CAS calls.

const (
	imdsTokenPath = "/latest/api/token"
	imdsRolesPath = "/latest/meta-data/ram/security-credentials/"
	imdsTokenTTL  = "X-aliyun-ecs-metadata-token-ttl-seconds"
	imdsToken     = "X-aliyun-ecs-metadata-token"
)

// isMetadataPath reports whether a path belongs to the metadata service.
func isMetadataPath(path string) bool {
	return path == imdsTokenPath || strings.HasPrefix(path, imdsRolesPath) || path == strings.TrimSuffix(imdsRolesPath, "/")
}

func (e *Emulator) serveMetadata(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == imdsTokenPath {
		e.serveMetadataToken(w, r)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if token := r.Header.Get(imdsToken); token != "" {
		if exp, ok := e.imdsTokens[token]; !ok || !e.wallNow().Before(exp) {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
	}
	role := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(imdsRolesPath, "/")), "/")
	if role == "" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(e.ecsRole))
		return
	}
	if role != e.ecsRole {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	now := e.wallNow()
	arn := "acs:ram::" + e.homeAccount + ":role/" + strings.ToLower(e.ecsRole)
	var sess *stsSession
	for _, s := range e.sts.byKey {
		if s.RoleArn == arn && s.ParentKeyID == "" && s.Expiration.Sub(now) > 15*time.Minute {
			sess = s
			break
		}
	}
	if sess == nil {
		sess = e.sts.issue(e.homeAccount, "", arn, strings.ToLower(e.ecsRole), "ecs-instance", 6*time.Hour, now)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{
		"AccessKeyId":     sess.AccessKeyID,
		"AccessKeySecret": sess.AccessKeySecret,
		"SecurityToken":   sess.SecurityToken,
		"Expiration":      sess.Expiration.Format(stsExpirationLayout),
		"Code":            "Success",
		"LastUpdated":     now.UTC().Format(stsExpirationLayout),
	})
}

// serveMetadataToken issues an IMDSv2 token for the requested TTL (1 to 21600 seconds).
func (e *Emulator) serveMetadataToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut && r.Method != http.MethodGet {
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	ttl := 21600
	if v := r.Header.Get(imdsTokenTTL); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 21600 {
			http.Error(w, "Bad Request", http.StatusBadRequest)
			return
		}
		ttl = n
	}
	token := randomAlnum(56)
	e.mu.Lock()
	now := e.wallNow()
	for t, exp := range e.imdsTokens {
		if !now.Before(exp) {
			delete(e.imdsTokens, t)
		}
	}
	e.imdsTokens[token] = now.Add(time.Duration(ttl) * time.Second)
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(token))
}
