package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// Workers, one per cloud resource of a job (cas-deploy.md §2.2, §3): ListWorkerResource,
// UpdateWorkerResourceStatus (rollback) and DeleteWorkerResource.
//
// Decisions where the pages say nothing: only a worker in success can be rolled back (to the
// certificate the resource had before, by the runner, workerRunTime later); the job keeps its
// status and its Rollback flag becomes 1. A worker can be deleted only while its job is editing,
// which also takes its resource out of the job. The API has no field for a worker's error; it is
// kept in the state (error_code, error_message) for the control API.
//
// Error codes: documented 400 Missing<Param>; inferred 404 NotFoundJob, 404 NotFoundWorker,
// 403 WorkerStateError, 403 JobStateError and 400 InvalidParameter.

func init() {
	registerAction(casVersion, "ListWorkerResource", listWorkerResource)
	registerAction(casVersion, "UpdateWorkerResourceStatus", updateWorkerResourceStatus)
	registerAction(casVersion, "DeleteWorkerResource", deleteWorkerResource)
}

func errWorkerNotFound(jobID, workerID int64) *APIError {
	return Errorf(http.StatusNotFound, "NotFoundWorker", "The deployment job %d has no worker %d.", jobID, workerID)
}

func errWorkerState(w *Worker, action string) *APIError {
	return Errorf(http.StatusForbidden, "WorkerStateError", "The worker %d is in status %s, which does not allow %s.", w.ID, w.Status, action)
}

// workerParam reads JobId and WorkerId and finds the worker in the job.
func workerParam(c *Call) (*DeploymentJob, *Worker, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, nil, apiErr
	}
	id, apiErr := c.RequiredInt64("WorkerId")
	if apiErr != nil {
		return nil, nil, apiErr
	}
	for _, w := range job.Workers {
		if w.ID == id {
			return job, w, nil
		}
	}
	return nil, nil, errWorkerNotFound(job.ID, id)
}

type workerItem struct {
	ID             int64  `json:"Id"`
	JobID          int64  `json:"JobId"`
	UserID         int64  `json:"UserId"`
	Status         string `json:"Status"`
	CertID         int64  `json:"CertId,omitempty"`
	CertName       string `json:"CertName,omitempty"`
	CertInstanceID string `json:"CertInstanceId,omitempty"`
	CertDomain     string `json:"CertDomain,omitempty"`
	CloudName      string `json:"CloudName,omitempty"` // not returned for Alibaba Cloud targets
	CloudProduct   string `json:"CloudProduct,omitempty"`
	CloudRegion    string `json:"CloudRegion,omitempty"`
	RegionID       string `json:"RegionId,omitempty"`
	ResourceID     int64  `json:"ResourceId"`
	ResourceCertID int64  `json:"ResourceCertId,omitempty"`
	ResourceDomain string `json:"ResourceDomain,omitempty"`
	// InstanceId, ListenerId, Port and DefaultResource (a boolean here) for SLB, NLB, ALB, GA.
	InstanceID      string `json:"InstanceId,omitempty"`
	ListenerID      string `json:"ListenerId,omitempty"`
	Port            int    `json:"Port,omitempty"`
	DefaultResource *bool  `json:"DefaultResource,omitempty"`
	NamespaceID     string `json:"NamespaceId,omitempty"` // SAE only
	GmtCreate       string `json:"GmtCreate,omitempty"`
	GmtModified     string `json:"GmtModified,omitempty"`
}

func wireWorker(c *Call, job *DeploymentJob, w *Worker, r *CloudResource) workerItem {
	it := workerItem{
		ID: w.ID, JobID: job.ID, UserID: accountNumber(c), Status: w.Status, ResourceID: w.ResourceID,
		ResourceCertID: w.ResourceCertID, ResourceDomain: w.ResourceDomain,
		GmtCreate: millisText(w.CreatedAt), GmtModified: millisText(w.ModifiedAt),
	}
	if cert, ok := certByID(c.State, w.CertID); ok {
		names := []string{}
		for _, d := range append([]string{cert.CommonName}, cert.Sans...) {
			if d != "" && !slices.Contains(names, d) {
				names = append(names, d)
			}
		}
		it.CertID, it.CertName, it.CertInstanceID, it.CertDomain = cert.ID, cert.Name, cert.InstanceID, strings.Join(names, ",")
	}
	if r == nil {
		return it
	}
	it.CloudProduct, it.CloudRegion, it.RegionID = r.CloudProduct, r.CloudRegion, r.RegionID
	if r.cloud() != "aliyun" {
		it.CloudName = r.cloud()
	}
	if r.isListener() {
		def := r.DefaultResource
		it.InstanceID, it.ListenerID, it.Port, it.DefaultResource = r.InstanceID, r.ListenerID, r.ListenerPort, &def
	}
	if r.CloudProduct == "SAE" {
		it.NamespaceID = r.NamespaceID
	}
	return it
}

type listWorkerResourceResponse struct {
	Total       int64        `json:"Total"`
	CurrentPage int64        `json:"CurrentPage"`
	ShowSize    int64        `json:"ShowSize"`
	Data        []workerItem `json:"Data"`
}

// listWorkerResource answers a job's workers in the job's resource order.
func listWorkerResource(c *Call) (any, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	page, size, apiErr := c.Page(defaultJobPageSize, maxListPageSize)
	if apiErr != nil {
		return nil, apiErr
	}
	status := c.String("Status")
	if status != "" && !slices.Contains(workerStatuses, status) {
		return nil, errJobParam("The parameter Status is invalid: %q; use one of %s.", status, strings.Join(workerStatuses, ", "))
	}
	product := c.String("CloudProduct")
	if product != "" {
		if _, product = canonicalProduct(product); product == "" {
			return nil, errJobParam("The parameter CloudProduct is invalid: %q is not a documented cloud product.", c.String("CloudProduct"))
		}
	}
	items := []workerItem{}
	for _, w := range job.Workers {
		r, _ := resourceByID(c.State, w.ResourceID)
		if (status != "" && w.Status != status) || (product != "" && (r == nil || r.CloudProduct != product)) {
			continue
		}
		items = append(items, wireWorker(c, job, w, r))
	}
	return listWorkerResourceResponse{Total: int64(len(items)), CurrentPage: page, ShowSize: size, Data: pageOf(items, page, size)}, nil
}

// updateWorkerResourceStatus starts a rollback: Status accepts only rollback (documented).
func updateWorkerResourceStatus(c *Call) (any, *APIError) {
	job, w, apiErr := workerParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	status, apiErr := c.Required("Status")
	if apiErr != nil {
		return nil, apiErr
	}
	if status != workerRollback {
		return nil, errJobParam("The parameter Status is invalid: %q; the only value is rollback.", status)
	}
	if w.Status != jobSuccess {
		return nil, errWorkerState(w, "rollback (only a worker that deployed successfully can be rolled back)")
	}
	w.Status, w.RollbackAt, w.ModifiedAt = workerRollback, c.Now, c.Now
	w.ErrorCode, w.ErrorMessage = "", ""
	job.Rollback, job.ModifiedAt = true, c.Now
	return statusAnswer{Data: "[]"}, nil
}

// deleteWorkerResource takes a worker, and its resource, out of an editing job.
func deleteWorkerResource(c *Call) (any, *APIError) {
	job, w, apiErr := workerParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	if job.Status != jobEditing {
		return nil, errJobState(job, "DeleteWorkerResource (workers can be removed only while the job is editing)")
	}
	job.Workers = slices.DeleteFunc(job.Workers, func(x *Worker) bool { return x == w })
	job.ResourceIDs = slices.DeleteFunc(job.ResourceIDs, func(id int64) bool { return id == w.ResourceID })
	job.ModifiedAt = c.Now
	return struct{}{}, nil
}
