package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/wait"
)

var (
	_ resource.Resource                   = (*deploymentJobResource)(nil)
	_ resource.ResourceWithConfigure      = (*deploymentJobResource)(nil)
	_ resource.ResourceWithImportState    = (*deploymentJobResource)(nil)
	_ resource.ResourceWithValidateConfig = (*deploymentJobResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*deploymentJobResource)(nil)
)

// maxJobContacts: a deployment task has at most 10 contacts.
const maxJobContacts = 10

// NewDeploymentJobResource returns the alicloudcas_deployment_job resource.
func NewDeploymentJobResource() resource.Resource { return &deploymentJobResource{} }

type deploymentJobResource struct{ client *cas.Client }

func (r *deploymentJobResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_deployment_job"
}

func (r *deploymentJobResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	ids := func(desc string, v ...validator.List) schema.ListAttribute {
		return schema.ListAttribute{ElementType: types.Int64Type, Required: true, MarkdownDescription: desc, Validators: v}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A deployment job (\"deployment task\"): pushes certificates to cloud products (ALB and NLB " +
			"listeners, CDN and DCDN domains, WAF, ... R-65) now or at `schedule_time`. Create puts the job in " +
			"`editing` and schedules it; while it has not started, changes are made in place (back to editing, " +
			"update, schedule again); a running job cannot be changed; a finished job is replaced when its inputs " +
			"change. Certificates must be issued and valid (R-60), of one kind (uploaded or purchased, R-64), with " +
			"names in ASCII (R-61), and cover every target's domain (R-62): give `certificate_domains` and " +
			"`target_domains` to have that checked at plan time. Deleting a job is irreversible and leaves the " +
			"certificates where they were deployed (R-68).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The job id as a string; the import id."},
			"job_id": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				MarkdownDescription: "The job id (`JobId`)."},
			"name": schema.StringAttribute{Required: true, MarkdownDescription: "Name of the job."},
			"certificate_ids": ids("Certificates to deploy, all uploaded or all purchased (R-64), issued and not expired (R-60).",
				listvalidator.SizeAtLeast(1), listvalidator.UniqueValues()),
			"resource_ids": ids("Targets, ids from the `alicloudcas_cloud_resources` data source; each at most once.",
				listvalidator.SizeAtLeast(1), listvalidator.UniqueValues()),
			"contact_ids": ids("Contacts notified of the result (`alicloudcas_contact`), 1 to 10 (R-63).",
				listvalidator.SizeBetween(1, maxJobContacts), listvalidator.UniqueValues()),
			"schedule_time": schema.StringAttribute{Optional: true,
				MarkdownDescription: "When the job runs, RFC 3339 (`2026-12-01T02:00:00Z`); absent: as soon as it is created. A time in the past is refused when the job is created or rescheduled."},
			"wait_for_completion": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Wait, within the create or update timeout, until the job has run; a job that ends in `error` fails the apply, naming the failed targets."},
			"certificate_domains": schema.SetAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Names the job's certificates cover, e.g. `alicloudcas_uploaded_certificate.x.subject_alternative_names` (known at plan time). With `target_domains`, every target's domain is checked at plan time to be covered (R-08, R-62)."},
			"target_domains": schema.MapAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Domain of each target, by resource id, e.g. `{ for r in data.alicloudcas_cloud_resources.x.resources : r.id => r.domain }`; see `certificate_domains`."},
			"status": schema.StringAttribute{Computed: true,
				MarkdownDescription: "`editing`, `pending` (waits for schedule_time), `scheduling`, `processing`, `success` or `error`."},
			"job_type": schema.StringAttribute{Computed: true, MarkdownDescription: "`user` (Alibaba Cloud products) or `cloud` (other clouds)."},
			"deployed_at": schema.StringAttribute{Computed: true,
				MarkdownDescription: "When the job finished (RFC 3339 UTC), once it has run."},
			"targets": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "Per-target results (`ListWorkerResource`), so that a failed target shows in the state and in outputs.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"resource_id":   schema.Int64Attribute{Computed: true, MarkdownDescription: "The target's resource id."},
					"cloud_product": schema.StringAttribute{Computed: true, MarkdownDescription: "The target's product (ALB, CDN, ...)."},
					"status":        schema.StringAttribute{Computed: true, MarkdownDescription: "The deployment's status on this target (`success`, `error`, ...)."},
					"error_message": schema.StringAttribute{Computed: true,
						MarkdownDescription: "Why the deployment to this target failed, when the service says; `ListWorkerResource` has no such field today, so it is empty and `status` is the signal."},
				}}},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true}),
		},
	}
}

func (r *deploymentJobResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (r *deploymentJobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan deploymentJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, 30*time.Minute)
	resp.Diagnostics.Append(diags...)
	in, diags := plan.input(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var id int64
	var err error
	for attempt := 0; ; attempt++ {
		id, err = r.client.CreateDeploymentJob(ctx, in)
		if err == nil || !mayHaveHappened(err) {
			break
		}
		// The job may exist: an editing job of this name is ours (names are the configuration's).
		jobs, ferr := r.client.FindDeploymentJobs(ctx, cas.JobEditing)
		if ferr != nil {
			break
		}
		found := int64(0)
		for _, j := range jobs {
			if j.Name == in.Name && j.ID > found {
				found = j.ID
			}
		}
		if found != 0 {
			id, err = found, nil
			break
		}
		var answered *cas.ServiceError
		if !errors.As(err, &answered) || attempt >= 3 {
			break
		}
	}
	if err != nil {
		if mayHaveHappened(err) {
			err = fmt.Errorf("%w; the job %q may exist in editing: check the console's deployment tasks and import it (terraform import ... <job id>) rather than apply again", err, in.Name)
		}
		addAPIError(&resp.Diagnostics, "Could not create the deployment job", err)
		return
	}
	plan.ID, plan.JobID = types.StringValue(strconv.FormatInt(id, 10)), types.Int64Value(id)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), plan.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("job_id"), plan.JobID)...)
	tflog.Info(ctx, "created a deployment job", map[string]any{"job_id": id})
	if err := r.client.UpdateDeploymentJobStatus(ctx, id, cas.JobPending); err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Deployment job %d was created but could not be scheduled", id), err)
		return
	}
	resp.Diagnostics.Append(r.finish(ctx, &plan, timeout)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *deploymentJobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m deploymentJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	job, err := r.client.DescribeDeploymentJob(ctx, m.JobID.ValueInt64())
	if cas.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Deployment job deleted outside Terraform",
			fmt.Sprintf("Job %d no longer exists; it is removed from the state and the next apply creates it again (which deploys again).", m.JobID.ValueInt64()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not read the deployment job", err)
		return
	}
	resp.Diagnostics.Append(r.readInto(ctx, &m, job)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// Update changes a job that has not started: back to editing, update, schedule again (ModifyPlan
// has refused a running job and replaces a finished one).
func (r *deploymentJobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state deploymentJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, 30*time.Minute)
	resp.Diagnostics.Append(diags...)
	in, diags := plan.input(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.JobID.ValueInt64()
	if plan.inputsChanged(state) {
		for _, step := range []func() error{
			func() error { return r.client.UpdateDeploymentJobStatus(ctx, id, cas.JobEditing) },
			func() error { return r.client.UpdateDeploymentJob(ctx, id, in) },
			func() error { return r.client.UpdateDeploymentJobStatus(ctx, id, cas.JobPending) },
		} {
			if err := step(); err != nil {
				addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not update deployment job %d", id), err)
				return
			}
		}
	}
	plan.ID, plan.JobID = state.ID, state.JobID
	resp.Diagnostics.Append(r.finish(ctx, &plan, timeout)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// finish waits for the job when asked to, then reads it into m.
func (r *deploymentJobResource) finish(ctx context.Context, m *deploymentJobModel, timeout time.Duration) (diags diag.Diagnostics) {
	id := m.JobID.ValueInt64()
	var job *cas.DeploymentJob
	var err error
	if m.WaitForCompletion.ValueBool() {
		job, err = wait.StateChange[*cas.DeploymentJob]{
			What:    fmt.Sprintf("deployment job %d", id),
			Pending: []string{cas.JobPending, cas.JobScheduling, cas.JobProcessing},
			Target:  []string{cas.JobSuccess, cas.JobError},
			Refresh: func(ctx context.Context) (*cas.DeploymentJob, string, error) {
				j, err := r.client.DescribeDeploymentJob(ctx, id)
				if err != nil {
					return nil, "", err
				}
				return j, j.Status, nil
			},
			Timeout: timeout, MinInterval: jobPollInterval, MaxInterval: 30 * time.Second,
		}.Wait(ctx)
	} else {
		job, err = r.client.DescribeDeploymentJob(ctx, id)
	}
	if err != nil {
		addAPIError(&diags, fmt.Sprintf("Deployment job %d", id), err)
		return diags
	}
	diags.Append(r.readInto(ctx, m, job)...)
	if job.Status == cas.JobError {
		diags.AddError(fmt.Sprintf("Deployment job %d ended in error", id),
			fmt.Sprintf("The deployment failed on: %s. The certificates on the other targets are deployed; the failed targets keep "+
				"their previous certificate. Check each target in its product's console (a listener or domain removed, a "+
				"certificate that does not cover it, R-62), then apply again: the job is replaced.", failedTargets(ctx, m)))
	}
	return diags
}

// readInto records what the service says of the job and its targets.
func (r *deploymentJobResource) readInto(ctx context.Context, m *deploymentJobModel, job *cas.DeploymentJob) diag.Diagnostics {
	workers, err := r.client.ListWorkers(ctx, job.ID)
	var diags diag.Diagnostics
	if err != nil {
		addAPIError(&diags, "Could not read the deployment job's targets", err)
		return diags
	}
	diags.Append(m.applyJob(ctx, job, workers)...)
	return diags
}

// Delete deletes the job (irreversible; deployments made stay, R-68). A running job cannot be
// deleted: the error says to wait.
func (r *deploymentJobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m deploymentJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.DeleteDeploymentJob(ctx, m.JobID.ValueInt64())
	switch {
	case err == nil, cas.IsNotFound(err):
	case m.Status.ValueString() == cas.JobProcessing:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Deployment job %d is running and cannot be deleted yet", m.JobID.ValueInt64()),
			fmt.Errorf("%w; wait until it finishes (a few minutes), then destroy again", err))
	default:
		addAPIError(&resp.Diagnostics, "Could not delete the deployment job", err)
	}
}

// ImportState takes a job id. Arguments the service does not return (certificate_domains,
// target_domains, wait_for_completion) keep their configuration's values after the next apply.
func (r *deploymentJobResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := strconv.ParseInt(req.ID, 10, 64)
	if err != nil || id <= 0 {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("%q is not a deployment job id (a number).", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("job_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_completion"), false)...)
}
