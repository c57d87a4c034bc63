package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Plan-time logic of alicloudcas_deployment_job. ValidateConfig uses the configuration alone (no
// API call): the schedule's form and coverage of every target's domain.
// ModifyPlan decides the life cycle (in place, refused, replaced) and, when the certificates are
// new to the job, reads them to apply before anything is deployed.

func (r *deploymentJobResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var c deploymentJobModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if s := c.ScheduleTime; !s.IsNull() && !s.IsUnknown() {
		if _, err := time.Parse(time.RFC3339, s.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("schedule_time"), "schedule_time is not an RFC 3339 time",
				fmt.Sprintf("Write it like 2026-12-01T02:00:00Z or 2026-12-01T10:00:00+08:00 (%v).", err))
		}
	}
	resp.Diagnostics.Append(checkCoverage(ctx, c)...)
}

// checkCoverage: every target's domain is covered by the job's certificates (R-62, matched per
// R-08), when the configuration gives both.
func checkCoverage(ctx context.Context, c deploymentJobModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if c.CertificateDomains.IsNull() || c.CertificateDomains.IsUnknown() || c.TargetDomains.IsNull() || c.TargetDomains.IsUnknown() {
		return diags
	}
	var names []string
	targets := map[string]string{}
	diags.Append(c.CertificateDomains.ElementsAs(ctx, &names, false)...)
	diags.Append(c.TargetDomains.ElementsAs(ctx, &targets, false)...)
	if diags.HasError() {
		return diags
	}
	m, err := domains.NewMatcher(names)
	if err != nil {
		diags.AddAttributeError(path.Root("certificate_domains"), "A certificate domain is not a valid name", err.Error())
		return diags
	}
	var uncovered []string
	for id, host := range targets {
		ok, err := m.Covers(host)
		if err != nil {
			diags.AddAttributeError(path.Root("target_domains").AtMapKey(id), "A target domain is not a valid name", err.Error())
			continue
		}
		if !ok {
			uncovered = append(uncovered, fmt.Sprintf("%s (resource %s)", host, id))
		}
	}
	if len(uncovered) > 0 {
		sort.Strings(uncovered)
		diags.AddAttributeError(path.Root("target_domains"), "R-62: The certificates do not cover every target",
			fmt.Sprintf("Not covered by %s: %s. A deployment to a target whose domain no certificate covers fails, and clients "+
				"would see a name mismatch (R-62); a wildcard covers one level only, not the apex nor deeper names (R-08). "+
				"Add a certificate that covers them, or remove those targets.", strings.Join(names, ", "), strings.Join(uncovered, ", ")))
	}
	return diags
}

func (r *deploymentJobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan deploymentJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	var state deploymentJobModel
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !plan.inputsChanged(state) {
			plan.Status, plan.JobType, plan.DeployedAt, plan.Targets = state.Status, state.JobType, state.DeployedAt, state.Targets
			resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
			return
		}
		switch state.Status.ValueString() {
		case cas.JobProcessing:
			resp.Diagnostics.AddError(fmt.Sprintf("Deployment job %s is running and cannot be changed", state.ID.ValueString()),
				"The service changes only jobs that have not started. Wait until it finishes (a few minutes) and plan again: "+
					"a finished job is then replaced by a new one with the new inputs.")
			return
		case cas.JobSuccess, cas.JobError:
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("certificate_ids"), path.Root("resource_ids"),
				path.Root("contact_ids"), path.Root("name"), path.Root("schedule_time"))
			creating = true
		}
	}
	if t, ok := scheduleOf(plan); ok && (creating || !sameSchedule(plan.ScheduleTime, state.ScheduleTime)) && t.Before(now()) {
		resp.Diagnostics.AddAttributeError(path.Root("schedule_time"), "schedule_time is in the past",
			fmt.Sprintf("%s has passed: a job runs at a future time or, without schedule_time, at once (R-63). Remove it or give a later time.", plan.ScheduleTime.ValueString()))
	}
	if creating || !plan.CertificateIDs.Equal(state.CertificateIDs) {
		resp.Diagnostics.Append(r.checkCertificates(ctx, plan)...)
	}
	plan.Status, plan.DeployedAt, plan.Targets = types.StringUnknown(), types.StringUnknown(), types.ListUnknown(jobTargetType)
	if !creating {
		plan.JobType = state.JobType
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// checkCertificates reads the job's certificates, when their ids are known, and applies R-60
// (issued, not expired; expiring soon is a warning), R-61 (no Chinese characters in the name)
// and R-64 (all uploaded or all purchased) before anything is deployed.
func (r *deploymentJobResource) checkCertificates(ctx context.Context, plan deploymentJobModel) diag.Diagnostics {
	var diags diag.Diagnostics
	var ids []int64
	if r.client == nil || plan.CertificateIDs.IsUnknown() || plan.CertificateIDs.ElementsAs(ctx, &ids, false).HasError() {
		return diags
	}
	kinds := map[bool][]string{}
	for i, id := range ids {
		at := path.Root("certificate_ids").AtListIndex(i)
		c, err := r.client.GetUserCertificateDetail(ctx, id, false)
		if err != nil {
			if cas.IsNotFound(err) {
				diags.AddAttributeError(at, fmt.Sprintf("Certificate %d does not exist", id), "Deploy an existing certificate (alicloudcas_uploaded_certificate, alicloudcas_certificate_order).")
				continue
			}
			addAPIError(&diags, fmt.Sprintf("Could not read certificate %d", id), err)
			return diags
		}
		kinds[c.Purchased] = append(kinds[c.Purchased], fmt.Sprint(id))
		switch left := c.NotAfter.Sub(now()); {
		case c.Expired || left < 0:
			diags.AddAttributeError(at, fmt.Sprintf("R-60: Certificate %d has expired", id),
				"Only issued, valid certificates can be deployed (R-60): renew it and deploy the new certificate.")
		case left < 30*24*time.Hour:
			diags.AddAttributeWarning(at, fmt.Sprintf("R-60: Certificate %d expires in %d days", id, int(left.Hours()/24)),
				"An expiring certificate should be renewed first (R-60); deploying it now means deploying again soon.")
		}
		if f := domains.CheckDeployableName(c.Name); f != nil {
			diags.AddAttributeError(at, "R-61: "+f.Summary, fmt.Sprintf("Certificate %d is named %q. %s Rename it (its name argument) first.", id, c.Name, f.Detail))
		}
	}
	if len(kinds[true]) > 0 && len(kinds[false]) > 0 {
		diags.AddAttributeError(path.Root("certificate_ids"), "R-64: A job holds one kind of certificate",
			fmt.Sprintf("Purchased %s and uploaded %s are mixed: a deployment job holds uploaded or purchased certificates, not both (R-64). Use two jobs.",
				strings.Join(kinds[true], ", "), strings.Join(kinds[false], ", ")))
	}
	return diags
}
