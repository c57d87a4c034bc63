package emulator

import (
	"slices"
	"strconv"
	"time"
)

// UpdateDeploymentJobStatus and DeleteDeploymentJob (cas-deploy.md §2.1, §3).
//
// Transitions (documented: editing → pending | scheduling to run, back to editing to change it;
// error and success are final. The rest is the emulator's decision, §2.1 "suggested model"):
//
//	editing    → pending, scheduling
//	pending    → scheduling, editing
//	scheduling → editing (it has not started; in practice the runner starts it at once)
//	processing, error, success → nothing
//
// Asking for the status a job already has is answered as a success and changes nothing, so that
// a retried call does not fail. A refusal is 403 JobStateError and an unknown target status 400
// InvalidParameter (both inferred, see deployment_jobs.go).
//
// DeleteDeploymentJob removes the job (Del is therefore always 0 in answers; the doc calls it of
// "no practical significance"): refused while it runs (processing) or a worker rolls back.
// Deleting does not undo deployments already made.

func init() {
	registerAction(casVersion, "UpdateDeploymentJobStatus", updateDeploymentJobStatus)
	registerAction(casVersion, "DeleteDeploymentJob", deleteDeploymentJob)
}

// jobTransitions lists, for each current status, the statuses UpdateDeploymentJobStatus may set.
var jobTransitions = map[string][]string{
	jobEditing:    {jobPending, jobScheduling},
	jobPending:    {jobScheduling, jobEditing},
	jobScheduling: {jobEditing},
}

// statusAnswer is the Data of UpdateDeploymentJobStatus and UpdateWorkerResourceStatus: the
// documented sample body has the string "[]".
type statusAnswer struct {
	Data string `json:"Data"`
}

func updateDeploymentJobStatus(c *Call) (any, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	target, apiErr := c.Required("Status")
	if apiErr != nil {
		return nil, apiErr
	}
	if target != jobPending && target != jobScheduling && target != jobEditing {
		return nil, errJobParam("The parameter Status is invalid: %q; use pending, scheduling or editing.", target)
	}
	if job.Status == target {
		return statusAnswer{Data: "[]"}, nil
	}
	if !slices.Contains(jobTransitions[job.Status], target) {
		detail := "status " + target
		switch job.Status {
		case jobSuccess, jobError:
			detail += ": a deployment job that succeeded or failed cannot change status"
		case jobProcessing:
			detail += ": the job is being deployed"
		}
		return nil, errJobState(job, detail)
	}
	if target != jobEditing {
		if len(job.Workers) == 0 {
			return nil, errJobParam("The deployment job %d has no cloud resource to deploy to: add ResourceIds with UpdateDeploymentJob.", job.ID)
		}
		if job.Status == jobEditing {
			job.QueuedAt = c.Now
		}
		if target == jobScheduling {
			job.QueuedAt = c.Now // scheduling runs now, whatever the ScheduleTime
		}
	} else {
		job.QueuedAt = time.Time{}
	}
	job.Status, job.ModifiedAt = target, c.Now
	for _, w := range job.Workers {
		w.Status, w.ModifiedAt = target, c.Now
	}
	return statusAnswer{Data: "[]"}, nil
}

func deleteDeploymentJob(c *Call) (any, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	if job.Status == jobProcessing {
		return nil, errJobState(job, "DeleteDeploymentJob while it is being deployed")
	}
	for _, w := range job.Workers {
		if w.Status == workerRollback {
			return nil, errJobState(job, "DeleteDeploymentJob while worker "+strconv.FormatInt(w.ID, 10)+" is rolling back")
		}
	}
	delete(c.State.Jobs, strconv.FormatInt(job.ID, 10))
	return struct{}{}, nil
}
