package emulator

import (
	"fmt"
	"testing"
	"time"
)

func listIDs(t *testing.T, out wire, field string) []int64 {
	t.Helper()
	var ids []int64
	for _, it := range out.list(t, "CertificateOrderList") {
		ids = append(ids, wire(it).int64(t, field))
	}
	return ids
}

func TestListUserCertificateOrder_statusTrap(t *testing.T) {
	s := newState()
	day := 24 * time.Hour
	valid := uploadCert(t, s, testEpoch, "valid", "valid.example.com", testEpoch.Add(100*day))
	expiring := uploadCert(t, s, testEpoch, "expiring", "expiring.example.com", testEpoch.Add(10*day))
	soon := uploadCert(t, s, testEpoch, "soon", "soon.example.com", testEpoch.Add(time.Hour))

	tests := []struct {
		name   string
		now    time.Time
		params map[string]string
		want   []int64
	}{
		{"default OrderType is CPACK, not certificates", testEpoch, nil, nil},
		{"CERT without Status: valid ones", testEpoch, map[string]string{"OrderType": "CERT"}, []int64{soon, expiring, valid}},
		{"UPLOAD without Status", testEpoch, map[string]string{"OrderType": "UPLOAD"}, []int64{soon, expiring, valid}},
		{"expired upload vanishes without Status", testEpoch.Add(2 * time.Hour), map[string]string{"OrderType": "UPLOAD"}, []int64{expiring, valid}},
		{"expired upload appears with EXPIRED", testEpoch.Add(2 * time.Hour), map[string]string{"OrderType": "UPLOAD", "Status": "EXPIRED"}, []int64{soon}},
		{"WILLEXPIRED is the last 30 days", testEpoch, map[string]string{"OrderType": "CERT", "Status": "WILLEXPIRED"}, []int64{soon, expiring}},
		{"ISSUED is more than 30 days left", testEpoch, map[string]string{"OrderType": "CERT", "Status": "ISSUED"}, []int64{valid}},
		{"Keyword matches the name", testEpoch, map[string]string{"OrderType": "CERT", "Keyword": "expir"}, []int64{expiring}},
		{"Keyword matches a domain", testEpoch, map[string]string{"OrderType": "CERT", "Keyword": "VALID.example"}, []int64{valid}},
		{"ResourceGroupId filters", testEpoch, map[string]string{"OrderType": "CERT", "ResourceGroupId": "rg-other"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustCall(t, s, tt.now, "ListUserCertificateOrder", tt.params)
			field := "CertificateId"
			if tt.params["OrderType"] == "" {
				field = "OrderId"
			}
			got := listIDs(t, out, field)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || out.int64(t, "TotalCount") != int64(len(tt.want)) {
				t.Errorf("ids %v (TotalCount %v); want %v", got, out["TotalCount"], tt.want)
			}
		})
	}
}

func TestListUserCertificateOrder_itemsAndPaging(t *testing.T) {
	s := newState()
	var ids []int64
	for i := range 7 {
		ids = append(ids, uploadCert(t, s, testEpoch, fmt.Sprintf("c%d", i), fmt.Sprintf("c%d.example.com", i), testEpoch.Add(90*24*time.Hour)))
	}
	out := mustCall(t, s, testEpoch, "ListUserCertificateOrder", map[string]string{"OrderType": "CERT"})
	wantKinds(t, out, map[string]string{"TotalCount": "number", "CurrentPage": "number", "ShowSize": "number", "CertificateOrderList": "array"})
	if out.int64(t, "ShowSize") != 50 || out.int64(t, "CurrentPage") != 1 {
		t.Errorf("default paging = %v/%v; want 1/50", out["CurrentPage"], out["ShowSize"])
	}
	item := out.list(t, "CertificateOrderList")[0]
	wantKinds(t, item, map[string]string{
		"CertificateId": "number", "Name": "string", "CommonName": "string", "Sans": "string", "Issuer": "string",
		"StartDate": "string", "EndDate": "string", "Expired": "bool", "Fingerprint": "string", "Sha2": "string",
		"SerialNo": "string", "ResourceGroupId": "string", "Upload": "bool", "InstanceId": "string",
		"OrderId": "absent", "ProductCode": "absent", "Status": "absent", "BuyDate": "absent",
	})
	if item["Upload"] != true || item["Expired"] != false {
		t.Errorf("Upload/Expired = %v/%v", item["Upload"], item["Expired"])
	}

	pages := []struct {
		page, size string
		want       []int64
	}{
		{"1", "3", []int64{ids[6], ids[5], ids[4]}},
		{"3", "3", []int64{ids[0]}},
		{"4", "3", nil},
	}
	for _, p := range pages {
		out := mustCall(t, s, testEpoch, "ListUserCertificateOrder", map[string]string{"OrderType": "CERT", "CurrentPage": p.page, "ShowSize": p.size})
		if got := listIDs(t, out, "CertificateId"); fmt.Sprint(got) != fmt.Sprint(p.want) || out.int64(t, "TotalCount") != 7 {
			t.Errorf("page %s size %s: %v (TotalCount %v); want %v of 7", p.page, p.size, got, out["TotalCount"], p.want)
		}
	}

	for _, tt := range []struct {
		name   string
		params map[string]string
	}{
		{"ShowSize above 100", map[string]string{"ShowSize": "101"}},
		{"CurrentPage 0", map[string]string{"CurrentPage": "0"}},
		{"unknown OrderType", map[string]string{"OrderType": "ALL"}},
		{"unknown Status", map[string]string{"Status": "VALID"}},
		{"order Status with CERT", map[string]string{"OrderType": "CERT", "Status": "PAYED"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, apiErr := bizCall(t, s, testEpoch, "ListUserCertificateOrder", tt.params)
			wantAPIError(t, apiErr, 400, "InvalidParameter", "")
		})
	}
}

func TestListCert(t *testing.T) {
	s := newState()
	up := uploadCert(t, s, testEpoch, "up", "up.example.com", testEpoch.Add(90*24*time.Hour))
	_, bought := issuedOrder(t, s, testEpoch, "symantec-free-1-free", "bought.example.com")
	tests := []struct {
		name   string
		params map[string]string
		want   []string
	}{
		{"all", nil, []string{idString(bought) + "-cn-hangzhou", idString(up) + "-cn-hangzhou"}},
		{"uploaded", map[string]string{"SourceType": "upload"}, []string{idString(up) + "-cn-hangzhou"}},
		{"purchased", map[string]string{"SourceType": "aliyun"}, []string{idString(bought) + "-cn-hangzhou"}},
		{"CA certificates", map[string]string{"CertType": "CA"}, nil},
		{"keyword", map[string]string{"KeyWord": "bought"}, []string{idString(bought) + "-cn-hangzhou"}},
		{"revoked", map[string]string{"Status": "REVOKE"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustCall(t, s, testEpoch, "ListCert", tt.params)
			var got []string
			for _, it := range out.list(t, "CertList") {
				wantKinds(t, it, map[string]string{"Identifier": "string", "ExistPrivateKey": "bool", "BeforeDate": "number", "AfterDate": "number", "Sans": "string"})
				got = append(got, it["Identifier"].(string))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("identifiers %v; want %v", got, tt.want)
			}
		})
	}
	_, apiErr := bizCall(t, s, testEpoch, "ListCert", map[string]string{"Status": "VALID"})
	wantAPIError(t, apiErr, 400, "InvalidParameter", "Status")
}
