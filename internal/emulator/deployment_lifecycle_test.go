package emulator

import (
	"fmt"
	"testing"
	"time"
)

// resourceCert is the CertId ListCloudResources answers for a resource ("" when none).
func resourceCert(t *testing.T, s *State, now time.Time, id int64) string {
	t.Helper()
	for _, it := range mustCall(t, s, now, "ListCloudResources", nil).list(t, "Data") {
		if wire(it).int64(t, "Id") == id {
			if it["CertId"] == nil {
				return ""
			}
			return fmt.Sprint(it["CertId"])
		}
	}
	t.Fatalf("resource %d is not listed", id)
	return ""
}

func TestDeploymentJob_scheduledLifecycle(t *testing.T) {
	e := newJobEnv(t)
	old := uploadCert(t, e.s, testEpoch, "old", shopDomain, testEpoch.Add(100*24*time.Hour))
	e.s.CloudResources[idString(e.alb)].CertID = old
	at := testEpoch.Add(2 * time.Hour)
	id := e.create(t, testEpoch, "ScheduleTime", msText(at))

	steps := []struct {
		name    string
		now     time.Time
		queue   bool // UpdateDeploymentJobStatus(pending) at now, before the checks
		job     string
		workers string // the ALB's and the CDN's worker
		albCert string // the ALB's CertId in ListCloudResources
	}{
		{"created", testEpoch, false, jobEditing, "editing editing", idString(old)},
		{"an editing job does not run", testEpoch.Add(time.Hour), false, jobEditing, "editing editing", idString(old)},
		{"pending waits for ScheduleTime", testEpoch.Add(time.Hour), true, jobPending, "pending pending", idString(old)},
		{"still pending a second before", at.Add(-time.Second), false, jobPending, "pending pending", idString(old)},
		{"processing at ScheduleTime", at, false, jobProcessing, "processing processing", idString(old)},
		{"success once the workers ran", at.Add(workerRunTime), false, jobSuccess, "success success", idString(e.cert)},
	}
	for _, st := range steps {
		if st.queue {
			e.setStatus(t, st.now, id, jobPending)
		}
		if got := e.status(t, st.now, id); got != st.job {
			t.Fatalf("%s: job %s; want %s", st.name, got, st.job)
		}
		ws := e.workers(t, st.now, id)
		if got := ws[e.alb]["Status"].(string) + " " + ws[e.cdn]["Status"].(string); got != st.workers {
			t.Errorf("%s: workers %s; want %s", st.name, got, st.workers)
		}
		if got := resourceCert(t, e.s, st.now, e.alb); got != st.albCert {
			t.Errorf("%s: the ALB's CertId %s; want %s", st.name, got, st.albCert)
		}
	}
	end := at.Add(workerRunTime)
	out := mustCall(t, e.s, end.Add(time.Hour), "DescribeDeploymentJob", map[string]string{"JobId": idString(id)})
	if out["ScheduleTime"] != msText(at) || out["StartTime"] != msText(at) || out["EndTime"] != msText(end) || out["GmtModified"] != msText(end) {
		t.Errorf("times = %v %v %v %v", out["ScheduleTime"], out["StartTime"], out["EndTime"], out["GmtModified"])
	}
	// The worker remembers what the resource had before; the resource shows the new certificate.
	ws := e.workers(t, end, id)
	if fmt.Sprint(ws[e.alb]["ResourceCertId"]) != idString(old) || ws[e.cdn]["ResourceCertId"] != nil {
		t.Errorf("ResourceCertId = %v, %v", ws[e.alb]["ResourceCertId"], ws[e.cdn]["ResourceCertId"])
	}
	r, _ := resourceByID(e.s, e.alb)
	if !r.ModifiedAt.Equal(end) {
		t.Errorf("resource modified at %s; want %s", r.ModifiedAt, end)
	}
}

func TestDeploymentJob_runsAtOnce(t *testing.T) {
	for _, tt := range []struct {
		name     string
		schedule time.Time
		status   string
	}{
		{"pending without ScheduleTime", time.Time{}, jobPending},
		{"pending with a past ScheduleTime", testEpoch.Add(-time.Hour), jobPending},
		{"scheduling ignores a future ScheduleTime", testEpoch.Add(24 * time.Hour), jobScheduling},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newJobEnv(t)
			kv := []string{}
			if !tt.schedule.IsZero() {
				kv = []string{"ScheduleTime", msText(tt.schedule)}
			}
			id := e.create(t, testEpoch, kv...)
			queued := testEpoch.Add(time.Minute)
			e.setStatus(t, queued, id, tt.status)
			if got := e.status(t, queued, id); got != jobProcessing {
				t.Fatalf("job %s right after it was queued; want processing", got)
			}
			if got := e.status(t, queued.Add(workerRunTime), id); got != jobSuccess {
				t.Fatalf("job %s; want success", got)
			}
			if job, _ := jobByID(e.s, id); !job.StartTime.Equal(queued) {
				t.Errorf("started at %s; want %s", job.StartTime, queued)
			}
		})
	}
}

// A late tick dates every step from when it was due: one tick a day later sees the whole run.
func TestDeploymentJob_lateTick(t *testing.T) {
	e := newJobEnv(t)
	at := testEpoch.Add(time.Hour)
	id := e.create(t, testEpoch, "ScheduleTime", msText(at))
	e.setStatus(t, testEpoch, id, jobPending)
	if got := e.status(t, testEpoch.Add(24*time.Hour), id); got != jobSuccess {
		t.Fatalf("job %s", got)
	}
	job, _ := jobByID(e.s, id)
	if !job.StartTime.Equal(at) || !job.EndTime.Equal(at.Add(workerRunTime)) {
		t.Errorf("start %s end %s", job.StartTime, job.EndTime)
	}
}

func TestDeploymentJob_failures(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name     string
		prepare  func(t *testing.T, e *jobEnv) // after create, before the run
		code     string                        // the ALB worker's error code
		cdnFails bool                          // the CDN worker fails too (the certificate's fault)
	}{
		{"fail_next injected", func(t *testing.T, e *jobEnv) {
			_, apiErr := controlFailNext(e.s, testEpoch, []string{idString(e.alb)}, []byte(`{"code": "ListenerNotFound", "message": "the listener is gone"}`))
			if apiErr != nil {
				t.Fatal(apiErr)
			}
		}, "ListenerNotFound", false},
		{"fail_next with defaults", func(t *testing.T, e *jobEnv) {
			if _, apiErr := controlFailNext(e.s, testEpoch, []string{idString(e.alb)}, nil); apiErr != nil {
				t.Fatal(apiErr)
			}
		}, defaultFailCode, false},
		{"resource deleted", func(t *testing.T, e *jobEnv) { delete(e.s.CloudResources, idString(e.alb)) }, "ResourceNotFound", false},
		{"domain changed, no certificate covers it (R-62)", func(t *testing.T, e *jobEnv) {
			e.s.CloudResources[idString(e.alb)].Domain = "api.other.example"
		}, "CertificateNotMatch", false},
		{"no HTTPS on an ALB (R-65)", func(t *testing.T, e *jobEnv) { e.s.CloudResources[idString(e.alb)].EnableHTTPS = false }, "HttpsNotEnabled", false},
		{"certificate deleted", func(t *testing.T, e *jobEnv) { delete(e.s.Certificates, idString(e.cert)) }, "CertificateNotFound", true},
		{"certificate expiring by run time (R-60)", func(t *testing.T, e *jobEnv) {
			e.s.Certificates[idString(e.cert)].NotAfter = testEpoch.Add(20 * day)
		}, "CertificateStatusError", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newJobEnv(t)
			id := e.create(t, testEpoch)
			tt.prepare(t, e)
			e.setStatus(t, testEpoch, id, jobScheduling)
			end := testEpoch.Add(workerRunTime)
			if got := e.status(t, end, id); got != jobError {
				t.Fatalf("job %s; want error", got)
			}
			job, _ := jobByID(e.s, id)
			alb, cdn := job.Workers[0], job.Workers[1]
			if alb.Status != jobError || alb.ErrorCode != tt.code || alb.ErrorMessage == "" {
				t.Errorf("ALB worker = %+v", alb)
			}
			if r, ok := resourceByID(e.s, e.alb); ok && (r.CertID != 0 || r.FailNext != nil) {
				t.Errorf("failed resource = %+v", r)
			}
			wantCDN, wantCert := jobSuccess, idString(e.cert)
			if tt.cdnFails {
				wantCDN, wantCert = jobError, ""
			}
			if cdn.Status != wantCDN || resourceCert(t, e.s, end, e.cdn) != wantCert {
				t.Errorf("CDN worker = %+v", cdn)
			}
			// The failed worker's status is in the API; its error only in the state.
			if w := e.workers(t, end, id)[e.alb]; w["Status"] != jobError || w["ErrorCode"] != nil {
				t.Errorf("ListWorkerResource item = %v", w)
			}
		})
	}
}

// fail_next is used once: the next job to the same resource succeeds.
func TestDeploymentJob_failNextOnce(t *testing.T) {
	e := newJobEnv(t)
	e.s.CloudResources[idString(e.cdn)].FailNext = &DeployFailure{Code: "X", Message: "y"}
	first := e.create(t, testEpoch, "ResourceIds", idString(e.cdn))
	e.setStatus(t, testEpoch, first, jobScheduling)
	second := e.create(t, testEpoch, "ResourceIds", idString(e.cdn))
	later := testEpoch.Add(time.Minute)
	e.setStatus(t, later, second, jobScheduling)
	if a, b := e.status(t, later.Add(workerRunTime), first), e.status(t, later.Add(workerRunTime), second); a != jobError || b != jobSuccess {
		t.Errorf("first %s, second %s", a, b)
	}
}

// Once a job is over, ListDeploymentJobResource leaves out resources changed since (documented).
func TestListDeploymentJobResource_afterChange(t *testing.T) {
	e := newJobEnv(t)
	id := e.create(t, testEpoch)
	list := func(now time.Time) []int64 {
		var ids []int64
		for _, it := range mustCall(t, e.s, now, "ListDeploymentJobResource", map[string]string{"JobId": idString(id)}).list(t, "Data") {
			ids = append(ids, wire(it).int64(t, "Id"))
		}
		return ids
	}
	if got := list(testEpoch); fmt.Sprint(got) != fmt.Sprint([]int64{e.alb, e.cdn}) {
		t.Fatalf("while editing: %v", got)
	}
	e.setStatus(t, testEpoch, id, jobScheduling)
	end := testEpoch.Add(workerRunTime)
	tickAll(e.s, end)
	if got := list(end); len(got) != 2 {
		t.Fatalf("after the run: %v", got)
	}
	// Another job redeploys the CDN.
	next := e.create(t, end, "ResourceIds", idString(e.cdn))
	e.setStatus(t, end.Add(time.Minute), next, jobScheduling)
	tickAll(e.s, end.Add(time.Hour))
	if got := list(end.Add(time.Hour)); fmt.Sprint(got) != fmt.Sprint([]int64{e.alb}) {
		t.Errorf("after another job changed the CDN: %v", got)
	}
}
