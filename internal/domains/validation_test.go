package domains

import (
	"testing"
	"time"
)

func TestCheckValidationMethod(t *testing.T) {
	ns := names(t, "www.a.com", "*.a.com")
	if fs := CheckValidationMethod("DNS", ns); len(fs) != 0 {
		t.Errorf("DNS: %v", fs)
	}
	fs := CheckValidationMethod("file", ns)
	if len(fs) != 1 || fs[0].Rule != "R-24" || fs[0].Index != 1 {
		t.Errorf("R-24 FILE with a wildcard: %v", fs)
	}
	if fs := CheckValidationMethod("FILE", ns[:1]); len(fs) != 0 {
		t.Errorf("FILE with a specific name: %v", fs)
	}
}

func TestCheckApplicantEmail(t *testing.T) {
	tests := []struct {
		name, validation, email string
		rule                    string
	}{
		{"business address for EV", "EV", "pki@example.com", ""},
		{"free mail for DV is fine", "DV", "me@gmail.com", ""},
		{"R-25 free mail for EV", "EV", "me@gmail.com", "R-25"},
		{"R-25 Chinese free mail for EV", "EV", "boss@QQ.com", "R-25"},
		{"R-25 free mail subdomain for EV", "EV", "boss@vip.163.com", "R-25"},
		{"R-25 not an address", "DV", "pki at example.com", "R-25"},
		{"R-25 display name form", "DV", "PKI <pki@example.com>", "R-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := CheckApplicantEmail(tt.validation, tt.email)
			if (f == nil) != (tt.rule == "") || (f != nil && f.Rule != tt.rule) {
				t.Errorf("CheckApplicantEmail(%s, %q) = %v; want %q", tt.validation, tt.email, f, tt.rule)
			}
		})
	}
}

func TestCheckValidity(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if f := CheckValidity(start, start.AddDate(0, 0, 397)); f != nil {
		t.Errorf("397 days: %v", f)
	}
	if f := CheckValidity(start, start.AddDate(0, 0, 398)); f == nil || f.Rule != "R-14" || f.Severity != Warning {
		t.Errorf("R-14 398 days: %v", f)
	}
}

func TestCheckDeployableName(t *testing.T) {
	if f := CheckDeployableName("example.com-2026-rsa2048"); f != nil {
		t.Errorf("ASCII name: %v", f)
	}
	if f := CheckDeployableName("网站证书"); f == nil || f.Rule != "R-61" || f.Severity != Warning {
		t.Errorf("R-61 Chinese name: %v", f)
	}
}
