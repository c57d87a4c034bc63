package cas

import (
	"context"
	"errors"
	"strconv"
)

// Shares (cas-api.md "Shares", cas-certs.md §3): ShareCertificate gives a purchased, issued
// certificate to another account of the same legal entity. It answers RequestId only,
// and the API has no action to list, read or cancel a share: once made, a share cannot be seen or
// undone through the API.

// ShareCertificate shares a certificate (its CertId) with another account (its numeric account
// ID, the UID). The typed SDK lacks the action, so it goes through CommonRequest.
//
// It is NOT idempotent and is never resent once it may have reached the service: a certificate
// can be shared once, so a resend after a share whose answer was lost would be refused as
// "already shared", a refusal that cannot be told apart from a real one, and there is no read to
// settle the question. A lost answer (dropped connection after sending, 5xx) is therefore an
// *OutcomeUnknownError; only throttling and failures before anything was sent are retried.
func (c *Client) ShareCertificate(ctx context.Context, certificateID, targetUserID int64) error {
	return c.commonRequest(ctx, commonCall{Action: "ShareCertificate", Idempotent: false, Query: map[string]string{
		"CertificateId": strconv.FormatInt(certificateID, 10),
		"TargetUserId":  strconv.FormatInt(targetUserID, 10),
	}}, nil)
}

// IsShareRefused reports whether the service refused to share a certificate because of what the
// certificate is: uploaded, received from another account, revoked or expired, or already
// shared once. No code is documented for these refusals (cas-certs.md §3): this client
// takes OperationDenied, the code the emulator answers, an assumption to confirm against the
// service. A malformed or own account id is an InvalidParameterError and an unknown certificate a
// NotFoundError, as for the other actions.
func IsShareRefused(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == "OperationDenied"
}
