package domains

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
)

// Domain validation methods of DV applications.
const (
	ValidateDNS  = "DNS"
	ValidateFile = "FILE"
)

// CheckValidationMethod: file validation cannot prove control of a wildcard name.
func CheckValidationMethod(method string, names []Name) Findings {
	if !strings.EqualFold(method, ValidateFile) {
		return nil
	}
	var fs Findings
	for i, n := range names {
		if n.Kind == Wildcard {
			fs = append(fs, errorf("R-24", i, n.Text, "Wildcard names cannot be validated with a file.",
				"File validation proves control of one host, not of every subdomain: the CA refuses it for %q (R-24). Use validation_method = \"DNS\" (a TXT record).", n.Text))
		}
	}
	return fs
}

// CheckApplicantEmail: the address must be one, and an EV applicant's address a business one,
// not a free mail service's.
func CheckApplicantEmail(validation, email string) *Finding {
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email, "@") {
		f := errorf("R-25", -1, email, "The email address is not valid.",
			"The CA sends its confirmation to this address, which must belong to the applicant (R-25); give a plain address such as \"pki@example.com\".")
		return &f
	}
	domain := strings.ToLower(email[strings.LastIndexByte(email, '@')+1:])
	if strings.EqualFold(validation, "EV") && IsFreeMail(domain) {
		f := errorf("R-25", -1, email, "EV applications need a business email address.",
			"%s is a free mail service; the CA verifies an EV applicant through an address of the organisation's own domain (R-25). Use an address at your company's domain.", domain)
		return &f
	}
	return nil
}

// MaxValidityDays is the longest validity of a publicly trusted certificate (R-14, CA/Browser
// Forum).
const MaxValidityDays = 397

// CheckValidity warns of a certificate valid for longer than browsers accept, and of a
// private-CA certificate valid for more than a year (R-48 advises at most one).
func CheckValidity(notBefore, notAfter time.Time) *Finding {
	days := int(notAfter.Sub(notBefore).Hours() / 24)
	if days <= MaxValidityDays {
		return nil
	}
	f := warnf("R-14", -1, "", "The certificate is valid for too long to be publicly trusted.",
		"It is valid for %d days; browsers distrust publicly trusted certificates valid for more than %d days (R-14), and a private-CA certificate valid for more than a year is flagged as a key-leak risk (R-48).", days, MaxValidityDays)
	return &f
}

// CheckDeployableName: a certificate whose name has Chinese characters cannot be deployed to
// cloud products.
func CheckDeployableName(name string) *Finding {
	for _, r := range name {
		if unicode.Is(unicode.Han, r) {
			f := warnf("R-61", -1, name, "The certificate name contains Chinese characters.",
				"A certificate whose name contains Chinese characters cannot be deployed to cloud products (R-61). Use a name in ASCII, such as \"example.com-2026-rsa2048\" (R-45).")
			return &f
		}
	}
	return nil
}
