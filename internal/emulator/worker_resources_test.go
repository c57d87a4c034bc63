package emulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestListWorkerResource_items(t *testing.T) {
	e := newJobEnv(t)
	e.s.CloudResources[idString(e.alb)].CertID = e.cert
	sae := seedResource(t, e.s, testEpoch, map[string]any{"cloud_product": "SAE", "domain": shopDomain, "namespace_id": "cn-hangzhou:shop"})
	nomatch := seedResource(t, e.s, testEpoch, map[string]any{"cloud_product": "CDN", "domain": "img.other.example"})
	id := e.create(t, testEpoch, "ResourceIds", joinIDs(e.alb, e.cdn, sae, nomatch))

	out := mustCall(t, e.s, testEpoch, "ListWorkerResource", map[string]string{"JobId": idString(id)})
	wantKinds(t, out, map[string]string{"Total": "number", "CurrentPage": "number", "ShowSize": "number", "Data": "array"})
	if out.int64(t, "Total") != 4 || out.int64(t, "ShowSize") != 50 {
		t.Fatalf("answer = %v", out)
	}
	items := out.list(t, "Data")
	common := map[string]string{"Id": "number", "JobId": "number", "UserId": "number", "Status": "string", "ResourceId": "number",
		"CloudProduct": "string", "CloudRegion": "string", "RegionId": "string", "GmtCreate": "string", "GmtModified": "string",
		"ResourceDomain": "string", "CloudName": "absent", "OrderId": "absent", "ErrorCode": "absent", "ErrorMessage": "absent"}
	matched := map[string]string{"CertId": "number", "CertName": "string", "CertInstanceId": "string", "CertDomain": "string"}
	for i, it := range items {
		wantKinds(t, it, common)
		if i < 3 {
			wantKinds(t, it, matched)
		}
	}
	alb, cdn, saeW, none := items[0], items[1], items[2], items[3]
	wantKinds(t, alb, map[string]string{"InstanceId": "string", "ListenerId": "string", "Port": "number", "DefaultResource": "bool",
		"ResourceCertId": "number", "NamespaceId": "absent"})
	wantKinds(t, cdn, map[string]string{"InstanceId": "absent", "ListenerId": "absent", "Port": "absent", "DefaultResource": "absent",
		"ResourceCertId": "absent"})
	wantKinds(t, saeW, map[string]string{"NamespaceId": "string"})
	// No certificate of the job covers img.other.example: the worker has none.
	wantKinds(t, none, map[string]string{"CertId": "absent", "CertName": "absent", "CertDomain": "absent"})
	if fmt.Sprint(alb["Port"]) != "443" || alb["DefaultResource"] != false || fmt.Sprint(alb["ResourceCertId"]) != idString(e.cert) ||
		alb["CertDomain"] != shopDomain || alb["Status"] != jobEditing || fmt.Sprint(alb["JobId"]) != idString(id) {
		t.Errorf("ALB worker = %v", alb)
	}
	if saeW["NamespaceId"] != "cn-hangzhou:shop" {
		t.Errorf("SAE worker = %v", saeW)
	}
	out = mustCall(t, e.s, testEpoch, "DescribeDeploymentJobStatus", map[string]string{"JobId": idString(id)})
	if fmt.Sprint(out["WorkerCount"], ",", out["MatchWorkerCount"]) != "4,3" {
		t.Errorf("counts = %v", out)
	}

	// A third-party worker names its cloud.
	tencent := seedResource(t, e.s, testEpoch, map[string]any{"cloud_product": "TencentCLB", "domain": shopDomain})
	cloudJob := e.create(t, testEpoch, "JobType", "cloud", "ResourceIds", idString(tencent))
	it := mustCall(t, e.s, testEpoch, "ListWorkerResource", map[string]string{"JobId": idString(cloudJob)}).list(t, "Data")[0]
	if it["CloudName"] != "Tencent" {
		t.Errorf("Tencent worker = %v", it)
	}
}

func TestListWorkerResource_filtersAndRefusals(t *testing.T) {
	e := newJobEnv(t)
	id := e.create(t, testEpoch)
	e.s.CloudResources[idString(e.alb)].FailNext = &DeployFailure{Code: "X", Message: "y"}
	e.setStatus(t, testEpoch, id, jobScheduling)
	tickAll(e.s, testEpoch.Add(workerRunTime))
	tests := []struct {
		params map[string]string
		want   []int64 // resource ids
	}{
		{map[string]string{"Status": "error"}, []int64{e.alb}},
		{map[string]string{"Status": "success"}, []int64{e.cdn}},
		{map[string]string{"Status": "rollback"}, nil},
		{map[string]string{"CloudProduct": "CDN"}, []int64{e.cdn}},
		{map[string]string{"ShowSize": "1", "CurrentPage": "2"}, []int64{e.cdn}},
	}
	for _, tt := range tests {
		tt.params["JobId"] = idString(id)
		out := mustCall(t, e.s, testEpoch.Add(time.Minute), "ListWorkerResource", tt.params)
		var got []int64
		for _, it := range out.list(t, "Data") {
			got = append(got, wire(it).int64(t, "ResourceId"))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%v: %v; want %v", tt.params, got, tt.want)
		}
	}
	for _, tt := range []struct {
		params map[string]string
		status int
		code   string
	}{
		{nil, 400, "MissingJobId"},
		{map[string]string{"JobId": "3"}, 404, "NotFoundJob"},
		{map[string]string{"JobId": idString(id), "Status": "done"}, 400, "InvalidParameter"},
		{map[string]string{"JobId": idString(id), "CloudProduct": "ECS"}, 400, "InvalidParameter"},
		{map[string]string{"JobId": idString(id), "ShowSize": "101"}, 400, "InvalidParameter"},
	} {
		_, apiErr := bizCall(t, e.s, testEpoch, "ListWorkerResource", tt.params)
		wantAPIError(t, apiErr, tt.status, tt.code, "")
	}
}

func TestUpdateWorkerResourceStatus_rollback(t *testing.T) {
	e := newJobEnv(t)
	old := uploadCert(t, e.s, testEpoch, "old", shopDomain, testEpoch.Add(100*24*time.Hour))
	e.s.CloudResources[idString(e.alb)].CertID = old
	e.s.CloudResources[idString(e.cdn)].CertID = old
	id := e.create(t, testEpoch)
	job, _ := jobByID(e.s, id)
	albW, cdnW := job.Workers[0].ID, job.Workers[1].ID
	params := func(worker int64) map[string]string {
		return map[string]string{"JobId": idString(id), "WorkerId": idString(worker), "Status": "rollback"}
	}
	// Nothing to roll back before the deployment.
	_, apiErr := bizCall(t, e.s, testEpoch, "UpdateWorkerResourceStatus", params(albW))
	wantAPIError(t, apiErr, http.StatusForbidden, "WorkerStateError", "editing")

	e.setStatus(t, testEpoch, id, jobScheduling)
	done := testEpoch.Add(workerRunTime)
	tickAll(e.s, done)
	if resourceCert(t, e.s, done, e.alb) != idString(e.cert) {
		t.Fatal("not deployed")
	}
	e.s.CloudResources[idString(e.cdn)].FailNext = &DeployFailure{Code: "RollbackDenied", Message: "no"}
	for _, w := range []int64{albW, cdnW} {
		out := mustCall(t, e.s, done, "UpdateWorkerResourceStatus", params(w))
		if out["Data"] != "[]" {
			t.Errorf("answer = %v", out)
		}
	}
	ws := e.workers(t, done, id)
	if ws[e.alb]["Status"] != workerRollback || e.status(t, done, id) != jobSuccess {
		t.Errorf("rolling back: worker %v", ws[e.alb]["Status"])
	}
	if out := mustCall(t, e.s, done, "DescribeDeploymentJob", map[string]string{"JobId": idString(id)}); fmt.Sprint(out["Rollback"]) != "1" {
		t.Errorf("Rollback = %v", out["Rollback"])
	}
	_, apiErr = bizCall(t, e.s, done, "DeleteDeploymentJob", map[string]string{"JobId": idString(id)})
	wantAPIError(t, apiErr, http.StatusForbidden, "JobStateError", "rolling back")

	after := done.Add(workerRunTime)
	ws = e.workers(t, after, id)
	if ws[e.alb]["Status"] != workerRolledOK || ws[e.cdn]["Status"] != workerRollErr {
		t.Errorf("after the rollback: %v, %v", ws[e.alb]["Status"], ws[e.cdn]["Status"])
	}
	if resourceCert(t, e.s, after, e.alb) != idString(old) || resourceCert(t, e.s, after, e.cdn) != idString(e.cert) {
		t.Errorf("resources hold %s and %s", resourceCert(t, e.s, after, e.alb), resourceCert(t, e.s, after, e.cdn))
	}
	out := mustCall(t, e.s, after, "DescribeDeploymentJobStatus", map[string]string{"JobId": idString(id)})
	if fmt.Sprint(out["RollbackCount"], out["RollbackSuccessCount"], out["RollbackFailedCount"], out["SuccessCount"]) != "2110" {
		t.Errorf("rollback counts = %v", out)
	}

	for _, tt := range []struct {
		params map[string]string
		status int
		code   string
	}{
		{params(albW), http.StatusForbidden, "WorkerStateError"}, // rolled back already
		{map[string]string{"JobId": idString(id), "WorkerId": idString(albW), "Status": "success"}, 400, "InvalidParameter"},
		{map[string]string{"JobId": idString(id), "WorkerId": idString(albW)}, 400, "MissingStatus"},
		{map[string]string{"JobId": idString(id), "Status": "rollback"}, 400, "MissingWorkerId"},
		{map[string]string{"JobId": idString(id), "WorkerId": "1", "Status": "rollback"}, 404, "NotFoundWorker"},
		{map[string]string{"JobId": "1", "WorkerId": idString(albW), "Status": "rollback"}, 404, "NotFoundJob"},
	} {
		_, apiErr := bizCall(t, e.s, after, "UpdateWorkerResourceStatus", tt.params)
		wantAPIError(t, apiErr, tt.status, tt.code, "")
	}
}

func TestDeleteWorkerResource(t *testing.T) {
	e := newJobEnv(t)
	id := e.create(t, testEpoch)
	job, _ := jobByID(e.s, id)
	albW := job.Workers[0].ID
	out := mustCall(t, e.s, testEpoch, "DeleteWorkerResource", map[string]string{"JobId": idString(id), "WorkerId": idString(albW)})
	if len(out) != 0 || len(job.Workers) != 1 || fmt.Sprint(job.ResourceIDs) != fmt.Sprint([]int64{e.cdn}) {
		t.Fatalf("answer %v, job %+v", out, job)
	}
	_, apiErr := bizCall(t, e.s, testEpoch, "DeleteWorkerResource", map[string]string{"JobId": idString(id), "WorkerId": idString(albW)})
	wantAPIError(t, apiErr, http.StatusNotFound, "NotFoundWorker", "")
	e.setStatus(t, testEpoch, id, jobPending)
	_, apiErr = bizCall(t, e.s, testEpoch, "DeleteWorkerResource", map[string]string{"JobId": idString(id), "WorkerId": idString(job.Workers[0].ID)})
	wantAPIError(t, apiErr, http.StatusForbidden, "JobStateError", "editing")
}

func TestDescribeDeploymentJobStatus_counts(t *testing.T) {
	e := newJobEnv(t)
	_, bought := issuedOrder(t, e.s, testEpoch, "geotrust-dv-1-starter", shopDomain)
	id := e.create(t, testEpoch)
	purchased := e.create(t, testEpoch, "CertIds", idString(bought), "ResourceIds", idString(e.cdn))
	e.s.CloudResources[idString(e.alb)].FailNext = &DeployFailure{Code: "X", Message: "y"}
	e.setStatus(t, testEpoch, id, jobScheduling)
	e.setStatus(t, testEpoch, purchased, jobScheduling)
	end := testEpoch.Add(workerRunTime)
	tickAll(e.s, end)

	out := mustCall(t, e.s, end, "DescribeDeploymentJobStatus", map[string]string{"JobId": idString(id)})
	kinds := map[string]string{"ProductWorkerCount": "array"}
	for _, f := range []string{"ResourceCount", "BuyCount", "UseCount", "CertCount", "WorkerCount", "MatchWorkerCount", "SuccessCount",
		"FailedCount", "RollbackCount", "RollbackSuccessCount", "RollbackFailedCount", "CostCount"} {
		kinds[f] = "number"
	}
	wantKinds(t, out, kinds)
	got := fmt.Sprintf("resources %v buy %v use %v cost %v certs %v workers %v success %v failed %v products %v",
		out["ResourceCount"], out["BuyCount"], out["UseCount"], out["CostCount"], out["CertCount"], out["WorkerCount"],
		out["SuccessCount"], out["FailedCount"], out["ProductWorkerCount"])
	// Only the uploaded certificate's successful deployment consumes quota.
	want := "resources 2 buy 1000 use 1 cost 1 certs 1 workers 2 success 1 failed 1 products [map[Count:1 ProductName:ALB] map[Count:1 ProductName:CDN]]"
	if got != want {
		t.Errorf("counts:\n got %s\nwant %s", got, want)
	}
	// Without JobId: every job.
	out = mustCall(t, e.s, end, "DescribeDeploymentJobStatus", nil)
	if fmt.Sprint(out["WorkerCount"], out["SuccessCount"], out["CostCount"]) != "321" {
		t.Errorf("all jobs = %v", out)
	}
	_, apiErr := bizCall(t, e.s, end, "DescribeDeploymentJobStatus", map[string]string{"JobId": "8"})
	wantAPIError(t, apiErr, http.StatusNotFound, "NotFoundJob", "")
}

func TestListDeploymentJobCert(t *testing.T) {
	e := newJobEnv(t)
	_, bought := issuedOrder(t, e.s, testEpoch, "geotrust-dv-1-starter", shopDomain)
	_, free := issuedOrder(t, e.s, testEpoch, "digicert-free-1-free", shopDomain)
	uploaded := e.create(t, testEpoch)
	purchased := e.create(t, testEpoch, "CertIds", joinIDs(bought, free))

	it := mustCall(t, e.s, testEpoch, "ListDeploymentJobCert", map[string]string{"JobId": idString(uploaded)}).list(t, "Data")[0]
	wantKinds(t, it, map[string]string{"CertId": "number", "CertInstanceId": "string", "CertName": "string", "CertOrderType": "string",
		"CommonName": "string", "Sans": "array", "Algorithm": "string", "IsTrustee": "bool", "NotBeforeTime": "number",
		"NotAfterTime": "number", "StatusCode": "string", "OrderId": "absent", "CertType": "absent", "Month": "absent"})
	if it["CertOrderType"] != "upload" || it["StatusCode"] != "upload" || it["CommonName"] != shopDomain {
		t.Errorf("uploaded = %v", it)
	}
	items := mustCall(t, e.s, testEpoch, "ListDeploymentJobCert", map[string]string{"JobId": idString(purchased)}).list(t, "Data")
	wantKinds(t, items[0], map[string]string{"CertType": "string", "Month": "number"})
	got := fmt.Sprintf("%v %v %v %v | %v %v %v", items[0]["CertOrderType"], items[0]["CertType"], items[0]["Month"], items[0]["StatusCode"],
		items[1]["CertOrderType"], items[1]["Month"], items[1]["StatusCode"])
	if got != "buy DV 12 issued | free 3 issued" {
		t.Errorf("purchased = %s", got)
	}
	out := mustCall(t, e.s, testEpoch, "DescribeDeploymentJob", map[string]string{"JobId": idString(purchased)})
	if out["CertType"] != "buy" {
		t.Errorf("CertType = %v", out["CertType"])
	}
	// Time passes: the uploaded certificate is about to expire.
	it = mustCall(t, e.s, testEpoch.Add(190*24*time.Hour), "ListDeploymentJobCert", map[string]string{"JobId": idString(uploaded)}).list(t, "Data")[0]
	if it["StatusCode"] != "willExpired" {
		t.Errorf("StatusCode = %v", it["StatusCode"])
	}
	_, apiErr := bizCall(t, e.s, testEpoch, "ListDeploymentJobCert", map[string]string{"JobId": "4"})
	wantAPIError(t, apiErr, http.StatusNotFound, "NotFoundJob", "")
	_, apiErr = bizCall(t, e.s, testEpoch, "ListDeploymentJobResource", nil)
	wantAPIError(t, apiErr, http.StatusBadRequest, "MissingJobId", "")
}
