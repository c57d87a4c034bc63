package certcheck

import (
	"fmt"
	"unicode/utf8"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// MaxNameLength is the longest certificate name UploadUserCertificate takes, in characters.
//
// The sources disagree (cas-certs.md §2, cas-api.md "Traps"): 64 in the reference page of
// November 2025 and in SDK v4.0.3 (cas-models.md: "The name can be up to 64 characters"), 63 in
// one description of SDK v4.6, 128 in the page of July 2024. 64 is chosen because the reference
// page is the authority when sources disagree (cas-api.md), the newest page and two SDK
// generations say it, and the emulator refuses longer names the same way; 63 reads as an
// off-by-one of one generated description. A name of exactly 64 characters is the one case left
// to the service to decide.
const MaxNameLength = 64

// CheckName applies the name rules: at most MaxNameLength characters (an error: the upload would
// be refused) and no Chinese characters (R-61, a warning from the domains package: it uploads,
// but cannot be deployed). An empty name is not checked: it is not given, or not known yet.
func CheckName(name string) domains.Findings {
	if name == "" {
		return nil
	}
	var fs domains.Findings
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		fs = append(fs, errorf("R-45", FieldName, -1, fmt.Sprintf("The certificate name is too long: %d characters.", n),
			"UploadUserCertificate takes names of at most %d characters (API reference); names are unique in the account, and a short one such as \"example.com-2026-rsa2048\" is easy to find (R-45). Shorten it.", MaxNameLength))
	}
	if f := domains.CheckDeployableName(name); f != nil {
		fs = append(fs, located(f, FieldName))
	}
	return fs
}
