package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// The deployment family through the real server: resources seeded with the control routes, the
// job driven with the Go SDK v1 (CommonRequest, as the provider sends it), time moved with the
// control API, and a failure injected with fail_next.
func TestDeploymentJob_throughTheServer(t *testing.T) {
	srv, _, ctl := startEmulator(t, Options{Seed: 1})
	ctx := testContext(t)
	client, _ := sdkClient(t, akCredential(DemoAccessKeyID, DemoAccessKeySecret))
	call := func(action string, params map[string]string) map[string]any {
		t.Helper()
		resp, err := process(t, client, casRequest(srv, action, requests.POST, params))
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		var out map[string]any
		if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	const domain = "www.http.example"

	var cdn CloudResource
	if err := ctl.Post(ctx, "cloud_resources", map[string]any{"cloud_product": "CDN", "domain": domain}, &cdn); err != nil {
		t.Fatal(err)
	}
	// The objects API seeds a resource with only the fields that matter; the id is the key.
	if err := ctl.PutObject(ctx, "cloud_resources", "424242", map[string]any{"cloud_product": "ALB", "region_id": "cn-hangzhou",
		"domain": domain, "enable_https": true, "listener_port": 443}); err != nil {
		t.Fatal(err)
	}
	var armed CloudResource
	if err := ctl.Post(ctx, "cloud_resources/424242/fail_next", map[string]any{"code": "ListenerBusy", "message": "try later"}, &armed); err != nil {
		t.Fatal(err)
	}
	if armed.ID != 424242 || armed.FailNext == nil || armed.FailNext.Code != "ListenerBusy" {
		t.Fatalf("armed = %+v", armed)
	}

	certPEM, key := leafWithKey(t, domain, time.Now().Add(300*24*time.Hour))
	certID := fmt.Sprint(call("UploadUserCertificate", map[string]string{"Name": "http", "Cert": certPEM, "Key": key})["CertId"])
	contact := fmt.Sprint(call("CreateContact", map[string]string{"Name": "Ops", "Mobile": "13800000000"})["ContactId"])
	job := fmt.Sprint(call("CreateDeploymentJob", map[string]string{"Name": "http", "JobType": "user", "CertIds": certID,
		"ResourceIds": fmt.Sprintf("%d,424242", cdn.ID), "ContactIds": contact})["JobId"])

	_, err := process(t, client, casRequest(srv, "UpdateDeploymentJobStatus", requests.POST, map[string]string{"JobId": job}))
	serverError(t, err, http.StatusBadRequest, "MissingStatus")
	call("UpdateDeploymentJobStatus", map[string]string{"JobId": job, "Status": "pending"})
	if st := call("DescribeDeploymentJob", map[string]string{"JobId": job})["Status"]; st != "processing" {
		t.Fatalf("status %v right after pending without ScheduleTime", st)
	}
	if _, err := ctl.Advance(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	if st := call("DescribeDeploymentJob", map[string]string{"JobId": job})["Status"]; st != "error" {
		t.Fatalf("status %v; want error (the ALB failed)", st)
	}
	certs := map[string]any{}
	for _, it := range call("ListCloudResources", map[string]string{"CertIds": "[" + certID + "]"})["Data"].([]any) {
		item := it.(map[string]any)
		certs[fmt.Sprint(item["Id"])] = item["CertId"]
	}
	if len(certs) != 1 || fmt.Sprint(certs[fmt.Sprint(cdn.ID)]) != certID {
		t.Errorf("resources holding the certificate: %v; want the CDN only", certs)
	}
	// The worker's error is kept in the state.
	obj, found, err := ctl.Object(ctx, "jobs", job)
	if err != nil || !found {
		t.Fatalf("job object: %v %v", found, err)
	}
	workers := obj["workers"].([]any)
	if w := workers[1].(map[string]any); w["status"] != "error" || w["error_code"] != "ListenerBusy" || w["error_message"] != "try later" {
		t.Errorf("failed worker = %v", w)
	}
	// The control routes answer the service's error shape for unknown objects.
	err = ctl.Post(ctx, "cloud_resources/5/fail_next", nil, nil)
	if ce, ok := err.(*control.Error); !ok || ce.StatusCode != http.StatusNotFound || ce.Code != "NotFoundResource" {
		t.Errorf("fail_next of an unknown resource: %v", err)
	}
}
