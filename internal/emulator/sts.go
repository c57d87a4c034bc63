package emulator

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"
)

// STS, version 2015-04-01: AssumeRole and GetCallerIdentity, enough for credential chains that
// exchange a key pair (or another session: role chaining) for a role's session. Sessions expire
// in real time; a session signs CAS calls with its AccessKeyId and SecurityToken together.

const stsVersion = "2015-04-01"

// stsExpirationLayout is how STS and the metadata service write times.
const stsExpirationLayout = "2006-01-02T15:04:05Z"

func init() {
	registerAction(stsVersion, "AssumeRole", assumeRole)
	registerAction(stsVersion, "GetCallerIdentity", getCallerIdentity)
}

// stsSession is one issued session.
type stsSession struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	AccountID       string
	RoleArn         string
	RoleName        string
	SessionName     string
	ParentKeyID     string
	Expiration      time.Time // real time
}

// stsStore holds the issued sessions; the emulator's lock guards it. Reset keeps them.
type stsStore struct {
	byKey   map[string]*stsSession
	byToken map[string]*stsSession
}

func newSTSStore() stsStore {
	return stsStore{byKey: map[string]*stsSession{}, byToken: map[string]*stsSession{}}
}

// issue creates a session and forgets sessions expired more than a day ago.
func (s *stsStore) issue(accountID, parentKeyID, roleArn, roleName, sessionName string, d time.Duration, now time.Time) *stsSession {
	for key, old := range s.byKey {
		if now.Sub(old.Expiration) > 24*time.Hour {
			delete(s.byKey, key)
			delete(s.byToken, old.SecurityToken)
		}
	}
	sess := &stsSession{
		AccessKeyID:     "STS." + randomAlnum(24),
		AccessKeySecret: randomAlnum(44),
		SecurityToken:   "CAIS" + randomAlnum(300),
		AccountID:       accountID,
		RoleArn:         roleArn,
		RoleName:        roleName,
		SessionName:     sessionName,
		ParentKeyID:     parentKeyID,
		Expiration:      now.Add(d).UTC().Truncate(time.Second),
	}
	s.byKey[sess.AccessKeyID] = sess
	s.byToken[sess.SecurityToken] = sess
	return sess
}

// record is the session as the request log shows it.
func (s *stsSession) record() *SessionRecord {
	return &SessionRecord{
		AccessKeyID: s.AccessKeyID, AccessKeySecret: "***", SecurityToken: "***",
		Expiration: s.Expiration.Format(stsExpirationLayout), RoleArn: s.RoleArn,
	}
}

// roleID is a stable numeric id for a role, in the service's form.
func roleID(roleArn string) string {
	h := fnv.New64a()
	h.Write([]byte(roleArn))
	return fmt.Sprintf("3%018d", h.Sum64()%1_000_000_000_000_000_000)
}

// randomToken returns n random characters of [A-Za-z0-9].
func randomAlnum(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// callContext is what an action of the protocol layer's own (STS) needs beyond the Call: the
// emulator and who signed. It is found by the call's request id while the action runs.
type callContext struct {
	e      *Emulator
	id     authIdentity
	issued *stsSession
}

var inflightCalls sync.Map // request id → *callContext

func callContextOf(c *Call) *callContext {
	v, ok := inflightCalls.Load(c.RequestID)
	if !ok {
		return nil
	}
	return v.(*callContext)
}

var (
	roleArnPattern     = regexp.MustCompile(`^acs:ram::(\d+):role/([\w.@+=,-]{1,64})$`)
	sessionNamePattern = regexp.MustCompile(`^[\w.@-]{2,64}$`)
	externalIDPattern  = regexp.MustCompile(`^[\w=,.@:/-]+$`)
)

func assumeRole(c *Call) (any, *APIError) {
	cc := callContextOf(c)
	if cc == nil {
		return nil, errGatewayInternal()
	}
	arn, err := c.Required("RoleArn")
	if err != nil {
		return nil, err
	}
	m := roleArnPattern.FindStringSubmatch(arn)
	if m == nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.")
	}
	sessionName, err := c.Required("RoleSessionName")
	if err != nil {
		return nil, err
	}
	if !sessionNamePattern.MatchString(sessionName) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed.")
	}
	seconds, err := c.Int64("DurationSeconds", 3600)
	if err != nil {
		return nil, err
	}
	if seconds < 900 || seconds > 3600 {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/1hr.")
	}
	if c.Has("Policy") {
		var policy map[string]any
		if json.Unmarshal([]byte(c.String("Policy")), &policy) != nil {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check.")
		}
	}
	if x := c.String("ExternalId"); c.Has("ExternalId") && (len(x) < 2 || len(x) > 1224 || !externalIDPattern.MatchString(x)) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter.ExternalId", "The parameter ExternalId is wrongly formed.")
	}
	sess := cc.e.sts.issue(m[1], cc.id.accessKeyID, arn, m[2], sessionName, time.Duration(seconds)*time.Second, cc.e.wallNow())
	cc.issued = sess
	return map[string]any{
		"AssumedRoleUser": map[string]any{
			"Arn":           fmt.Sprintf("acs:ram::%s:role/%s/%s", m[1], m[2], sessionName),
			"AssumedRoleId": roleID(arn) + ":" + sessionName,
		},
		"Credentials": map[string]any{
			"AccessKeyId":     sess.AccessKeyID,
			"AccessKeySecret": sess.AccessKeySecret,
			"SecurityToken":   sess.SecurityToken,
			"Expiration":      sess.Expiration.Format(stsExpirationLayout),
		},
	}, nil
}

func getCallerIdentity(c *Call) (any, *APIError) {
	cc := callContextOf(c)
	if cc == nil {
		return nil, errGatewayInternal()
	}
	if s := cc.id.session; s != nil {
		principal := roleID(s.RoleArn) + ":" + s.SessionName
		return map[string]any{
			"AccountId":    s.AccountID,
			"Arn":          fmt.Sprintf("acs:ram::%s:assumed-role/%s/%s", s.AccountID, s.RoleName, s.SessionName),
			"IdentityType": "AssumedRoleUser",
			"PrincipalId":  principal,
			"UserId":       principal,
			"RoleId":       roleID(s.RoleArn),
		}, nil
	}
	return map[string]any{
		"AccountId":    cc.id.accountID,
		"Arn":          "acs:ram::" + cc.id.accountID + ":root",
		"IdentityType": "Account",
		"PrincipalId":  cc.id.accountID,
		"UserId":       cc.id.accountID,
	}, nil
}

// Session is an STS session the emulator issued, secrets included: for in-process tests that
// check a secret never leaks (the request log and the control API mask them).
type Session struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	AccountID       string
	RoleArn         string
	SessionName     string
	// ParentKeyID is the key that assumed the role ("" for the instance metadata role).
	ParentKeyID string
	Expiration  time.Time
}

// Sessions lists the STS sessions issued so far (AssumeRole and the instance metadata role),
// oldest expiry first.
func (e *Emulator) Sessions() []Session {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Session, 0, len(e.sts.byKey))
	for _, s := range e.sts.byKey {
		out = append(out, Session{
			AccessKeyID: s.AccessKeyID, AccessKeySecret: s.AccessKeySecret, SecurityToken: s.SecurityToken,
			AccountID: s.AccountID, RoleArn: s.RoleArn, SessionName: s.SessionName, ParentKeyID: s.ParentKeyID,
			Expiration: s.Expiration,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Expiration.Equal(out[j].Expiration) {
			return out[i].Expiration.Before(out[j].Expiration)
		}
		return out[i].AccessKeyID < out[j].AccessKeyID
	})
	return out
}
