package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestProviderModelRegionAndEndpoint(t *testing.T) {
	keys := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "b"}
	with := func(extra map[string]string) func(string) string {
		m := map[string]string{}
		for k, v := range keys {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name         string
		model        providerModel
		env          map[string]string
		wantRegion   string
		wantEndpoint string
		wantErr      string
	}{
		{name: "default region is the China site", wantRegion: "cn-hangzhou", wantEndpoint: "https://cas.aliyuncs.com"},
		{name: "configured region", model: providerModel{Region: types.StringValue("ap-southeast-1")}, wantRegion: "ap-southeast-1", wantEndpoint: "https://cas.ap-southeast-1.aliyuncs.com"},
		{name: "region from ALIBABA_CLOUD_REGION", env: map[string]string{"ALIBABA_CLOUD_REGION": "eu-central-1", "ALICLOUD_REGION": "cn-beijing"}, wantRegion: "eu-central-1", wantEndpoint: "https://cas.eu-central-1.aliyuncs.com"},
		{name: "region from ALICLOUD_REGION", env: map[string]string{"ALICLOUD_REGION": "cn-beijing"}, wantRegion: "cn-beijing", wantEndpoint: "https://cas.aliyuncs.com"},
		{name: "configuration wins over environment", model: providerModel{Region: types.StringValue("cn-shanghai")}, env: map[string]string{"ALIBABA_CLOUD_REGION": "ap-southeast-1"}, wantRegion: "cn-shanghai", wantEndpoint: "https://cas.aliyuncs.com"},
		{name: "endpoint from the environment", env: map[string]string{"ALIBABA_CLOUD_CAS_ENDPOINT": "http://127.0.0.1:9"}, wantRegion: "cn-hangzhou", wantEndpoint: "http://127.0.0.1:9"},
		{name: "configured endpoint wins", model: providerModel{Endpoint: types.StringValue("http://127.0.0.1:1")}, env: map[string]string{"ALIBABA_CLOUD_CAS_ENDPOINT": "http://127.0.0.1:9"}, wantRegion: "cn-hangzhou", wantEndpoint: "http://127.0.0.1:1"},
		{name: "unsupported region", model: providerModel{Region: types.StringValue("mars-north-1")}, wantErr: "supported regions: ap-northeast-1"},
		{name: "unknown value", model: providerModel{Region: types.StringUnknown()}, wantErr: "only known after apply"},
		{name: "bad endpoint", model: providerModel{Endpoint: types.StringValue("ftp://x")}, wantErr: "scheme must be http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, diags := tt.model.client(context.Background(), with(tt.env), t.TempDir(), "test")
			if tt.wantErr != "" {
				if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tt.wantErr) {
					t.Fatalf("diags = %v, want an error containing %q", diags, tt.wantErr)
				}
				return
			}
			if diags.HasError() {
				t.Fatal(diags)
			}
			if c.Region() != tt.wantRegion || c.Endpoint().URL() != tt.wantEndpoint {
				t.Fatalf("region %s endpoint %s; want %s %s", c.Region(), c.Endpoint().URL(), tt.wantRegion, tt.wantEndpoint)
			}
		})
	}
}
