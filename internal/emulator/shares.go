package emulator

import (
	"net/http"
	"strconv"
	"time"
)

// ShareCertificate (cas-api.md "Shares"; cas-certs.md §3): give a purchased, issued certificate
// to another account of the same legal entity. The API has no action to list, read or
// cancel a share, so shares are visible only in State (the control API's objects/shares).
//
// None of the refusals has a documented code (cas-certs.md §3: "no error codes found"). The
// emulator answers:
//   - 400 InvalidParameter for a TargetUserId that is not an account id (16 digits) or is the
//     caller's own account;
//   - 404 NotFound for an unknown CertificateId (as for the other certificate actions);
//   - 400 OperationDenied for a certificate that cannot be shared: uploaded, received from
//     another account, revoked or expired, or already shared once.

// Share is a certificate given to another account.
type Share struct {
	ID            int64     `json:"id"`
	CertificateID int64     `json:"certificate_id"`
	TargetUserID  string    `json:"target_user_id"`
	SharedAt      time.Time `json:"shared_at"`
}

// accountIDLength: Alibaba Cloud account ids (UIDs) have 16 digits.
const accountIDLength = 16

func init() {
	registerAction(casVersion, "ShareCertificate", shareCertificate)
}

func errShareDenied(format string, args ...any) *APIError {
	return Errorf(http.StatusBadRequest, "OperationDenied", format, args...)
}

func shareCertificate(c *Call) (any, *APIError) {
	certID, apiErr := c.RequiredInt64("CertificateId")
	if apiErr != nil {
		return nil, apiErr
	}
	target, apiErr := c.RequiredInt64("TargetUserId")
	if apiErr != nil {
		return nil, apiErr
	}
	targetID := strconv.FormatInt(target, 10)
	if target <= 0 || len(targetID) != accountIDLength {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter",
			"The parameter TargetUserId is invalid: %s is not an Alibaba Cloud account id (%d digits).", c.String("TargetUserId"), accountIDLength)
	}
	if targetID == c.AccountID {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter TargetUserId is invalid: a certificate cannot be shared with its own account.")
	}
	cert, ok := certByID(c.State, certID)
	if !ok {
		return nil, errCertNotFound(certID)
	}
	switch {
	case cert.Source == "upload":
		return nil, errShareDenied("The certificate %d was uploaded; only certificates purchased and issued in the service can be shared (R-51).", certID)
	case cert.Source == "share":
		return nil, errShareDenied("The certificate %d was shared with this account; a received certificate cannot be shared again (R-52).", certID)
	case cert.Source != "buy":
		return nil, errShareDenied("The certificate %d cannot be shared: only purchased certificates can (R-51).", certID)
	case cert.Revoked:
		return nil, errShareDenied("The certificate %d is revoked; only issued certificates can be shared (R-51).", certID)
	case !c.Now.Before(cert.NotAfter):
		return nil, errShareDenied("The certificate %d has expired; only issued certificates can be shared (R-51).", certID)
	}
	for _, sh := range c.State.Shares {
		if sh != nil && sh.CertificateID == certID {
			return nil, errShareDenied("The certificate %d was already shared with account %s; a certificate can be shared once (R-52).", certID, sh.TargetUserID)
		}
	}
	c.State.Shares = append(c.State.Shares, &Share{ID: c.State.newID(), CertificateID: certID, TargetUserID: targetID, SharedAt: c.Now})
	return struct{}{}, nil
}
