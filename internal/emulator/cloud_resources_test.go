package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"
)

func TestListCloudResources_itemsByKind(t *testing.T) {
	s := newState()
	cert := uploadCert(t, s, testEpoch, "bound", "www.shop.example", testEpoch.Add(90*24*time.Hour))
	alb := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "ALB", "domain": "www.shop.example", "cert_id": cert,
		"default_resource": true, "remark": "not listed here"})
	cdn := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "CDN", "domain": "cdn.shop.example"})
	tencent := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "TencentCDN", "cloud_region": "ap-guangzhou",
		"domain": "tc.shop.example", "use_ssl": true, "cloud_access_id": 888, "secret_id": "AKIDshop"})

	out := mustCall(t, s, testEpoch, "ListCloudResources", nil)
	wantKinds(t, out, map[string]string{"Total": "number", "CurrentPage": "number", "ShowSize": "number", "Data": "array"})
	if out.int64(t, "ShowSize") != 20 || out.int64(t, "CurrentPage") != 1 || out.int64(t, "Total") != 3 {
		t.Errorf("paging = %v %v %v; want the documented default ShowSize 20", out["Total"], out["CurrentPage"], out["ShowSize"])
	}
	byID := map[int64]map[string]any{}
	for _, it := range out.list(t, "Data") {
		byID[wire(it).int64(t, "Id")] = it
	}
	common := map[string]string{"Id": "number", "UserId": "number", "CloudName": "string", "CloudProduct": "string",
		"CloudRegion": "string", "RegionId": "string", "Domain": "string", "EnableHttps": "number", "GmtCreate": "string",
		"GmtModified": "string", "Status": "string", "Remark": "absent"}
	listener := map[string]string{"InstanceId": "string", "ListenerId": "string", "ListenerPort": "string", "DefaultResource": "number"}
	noListener := map[string]string{"InstanceId": "absent", "ListenerId": "absent", "ListenerPort": "absent", "DefaultResource": "absent"}
	multi := map[string]string{"UseSsl": "number", "CloudAccessId": "string"}
	noMulti := map[string]string{"UseSsl": "absent", "CloudAccessId": "absent"}
	bound := map[string]string{"CertId": "number", "CertName": "string", "CertStartTime": "string", "CertEndTime": "string"}
	unbound := map[string]string{"CertId": "absent", "CertName": "absent", "CertStartTime": "absent", "CertEndTime": "absent"}
	for _, tt := range []struct {
		id    int64
		kinds []map[string]string
	}{
		{alb, []map[string]string{common, listener, noMulti, bound}},
		{cdn, []map[string]string{common, noListener, noMulti, unbound}},
		{tencent, []map[string]string{common, noListener, multi, unbound}},
	} {
		for _, k := range tt.kinds {
			wantKinds(t, byID[tt.id], k)
		}
	}
	a := byID[alb]
	if a["CloudName"] != "aliyun" || a["RegionId"] != DefaultRegion || a["ListenerPort"] != "443" || fmt.Sprint(a["DefaultResource"]) != "1" ||
		fmt.Sprint(a["EnableHttps"]) != "1" || fmt.Sprint(a["UserId"]) != testAccountID || a["CertName"] != "bound" ||
		a["GmtCreate"] != msText(testEpoch) || a["Status"] != "online" || a["CertEndTime"] != msText(s.Certificates[idString(cert)].NotAfter) {
		t.Errorf("ALB item = %v", a)
	}
	if !regexp.MustCompile(`^alb-[a-z0-9]{18}$`).MatchString(a["InstanceId"].(string)) ||
		!regexp.MustCompile(`^lsn-[a-z0-9]{18}@443$`).MatchString(a["ListenerId"].(string)) {
		t.Errorf("ALB ids = %v %v", a["InstanceId"], a["ListenerId"])
	}
	if tc := byID[tencent]; tc["CloudName"] != "Tencent" || tc["RegionId"] != "ap-guangzhou" || tc["CloudAccessId"] != "888" {
		t.Errorf("Tencent item = %v", tc)
	}
}

func TestListCloudResources_filtersAndPaging(t *testing.T) {
	s := newState()
	c1 := uploadCert(t, s, testEpoch, "c1", "a.example.com", testEpoch.Add(90*24*time.Hour))
	c2 := uploadCert(t, s, testEpoch, "c2", "b.example.com", testEpoch.Add(90*24*time.Hour))
	alb := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "ALB", "domain": "a.example.com", "instance_id": "alb-findme", "cert_id": c1})
	cdn := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "CDN", "domain": "b.example.com", "cert_id": c2})
	ddos := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "DDOS", "domain": "c.example.com"})
	aws := seedResource(t, s, testEpoch, map[string]any{"cloud_product": "AwsCloudFront", "domain": "d.example.com", "secret_id": "AKaws"})

	tests := []struct {
		name   string
		params map[string]string
		want   []int64
	}{
		{"all, newest first", nil, []int64{aws, ddos, cdn, alb}},
		{"CloudProduct", map[string]string{"CloudProduct": "CDN"}, []int64{cdn}},
		{"CloudProduct as the zh page spells it", map[string]string{"CloudProduct": "DDoS"}, []int64{ddos}},
		{"CloudName", map[string]string{"CloudName": "Aws"}, []int64{aws}},
		{"CertIds as JSON (the SDK's form)", map[string]string{"CertIds": fmt.Sprintf("[%d,%d]", c1, c2)}, []int64{cdn, alb}},
		{"CertIds comma-separated", map[string]string{"CertIds": idString(c2)}, []int64{cdn}},
		{"CertIds flat", map[string]string{"CertIds.1": idString(c1)}, []int64{alb}},
		{"Keyword on the domain", map[string]string{"Keyword": "C.EXAMPLE"}, []int64{ddos}},
		{"Keyword on the instance", map[string]string{"Keyword": "findme"}, []int64{alb}},
		{"SecretId", map[string]string{"SecretId": "AKaws"}, []int64{aws}},
		{"page 2 of 3", map[string]string{"ShowSize": "3", "CurrentPage": "2"}, []int64{alb}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustCall(t, s, testEpoch, "ListCloudResources", tt.params)
			var got []int64
			for _, it := range out.list(t, "Data") {
				got = append(got, wire(it).int64(t, "Id"))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ids %v; want %v", got, tt.want)
			}
		})
	}
	for _, bad := range []map[string]string{{"CloudName": "Azure"}, {"CloudProduct": "ECS"}, {"CertIds": "[1,x]"},
		{"CertIds": "1;2"}, {"ShowSize": "0"}} {
		_, apiErr := bizCall(t, s, testEpoch, "ListCloudResources", bad)
		wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "")
	}
}

// A resource seeded with the objects API's minimum (no id, times or cloud) answers like one
// added with defaults.
func TestCloudResource_seededMinimum(t *testing.T) {
	s := newState()
	s.CloudResources["777"] = &CloudResource{CloudProduct: "NLB", CloudRegion: "cn-shanghai"}
	later := testEpoch.Add(time.Minute)
	tickAll(s, later)
	out := mustCall(t, s, later, "ListCloudResources", nil)
	it := out.list(t, "Data")[0]
	if fmt.Sprint(it["Id"]) != "777" || it["CloudName"] != "aliyun" || it["RegionId"] != "cn-shanghai" || it["GmtCreate"] != msText(later) {
		t.Errorf("seeded item = %v", it)
	}
	if id := s.newID(); id <= 777 {
		t.Errorf("a new id %d collides with the seeded one", id)
	}
}

func TestControlAddCloudResource_refused(t *testing.T) {
	s := newState()
	id := seedResource(t, s, testEpoch, nil)
	for _, body := range []string{`{"cloud_product": "ECS"}`, `{"cloud_product": "TencentCDN", "cloud_name": "aliyun"}`,
		fmt.Sprintf(`{"id": %d}`, id), `{"colour": "red"}`, `[`} {
		_, apiErr := controlAddCloudResource(s, testEpoch, nil, []byte(body))
		wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "")
	}
	if out, apiErr := controlAddCloudResource(s, testEpoch, nil, []byte(`{"id": 900001, "cloud_product": "cdn"}`)); apiErr != nil ||
		out.(*CloudResource).CloudProduct != "CDN" || s.NextID < 900001 {
		t.Errorf("explicit id: %v %v, NextID %d", out, apiErr, s.NextID)
	}
	if _, apiErr := controlFailNext(s, testEpoch, []string{"12"}, nil); apiErr == nil || apiErr.Code != "NotFoundResource" {
		t.Errorf("fail_next of an unknown resource: %v", apiErr)
	}
	if _, apiErr := controlFailNext(s, testEpoch, []string{"abc"}, nil); apiErr == nil || apiErr.Code != "InvalidParameter" {
		t.Errorf("fail_next of a bad id: %v", apiErr)
	}
}

func TestListCloudAccessAndResourceStatus(t *testing.T) {
	s := newState()
	cert := uploadCert(t, s, testEpoch, "c", "a.example.com", testEpoch.Add(90*24*time.Hour))
	seedResource(t, s, testEpoch, map[string]any{"cloud_product": "TencentCDN", "cloud_access_id": 11, "secret_id": "AKIDone", "cert_id": cert})
	seedResource(t, s, testEpoch, map[string]any{"cloud_product": "TencentCLB", "cloud_access_id": 11, "secret_id": "AKIDone"})
	seedResource(t, s, testEpoch, map[string]any{"cloud_product": "AwsCLB", "cloud_access_id": 22, "secret_id": "AKaws", "cert_id": cert})
	seedResource(t, s, testEpoch, map[string]any{"cloud_product": "CDN", "cert_id": cert})

	out := mustCall(t, s, testEpoch, "ListCloudAccess", nil)
	wantKinds(t, out, map[string]string{"TotalCount": "number", "CloudAccessList": "array", "CurrentPage": "absent", "ShowSize": "absent"})
	list := out.list(t, "CloudAccessList")
	if out.int64(t, "TotalCount") != 2 || len(list) != 2 {
		t.Fatalf("access list = %v", out)
	}
	wantKinds(t, list[0], map[string]string{"AccessId": "number", "CloudName": "string", "SecretId": "string", "ServiceStatus": "string"})
	if fmt.Sprint(list[0]["AccessId"]) != "22" || list[0]["CloudName"] != "Aws" || list[0]["ServiceStatus"] != "normal" {
		t.Errorf("first access = %v", list[0])
	}
	out = mustCall(t, s, testEpoch, "ListCloudAccess", map[string]string{"CloudName": "Tencent", "ShowSize": "10"})
	wantKinds(t, out, map[string]string{"CurrentPage": "number", "ShowSize": "number"})
	if out.int64(t, "TotalCount") != 1 {
		t.Errorf("Tencent only = %v", out)
	}
	_, apiErr := bizCall(t, s, testEpoch, "ListCloudAccess", map[string]string{"ShowSize": "30"})
	wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "10, 20 or 50")

	// Resources with a certificate, per cloud and product.
	out = mustCall(t, s, testEpoch, "DescribeCloudResourceStatus", nil)
	data := out.list(t, "Data")
	wantKinds(t, data[0], map[string]string{"CloudName": "string", "CloudProduct": "string", "TotalCount": "number"})
	if fmt.Sprint(data) != "[map[CloudName:Aws CloudProduct:AwsCLB TotalCount:1] map[CloudName:Tencent CloudProduct:TencentCDN TotalCount:1] map[CloudName:aliyun CloudProduct:CDN TotalCount:1]]" {
		t.Errorf("Data = %v", data)
	}
	out = mustCall(t, s, testEpoch, "DescribeCloudResourceStatus", map[string]string{"SecretId": "AKIDone"})
	if len(out.list(t, "Data")) != 1 {
		t.Errorf("by SecretId = %v", out)
	}
}
