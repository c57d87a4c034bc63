package provider_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
)

// exampleCategories are the folders of examples/ that tfplugindocs renders into docs/ (one
// configuration per subdirectory, or the folder itself for the provider's page).
var exampleCategories = []string{"resources", "data-sources", "ephemeral-resources", "functions", "provider"}

// TestExamplesValidate runs `terraform validate` on every example configuration, each in a copy of
// its directory, with the provider built from this tree installed by a development override: each
// example must be a complete configuration (no undeclared references, no other provider, no file
// that is not there). Nothing is downloaded and no credentials are needed: validate does not
// configure the provider, and dev_overrides spare `terraform init`.
func TestExamplesValidate(t *testing.T) {
	acctest.PreCheck(t)
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is not on PATH: it builds the provider the examples are validated with: %v", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dirs := exampleDirs(t, filepath.Join(root, "examples"))

	// One build: the provider, and the demo's certificate generator (examples/demo/gencert), whose
	// output the demo's file() calls read (run.sh writes them before terraform runs).
	bin := t.TempDir()
	build := exec.Command(goTool, "build", "-o", bin+string(filepath.Separator), ".", "./examples/demo/gencert")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the provider failed: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(bin, "terraform-provider-alicloudcas")); err != nil {
		t.Fatalf("go build did not write the provider binary: %v", err)
	}

	rc := filepath.Join(t.TempDir(), "terraformrc")
	cliConfig := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		"certforge/alicloudcas", filepath.ToSlash(bin))
	if err := os.WriteFile(rc, []byte(cliConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(cleanTerraformEnv(os.Environ()),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")

	for _, dir := range dirs {
		rel, _ := filepath.Rel(filepath.Join(root, "examples"), dir)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			work := t.TempDir()
			copyExample(t, dir, work)
			if fi, err := os.Stat(filepath.Join(dir, "gencert")); err == nil && fi.IsDir() {
				gen := exec.Command(filepath.Join(bin, "gencert"), "-out", work)
				if out, err := gen.CombinedOutput(); err != nil {
					t.Fatalf("gencert failed: %v\n%s", err, out)
				}
			}
			validate := exec.Command(terraform, "validate", "-no-color")
			validate.Dir = work
			validate.Env = env
			out, err := validate.CombinedOutput()
			if err != nil {
				t.Fatalf("terraform validate failed in examples/%s: %v\n%s", filepath.ToSlash(rel), err, out)
			}
		})
	}
}

// exampleDirs lists the example configurations: every directory holding .tf files under the
// categories tfplugindocs renders, and the demo. It fails when one of them has none, so that a
// moved folder cannot make the test pass by validating nothing.
func exampleDirs(t *testing.T, examples string) []string {
	t.Helper()
	var dirs []string
	for _, c := range append(append([]string{}, exampleCategories...), "demo") {
		base := filepath.Join(examples, c)
		found := 0
		err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				return nil
			}
			if d.Name() == ".terraform" || d.Name() == "gencert" {
				return filepath.SkipDir
			}
			tf, err := filepath.Glob(filepath.Join(path, "*.tf"))
			if err != nil {
				return err
			}
			if len(tf) > 0 {
				dirs = append(dirs, path)
				found++
			}
			return nil
		})
		if err != nil {
			t.Fatalf("listing examples/%s: %v", c, err)
		}
		if found == 0 {
			t.Fatalf("examples/%s holds no configuration (.tf file)", c)
		}
	}
	sort.Strings(dirs)
	return dirs
}

// copyExample copies the configuration's files (not its subdirectories: a nested example is
// validated on its own, gencert is Go source) and leaves out anything terraform init or apply left.
func copyExample(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == ".terraform.lock.hcl" || strings.HasPrefix(name, "terraform.tfstate") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// cleanTerraformEnv drops the variables that would change what terraform reads or does here: an
// outer CLI configuration, extra arguments, another data directory or workspace, variable values.
func cleanTerraformEnv(environ []string) []string {
	out := environ[:0:0]
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "TF_CLI_CONFIG_FILE", name == "TERRAFORM_CONFIG", name == "TF_DATA_DIR",
			name == "TF_WORKSPACE", name == "TF_PLUGIN_CACHE_DIR", name == "TF_LOG", name == "TF_LOG_PATH",
			strings.HasPrefix(name, "TF_CLI_ARGS"), strings.HasPrefix(name, "TF_VAR_"):
			continue
		}
		out = append(out, kv)
	}
	return out
}
