package provider_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
)

// Helpers of faults_acc_test.go.

// faultsProviderBlock is the provider block of a test that injects faults: env's endpoint and demo
// keys, and the retry settings the test chooses (acctest's block fixes max_retries = 3, which a
// storm of 30 % throttling exhausts).
func faultsProviderBlock(env *acctest.Env, lines ...string) string {
	var b strings.Builder
	b.WriteString("provider \"alicloudcas\" {\n")
	fmt.Fprintf(&b, "  endpoint   = %q\n  access_key = %q\n  secret_key = %q\n", env.URL, emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret)
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// leafSet is n distinct leaf certificates under one root and intermediate (cached RSA keys),
// each with its key, written as cert-<i>.pem, chain.pem and key-<i>.pem in dir. Leaves use a
// handful of cached P-256 keys: signing a leaf is cheap, generating keys is not.
type leafSet struct {
	dir          string
	fingerprints []string
}

func newLeafSet(t *testing.T, prefix string, n int) *leafSet {
	t.Helper()
	root := certtest.NewRoot(t, certtest.Spec{CommonName: "Faults Root CA", Key: certtest.CachedKey(t, certtest.RSA2048, 90)})
	inter := root.Intermediate(t, certtest.Spec{CommonName: "Faults Intermediate CA", Key: certtest.CachedKey(t, certtest.RSA2048, 91)})
	s := &leafSet{dir: t.TempDir()}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(s.dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("chain.pem", inter.PEM())
	for i := range n {
		cn := fmt.Sprintf("%s%d.faults.example.com", prefix, i)
		leaf := inter.Leaf(t, certtest.Spec{CommonName: cn, DNSNames: []string{cn}, Key: certtest.CachedKey(t, certtest.P256, 70+i%4)})
		write(fmt.Sprintf("cert-%d.pem", i), leaf.PEM())
		write(fmt.Sprintf("key-%d.pem", i), leaf.KeyPEM(t, certtest.PKCS8))
		sum := sha256.Sum256(leaf.DER())
		s.fingerprints = append(s.fingerprints, hex.EncodeToString(sum[:]))
	}
	return s
}

// path is a file of the set, in the form HCL's file() takes on every OS.
func (s *leafSet) path(name string) string { return filepath.ToSlash(filepath.Join(s.dir, name)) }

// objectCount is how many objects of a kind the emulator holds.
func objectCount(t *testing.T, env *acctest.Env, kind string) int {
	t.Helper()
	objs, err := env.Control.Objects(env.Context(), kind)
	if err != nil {
		t.Fatal(err)
	}
	switch v := objs.(type) {
	case map[string]any:
		return len(v)
	case []any:
		return len(v)
	case nil:
		return 0
	}
	t.Fatalf("the emulator's %s are a %T", kind, objs)
	return 0
}

// objectIDs are the ids of the emulator's objects of a kind (a map collection).
func objectIDs(t *testing.T, env *acctest.Env, kind string) map[string]map[string]any {
	t.Helper()
	objs, err := env.Control.Objects(env.Context(), kind)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	m, _ := objs.(map[string]any)
	for id, o := range m {
		obj, _ := o.(map[string]any)
		out[id] = obj
	}
	return out
}

// providerBinary builds the provider (go build of the module root) into a directory of the test,
// for a dev_overrides CLI configuration, and answers that directory.
func providerBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		if goTool = filepath.Join(runtime.GOROOT(), "bin", "go"); !fileExists(goTool) {
			t.Fatalf("the go tool is neither on PATH nor in GOROOT (%s): it builds the provider binary", runtime.GOROOT())
		}
	}
	// The package's directory is internal/provider; the module root is two levels up.
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	name := "terraform-provider-alicloudcas"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	dir := t.TempDir()
	cmd := exec.Command(goTool, "build", "-o", filepath.Join(dir, name), ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build of the provider failed: %v\n%s", err, out)
	}
	return dir
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// terraformCLI is the terraform binary the acceptance tests use (TF_ACC_TERRAFORM_PATH, else PATH).
func terraformCLI(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if !fileExists(p) {
			t.Fatalf("TF_ACC_TERRAFORM_PATH=%s does not exist", p)
		}
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("the terraform CLI is not on PATH and TF_ACC_TERRAFORM_PATH is not set")
	}
	return p
}
