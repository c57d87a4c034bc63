package auth

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) Env { return func(k string) string { return m[k] } }

func writeConfig(t *testing.T, dir, current string, profiles ...map[string]any) string {
	t.Helper()
	path := filepath.Join(dir, ".aliyun", "config.json")
	data, _ := json.Marshal(map[string]any{"current": current, "profiles": profiles})
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func akProfile(name, id string) map[string]any {
	return map[string]any{"name": name, "mode": "AK", "access_key_id": id, "access_key_secret": "s-" + id, "region_id": "cn-shanghai"}
}

// keyID resolves and returns the access key id the provider would sign with.
func keyID(t *testing.T, s Settings, env Env, home string) (string, Resolved) {
	t.Helper()
	r, err := Resolve(s, env, home)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	c, err := r.Provider.GetCredentials()
	if err != nil {
		return "error: " + err.Error(), r
	}
	return c.AccessKeyId, r
}

func TestPrecedence(t *testing.T) {
	home := t.TempDir()
	writeConfig(t, home, "default", akProfile("default", "PROFILE"), akProfile("other", "OTHER"))
	fullEnv := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"}

	tests := []struct {
		name     string
		settings Settings
		env      map[string]string
		home     string
		want     string
		source   string
	}{
		{name: "1 configuration wins over everything", settings: Settings{AccessKey: "CONFIG", SecretKey: "s"}, env: fullEnv, home: home, want: "CONFIG", source: "provider configuration"},
		{name: "2 environment wins over the profile", env: fullEnv, home: home, want: "ENV", source: "environment variable ALIBABA_CLOUD_ACCESS_KEY_ID"},
		{name: "2 ALIBABA_CLOUD_* wins over ALICLOUD_*", env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "NEW", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s", "ALICLOUD_ACCESS_KEY": "OLD", "ALICLOUD_SECRET_KEY": "s"}, want: "NEW"},
		{name: "2 legacy ALICLOUD_* names", env: map[string]string{"ALICLOUD_ACCESS_KEY": "OLD", "ALICLOUD_SECRET_KEY": "s"}, want: "OLD"},
		{name: "2 secret from the environment completes a configured key", settings: Settings{AccessKey: "CONFIG"}, env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"}, want: "CONFIG"},
		{name: "3 current profile of the default file", home: home, want: "PROFILE", source: `profile "default" (mode AK)`},
		{name: "3 named profile from configuration", settings: Settings{Profile: "other"}, home: home, want: "OTHER"},
		{name: "3 named profile from the environment", env: map[string]string{"ALIBABA_CLOUD_PROFILE": "other"}, home: home, want: "OTHER"},
		{name: "3 profile wins over ECS role", settings: Settings{ECSRoleName: "role"}, home: home, want: "PROFILE"},
		{name: "4 ECS role when nothing else", settings: Settings{ECSRoleName: "role"}, home: t.TempDir(), source: `ECS RAM role "role"`},
		{name: "4 ECS role from the environment", env: map[string]string{"ALICLOUD_ECS_ROLE_NAME": "role"}, home: t.TempDir(), source: `ECS RAM role "role"`},
		{name: "nothing found", home: t.TempDir(), want: "error: no Alibaba Cloud credentials were found", source: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, r := keyID(t, tt.settings, envOf(tt.env), tt.home)
			if tt.want != "" && !strings.HasPrefix(got, tt.want) {
				t.Errorf("signs with %q, want %q", got, tt.want)
			}
			if tt.source != "" && !strings.HasPrefix(r.Source, tt.source) {
				t.Errorf("source = %q, want prefix %q", r.Source, tt.source)
			}
		})
	}
}

func TestSecurityTokenIsCarried(t *testing.T) {
	r, err := Resolve(Settings{}, envOf(map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "STS.x",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s", "ALIBABA_CLOUD_SECURITY_TOKEN": "tok"}), "")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := r.Provider.GetCredentials()
	if c.SecurityToken != "tok" {
		t.Fatalf("token = %q", c.SecurityToken)
	}
}

func TestNoCredentialsErrorNamesEveryWay(t *testing.T) {
	r, err := Resolve(Settings{}, envOf(nil), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Provider.GetCredentials()
	var none *NoCredentialsError
	if !errors.As(err, &none) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"access_key and secret_key", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY",
		"ALIBABA_CLOUD_SECURITY_TOKEN", "~/.aliyun/config.json", "ALIBABA_CLOUD_PROFILE", "ecs_role_name", "assume_role"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not mention %q", want)
		}
	}
}

func TestConfigurationErrors(t *testing.T) {
	home := t.TempDir()
	writeConfig(t, home, "default", akProfile("default", "P"),
		map[string]any{"name": "rsa", "mode": "RsaKeyPair"},
		map[string]any{"name": "sts", "mode": "StsToken", "access_key_id": "a", "access_key_secret": "b"})
	tests := []struct {
		name     string
		settings Settings
		env      map[string]string
		want     string
	}{
		{name: "key without secret", settings: Settings{AccessKey: "A"}, want: "no secret"},
		{name: "secret without key", env: map[string]string{"ALICLOUD_SECRET_KEY": "s"}, want: "no access key ID"},
		{name: "named profile missing", settings: Settings{Profile: "nope"}, want: `profile "nope" is not in`},
		{name: "unsupported mode", settings: Settings{Profile: "rsa"}, want: "mode RsaKeyPair is not supported; supported modes: AK, StsToken, RamRoleArn, EcsRamRole"},
		{name: "incomplete profile", settings: Settings{Profile: "sts"}, want: "mode StsToken needs sts_token"},
		{name: "named file missing", settings: Settings{SharedCredentialsFile: filepath.Join(home, "missing.json")}, want: "missing.json"},
		{name: "bad role ARN", settings: Settings{AccessKey: "A", SecretKey: "s", AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::1:role/x"}}, want: "is not a RAM role ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.settings, envOf(tt.env), home)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestProfileRegionIsReported(t *testing.T) {
	home := t.TempDir()
	writeConfig(t, home, "default", akProfile("default", "P"))
	r, err := Resolve(Settings{}, envOf(nil), home)
	if err != nil || r.ProfileRegion != "cn-shanghai" {
		t.Fatalf("ProfileRegion = %q, %v", r.ProfileRegion, err)
	}
}
