package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCreateDeploymentJob_startsEditing(t *testing.T) {
	e := newJobEnv(t)
	out := mustCall(t, e.s, testEpoch, "CreateDeploymentJob", e.params("ScheduleTime", msText(testEpoch.Add(time.Hour))))
	wantKinds(t, out, map[string]string{"JobId": "number"})
	job, ok := jobByID(e.s, out.int64(t, "JobId"))
	if !ok || job.Status != jobEditing || job.JobType != "user" || !job.ScheduleTime.Equal(testEpoch.Add(time.Hour)) ||
		!regexp.MustCompile(`^cas-job-user-[a-z0-9]{6}$`).MatchString(job.InstanceID) {
		t.Fatalf("stored job = %+v", job)
	}
	if len(job.Workers) != 2 || job.Workers[0].ResourceID != e.alb || job.Workers[1].ResourceID != e.cdn {
		t.Fatalf("workers = %+v", job.Workers)
	}
	for _, w := range job.Workers {
		if w.Status != jobEditing || w.CertID != e.cert {
			t.Errorf("worker = %+v", w)
		}
	}
	// Repeated ids count once.
	id := e.create(t, testEpoch, "CertIds", joinIDs(e.cert, e.cert), "ResourceIds", joinIDs(e.cdn, e.cdn))
	if job, _ := jobByID(e.s, id); len(job.CertIDs) != 1 || len(job.Workers) != 1 {
		t.Errorf("duplicates kept: %+v", job)
	}
}

func TestCreateDeploymentJob_refused(t *testing.T) {
	e := newJobEnv(t)
	s := e.s
	day := 24 * time.Hour
	expiring := uploadCert(t, s, testEpoch, "expiring", shopDomain, testEpoch.Add(10*day))
	chinese := uploadCert(t, s, testEpoch, "证书", shopDomain, testEpoch.Add(100*day))
	_, bought := issuedOrder(t, s, testEpoch, "geotrust-dv-1-starter", shopDomain)
	ownCSR := mustCall(t, s, testEpoch, "CreateCertificateWithCsrRequest", map[string]string{"ProductCode": "geotrust-dv-1-starter",
		"Csr": makeCSR(t, testRSAKey(t, 1), "csr.shop.example"), "Username": "Ops", "Phone": "13800000000", "Email": "ops@shop.example", "ValidateType": "DNS"}).int64(t, "OrderId")
	o, _ := orderByID(s, ownCSR)
	o.Status, o.ProcessAt = orderProcess, testEpoch
	if err := issueOrder(s, o, testEpoch); err != nil {
		t.Fatal(err)
	}
	tencent := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "TencentCDN", "domain": shopDomain})
	var contacts []int64
	for i := range 11 {
		contacts = append(contacts, newContact(t, s, testEpoch, "c", fmt.Sprintf("1370000%04d", i), ""))
	}
	tests := []struct {
		name   string
		kv     []string
		code   string
		inText string
	}{
		{"no Name", []string{"Name", ""}, "MissingName", ""},
		{"no JobType", []string{"JobType", ""}, "MissingJobType", ""},
		{"no CertIds", []string{"CertIds", ""}, "MissingCertIds", ""},
		{"no ResourceIds", []string{"ResourceIds", ""}, "MissingResourceIds", ""},
		{"no ContactIds", []string{"ContactIds", ""}, "MissingContactIds", ""},
		{"JobType trustee", []string{"JobType", "trustee"}, "InvalidParameter", "JobType"},
		{"blank Name", []string{"Name", "   "}, "InvalidParameter", "Name"},
		{"CertIds not ids", []string{"CertIds", "1;2"}, "InvalidParameter", "CertIds"},
		{"unknown certificate", []string{"CertIds", "424242"}, "InvalidParameter", "424242"},
		{"expiring certificate (R-60)", []string{"CertIds", idString(expiring)}, "InvalidParameter", "R-60"},
		{"Chinese name (R-61)", []string{"CertIds", idString(chinese)}, "InvalidParameter", "R-61"},
		{"uploaded and purchased (R-64)", []string{"CertIds", joinIDs(e.cert, bought)}, "InvalidParameter", "R-64"},
		{"own CSR, no key (R-23)", []string{"CertIds", idString(o.CertID)}, "InvalidParameter", "R-23"},
		{"unknown resource", []string{"ResourceIds", "424242"}, "InvalidParameter", "424242"},
		{"user job to Tencent", []string{"ResourceIds", idString(tencent)}, "InvalidParameter", "JobType"},
		{"cloud job to Alibaba Cloud", []string{"JobType", "cloud"}, "InvalidParameter", "JobType"},
		{"unknown contact", []string{"ContactIds", "424242"}, "InvalidParameter", "424242"},
		{"11 contacts (R-63)", []string{"ContactIds", joinIDs(contacts...)}, "InvalidParameter", "R-63"},
		{"ScheduleTime not a number", []string{"ScheduleTime", "tomorrow"}, "InvalidParameter", "ScheduleTime"},
		{"ScheduleTime negative", []string{"ScheduleTime", "-5"}, "InvalidParameter", "ScheduleTime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Jobs)
			_, apiErr := bizCall(t, s, testEpoch, "CreateDeploymentJob", e.params(tt.kv...))
			wantAPIError(t, apiErr, http.StatusBadRequest, tt.code, tt.inText)
			if len(s.Jobs) != before {
				t.Error("a refused create stored a job")
			}
		})
	}
	// Purchased certificates and a cloud job to a third-party cloud are fine.
	e.create(t, testEpoch, "CertIds", idString(bought))
	e.create(t, testEpoch, "JobType", "cloud", "ResourceIds", idString(tencent))
}

func TestUpdateDeploymentJob(t *testing.T) {
	e := newJobEnv(t)
	id := e.create(t, testEpoch, "ScheduleTime", msText(testEpoch.Add(time.Hour)))
	other := uploadCert(t, e.s, testEpoch, "shop-2", shopDomain, testEpoch.Add(300*24*time.Hour))
	later := testEpoch.Add(time.Minute)
	out := mustCall(t, e.s, later, "UpdateDeploymentJob", map[string]string{"JobId": idString(id), "Name": "renamed",
		"CertIds": idString(other), "ResourceIds": idString(e.cdn), "ScheduleTime": "0"})
	if len(out) != 0 {
		t.Errorf("answer = %v; want RequestId only", out)
	}
	job, _ := jobByID(e.s, id)
	if job.Name != "renamed" || !job.ScheduleTime.IsZero() || len(job.Workers) != 1 || job.Workers[0].CertID != other ||
		job.Workers[0].ResourceID != e.cdn || !job.ModifiedAt.Equal(later) || fmt.Sprint(job.ContactIDs) != fmt.Sprint([]int64{e.contact}) {
		t.Fatalf("updated job = %+v, worker %+v", job, job.Workers[0])
	}
	// A resource that stays keeps its worker.
	w := job.Workers[0].ID
	mustCall(t, e.s, later, "UpdateDeploymentJob", map[string]string{"JobId": idString(id), "ResourceIds": joinIDs(e.alb, e.cdn)})
	if job.Workers[1].ID != w || job.Workers[0].ID <= w {
		t.Errorf("workers after re-adding = %d, %d (was %d)", job.Workers[0].ID, job.Workers[1].ID, w)
	}

	for _, tt := range []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"no JobId", map[string]string{"Name": "x"}, 400, "MissingJobId"},
		{"unknown job", map[string]string{"JobId": "9"}, 404, "NotFoundJob"},
		{"empty Name", map[string]string{"JobId": idString(id), "Name": ""}, 400, "InvalidParameter"},
		{"empty ResourceIds", map[string]string{"JobId": idString(id), "ResourceIds": " "}, 400, "InvalidParameter"},
		{"unknown contact", map[string]string{"JobId": idString(id), "ContactIds": "77"}, 400, "InvalidParameter"},
	} {
		_, apiErr := bizCall(t, e.s, later, "UpdateDeploymentJob", tt.params)
		wantAPIError(t, apiErr, tt.status, tt.code, "")
	}
	e.setStatus(t, later, id, jobPending)
	_, apiErr := bizCall(t, e.s, later, "UpdateDeploymentJob", map[string]string{"JobId": idString(id), "Name": "x"})
	wantAPIError(t, apiErr, http.StatusForbidden, "JobStateError", "pending")
}

func TestUpdateDeploymentJobStatus_transitions(t *testing.T) {
	e := newJobEnv(t)
	far := msText(testEpoch.Add(24 * time.Hour))
	// to makes a job of the given status (a far ScheduleTime keeps pending jobs waiting).
	to := func(t *testing.T, status string) int64 {
		t.Helper()
		id := e.create(t, testEpoch, "ScheduleTime", far)
		job, _ := jobByID(e.s, id)
		job.Status = status
		return id
	}
	tests := []struct {
		from, to string
		code     string // "" = allowed
	}{
		{jobEditing, jobPending, ""},
		{jobEditing, jobScheduling, ""},
		{jobEditing, jobEditing, ""}, // a no-op
		{jobPending, jobScheduling, ""},
		{jobPending, jobEditing, ""},
		{jobPending, jobPending, ""},
		{jobScheduling, jobEditing, ""},
		{jobScheduling, jobPending, "JobStateError"},
		{jobProcessing, jobEditing, "JobStateError"},
		{jobSuccess, jobEditing, "JobStateError"},
		{jobSuccess, jobPending, "JobStateError"},
		{jobError, jobScheduling, "JobStateError"},
		{jobEditing, jobSuccess, "InvalidParameter"},
		{jobEditing, "running", "InvalidParameter"},
	}
	for _, tt := range tests {
		t.Run(tt.from+" to "+tt.to, func(t *testing.T) {
			id := to(t, tt.from)
			out, apiErr := bizCall(t, e.s, testEpoch, "UpdateDeploymentJobStatus", map[string]string{"JobId": idString(id), "Status": tt.to})
			job, _ := jobByID(e.s, id)
			if tt.code != "" {
				status := http.StatusForbidden
				if tt.code == "InvalidParameter" {
					status = http.StatusBadRequest
				}
				wantAPIError(t, apiErr, status, tt.code, "")
				if job.Status != tt.from {
					t.Errorf("a refusal changed the status to %s", job.Status)
				}
				return
			}
			if apiErr != nil {
				t.Fatal(apiErr)
			}
			// The documented sample body has Data "[]".
			if out["Data"] != "[]" || job.Status != tt.to || job.Workers[0].Status != tt.to && tt.from != tt.to {
				t.Errorf("answer %v, job %s, worker %s", out, job.Status, job.Workers[0].Status)
			}
		})
	}
	_, apiErr := bizCall(t, e.s, testEpoch, "UpdateDeploymentJobStatus", map[string]string{"JobId": idString(to(t, jobEditing))})
	wantAPIError(t, apiErr, http.StatusBadRequest, "MissingStatus", "Status is mandatory for this action.")
	_, apiErr = bizCall(t, e.s, testEpoch, "UpdateDeploymentJobStatus", map[string]string{"JobId": "5", "Status": "pending"})
	wantAPIError(t, apiErr, http.StatusNotFound, "NotFoundJob", "")

	// A job whose every worker was removed cannot run.
	id := e.create(t, testEpoch, "ResourceIds", idString(e.cdn))
	job, _ := jobByID(e.s, id)
	mustCall(t, e.s, testEpoch, "DeleteWorkerResource", map[string]string{"JobId": idString(id), "WorkerId": idString(job.Workers[0].ID)})
	_, apiErr = bizCall(t, e.s, testEpoch, "UpdateDeploymentJobStatus", map[string]string{"JobId": idString(id), "Status": "pending"})
	wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "no cloud resource")
}

func TestDeleteDeploymentJob(t *testing.T) {
	e := newJobEnv(t)
	for _, status := range []string{jobEditing, jobPending, jobSuccess, jobError} {
		id := e.create(t, testEpoch)
		job, _ := jobByID(e.s, id)
		job.Status = status
		out := mustCall(t, e.s, testEpoch, "DeleteDeploymentJob", map[string]string{"JobId": idString(id)})
		if len(out) != 0 {
			t.Errorf("answer = %v", out)
		}
		_, apiErr := bizCall(t, e.s, testEpoch, "DescribeDeploymentJob", map[string]string{"JobId": idString(id)})
		wantAPIError(t, apiErr, http.StatusNotFound, "NotFoundJob", "")
	}
	running := e.create(t, testEpoch)
	e.setStatus(t, testEpoch, running, jobScheduling)
	tickAll(e.s, testEpoch)
	_, apiErr := bizCall(t, e.s, testEpoch, "DeleteDeploymentJob", map[string]string{"JobId": idString(running)})
	wantAPIError(t, apiErr, http.StatusForbidden, "JobStateError", "processing")
	_, apiErr = bizCall(t, e.s, testEpoch, "DeleteDeploymentJob", map[string]string{"JobId": "77"})
	wantAPIError(t, apiErr, http.StatusNotFound, "NotFoundJob", "")
	_, apiErr = bizCall(t, e.s, testEpoch, "DeleteDeploymentJob", nil)
	wantAPIError(t, apiErr, http.StatusBadRequest, "MissingJobId", "")
}

func TestDescribeDeploymentJob_editing(t *testing.T) {
	e := newJobEnv(t)
	id := e.create(t, testEpoch)
	out := mustCall(t, e.s, testEpoch, "DescribeDeploymentJob", map[string]string{"JobId": idString(id)})
	wantKinds(t, out, map[string]string{"Id": "number", "Name": "string", "JobType": "string", "Status": "string",
		"CertType": "string", "CertDomain": "string", "ProductName": "string", "InstanceId": "string", "UserId": "number",
		"Del": "number", "Rollback": "number", "Config": "string", "CasContacts": "array", "GmtCreate": "string",
		"GmtModified": "string", "ScheduleTime": "absent", "StartTime": "absent", "EndTime": "absent"})
	if out["Status"] != "editing" || out["CertType"] != "upload" || out["CertDomain"] != shopDomain || out["ProductName"] != "ALB,CDN" ||
		fmt.Sprint(out["Del"], ",", out["Rollback"]) != "0,0" || out["GmtCreate"] != msText(testEpoch) ||
		out["Config"] != fmt.Sprintf(`{"shareCertIds":[],"certIds":[%d]}`, e.cert) {
		t.Errorf("answer = %v", out)
	}
	contacts := out.list(t, "CasContacts")
	wantKinds(t, contacts[0], map[string]string{"Id": "string", "Name": "string", "Email": "string", "Mobile": "string"})
	if contacts[0]["Id"] != idString(e.contact) || contacts[0]["Mobile"] != "138****0000" {
		t.Errorf("CasContacts = %v", contacts)
	}
	// A contact deleted since is no longer listed.
	mustCall(t, e.s, testEpoch, "DeleteContact", map[string]string{"ContactId": idString(e.contact)})
	out = mustCall(t, e.s, testEpoch, "DescribeDeploymentJob", map[string]string{"JobId": idString(id)})
	if len(out.list(t, "CasContacts")) != 0 {
		t.Errorf("CasContacts after delete = %v", out["CasContacts"])
	}
	// A queued job without ScheduleTime is scheduled when it was queued.
	e.setStatus(t, testEpoch.Add(time.Minute), id, jobPending)
	out = mustCall(t, e.s, testEpoch.Add(time.Minute), "DescribeDeploymentJob", map[string]string{"JobId": idString(id)})
	if out["ScheduleTime"] != msText(testEpoch.Add(time.Minute)) {
		t.Errorf("ScheduleTime = %v", out["ScheduleTime"])
	}
}

func TestListDeploymentJob_filtersAndPaging(t *testing.T) {
	e := newJobEnv(t)
	tencent := seedResource(t, e.s, testEpoch, map[string]any{"cloud_product": "TencentCDN", "domain": shopDomain})
	var ids []int64
	for i := range 4 {
		ids = append(ids, e.create(t, testEpoch, "Name", fmt.Sprintf("job-%d", i)))
	}
	cloud := e.create(t, testEpoch, "JobType", "cloud", "ResourceIds", idString(tencent))
	e.setStatus(t, testEpoch, ids[1], jobPending)
	tests := []struct {
		name   string
		params map[string]string
		want   []int64
		total  int64
	}{
		{"all, newest first", nil, []int64{cloud, ids[3], ids[2], ids[1], ids[0]}, 5},
		{"JobType cloud", map[string]string{"JobType": "cloud"}, []int64{cloud}, 1},
		{"Status editing", map[string]string{"Status": "editing", "JobType": "user"}, []int64{ids[3], ids[2], ids[0]}, 3},
		{"Status processing (the ticker started the pending one)", map[string]string{"Status": "processing"}, []int64{ids[1]}, 1},
		{"page 2 of 2", map[string]string{"ShowSize": "2", "CurrentPage": "2"}, []int64{ids[2], ids[1]}, 5},
	}
	tickAll(e.s, testEpoch)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustCall(t, e.s, testEpoch, "ListDeploymentJob", tt.params)
			var got []int64
			for _, it := range out.list(t, "Data") {
				got = append(got, wire(it).int64(t, "Id"))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || out.int64(t, "Total") != tt.total {
				t.Errorf("ids %v (Total %v); want %v (%d)", got, out["Total"], tt.want, tt.total)
			}
		})
	}
	out := mustCall(t, e.s, testEpoch, "ListDeploymentJob", nil)
	wantKinds(t, out, map[string]string{"Total": "number", "CurrentPage": "number", "ShowSize": "number", "Data": "array"})
	if out.int64(t, "ShowSize") != 50 {
		t.Errorf("default ShowSize %v; want 50", out["ShowSize"])
	}
	item := out.list(t, "Data")[0]
	wantKinds(t, item, map[string]string{"Id": "number", "Name": "string", "JobType": "string", "Status": "string", "CertType": "string",
		"CertDomain": "string", "ProductName": "string", "InstanceId": "string", "UserId": "number", "Del": "number",
		"Rollback": "number", "GmtCreate": "string", "GmtModified": "string", "Config": "absent", "CasContacts": "absent"})
	if !strings.HasPrefix(item["InstanceId"].(string), "cas-job-cloud-") || item["ProductName"] != "TencentCDN" {
		t.Errorf("cloud job item = %v", item)
	}
	for _, bad := range []map[string]string{{"JobType": "trustee"}, {"Status": "rollback"}, {"ShowSize": "0"}} {
		_, apiErr := bizCall(t, e.s, testEpoch, "ListDeploymentJob", bad)
		wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "")
	}
}
