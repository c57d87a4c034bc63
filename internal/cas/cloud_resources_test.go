package cas

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"time"
)

func TestListCloudResourcesAgainstTheEmulator(t *testing.T) {
	c, ctl := emulatorClient(t)
	ctx := context.Background()
	add := func(body map[string]any) CloudResource {
		t.Helper()
		var out struct {
			ID int64 `json:"id"`
		}
		if err := ctl.Post(ctx, "cloud_resources", body, &out); err != nil {
			t.Fatal(err)
		}
		return CloudResource{ID: out.ID}
	}
	alb := add(map[string]any{"domain": "www.example.com", "cert_id": 1001, "listener_port": 8443})
	cdn := add(map[string]any{"cloud_product": "CDN", "domain": "static.example.com", "cert_id": 1002})
	waf := add(map[string]any{"cloud_product": "WAF", "domain": "api.example.com", "region_id": "ap-southeast-1"})
	// More than a page of CDN domains.
	for i := range cloudResourcePageSize + 5 {
		add(map[string]any{"cloud_product": "CDN", "domain": "img" + strconv.Itoa(i) + ".example.net"})
	}

	all, err := c.ListCloudResources(ctx, CloudResourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != cloudResourcePageSize+8 {
		t.Fatalf("%d resources, want %d", len(all), cloudResourcePageSize+8)
	}
	reqs, err := ctl.Requests(ctx, "ListCloudResources")
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 || reqs[0].Params["ShowSize"] != "50" || reqs[1].Params["CurrentPage"] != "2" {
		t.Fatalf("%d ListCloudResources calls, params %v", len(reqs), reqs)
	}

	byID := map[int64]CloudResource{}
	for _, r := range all {
		byID[r.ID] = r
	}
	got := byID[alb.ID]
	if got.CloudName != "aliyun" || got.CloudProduct != "ALB" || got.RegionID != "cn-hangzhou" || got.Domain != "www.example.com" ||
		got.ListenerPort != 8443 || got.InstanceID == "" || got.ListenerID == "" || !got.EnableHTTPS || got.CertID != 1001 ||
		got.Status != "online" || got.Created.IsZero() {
		t.Fatalf("ALB resource = %+v", got)
	}
	if got := byID[cdn.ID]; got.InstanceID != "" || got.ListenerPort != 0 || got.CertID != 1002 {
		t.Fatalf("CDN resource = %+v: listener fields are for SLB, NLB, ALB and GA only", got)
	}
	if got := byID[waf.ID]; got.RegionID != "ap-southeast-1" || got.CertID != 0 {
		t.Fatalf("WAF resource = %+v", got)
	}

	ids := func(f CloudResourceFilter) []int64 {
		t.Helper()
		items, err := c.ListCloudResources(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, it := range items {
			out = append(out, it.ID)
		}
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		return out
	}
	for name, tt := range map[string]struct {
		filter CloudResourceFilter
		want   []int64
	}{
		"product":      {CloudResourceFilter{CloudProduct: "WAF"}, []int64{waf.ID}},
		"keyword":      {CloudResourceFilter{Keyword: "example.com"}, []int64{alb.ID, cdn.ID, waf.ID}},
		"certificates": {CloudResourceFilter{CertIDs: []int64{1001, 1002}}, []int64{alb.ID, cdn.ID}},
		"all three":    {CloudResourceFilter{CloudProduct: "CDN", Keyword: "static", CertIDs: []int64{1002}}, []int64{cdn.ID}},
	} {
		if got := ids(tt.filter); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ids %v, want %v", name, got, tt.want)
		}
	}
	reqs, _ = ctl.Requests(ctx, "ListCloudResources")
	for _, r := range reqs {
		if v, ok := r.Params["CertIds"]; ok && v != "[1001,1002]" && v != "[1002]" {
			t.Errorf("CertIds = %q, want JSON list text", v)
		}
	}
}

func TestCloudResourceAnswersAreReadLeniently(t *testing.T) {
	ms := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	msText := strconv.FormatInt(ms.UnixMilli(), 10)
	tests := []struct {
		name string
		json string
		want CloudResource
	}{
		{"real capture: times as strings, no listener", `{"CertId":18382705,"CertEndTime":"` + msText + `","GmtModified":"1746451202000","CloudName":"aliyun",` +
			`"CertStartTime":"1746403200000","CloudProduct":"FC","GmtCreate":"1711441465000","EnableHttps":1,"UserId":1353813254939731,` +
			`"Id":7159642,"CertName":"cert-13822284","RegionId":"cn-hangzhou","Domain":"www.x.cn"}`,
			CloudResource{ID: 7159642, CloudName: "aliyun", CloudProduct: "FC", RegionID: "cn-hangzhou", Domain: "www.x.cn",
				EnableHTTPS: true, CertID: 18382705, CertName: "cert-13822284", CertNotBefore: time.UnixMilli(1746403200000).UTC(),
				CertNotAfter: ms, Created: time.UnixMilli(1711441465000).UTC(), Modified: time.UnixMilli(1746451202000).UTC()}},
		{"models: ListenerPort string; numbers as strings", `{"Id":"2356","CloudProduct":"NLB","InstanceId":"nlb-x","ListenerId":"lsn-y@8047",` +
			`"ListenerPort":"8047","DefaultResource":0,"EnableHttps":"1","CertId":"12433121","CloudRegion":"cn-shanghai"}`,
			CloudResource{ID: 2356, CloudName: "aliyun", CloudProduct: "NLB", RegionID: "cn-shanghai", CloudRegion: "cn-shanghai",
				InstanceID: "nlb-x", ListenerID: "lsn-y@8047", ListenerPort: 8047, EnableHTTPS: true, CertID: 12433121}},
		{"ListenerPort number; third-party cloud", `{"Id":3,"CloudName":"Tencent","CloudProduct":"TencentCLB","ListenerPort":443,` +
			`"UseSsl":1,"CloudAccessId":1234,"RegionId":"ap-guangzhou","Status":"BUY"}`,
			CloudResource{ID: 3, CloudName: "Tencent", CloudProduct: "TencentCLB", RegionID: "ap-guangzhou", ListenerPort: 443,
				UseSSL: true, CloudAccessID: "1234", Status: "BUY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w cloudResourceWire
			if err := json.Unmarshal([]byte(tt.json), &w); err != nil {
				t.Fatal(err)
			}
			if got := w.resource(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCanonicalCloudProduct(t *testing.T) {
	for in, want := range map[string]string{"DDoS": "DDOS", "alb": "ALB", "webhosting": "webHosting", "AwsCloudFront": "AwsCloudFront", "ECS": "", "": ""} {
		if got := CanonicalCloudProduct(in); got != want {
			t.Errorf("CanonicalCloudProduct(%q) = %q, want %q", in, got, want)
		}
	}
	if n := len(CloudProductNames()); n != 25 {
		t.Errorf("%d products, want the models' 25", n)
	}
}
