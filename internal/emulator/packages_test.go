package emulator

import (
	"testing"
	"time"
)

func TestDescribePackageState(t *testing.T) {
	state := newState()
	state.Packages["geotrust-dv-1-starter"] = &Package{ProductCode: "geotrust-dv-1-starter", TotalCount: 5, UsedCount: 2, IssuedCount: 1}
	state.Packages["digicert-free-1-free"] = &Package{ProductCode: "digicert-free-1-free", TotalCount: 20}
	tests := []struct {
		name     string
		params   map[string]string
		wantCode string
		want     packageStateResponse
	}{
		{name: "purchased", params: map[string]string{"ProductCode": "geotrust-dv-1-starter"},
			want: packageStateResponse{ProductCode: "geotrust-dv-1-starter", TotalCount: 5, UsedCount: 2, IssuedCount: 1}},
		{name: "default product", params: map[string]string{},
			want: packageStateResponse{ProductCode: "digicert-free-1-free", TotalCount: 20}},
		{name: "empty product is the default", params: map[string]string{"ProductCode": ""},
			want: packageStateResponse{ProductCode: "digicert-free-1-free", TotalCount: 20}},
		{name: "documented but not purchased", params: map[string]string{"ProductCode": "cfca-ev-w-advanced"}, wantCode: "NotFoundPackage"},
		{name: "undocumented", params: map[string]string{"ProductCode": "comodo-dv-1-basic"}, wantCode: "InvalidParameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := describePackageState(&Call{Action: "DescribePackageState", Version: casVersion, Params: tt.params, State: state, Now: time.Now()})
			if tt.wantCode != "" {
				if err == nil || err.Code != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if len(packageProductCodes) != 15 {
		t.Errorf("%d product codes, the service documents 15", len(packageProductCodes))
	}
}
