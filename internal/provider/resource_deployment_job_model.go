package provider

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
)

// jobPollInterval is the first poll interval while waiting for a job; tests shorten it.
var jobPollInterval = 5 * time.Second

// deploymentJobModel is alicloudcas_deployment_job's plan and state.
type deploymentJobModel struct {
	ID                 types.String   `tfsdk:"id"`
	JobID              types.Int64    `tfsdk:"job_id"`
	Name               types.String   `tfsdk:"name"`
	CertificateIDs     types.List     `tfsdk:"certificate_ids"`
	ResourceIDs        types.List     `tfsdk:"resource_ids"`
	ContactIDs         types.List     `tfsdk:"contact_ids"`
	ScheduleTime       types.String   `tfsdk:"schedule_time"`
	WaitForCompletion  types.Bool     `tfsdk:"wait_for_completion"`
	CertificateDomains types.Set      `tfsdk:"certificate_domains"`
	TargetDomains      types.Map      `tfsdk:"target_domains"`
	Status             types.String   `tfsdk:"status"`
	JobType            types.String   `tfsdk:"job_type"`
	DeployedAt         types.String   `tfsdk:"deployed_at"`
	Targets            types.List     `tfsdk:"targets"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

var jobTargetType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"resource_id": types.Int64Type, "cloud_product": types.StringType, "status": types.StringType, "error_message": types.StringType,
}}

// input is what the plan asks the service for. Jobs here deploy to Alibaba Cloud products
// (JobType user; cloud is for other clouds' resources).
func (m deploymentJobModel) input(ctx context.Context) (cas.DeploymentJobInput, diag.Diagnostics) {
	in := cas.DeploymentJobInput{Name: m.Name.ValueString(), JobType: "user"}
	var diags diag.Diagnostics
	diags.Append(m.CertificateIDs.ElementsAs(ctx, &in.CertIDs, false)...)
	diags.Append(m.ResourceIDs.ElementsAs(ctx, &in.ResourceIDs, false)...)
	diags.Append(m.ContactIDs.ElementsAs(ctx, &in.ContactIDs, false)...)
	if t, ok := scheduleOf(m); ok {
		in.ScheduleTime = t
	}
	return in, diags
}

// scheduleOf parses schedule_time; false when absent or unreadable (ValidateConfig reports it).
func scheduleOf(m deploymentJobModel) (time.Time, bool) {
	if m.ScheduleTime.IsNull() || m.ScheduleTime.IsUnknown() {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, m.ScheduleTime.ValueString())
	return t, err == nil
}

// inputsChanged: something the service stores differs between the plan and the state.
func (m deploymentJobModel) inputsChanged(s deploymentJobModel) bool {
	return !m.Name.Equal(s.Name) || !m.CertificateIDs.Equal(s.CertificateIDs) || !m.ResourceIDs.Equal(s.ResourceIDs) ||
		!m.ContactIDs.Equal(s.ContactIDs) || !sameSchedule(m.ScheduleTime, s.ScheduleTime)
}

func sameSchedule(a, b types.String) bool {
	ta, okA := scheduleOf(deploymentJobModel{ScheduleTime: a})
	tb, okB := scheduleOf(deploymentJobModel{ScheduleTime: b})
	return okA == okB && ta.Equal(tb) && a.IsNull() == b.IsNull()
}

// applyJob records the job and its targets. The lists of ids keep the configuration's order when
// they hold the same ids, so that order never makes a diff.
func (m *deploymentJobModel) applyJob(ctx context.Context, job *cas.DeploymentJob, workers []cas.Worker) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID, m.JobID = types.StringValue(strconv.FormatInt(job.ID, 10)), types.Int64Value(job.ID)
	m.Name, m.Status, m.JobType = types.StringValue(job.Name), types.StringValue(job.Status), types.StringValue(job.JobType)
	m.DeployedAt = types.StringNull()
	if (job.Status == cas.JobSuccess || job.Status == cas.JobError) && !job.EndTime.IsZero() {
		m.DeployedAt = types.StringValue(certcheck.FormatTime(job.EndTime))
	}
	if len(job.ContactIDs) > 0 {
		m.ContactIDs = keepOrder(ctx, m.ContactIDs, job.ContactIDs, &diags)
	}
	targets := make([]attr.Value, 0, len(workers))
	var resources []int64
	for _, w := range workers {
		resources = append(resources, w.ResourceID)
		obj, d := types.ObjectValue(jobTargetType.AttrTypes, map[string]attr.Value{
			"resource_id": types.Int64Value(w.ResourceID), "cloud_product": types.StringValue(w.CloudProduct),
			"status": types.StringValue(w.Status), "error_message": types.StringNull(),
		})
		diags.Append(d...)
		targets = append(targets, obj)
	}
	if len(resources) > 0 {
		m.ResourceIDs = keepOrder(ctx, m.ResourceIDs, resources, &diags)
	}
	list, d := types.ListValue(jobTargetType, targets)
	diags.Append(d...)
	m.Targets = list
	return diags
}

// keepOrder is prior when it holds exactly ids (in any order), else ids sorted.
func keepOrder(ctx context.Context, prior types.List, ids []int64, diags *diag.Diagnostics) types.List {
	var have []int64
	if !prior.IsNull() && !prior.IsUnknown() {
		diags.Append(prior.ElementsAs(ctx, &have, false)...)
	}
	a, b := slices.Clone(have), slices.Clone(ids)
	slices.Sort(a)
	slices.Sort(b)
	if slices.Equal(a, b) {
		return prior
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out, d := types.ListValueFrom(ctx, types.Int64Type, ids)
	diags.Append(d...)
	return out
}

// failedTargets names the targets whose deployment failed.
func failedTargets(ctx context.Context, m *deploymentJobModel) string {
	var failed []string
	for _, t := range m.Targets.Elements() {
		obj, ok := t.(types.Object)
		if !ok {
			continue
		}
		attrs := obj.Attributes()
		if s, _ := attrs["status"].(types.String); s.ValueString() == cas.JobError {
			id, _ := attrs["resource_id"].(types.Int64)
			p, _ := attrs["cloud_product"].(types.String)
			failed = append(failed, p.ValueString()+" resource "+strconv.FormatInt(id.ValueInt64(), 10))
		}
	}
	if len(failed) == 0 {
		return "(the service names no target)"
	}
	return strings.Join(failed, ", ")
}
