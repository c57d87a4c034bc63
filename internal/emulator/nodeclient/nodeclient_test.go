package nodeclient_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// installHint is how to get what the test needs; a missing Node.js fails the test, never skips it.
const installHint = "the official Node.js SDK test needs Node.js 20 (18 at least) and npm on PATH: " +
	"install them (Debian/Ubuntu: `apt-get install nodejs npm`, which must give Node.js 18 or newer; " +
	"otherwise Node.js 20 from https://nodejs.org/en/download), then run the tests again"

// TestOfficialNodeSDK runs roundtrip.mjs (Alibaba Cloud's generated Node.js SDK) against an
// emulator once per signature style, and checks in the emulator's request log that every request
// was signed in that style and that the calls the script makes were seen.
func TestOfficialNodeSDK(t *testing.T) {
	node := lookPath(t, "node")
	npm := lookPath(t, "npm")
	checkNodeVersion(t, node)
	installModules(t, npm)

	dir := t.TempDir()
	certPEM, keyPEM := selfSigned(t, "nodeclient.example.com")
	_, otherKeyPEM := selfSigned(t, "other.example.com")
	files := map[string]string{}
	for env, content := range map[string][]byte{
		"CASEMU_CERT_FILE": certPEM, "CASEMU_KEY_FILE": keyPEM, "CASEMU_OTHER_KEY_FILE": otherKeyPEM,
	} {
		path := filepath.Join(dir, strings.ToLower(strings.TrimPrefix(env, "CASEMU_"))+".pem")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		files[env] = path
	}

	for _, style := range []string{"acs3", "rpc"} {
		t.Run(style, func(t *testing.T) {
			t.Parallel()
			runStyle(t, node, style, files)
		})
	}
}

// The ids of the cloud resource and the deployment job the test puts in the emulated account.
const (
	seededResourceID int64 = 900001
	seededJobID      int64 = 900002
)

func runStyle(t *testing.T, node, style string, files map[string]string) {
	srv, _ := emulator.NewTestServer(emulator.Options{})
	t.Cleanup(srv.Close)
	ctl := control.New(srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)

	sess := assumeRole(t, srv, "nodeclient-"+style)
	seededAt := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	// A cloud resource and a deployment job, so that the two lists answer an entry for the SDK to
	// parse (the API has no action that creates a cloud resource).
	for _, obj := range []struct {
		kind string
		id   int64
		body map[string]any
	}{
		{"cloud_resources", seededResourceID, map[string]any{
			"id": seededResourceID, "cloud_product": "ALB", "region_id": emulator.DefaultRegion, "domain": "nodeclient.example.com",
			"instance_id": "alb-nodeclient0001", "listener_id": "lsn-nodeclient0001@443", "listener_port": 443, "enable_https": true,
			"created_at": seededAt, "modified_at": seededAt,
		}},
		{"jobs", seededJobID, map[string]any{
			"id": seededJobID, "name": "nodeclient-job", "job_type": "user", "instance_id": "cas-job-user-nodecl",
			"status": "editing", "cert_ids": []int64{}, "resource_ids": []int64{seededResourceID}, "contact_ids": []int64{},
			"created_at": seededAt, "modified_at": seededAt,
		}},
	} {
		if err := ctl.PutObject(ctx, obj.kind, strconv.FormatInt(obj.id, 10), obj.body); err != nil {
			t.Fatalf("seeding %s/%d: %v", obj.kind, obj.id, err)
		}
	}
	if err := ctl.ClearRequests(ctx); err != nil { // the log holds the script's requests alone
		t.Fatal(err)
	}

	cmd := exec.CommandContext(ctx, node, "roundtrip.mjs")
	cmd.Env = append(os.Environ(),
		"CASEMU_STYLE="+style,
		"CASEMU_ENDPOINT="+strings.TrimPrefix(srv.URL, "http://"),
		"CASEMU_REGION="+emulator.DefaultRegion,
		"CASEMU_NAME="+certName(style),
		"CASEMU_ACCESS_KEY_ID="+emulator.DemoAccessKeyID,
		"CASEMU_ACCESS_KEY_SECRET="+emulator.DemoAccessKeySecret,
		"CASEMU_STS_ACCESS_KEY_ID="+sess.AccessKeyID,
		"CASEMU_STS_ACCESS_KEY_SECRET="+sess.AccessKeySecret,
		"CASEMU_STS_SECURITY_TOKEN="+sess.SecurityToken,
		"CASEMU_CLOUD_RESOURCE_ID="+strconv.FormatInt(seededResourceID, 10),
		"CASEMU_JOB_ID="+strconv.FormatInt(seededJobID, 10),
	)
	for env, path := range files {
		cmd.Env = append(cmd.Env, env+"="+path)
	}
	out, err := cmd.CombinedOutput()
	scriptOK := err == nil
	if scriptOK {
		t.Logf("node roundtrip.mjs (%s):\n%s", style, out)
	} else {
		t.Errorf("node roundtrip.mjs (%s) failed: %v\n%s", style, err, out)
	}

	log, err := ctl.Requests(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 {
		t.Fatal("the emulator logged no request from the script")
	}
	checkStyle(t, style, log)
	if scriptOK {
		checkActions(t, log, sess.AccessKeyID)
		checkUploadParams(t, log, certName(style))
	}
	if t.Failed() {
		t.Logf("the emulator's request log:\n%s", formatLog(log))
	}
}

// certName is the name the script uploads: the characters that percent-encodings disagree on
// (space, * ~ ( ) ! ' & = + /, and a non-ASCII letter) go through both signatures.
func certName(style string) string { return "nodeclient-" + style + " ü*~(x)!'&=+/" }

// checkUploadParams asserts that the successful upload with the key pair arrived with the name
// and the tag (a list the SDK flattens to Tags.1.Key, Tags.1.Value) as the script sent them.
func checkUploadParams(t *testing.T, log []control.Request, name string) {
	t.Helper()
	want := map[string]string{"Name": name, "Tags.1.Key": "env", "Tags.1.Value": "node client ü*~(x)!'", "Key": "***"}
	for _, r := range log {
		if r.Action != "UploadUserCertificate" || r.Code != "" || r.AccessKeyID != emulator.DemoAccessKeyID {
			continue
		}
		for k, v := range want {
			if r.Params[k] != v {
				t.Errorf("UploadUserCertificate parameter %s = %q, want %q", k, r.Params[k], v)
			}
		}
		if !strings.HasPrefix(r.Params["Cert"], "-----BEGIN CERTIFICATE-----\n") {
			t.Errorf("UploadUserCertificate parameter Cert = %.40q..., want the PEM text", r.Params["Cert"])
		}
		return
	}
	t.Error("no successful UploadUserCertificate with the key pair in the log")
}

// checkStyle asserts that every logged request was signed in the style under test: ACS3 requests
// carry no RPC signature parameters, RPC requests carry them all.
func checkStyle(t *testing.T, style string, log []control.Request) {
	t.Helper()
	rpcParams := []string{"Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "AccessKeyId"}
	for _, r := range log {
		if r.SignatureStyle != style {
			t.Errorf("request %d %s: signature style %q, want %q", r.Seq, r.Action, r.SignatureStyle, style)
			continue
		}
		switch style {
		case "acs3":
			for _, p := range rpcParams {
				if _, ok := r.Params[p]; ok {
					t.Errorf("request %d %s: ACS3 request with RPC parameter %s", r.Seq, r.Action, p)
				}
			}
		case "rpc":
			for _, p := range rpcParams {
				if r.Params[p] == "" {
					t.Errorf("request %d %s: RPC request without %s", r.Seq, r.Action, p)
				}
			}
			if m, v := r.Params["SignatureMethod"], r.Params["SignatureVersion"]; m != "HMAC-SHA1" || v != "1.0" {
				t.Errorf("request %d %s: SignatureMethod %q SignatureVersion %q, want HMAC-SHA1 1.0", r.Seq, r.Action, m, v)
			}
		}
		if r.Version != "2020-04-07" {
			t.Errorf("request %d %s: version %q", r.Seq, r.Action, r.Version)
		}
	}
}

// checkActions asserts that the emulator saw each call of the script with the outcome expected.
func checkActions(t *testing.T, log []control.Request, stsKey string) {
	t.Helper()
	type outcome struct {
		who, action, code string
		status            int
	}
	seen := map[outcome]int{}
	for _, r := range log {
		who := "ak"
		switch {
		case r.AccessKeyID == stsKey:
			who = "sts"
		case r.AccessKeyID != emulator.DemoAccessKeyID:
			who = r.AccessKeyID
		}
		if r.Code == "SignatureDoesNotMatch" {
			who = "wrong-secret"
		}
		seen[outcome{who, r.Action, r.Code, r.HTTPStatus}]++
	}
	want := []outcome{
		{"ak", "UploadUserCertificate", "", 200},
		{"ak", "GetUserCertificateDetail", "", 200},
		{"ak", "ListUserCertificateOrder", "", 200},
		{"ak", "DeleteUserCertificate", "", 200},
		{"ak", "GetUserCertificateDetail", "NotFound", 404},
		{"wrong-secret", "ListUserCertificateOrder", "SignatureDoesNotMatch", 400},
		{"ak", "UploadUserCertificate", "InvalidParameter", 400},
		{"ak", "ListDeploymentJob", "", 200},
		{"ak", "ListCloudResources", "", 200},
		{"sts", "UploadUserCertificate", "", 200},
		{"sts", "GetUserCertificateDetail", "", 200},
		{"sts", "ListUserCertificateOrder", "", 200},
		{"sts", "DeleteUserCertificate", "", 200},
	}
	for _, w := range want {
		if seen[w] == 0 {
			t.Errorf("the emulator did not see %s %s answered %d %s", w.who, w.action, w.status, w.code)
		}
		delete(seen, w)
	}
	for o, n := range seen {
		t.Errorf("unexpected request(s) in the log: %d× %s %s answered %d %s", n, o.who, o.action, o.status, o.code)
	}
}

func formatLog(log []control.Request) string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "SEQ\tACTION\tSTYLE\tKEY\tSTATUS\tCODE")
	for _, r := range log {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\n", r.Seq, r.Action, r.SignatureStyle, r.AccessKeyID, r.HTTPStatus, r.Code)
	}
	w.Flush()
	return b.String()
}

// stsSession is what AssumeRole returned.
type stsSession struct{ AccessKeyID, AccessKeySecret, SecurityToken string }

// assumeRole gets an STS session of the demo account from the emulator's STS AssumeRole, signed
// by the Go SDK v1 with the demo key pair.
func assumeRole(t *testing.T, srv *httptest.Server, sessionName string) stsSession {
	t.Helper()
	cfg := sdk.NewConfig()
	cfg.AutoRetry = false
	cfg.Scheme = "HTTP"
	cfg.Timeout = 10 * time.Second
	client, err := sdk.NewClientWithOptions(emulator.DefaultRegion, cfg,
		credentials.NewAccessKeyCredential(emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret))
	if err != nil {
		t.Fatal(err)
	}
	r := requests.NewCommonRequest()
	r.Product, r.Version, r.ApiName = "Sts", "2015-04-01", "AssumeRole"
	r.Method, r.Scheme, r.Domain = requests.POST, "http", strings.TrimPrefix(srv.URL, "http://")
	r.FormParams["RoleArn"] = "acs:ram::" + emulator.DemoAccountID + ":role/nodeclient"
	r.FormParams["RoleSessionName"] = sessionName
	r.FormParams["DurationSeconds"] = "900"
	resp, err := client.ProcessCommonRequest(r)
	if err != nil {
		t.Fatalf("STS AssumeRole: %v", err)
	}
	var body struct {
		Credentials struct{ AccessKeyId, AccessKeySecret, SecurityToken string }
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil {
		t.Fatalf("STS AssumeRole answered %s: %v", resp.GetHttpContentString(), err)
	}
	c := body.Credentials
	if !strings.HasPrefix(c.AccessKeyId, "STS.") || c.AccessKeySecret == "" || c.SecurityToken == "" {
		t.Fatalf("STS AssumeRole answered credentials %+v", c)
	}
	return stsSession{c.AccessKeyId, c.AccessKeySecret, c.SecurityToken}
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not on PATH: %s", name, installHint)
	}
	return path
}

func checkNodeVersion(t *testing.T, node string) {
	t.Helper()
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v: %s", node, err, installHint)
	}
	v := strings.TrimSpace(string(out))
	major, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(v, "v"), ".", 2)[0])
	if err != nil || major < 18 {
		t.Fatalf("node %s is too old: %s", v, installHint)
	}
}

var (
	installOnce sync.Once
	installErr  error
)

// installModules runs `npm ci` once per test process, when node_modules is missing or was
// installed from another package-lock.json (a stamp in node_modules records the lock's hash).
func installModules(t *testing.T, npm string) {
	t.Helper()
	installOnce.Do(func() { installErr = npmCI(npm) })
	if installErr != nil {
		t.Fatal(installErr)
	}
}

const stampFile = "node_modules/.casemu-lock-sha256"

func npmCI(npm string) error {
	var manifest []byte
	for _, f := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		manifest = append(manifest, b...)
	}
	sum := sha256.Sum256(manifest)
	want := hex.EncodeToString(sum[:])
	if got, err := os.ReadFile(stampFile); err == nil && string(got) == want {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// --ignore-scripts: @alicloud/openapi-core's postinstall installs TypeScript on Node 10/12
	// only; nothing else needs a script.
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci in %s failed (it needs the npm registry the first time): %v\n%s", mustGetwd(), err, out)
	}
	return os.WriteFile(stampFile, []byte(want), 0o644)
}

func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}

// selfSigned returns a fresh self-signed ECDSA P-256 certificate for host and its PKCS #8 key.
func selfSigned(t *testing.T, host string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host, Organization: []string{"certforge nodeclient test"}},
		DNSNames:     []string{host, "www." + host},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(90 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
}
