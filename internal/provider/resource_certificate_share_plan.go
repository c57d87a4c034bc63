package provider

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"sync"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Plan-time logic of alicloudcas_certificate_share. A share cannot be read back or undone, so
// everything that can be known before it is sent is checked in the plan: the account ID's form
// (ValidateConfig, no API call), the certificate (one GetUserCertificateDetail, free)
// and other shares of the same certificate planned in the same run.

// accountIDPattern is the form of an Alibaba Cloud account ID (UID): 16 digits, the first not 0.
// ShareCertificate takes it as an integer (TargetUserId); the SDK's example is 1622883344556677.
// The argument is a string because it is an identifier, not a quantity, and 16-digit numbers
// exceed 2^53: JSON tools and JavaScript round them, so a UID kept as a number can silently
// become another account's. The form is checked at plan because the usual mistakes (the login
// email, the account alias, a RAM user's name or ID, an AccessKey ID) would otherwise reach the
// service at apply, for a call that cannot be taken back.
var accountIDPattern = regexp.MustCompile(`^[1-9][0-9]{15}$`)

// accountIDProblem says what is wrong with an account ID, "" when nothing is.
func accountIDProblem(s string) string {
	if accountIDPattern.MatchString(s) {
		return ""
	}
	return fmt.Sprintf("%q is not an Alibaba Cloud account ID. Give the receiving account's numeric UID (Account ID in "+
		"the console, 16 digits, e.g. \"1622883344556677\"), not its login email, alias, a RAM user or an AccessKey ID.", s)
}

// accountIDValidator refuses, at plan time and without any API call, a value that is not an
// account ID.
var accountIDValidator = stringCheck{
	description: "must be an Alibaba Cloud account ID: 16 digits",
	check: func(s string) (string, string) {
		if p := accountIDProblem(s); p != "" {
			return "Invalid account ID", p
		}
		return "", ""
	},
}

// shareSourceFinding refuses a certificate this account cannot share because of where it came
// from (certificateSource): an upload or a certificate received from another account
// . nil when it was purchased here.
func shareSourceFinding(c *cas.Certificate) *domains.Finding {
	switch certificateSource(!c.Purchased, c.InstanceID) {
	case sourceUploaded:
		return &domains.Finding{Severity: domains.Error, Rule: "R-51", Index: -1,
			Summary: fmt.Sprintf("Certificate %d was uploaded, and only purchased certificates can be shared", c.ID),
			Detail: fmt.Sprintf("Certificate %d (%s) was uploaded to this account; only certificates purchased and issued in the "+
				"service can be shared (R-51). To use it in another account, upload it there too.", c.ID, c.Name)}
	case sourceShared:
		return &domains.Finding{Severity: domains.Error, Rule: "R-52", Index: -1,
			Summary: fmt.Sprintf("Certificate %d was shared with this account, and cannot be shared again", c.ID),
			Detail: fmt.Sprintf("Certificate %d (%s) was received from another account (its instance %s is not an upload of "+
				"this account); a received certificate cannot be shared again (R-52). The owner account can share it, once.",
				c.ID, c.Name, c.InstanceID)}
	}
	return nil
}

// shareFindings are the rules a certificate must pass to be shared: purchased in this account
// and issued, not expired. A revoked certificate is not visible in the
// detail; the service refuses it at apply.
func shareFindings(c *cas.Certificate, at time.Time) domains.Findings {
	if f := shareSourceFinding(c); f != nil {
		return domains.Findings{*f}
	}
	if c.Expired || (!c.NotAfter.IsZero() && !at.Before(c.NotAfter)) {
		return domains.Findings{{Severity: domains.Error, Rule: "R-51", Index: -1,
			Summary: fmt.Sprintf("Certificate %d has expired, and only issued certificates can be shared", c.ID),
			Detail: fmt.Sprintf("Certificate %d (%s) expired at %s; only issued, valid certificates can be shared (R-51). Share "+
				"its renewal instead.", c.ID, c.Name, c.NotAfter.UTC().Format(time.RFC3339))}}
	}
	return nil
}

// shareRun is what one run of the provider has planned and sent: the certificate → target
// account of each share. Terraform configures the provider once per walk of a command (plan,
// apply), and each configuration makes a new *cas.Client, so a registry per client is a registry
// per walk. That is also its limit: it sees only the shares of the same configuration planned in
// the same walk. A certificate shared by another configuration, by hand, or by an earlier apply
// is not seen here; the service refuses it at apply.
type shareRun struct {
	mu      sync.Mutex
	planned map[int64]string
	sent    map[int64]string
}

// plan records a planned share; when another share of the same certificate to another account
// is planned in this run, it answers that account. The same resource planned twice (a
// replacement is planned twice) names the same account, which is no conflict.
func (s *shareRun) plan(certificateID int64, target string) (other string, conflict bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.planned[certificateID]; ok && t != target {
		return t, true
	}
	s.planned[certificateID] = target
	return "", false
}

// send records that a share is about to be sent; when one of the same certificate was already
// sent in this run (two resources with the same certificate and account, which the plan cannot
// tell from one resource planned twice), it answers its account and the caller sends nothing.
func (s *shareRun) send(certificateID int64, target string) (other string, duplicate bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.sent[certificateID]; ok {
		return t, true
	}
	s.sent[certificateID] = target
	return "", false
}

// shareRuns holds a shareRun per client, keyed weakly: an entry goes when its client is
// garbage-collected, so a long-lived process (the acceptance tests, which configure the provider
// for every command) does not accumulate them.
var shareRuns sync.Map // weak.Pointer[cas.Client] → *shareRun

func sharesOf(c *cas.Client) *shareRun {
	key := weak.Make(c)
	if s, ok := shareRuns.Load(key); ok {
		return s.(*shareRun)
	}
	s, loaded := shareRuns.LoadOrStore(key, &shareRun{planned: map[int64]string{}, sent: map[int64]string{}})
	if !loaded {
		runtime.AddCleanup(c, func(k weak.Pointer[cas.Client]) { shareRuns.Delete(k) }, key)
	}
	return s.(*shareRun)
}

// ModifyPlan checks a new share before anything is sent, and warns that it is permanent; a
// destroy is warned that it only forgets.
func (r *certificateShareResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		var state certificateShareModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.AddWarning(fmt.Sprintf("Destroy will not unshare certificate %d", state.CertificateID.ValueInt64()),
				shareForgottenDetail(state))
		}
		return
	}
	var plan certificateShareModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	certKnown := !plan.CertificateID.IsUnknown() && !plan.CertificateID.IsNull()
	targetKnown := !plan.TargetAccountID.IsUnknown() && !plan.TargetAccountID.IsNull()
	certID, target := plan.CertificateID.ValueInt64(), plan.TargetAccountID.ValueString()
	// Every argument requires replacement, so a change of either is a new share. (The framework
	// gives resource-level ModifyPlan an empty RequiresReplace: the attributes' own replacements
	// are not in it, so it cannot tell.)
	creating := req.State.Raw.IsNull()
	if !creating {
		var state certificateShareModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		creating = !plan.CertificateID.Equal(state.CertificateID) || !plan.TargetAccountID.Equal(state.TargetAccountID)
		if certKnown && state.CertificateID.ValueInt64() == certID && !plan.TargetAccountID.Equal(state.TargetAccountID) {
			resp.Diagnostics.AddAttributeError(path.Root("target_account_id"),
				fmt.Sprintf("R-52: Certificate %d is already shared", certID),
				fmt.Sprintf("This resource shared certificate %d with account %s. A certificate can be shared once (R-52) and a "+
					"share cannot be undone, so sharing it with another account would be refused. To give account %s a "+
					"certificate, share another one (a new order), or download it and upload it there.",
					certID, state.TargetAccountID.ValueString(), plan.TargetAccountID.ValueString()))
			return
		}
	}
	if certKnown && targetKnown && r.client != nil {
		if other, conflict := sharesOf(r.client).plan(certID, target); conflict {
			resp.Diagnostics.AddAttributeError(path.Root("certificate_id"),
				fmt.Sprintf("R-52: Certificate %d is shared twice in this configuration", certID),
				fmt.Sprintf("Another alicloudcas_certificate_share of this configuration shares certificate %d with account %s; "+
					"a certificate can be shared once (R-52), so the service would refuse one of them after the other was made, "+
					"for good. Keep one share of certificate %d.", certID, other, certID))
			return
		}
	}
	if !creating {
		return
	}
	if certKnown && r.client != nil {
		cert, err := r.client.GetUserCertificateDetail(ctx, certID, false)
		switch {
		case cas.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("certificate_id"), fmt.Sprintf("Certificate %d does not exist", certID),
				"Share a certificate purchased and issued in this account, for example alicloudcas_certificate_order.<name>.certificate_id (R-51).")
			return
		case err != nil:
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read certificate %d to check that it can be shared", certID), err)
			return
		}
		fs := shareFindings(cert, now())
		addFindings(&resp.Diagnostics, path.Root("certificate_id"), false, fs)
		if fs.HasErrors() {
			return
		}
	}
	resp.Diagnostics.AddWarning("A certificate share cannot be undone", r.permanenceWarning(plan))
	plan.ID, plan.SharedAt = types.StringUnknown(), types.StringUnknown()
	if certKnown && targetKnown {
		plan.ID = types.StringValue(shareID(certID, target))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// permanenceWarning is said at every plan that creates a share.
func (r *certificateShareResource) permanenceWarning(plan certificateShareModel) string {
	cert, target := "the certificate", "the target account"
	if !plan.CertificateID.IsUnknown() {
		cert = fmt.Sprintf("certificate %d", plan.CertificateID.ValueInt64())
	}
	if !plan.TargetAccountID.IsUnknown() {
		target = "account " + plan.TargetAccountID.ValueString()
	}
	region := ""
	if r.client != nil {
		region = r.client.Region()
	}
	return fmt.Sprintf("Applying shares %s with %s. The service has no API to read, list or cancel a share: once made, "+
		"it cannot be taken back, and destroying this resource only removes it from the state. %s keeps the "+
		"certificate, can deploy it (without deployment quota) but not download or share it, and its renewal and "+
		"revocation stay with this account (R-52, R-54). Each certificate can be shared once (R-52).\n\n"+
		"Sharing is free, and meant, only between accounts verified as the same legal entity or person (R-50); for "+
		"another entity, download the certificate and upload it in that account instead (R-69). %s",
		cert, target, upperFirst(target), shareSiteNote(region, target))
}

// shareSiteNote: shares never cross the China site and the international site.
func shareSiteNote(region, target string) string {
	switch cas.SiteOf(region) {
	case cas.SiteInternational:
		return fmt.Sprintf("This provider calls the international site (region %s): %s must be an international-site "+
			"(alibabacloud.com) account too, as shares never cross sites (R-53).", region, target)
	case cas.SiteChina:
		return fmt.Sprintf("This provider calls the China site (region %s): %s must be a China-site (aliyun.com) account "+
			"too, as shares never cross sites (R-53).", region, target)
	}
	return fmt.Sprintf("%s must be on the same site as this account (China site or international site): shares never "+
		"cross sites (R-53).", upperFirst(target))
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
