package emulator

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Test support for deployment jobs, cloud resources and contacts.

// tickAll runs every registered ticker at now, as the server does before each call.
func tickAll(s *State, now time.Time) {
	for _, tick := range tickers {
		tick(s, now)
	}
}

// seedResource adds a cloud resource through the control route's function; fields overrides
// the defaults (CloudResource's JSON names).
func seedResource(t *testing.T, s *State, now time.Time, fields map[string]any) int64 {
	t.Helper()
	body, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	out, apiErr := controlAddCloudResource(s, now, nil, body)
	if apiErr != nil {
		t.Fatalf("adding a cloud resource %v: %v", fields, apiErr)
	}
	return out.(*CloudResource).ID
}

// newContact creates a contact and returns its id.
func newContact(t *testing.T, s *State, now time.Time, name, mobile, email string) int64 {
	t.Helper()
	params := map[string]string{"Name": name, "Mobile": mobile}
	if email != "" {
		params["Email"] = email
	}
	return mustCall(t, s, now, "CreateContact", params).int64(t, "ContactId")
}

// jobEnv is an account with an uploaded certificate for www.shop.example, a contact, and two
// Alibaba Cloud resources serving that name: an ALB listener and a CDN domain.
type jobEnv struct {
	s        *State
	cert     int64
	contact  int64
	alb, cdn int64
}

const shopDomain = "www.shop.example"

func newJobEnv(t *testing.T) *jobEnv {
	t.Helper()
	s := newState()
	e := &jobEnv{s: s}
	e.cert = uploadCert(t, s, testEpoch, "shop", shopDomain, testEpoch.Add(200*24*time.Hour))
	e.contact = newContact(t, s, testEpoch, "Ops", "13800000000", "ops@shop.example")
	e.alb = seedResource(t, s, testEpoch, map[string]any{"cloud_product": "ALB", "domain": shopDomain})
	e.cdn = seedResource(t, s, testEpoch, map[string]any{"cloud_product": "CDN", "domain": shopDomain})
	return e
}

// params are CreateDeploymentJob's parameters for a user job of the env's certificate, contact
// and resources, with kv overriding them ("" deletes one).
func (e *jobEnv) params(kv ...string) map[string]string {
	p := map[string]string{"Name": "deploy-shop", "JobType": "user", "CertIds": idString(e.cert),
		"ResourceIds": joinIDs(e.alb, e.cdn), "ContactIds": idString(e.contact)}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(p, kv[i])
		} else {
			p[kv[i]] = kv[i+1]
		}
	}
	return p
}

// create makes a job at now and returns its id.
func (e *jobEnv) create(t *testing.T, now time.Time, kv ...string) int64 {
	t.Helper()
	return mustCall(t, e.s, now, "CreateDeploymentJob", e.params(kv...)).int64(t, "JobId")
}

// setStatus calls UpdateDeploymentJobStatus.
func (e *jobEnv) setStatus(t *testing.T, now time.Time, job int64, status string) {
	t.Helper()
	mustCall(t, e.s, now, "UpdateDeploymentJobStatus", map[string]string{"JobId": idString(job), "Status": status})
}

// status is the job's Status as DescribeDeploymentJob answers it after the tickers ran at now.
func (e *jobEnv) status(t *testing.T, now time.Time, job int64) string {
	t.Helper()
	tickAll(e.s, now)
	return mustCall(t, e.s, now, "DescribeDeploymentJob", map[string]string{"JobId": idString(job)})["Status"].(string)
}

// workers is ListWorkerResource's Data for the job, by resource id.
func (e *jobEnv) workers(t *testing.T, now time.Time, job int64) map[int64]wire {
	t.Helper()
	tickAll(e.s, now)
	out := mustCall(t, e.s, now, "ListWorkerResource", map[string]string{"JobId": idString(job)})
	byRes := map[int64]wire{}
	for _, it := range out.list(t, "Data") {
		byRes[wire(it).int64(t, "ResourceId")] = wire(it)
	}
	return byRes
}

func joinIDs(ids ...int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func msText(t time.Time) string { return strconv.FormatInt(Millis(t), 10) }

// paramsWith copies base and sets the pairs kv ("" sets an empty value).
func paramsWith(base map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(base)+len(kv)/2)
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}
