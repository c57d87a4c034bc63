package cas

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecodeCertificateDetail: decoding one GetUserCertificateDetail answer.
func BenchmarkDecodeCertificateDetail(b *testing.B) {
	body := []byte(`{"RequestId":"r","Id":12345,"Name":"www-2026","CertIdentifier":"12345-cn-hangzhou","InstanceId":"cas-upload-abc123",` +
		`"Common":"www.example.com","Sans":"www.example.com,api.example.com","Issuer":"DigiCert","SerialNo":"06ea48","Fingerprint":"AB",` +
		`"Sha2":"CD","Algorithm":"RSA","NotBefore":1772359200000,"NotAfter":1803895200000,"Expired":false,"BuyInAliyun":false,` +
		`"ResourceGroupId":"rg-1","Tags":[{"TagKey":"env","TagValue":"prod"}]}`)
	for b.Loop() {
		var d certificateDetail
		if err := json.Unmarshal(body, &d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeListPage: decoding one 100-item ListUserCertificateOrder page.
func BenchmarkDecodeListPage(b *testing.B) {
	items := make([]string, 100)
	for i := range items {
		items[i] = fmt.Sprintf(`{"CertificateId":%d,"Name":"c%d","InstanceId":"cas-upload-%d","CommonName":"h%d.example.com","Sans":"h%d.example.com","Status":"ISSUED","Upload":true,"StartDate":"2026-01-01","EndDate":"2027-01-01"}`, i, i, i, i, i)
	}
	body := []byte(`{"RequestId":"r","TotalCount":1000,"CurrentPage":1,"ShowSize":100,"CertificateOrderList":[` + strings.Join(items, ",") + `]}`)
	for b.Loop() {
		var page struct {
			TotalCount           int64
			CertificateOrderList []struct {
				CertificateId int64
				Name          string
				InstanceId    string
				Sans          string
			}
		}
		if err := json.Unmarshal(body, &page); err != nil {
			b.Fatal(err)
		}
	}
}
