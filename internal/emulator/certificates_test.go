package emulator

import (
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

func TestUploadUserCertificate_answer(t *testing.T) {
	s := newState()
	certPEM, key := leafWithKey(t, "www.example.com", testEpoch.Add(100*24*time.Hour))
	out := mustCall(t, s, testEpoch, "UploadUserCertificate", map[string]string{"Name": "site", "Cert": certPEM, "Key": key})
	wantKinds(t, out, map[string]string{"CertId": "number", "ResourceId": "string"})
	if !regexp.MustCompile(`^cas-upload-[a-z0-9]{6}$`).MatchString(out["ResourceId"].(string)) {
		t.Errorf("ResourceId = %v", out["ResourceId"])
	}
	cert := s.Certificates[idString(out.int64(t, "CertId"))]
	if cert == nil || cert.Source != "upload" || cert.CommonName != "www.example.com" || cert.Algorithm != "RSA" || cert.KeySize != 2048 {
		t.Fatalf("stored certificate = %+v", cert)
	}
}

// sm2Pair is an SM2 certificate and its key.
func sm2Pair(t *testing.T, cn string) (certPEM, key string) {
	t.Helper()
	k, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, certPEM = makeCert(t, certSpec{cn: cn, sans: []string{cn}, key: k})
	return certPEM, keyPEM(t, k, "")
}

func TestUploadUserCertificate_accepted(t *testing.T) {
	ec := testECKey(t)
	_, ecCert := makeCert(t, certSpec{cn: "ec.example.com", sans: []string{"ec.example.com"}, key: ec})
	ecParams := "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
	caKey := testECKey(t)
	ca, caPEM := makeCert(t, certSpec{cn: "Test Intermediate", key: caKey, isCA: true})
	_, chained := makeCert(t, certSpec{cn: "chain.example.com", sans: []string{"chain.example.com"}, key: testRSAKey(t, 0), parent: ca, parentKey: caKey})
	signCert, signKey := sm2Pair(t, "sm.example.com")
	encCert, encKey := sm2Pair(t, "sm.example.com")
	rsaCert, rsaKey := leafWithKey(t, "rsa.example.com", testEpoch.Add(90*24*time.Hour))

	tests := []struct {
		name      string
		params    map[string]string
		algorithm string
		stored    func(*Certificate) bool
	}{
		{"ECC key with EC PARAMETERS", map[string]string{"Cert": ecCert, "Key": ecParams + keyPEM(t, ec, "")}, "ECC", nil},
		{"PKCS#8 key", map[string]string{"Cert": ecCert, "Key": keyPEM(t, ec, "pkcs8")}, "ECC", nil},
		{"chain after the server certificate (R-43)", map[string]string{"Cert": chained + caPEM, "Key": keyPEM(t, testRSAKey(t, 0), "pkcs8")}, "RSA", nil},
		{"CRLF line ends", map[string]string{"Cert": strings.ReplaceAll(rsaCert, "\n", "\r\n"), "Key": rsaKey}, "RSA", nil},
		{"SM2 pairs (R-44)", map[string]string{"SignCert": signCert, "SignPrivateKey": signKey, "EncryptCert": encCert, "EncryptPrivateKey": encKey}, "SM2",
			func(c *Certificate) bool { return c.Cert == "" && c.SignCert != "" && c.EncryptPrivateKey != "" }},
		{"SM2 fields ignored beside Cert and Key", map[string]string{"Cert": rsaCert, "Key": rsaKey, "SignCert": "junk"}, "RSA",
			func(c *Certificate) bool { return c.SignCert == "" }},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newState()
			tt.params["Name"] = fmt.Sprintf("cert-%d", i)
			out := mustCall(t, s, testEpoch, "UploadUserCertificate", tt.params)
			cert := s.Certificates[idString(out.int64(t, "CertId"))]
			if cert.Algorithm != tt.algorithm {
				t.Errorf("Algorithm = %s; want %s", cert.Algorithm, tt.algorithm)
			}
			if tt.stored != nil && !tt.stored(cert) {
				t.Errorf("stored certificate = %+v", cert)
			}
		})
	}
}

func TestUploadUserCertificate_refused(t *testing.T) {
	certPEM, key := leafWithKey(t, "www.example.com", testEpoch.Add(100*24*time.Hour))
	otherKey := keyPEM(t, testRSAKey(t, 1), "")
	ecKey := keyPEM(t, testECKey(t), "")
	body := strings.Join(strings.Split(strings.TrimSpace(certPEM), "\n")[1:4], "\n")
	encrypted := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}, Bytes: []byte("opaque")}))
	pkcs8Enc := string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("opaque")}))
	signCert, signKey := sm2Pair(t, "sm.example.com")
	encCert, encKey := sm2Pair(t, "sm.example.com")
	_, otherSM2Key := sm2Pair(t, "other.example.com")
	tags21 := map[string]string{}
	for i := 1; i <= 21; i++ {
		tags21[fmt.Sprintf("Tags.%d.Key", i)] = fmt.Sprintf("k%d", i)
	}
	with := func(extra map[string]string) map[string]string {
		p := map[string]string{"Name": "new", "Cert": certPEM, "Key": key}
		for k, v := range extra {
			if v == "-" {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		return p
	}
	tests := []struct {
		name    string
		params  map[string]string
		status  int
		code    string
		message string
	}{
		{"no Name", with(map[string]string{"Name": "-"}), 400, "MissingName", "Name is mandatory"},
		{"Name of 65 characters", with(map[string]string{"Name": strings.Repeat("名", 65)}), 400, "InvalidParameter", "at most 64"},
		{"Name already used", with(map[string]string{"Name": "taken"}), 400, "NameRepeat", "already exists"},
		{"no certificate at all", map[string]string{"Name": "x"}, 400, "MissingCert", ""},
		{"Cert without Key", with(map[string]string{"Key": "-"}), 400, "MissingKey", ""},
		{"Key without Cert", with(map[string]string{"Cert": "-"}), 400, "MissingCert", ""},
		{"R-40 not PEM", with(map[string]string{"Cert": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"}), 400, "InvalidParameter", "certificate format incorrect"},
		{"R-40 truncated block", with(map[string]string{"Cert": strings.Split(certPEM, "-----END")[0]}), 400, "InvalidParameter", "certificate format incorrect"},
		{"R-40 text before the block", with(map[string]string{"Cert": "subject=CN=x\n" + certPEM}), 400, "InvalidParameter", "certificate format incorrect"},
		{"R-40 body without armour", with(map[string]string{"Cert": body}), 400, "InvalidParameter", "certificate format incorrect"},
		{"R-40 key in the Cert field", with(map[string]string{"Cert": key}), 400, "InvalidParameter", "certificate format incorrect"},
		{"R-40 garbage key", with(map[string]string{"Key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"}), 400, "InvalidParameter", "certificate format incorrect"},
		{"R-41 another RSA key", with(map[string]string{"Key": otherKey}), 400, "InvalidParameter", "certificate and private key do not match"},
		{"R-41 an ECC key", with(map[string]string{"Key": ecKey}), 400, "InvalidParameter", "certificate and private key do not match"},
		{"R-42 legacy encrypted PEM", with(map[string]string{"Key": encrypted}), 400, "InvalidParameter", "encrypted"},
		{"R-42 encrypted PKCS#8", with(map[string]string{"Key": pkcs8Enc}), 400, "InvalidParameter", "R-42"},
		{"R-44 SM2 encryption key missing", map[string]string{"Name": "sm", "SignCert": signCert, "SignPrivateKey": signKey, "EncryptCert": encCert}, 400, "MissingEncryptPrivateKey", ""},
		{"R-44 SM2 signing pair mismatch", map[string]string{"Name": "sm", "SignCert": signCert, "SignPrivateKey": otherSM2Key, "EncryptCert": encCert, "EncryptPrivateKey": encKey}, 400, "InvalidParameter", "certificate and private key do not match"},
		{"R-44 SM2 encryption pair mismatch", map[string]string{"Name": "sm", "SignCert": signCert, "SignPrivateKey": signKey, "EncryptCert": encCert, "EncryptPrivateKey": signKey}, 400, "InvalidParameter", "do not match"},
		{"R-44 RSA in an SM2 field", map[string]string{"Name": "sm", "SignCert": certPEM, "SignPrivateKey": key, "EncryptCert": encCert, "EncryptPrivateKey": encKey}, 400, "InvalidParameter", "not an SM2 certificate"},
		{"tag key starting with acs:", with(map[string]string{"Tags.1.Key": "acs:rm", "Tags.1.Value": "v"}), 400, "InvalidParameter", "acs:"},
		{"tag value with a URL", with(map[string]string{"Tags.1.Key": "k", "Tags.1.Value": "https://x"}), 400, "InvalidParameter", "https://"},
		{"21 tags", with(tags21), 400, "InvalidParameter", "at most 20"},
		{"malformed resource group", with(map[string]string{"ResourceGroupId": "group-1"}), 400, "InvalidParameter", "resource group"},
		{"ClientToken of 65 characters", with(map[string]string{"ClientToken": strings.Repeat("t", 65)}), 400, "InvalidParameter", "ClientToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newState()
			uploadCert(t, s, testEpoch, "taken", "taken.example.com", testEpoch.Add(50*24*time.Hour))
			_, apiErr := bizCall(t, s, testEpoch, "UploadUserCertificate", tt.params)
			wantAPIError(t, apiErr, tt.status, tt.code, tt.message)
			if len(s.Certificates) != 1 {
				t.Errorf("a refused upload stored a certificate: %d certificates", len(s.Certificates))
			}
		})
	}
}

func TestUploadUserCertificate_clientToken(t *testing.T) {
	s := newState()
	certPEM, key := leafWithKey(t, "www.example.com", testEpoch.Add(100*24*time.Hour))
	upload := func(now time.Time, name, token string) int64 {
		t.Helper()
		return mustCall(t, s, now, "UploadUserCertificate", map[string]string{"Name": name, "Cert": certPEM, "Key": key, "ClientToken": token}).int64(t, "CertId")
	}
	first := upload(testEpoch, "a", "tok-1")
	steps := []struct {
		name   string
		at     time.Duration
		cert   string
		token  string
		sameAs bool
		count  int
	}{
		{"same token is the first upload", time.Minute, "a", "tok-1", true, 1},
		{"same token, other name, within 24 h", 23 * time.Hour, "b", "tok-1", true, 1},
		{"other token creates", time.Hour, "c", "tok-2", false, 2},
		{"same token after 24 h creates", 25 * time.Hour, "d", "tok-1", false, 3},
	}
	for _, st := range steps {
		got := upload(testEpoch.Add(st.at), st.cert, st.token)
		if (got == first) != st.sameAs || len(s.Certificates) != st.count {
			t.Errorf("%s: CertId %d (first %d), %d certificates; want same=%v, %d", st.name, got, first, len(s.Certificates), st.sameAs, st.count)
		}
	}
}

func TestGetUserCertificateDetail(t *testing.T) {
	s := newState()
	k := testRSAKey(t, 0)
	notBefore, notAfter := testEpoch.Add(-time.Hour), testEpoch.Add(40*24*time.Hour)
	_, certPEM := makeCert(t, certSpec{cn: "www.example.com", sans: []string{"www.example.com", "example.com"}, org: "Example Ltd",
		key: k, notBefore: notBefore, notAfter: notAfter})
	id := mustCall(t, s, testEpoch, "UploadUserCertificate", map[string]string{"Name": "detail", "Cert": certPEM, "Key": keyPEM(t, k, ""),
		"Tags.1.Key": "env", "Tags.1.Value": "test"}).int64(t, "CertId")

	out := mustCall(t, s, testEpoch, "GetUserCertificateDetail", map[string]string{"CertId": idString(id)})
	wantKinds(t, out, map[string]string{
		"Id": "number", "Name": "string", "InstanceId": "string", "CertIdentifier": "string", "Common": "string",
		"Sans": "string", "Issuer": "string", "OrgName": "string", "StartDate": "string", "EndDate": "string",
		"NotBefore": "number", "NotAfter": "number", "Expired": "bool", "BuyInAliyun": "bool", "Fingerprint": "string",
		"Sha2": "string", "SerialNo": "string", "Algorithm": "string", "Cert": "string", "Key": "string",
		"CertChain": "array", "Tags": "array", "ResourceGroupId": "string",
		"OrderId": "absent", "SignCert": "absent", "CommonName": "absent",
	})
	checks := map[string]any{
		"Sans": "www.example.com,example.com", "Common": "www.example.com", "CertIdentifier": idString(id) + "-cn-hangzhou",
		"Expired": false, "BuyInAliyun": false, "Algorithm": "RSA", "OrgName": "Example Ltd", "Issuer": "Example Ltd",
		"StartDate": notBefore.In(dateZone).Format("2006-01-02"), "EndDate": notAfter.In(dateZone).Format("2006-01-02"),
		"ResourceGroupId": defaultResourceGroupID,
	}
	for f, want := range checks {
		if out[f] != want {
			t.Errorf("%s = %v; want %v", f, out[f], want)
		}
	}
	if out.int64(t, "NotAfter") != notAfter.UnixMilli() || out.int64(t, "NotBefore") != notBefore.UnixMilli() {
		t.Errorf("NotBefore/NotAfter = %v/%v; want milliseconds", out["NotBefore"], out["NotAfter"])
	}
	if !regexp.MustCompile(`^[0-9A-F]{40}$`).MatchString(out["Fingerprint"].(string)) ||
		!regexp.MustCompile(`^[0-9A-F]{64}$`).MatchString(out["Sha2"].(string)) ||
		!regexp.MustCompile(`^[0-9a-f]+$`).MatchString(out["SerialNo"].(string)) {
		t.Errorf("Fingerprint/Sha2/SerialNo = %v / %v / %v", out["Fingerprint"], out["Sha2"], out["SerialNo"])
	}
	tag := out.list(t, "Tags")[0]
	if tag["TagKey"] != "env" || tag["TagValue"] != "test" {
		t.Errorf("Tags = %v", out["Tags"])
	}
	chain := out.list(t, "CertChain")
	wantKinds(t, chain[0], map[string]string{"CommonName": "string", "IssuerCommonName": "string", "NotBefore": "number", "NotAfter": "number", "RemainDay": "number"})

	filtered := mustCall(t, s, testEpoch, "GetUserCertificateDetail", map[string]string{"CertId": idString(id), "CertFilter": "true"})
	wantKinds(t, filtered, map[string]string{"Cert": "absent", "Key": "absent", "Name": "string"})

	later := mustCall(t, s, notAfter, "GetUserCertificateDetail", map[string]string{"CertId": idString(id)})
	if later["Expired"] != true {
		t.Errorf("Expired at NotAfter = %v; want true (emulated clock)", later["Expired"])
	}

	for _, tt := range []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"no CertId", nil, 400, "MissingCertId"},
		{"CertId not a number", map[string]string{"CertId": "abc"}, 400, "InvalidParameter"},
		{"unknown CertId", map[string]string{"CertId": "999"}, 404, "NotFound"},
		{"CertFilter not a boolean", map[string]string{"CertId": idString(id), "CertFilter": "yes"}, 400, "InvalidParameter"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, apiErr := bizCall(t, s, testEpoch, "GetUserCertificateDetail", tt.params)
			wantAPIError(t, apiErr, tt.status, tt.code, "")
		})
	}
}

func TestDeleteUserCertificate(t *testing.T) {
	s := newState()
	id := uploadCert(t, s, testEpoch, "gone", "gone.example.com", testEpoch.Add(100*24*time.Hour))
	out := mustCall(t, s, testEpoch, "DeleteUserCertificate", map[string]string{"CertId": idString(id)})
	if len(out) != 0 {
		t.Errorf("answer = %v; want only RequestId (added by the protocol layer)", out)
	}
	for _, action := range []string{"DeleteUserCertificate", "GetUserCertificateDetail"} {
		_, apiErr := bizCall(t, s, testEpoch, action, map[string]string{"CertId": idString(id)})
		wantAPIError(t, apiErr, http.StatusNotFound, "NotFound", "")
	}

	orderID, certID := issuedOrder(t, s, testEpoch, "symantec-free-1-free", "buy.example.com")
	_, apiErr := bizCall(t, s, testEpoch, "DeleteUserCertificate", map[string]string{"CertId": idString(certID)})
	wantAPIError(t, apiErr, http.StatusForbidden, "DeleteFail", "purchased")
	after := s.Certificates[idString(certID)].NotAfter.Add(time.Second)
	mustCall(t, s, after, "DeleteUserCertificate", map[string]string{"CertId": idString(certID)})
	if st := mustCall(t, s, after, "DescribeCertificateState", map[string]string{"OrderId": idString(orderID)}); st["Type"] != "certificate" {
		t.Errorf("the order after deleting its expired certificate: %v", st)
	}
}
