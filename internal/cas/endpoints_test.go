package cas

import (
	"errors"
	"strings"
	"testing"
)

func TestResolveEndpoint(t *testing.T) {
	tests := []struct {
		name, region, override string
		want                   Endpoint
		wantErr                string
	}{
		{name: "china site home region", region: "cn-hangzhou", want: Endpoint{"https", "cas.aliyuncs.com"}},
		{name: "mainland region uses the central host", region: "cn-beijing", want: Endpoint{"https", "cas.aliyuncs.com"}},
		{name: "international site", region: "ap-southeast-1", want: Endpoint{"https", "cas.ap-southeast-1.aliyuncs.com"}},
		{name: "regional international host", region: "eu-central-1", want: Endpoint{"https", "cas.eu-central-1.aliyuncs.com"}},
		{name: "unknown region lists the supported ones", region: "mars-north-1", wantErr: `region "mars-north-1" has no Certificate Management Service endpoint; supported regions: ap-northeast-1,`},
		{name: "override host means https", region: "mars-north-1", override: "cas.example.test", want: Endpoint{"https", "cas.example.test"}},
		{name: "override URL keeps scheme and port", region: "cn-hangzhou", override: "http://127.0.0.1:8787", want: Endpoint{"http", "127.0.0.1:8787"}},
		{name: "override with trailing slash", override: "http://127.0.0.1:8787/", want: Endpoint{"http", "127.0.0.1:8787"}},
		{name: "override with a path is refused", override: "http://127.0.0.1:8787/api", wantErr: "without path"},
		{name: "override with another scheme is refused", override: "ftp://x", wantErr: "scheme must be http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveEndpoint(tt.region, tt.override)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestUnsupportedRegionErrorIsTyped(t *testing.T) {
	_, err := ResolveEndpoint("nowhere", "")
	var ure *UnsupportedRegionError
	if !errors.As(err, &ure) || ure.Region != "nowhere" {
		t.Fatalf("err = %#v, want *UnsupportedRegionError", err)
	}
}

func TestSiteOf(t *testing.T) {
	if SiteOf("cn-hangzhou") != SiteChina || SiteOf("ap-southeast-1") != SiteInternational || SiteOf("x") != "" {
		t.Fatal("SiteOf does not follow the endpoint table")
	}
}
