package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Deployment jobs (cas-deploy.md §2-3): the DeploymentJob kind, CreateDeploymentJob and
// UpdateDeploymentJob. Status changes and delete are in deployment_job_status.go, reads in
// deployment_job_read.go and deployment_job_lists.go, the certificate rules in
// deployment_certs.go, workers in worker_resources.go, and the time-driven run in
// deployment_runner.go.
//
// Life cycle: a new job is editing; UpdateDeploymentJobStatus queues it (pending: runs at
// ScheduleTime or at once; scheduling: runs at once) or takes it back to editing; the runner moves
// it to processing, deploys each worker (one per cloud resource) and ends it in success or error,
// both final (the zh page: a failed or successful job cannot change status).
//
// JobType (the API pages, which win over cas-api.md's summary): user deploys to Alibaba Cloud
// services, cloud is multi-cloud deployment to third-party clouds. A real job of type user
// deployed a free (purchased) certificate to FC (cas-deploy.md §3), so JobType does not decide
// the certificates' kind; R-64 does: one job holds uploaded or purchased certificates, not both.
//
// Error codes: the pages document none for jobs and workers (cas-deploy.md §1, §7). Documented:
// 400 Missing<Param> (seen in a real answer for Status). Inferred, in the style of the 2020 tables
// (NotFoundOrder, OrderStateError): 404 NotFoundJob, 403 JobStateError for an action the job's
// status does not allow, 400 InvalidParameter for a bad value, an unknown referenced certificate,
// resource or contact, and a rule's refusal (R-23, R-60, R-61, R-63, R-64, JobType vs. cloud).

// Job and worker statuses (the models' enumerations).
const (
	jobEditing      = "editing"
	jobPending      = "pending"
	jobScheduling   = "scheduling"
	jobProcessing   = "processing"
	jobError        = "error"
	jobSuccess      = "success"
	workerRollback  = "rollback"
	workerRolledOK  = "rollback_success"
	workerRollErr   = "rollback_error"
	maxJobContacts  = 10
	jobInstanceRand = 6  // cas-job-user-xxxxxx (a real InstanceId)
)

var (
	jobStatuses    = []string{jobEditing, jobPending, jobScheduling, jobProcessing, jobError, jobSuccess}
	workerStatuses = append(slices.Clone(jobStatuses), workerRollback, workerRolledOK, workerRollErr)
	jobTypes       = []string{"user", "cloud"}
)

// DeploymentJob is one deployment task (a JobId).
type DeploymentJob struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	JobType     string  `json:"job_type"`
	InstanceID  string  `json:"instance_id"`
	Status      string  `json:"status"`
	CertIDs     []int64 `json:"cert_ids"`
	ResourceIDs []int64 `json:"resource_ids"`
	ContactIDs  []int64 `json:"contact_ids"`
	// ScheduleTime is when a pending job starts; zero: as soon as it is pending.
	ScheduleTime time.Time `json:"schedule_time,omitzero"`
	// QueuedAt is when the job last entered pending or scheduling.
	QueuedAt  time.Time `json:"queued_at,omitzero"`
	StartTime time.Time `json:"start_time,omitzero"`
	EndTime   time.Time `json:"end_time,omitzero"`
	// Rollback is set once a worker of the job was rolled back.
	Rollback   bool      `json:"rollback,omitempty"`
	Workers    []*Worker `json:"workers,omitempty"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
	ModifiedAt time.Time `json:"modified_at,omitzero"`
}

// Worker is the deployment of a job's certificate to one cloud resource (ListWorkerResource).
type Worker struct {
	ID         int64 `json:"id"`
	ResourceID int64 `json:"resource_id"`
	// CertID is the job's certificate that covers the resource's domain; 0 when none
	// does, and then the worker fails.
	CertID int64  `json:"cert_id,omitempty"`
	Status string `json:"status"`
	// ResourceCertID and ResourceDomain are what the resource had before the deployment; a
	// rollback restores ResourceCertID.
	ResourceCertID int64  `json:"resource_cert_id,omitempty"`
	ResourceDomain string `json:"resource_domain,omitempty"`
	// ErrorCode and ErrorMessage say why the worker failed. The API has no field for them (the
	// models' ListWorkerResource); they are visible through the control API.
	ErrorCode    string    `json:"error_code,omitempty"`
	ErrorMessage string    `json:"error_message,omitempty"`
	RollbackAt   time.Time `json:"rollback_at,omitzero"`
	CreatedAt    time.Time `json:"created_at,omitzero"`
	ModifiedAt   time.Time `json:"modified_at,omitzero"`
}

func init() {
	registerAction(casVersion, "CreateDeploymentJob", createDeploymentJob)
	registerAction(casVersion, "UpdateDeploymentJob", updateDeploymentJob)
}

func errJobNotFound(id int64) *APIError {
	return Errorf(http.StatusNotFound, "NotFoundJob", "The deployment job %d does not exist.", id)
}

func errJobState(job *DeploymentJob, action string) *APIError {
	return Errorf(http.StatusForbidden, "JobStateError", "The deployment job %d is in status %s, which does not allow %s.", job.ID, job.Status, action)
}

func errJobParam(format string, args ...any) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", format, args...)
}

func jobByID(s *State, id int64) (*DeploymentJob, bool) {
	job, ok := s.Jobs[strconv.FormatInt(id, 10)]
	return job, ok && job != nil
}

// jobParam reads the required JobId and finds the job.
func jobParam(c *Call) (*DeploymentJob, *APIError) {
	id, apiErr := c.RequiredInt64("JobId")
	if apiErr != nil {
		return nil, apiErr
	}
	job, ok := jobByID(c.State, id)
	if !ok {
		return nil, errJobNotFound(id)
	}
	return job, nil
}

// parseIDList reads a comma-separated list of ids (repeats dropped, order kept).
func parseIDList(param, raw string) ([]int64, *APIError) {
	var ids []int64
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, errJobParam("The parameter %s is invalid: %q is not a comma-separated list of ids.", param, raw)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

type createDeploymentJobResponse struct {
	JobID int64 `json:"JobId"`
}

func createDeploymentJob(c *Call) (any, *APIError) {
	raw := map[string]string{}
	for _, p := range []string{"Name", "JobType", "CertIds", "ResourceIds", "ContactIds"} {
		v, apiErr := c.Required(p)
		if apiErr != nil {
			return nil, apiErr
		}
		raw[p] = v
	}
	if !slices.Contains(jobTypes, raw["JobType"]) {
		return nil, errJobParam("The parameter JobType is invalid: %q; use user (Alibaba Cloud services) or cloud (multi-cloud deployment).", raw["JobType"])
	}
	job := &DeploymentJob{Name: strings.TrimSpace(raw["Name"]), JobType: raw["JobType"], Status: jobEditing, CreatedAt: c.Now, ModifiedAt: c.Now}
	if job.Name == "" {
		return nil, errJobParam("The parameter Name is invalid: the name is blank.")
	}
	if apiErr := readJobTargets(c, job, raw); apiErr != nil {
		return nil, apiErr
	}
	if apiErr := readScheduleTime(c, job); apiErr != nil {
		return nil, apiErr
	}
	job.ID = c.State.newID()
	job.InstanceID = "cas-job-" + job.JobType + "-" + randomLowerAlnum(jobInstanceRand)
	syncWorkers(c.State, job, c.Now)
	c.State.Jobs[strconv.FormatInt(job.ID, 10)] = job
	return createDeploymentJobResponse{JobID: job.ID}, nil
}

// updateDeploymentJob changes an editing job (which statuses allow it is not documented; the
// console edits only editing jobs). Parameters left out keep their value; ScheduleTime 0 clears
// the schedule.
func updateDeploymentJob(c *Call) (any, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	if job.Status != jobEditing {
		return nil, errJobState(job, "UpdateDeploymentJob (only an editing job can be changed: set it back to editing first)")
	}
	next := *job
	raw := map[string]string{}
	for _, p := range []string{"Name", "CertIds", "ResourceIds", "ContactIds"} {
		if c.Has(p) {
			if strings.TrimSpace(c.String(p)) == "" {
				return nil, errJobParam("The parameter %s is invalid: it is empty.", p)
			}
			raw[p] = c.String(p)
		}
	}
	if name, ok := raw["Name"]; ok {
		next.Name = strings.TrimSpace(name)
	}
	if apiErr := readJobTargets(c, &next, raw); apiErr != nil {
		return nil, apiErr
	}
	if apiErr := readScheduleTime(c, &next); apiErr != nil {
		return nil, apiErr
	}
	next.ModifiedAt = c.Now
	*job = next
	syncWorkers(c.State, job, c.Now)
	return struct{}{}, nil
}

// readScheduleTime reads ScheduleTime (milliseconds; a past time means at once, as a real client
// that sends "now" relies on).
func readScheduleTime(c *Call, job *DeploymentJob) *APIError {
	if !c.Has("ScheduleTime") {
		return nil
	}
	ms, apiErr := c.Int64("ScheduleTime", 0)
	switch {
	case apiErr != nil:
		return apiErr
	case ms < 0:
		return errJobParam("The parameter ScheduleTime is invalid: %d is not a time in milliseconds.", ms)
	case ms == 0:
		job.ScheduleTime = time.Time{}
	default:
		job.ScheduleTime = time.UnixMilli(ms).UTC()
	}
	return nil
}

// readJobTargets reads whichever of CertIds, ResourceIds and ContactIds raw holds into job and
// checks the whole job: the certificates, the resources against JobType,
// and the contacts.
func readJobTargets(c *Call, job *DeploymentJob, raw map[string]string) *APIError {
	for _, f := range []struct {
		param string
		dst   *[]int64
	}{{"CertIds", &job.CertIDs}, {"ResourceIds", &job.ResourceIDs}, {"ContactIds", &job.ContactIDs}} {
		if v, ok := raw[f.param]; ok {
			ids, apiErr := parseIDList(f.param, v)
			if apiErr != nil {
				return apiErr
			}
			*f.dst = ids
		}
	}
	if apiErr := checkJobCerts(c.State, job.CertIDs, c.Now); apiErr != nil {
		return apiErr
	}
	for _, id := range job.ResourceIDs {
		r, ok := resourceByID(c.State, id)
		if !ok {
			return errJobParam("The parameter ResourceIds is invalid: the cloud resource %d does not exist.", id)
		}
		if (job.JobType == "user") != (r.cloud() == "aliyun") {
			return errJobParam("The cloud resource %d is on %s: JobType user deploys to Alibaba Cloud services, cloud to third-party clouds; this job is %s.", id, r.cloud(), job.JobType)
		}
	}
	if len(job.ContactIDs) > maxJobContacts {
		return errJobParam("The parameter ContactIds is invalid: a deployment job has at most %d contacts (R-63), not %d.", maxJobContacts, len(job.ContactIDs))
	}
	for _, id := range job.ContactIDs {
		if _, ok := contactByID(c.State, id); !ok {
			return errJobParam("The parameter ContactIds is invalid: the contact %d does not exist.", id)
		}
	}
	return nil
}
