package emulator

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
)

// The time-driven part of deployment jobs, run by a ticker on the emulated clock: a queued job
// starts (processing) at its start time, its workers deploy in parallel for workerRunTime, and the
// job ends in success, or in error when a worker failed. A worker rolled back
// (UpdateWorkerResourceStatus) ends in rollback_success or rollback_error workerRunTime later.
// Every change is dated from the moment it was due, not from the tick that noticed it.
//
// Deploying binds the worker's certificate to the resource (its CertId, what ListCloudResources
// shows afterwards). A worker fails, with an emulator-chosen code (none is documented and the
// API does not return them; they are visible through the control API), when:
//   - the resource was armed with POST /_emulator/cloud_resources/{id}/fail_next (its code and
//     message, once);
//   - the resource no longer exists (ResourceNotFound);
//   - no certificate of the job covers the resource's domain (CertificateNotMatch, R-62);
//   - the certificate is gone or no longer issued (CertificateNotFound, CertificateStatusError,
//     R-60);
//   - an Alibaba Cloud resource other than CDN/DCDN does not serve HTTPS yet (HttpsNotEnabled,
//     only a configured certificate can be replaced there).

// workerRunTime is how long a worker deploys or rolls back; a real job of one worker ended about
// 20 seconds after it was created (cas-deploy.md §3).
const workerRunTime = 10 * time.Second

// firstDeployProducts accept a certificate where none is configured yet.
var firstDeployProducts = []string{"CDN", "DCDN"}

func init() {
	registerTicker(normalizeJobs)
	registerTicker(runDeploymentJobs)
}

// normalizeJobs gives jobs seeded through the control API their id from the key, and keeps the
// id counter above their workers' ids (normalizeState sees only top-level ids).
func normalizeJobs(s *State, _ time.Time) {
	for key, job := range s.Jobs {
		if job == nil {
			continue
		}
		if job.ID == 0 {
			job.ID, _ = strconv.ParseInt(key, 10, 64)
		}
		for _, w := range job.Workers {
			if w != nil && w.ID > s.NextID {
				s.NextID = w.ID
			}
		}
		job.Workers = slices.DeleteFunc(job.Workers, func(w *Worker) bool { return w == nil })
	}
}

func runDeploymentJobs(s *State, now time.Time) {
	jobs := make([]*DeploymentJob, 0, len(s.Jobs))
	for _, job := range s.Jobs {
		if job != nil {
			jobs = append(jobs, job)
		}
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].ID < jobs[j].ID })
	for _, job := range jobs {
		if at, queued := jobStartAt(job); queued && !now.Before(at) {
			startJob(s, job, at)
		}
		if end := job.StartTime.Add(workerRunTime); job.Status == jobProcessing && !now.Before(end) {
			finishJob(s, job, end)
		}
		for _, w := range job.Workers {
			if end := w.RollbackAt.Add(workerRunTime); w.Status == workerRollback && !now.Before(end) {
				finishRollback(s, w, end)
			}
		}
	}
}

// jobStartAt is when a queued job starts: at once for scheduling, at ScheduleTime (or at once
// without one, or when it has passed) for pending.
func jobStartAt(job *DeploymentJob) (time.Time, bool) {
	switch job.Status {
	case jobScheduling:
		return job.QueuedAt, true
	case jobPending:
		if job.ScheduleTime.After(job.QueuedAt) {
			return job.ScheduleTime, true
		}
		return job.QueuedAt, true
	}
	return time.Time{}, false
}

func startJob(s *State, job *DeploymentJob, at time.Time) {
	syncWorkers(s, job, at) // the resources' current certificate and domain, before deploying
	job.Status, job.StartTime, job.ModifiedAt = jobProcessing, at, at
	for _, w := range job.Workers {
		w.Status, w.ErrorCode, w.ErrorMessage, w.ModifiedAt = jobProcessing, "", "", at
	}
}

func finishJob(s *State, job *DeploymentJob, at time.Time) {
	job.Status = jobSuccess
	for _, w := range job.Workers {
		w.Status, w.ModifiedAt = jobSuccess, at
		if f := deployWorker(s, job, w, at); f != nil {
			w.Status, w.ErrorCode, w.ErrorMessage = jobError, f.Code, f.Message
			job.Status = jobError
		}
	}
	job.EndTime, job.ModifiedAt = at, at
}

// takeFailNext consumes a resource's armed failure.
func takeFailNext(r *CloudResource) *DeployFailure {
	f := r.FailNext
	r.FailNext = nil
	return f
}

func deployWorker(s *State, job *DeploymentJob, w *Worker, at time.Time) *DeployFailure {
	r, ok := resourceByID(s, w.ResourceID)
	if !ok {
		return &DeployFailure{"ResourceNotFound", fmt.Sprintf("The cloud resource %d no longer exists.", w.ResourceID)}
	}
	if f := takeFailNext(r); f != nil {
		return f
	}
	if w.CertID == 0 {
		if !slices.ContainsFunc(job.CertIDs, func(id int64) bool { _, ok := certByID(s, id); return ok }) {
			return &DeployFailure{"CertificateNotFound", fmt.Sprintf("The certificates %v of the job no longer exist.", job.CertIDs)}
		}
		return &DeployFailure{"CertificateNotMatch", fmt.Sprintf("No certificate of the job covers the domain %q of the cloud resource %d (R-62).", r.Domain, r.ID)}
	}
	cert, ok := certByID(s, w.CertID)
	if !ok {
		return &DeployFailure{"CertificateNotFound", fmt.Sprintf("The certificate %d no longer exists.", w.CertID)}
	}
	if st := certStatus(cert, at); st != "ISSUED" {
		return &DeployFailure{"CertificateStatusError", fmt.Sprintf("The certificate %d is %s; only issued certificates can be deployed (R-60).", cert.ID, st)}
	}
	if r.cloud() == "aliyun" && !r.EnableHTTPS && !slices.Contains(firstDeployProducts, r.CloudProduct) {
		return &DeployFailure{"HttpsNotEnabled", fmt.Sprintf("The %s resource %d has no HTTPS configured; only CDN and DCDN accept a first certificate (R-65).", r.CloudProduct, r.ID)}
	}
	r.CertID, r.EnableHTTPS, r.ModifiedAt = cert.ID, true, at
	return nil
}

func finishRollback(s *State, w *Worker, at time.Time) {
	w.Status, w.ModifiedAt = workerRolledOK, at
	r, ok := resourceByID(s, w.ResourceID)
	var f *DeployFailure
	if !ok {
		f = &DeployFailure{"ResourceNotFound", fmt.Sprintf("The cloud resource %d no longer exists.", w.ResourceID)}
	} else {
		f = takeFailNext(r)
	}
	if f != nil {
		w.Status, w.ErrorCode, w.ErrorMessage = workerRollErr, f.Code, f.Message
		return
	}
	r.CertID, r.ModifiedAt = w.ResourceCertID, at
}

// syncWorkers makes the job's workers one per resource, in ResourceIds order: a resource keeps
// its worker (and id), a new one gets a new worker in the job's status, and each worker takes the
// certificate that covers its resource and the resource's current certificate and domain.
func syncWorkers(s *State, job *DeploymentJob, now time.Time) {
	byResource := map[int64]*Worker{}
	for _, w := range job.Workers {
		byResource[w.ResourceID] = w
	}
	workers := make([]*Worker, 0, len(job.ResourceIDs))
	for _, rid := range job.ResourceIDs {
		w := byResource[rid]
		if w == nil {
			w = &Worker{ID: s.newID(), ResourceID: rid, Status: job.Status, CreatedAt: now, ModifiedAt: now}
		}
		if r, ok := resourceByID(s, rid); ok {
			w.CertID = matchingCert(s, job.CertIDs, r.Domain)
			w.ResourceCertID, w.ResourceDomain = r.CertID, r.Domain
		}
		workers = append(workers, w)
	}
	job.Workers = workers
}
