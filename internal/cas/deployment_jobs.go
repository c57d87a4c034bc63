package cas

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Deployment jobs ("deployment tasks"): the typed SDK has none of these actions, so every call
// goes through CommonRequest (cas-api.md). Shapes follow cas-models.md; the time fields are
// strings of milliseconds in the models and numbers in one real capture, so both are read
// (lenientInt64, orders.go).

// Deployment job statuses (cas-models.md).
const (
	JobEditing    = "editing"
	JobPending    = "pending"
	JobScheduling = "scheduling"
	JobProcessing = "processing"
	JobSuccess    = "success"
	JobError      = "error"
)

// DeploymentJobInput is what CreateDeploymentJob and UpdateDeploymentJob send.
type DeploymentJobInput struct {
	Name         string
	JobType      string // "user": Alibaba Cloud products; "cloud": other clouds
	CertIDs      []int64
	ResourceIDs  []int64
	ContactIDs   []int64
	ScheduleTime time.Time // zero: run as soon as scheduled
}

func (in DeploymentJobInput) params() map[string]string {
	p := map[string]string{
		"Name": in.Name, "CertIds": joinIDs(in.CertIDs), "ResourceIds": joinIDs(in.ResourceIDs), "ContactIds": joinIDs(in.ContactIDs),
	}
	if !in.ScheduleTime.IsZero() {
		p["ScheduleTime"] = strconv.FormatInt(in.ScheduleTime.UnixMilli(), 10)
	}
	return p
}

// CreateDeploymentJob creates a job in editing and answers its id. Not idempotent: an unknown
// outcome is an OutcomeUnknownError, and the caller looks for the job by name.
func (c *Client) CreateDeploymentJob(ctx context.Context, in DeploymentJobInput) (int64, error) {
	p := in.params()
	p["JobType"] = in.JobType
	var out struct {
		JobID lenientInt64 `json:"JobId"`
	}
	err := c.common(ctx, "CreateDeploymentJob", false, p, &out)
	return int64(out.JobID), err
}

// UpdateDeploymentJob changes an editing job; repeating it is harmless.
func (c *Client) UpdateDeploymentJob(ctx context.Context, id int64, in DeploymentJobInput) error {
	p := in.params()
	p["JobId"] = strconv.FormatInt(id, 10)
	return c.common(ctx, "UpdateDeploymentJob", true, p, nil)
}

// UpdateDeploymentJobStatus moves a job to pending or scheduling (run it) or back to editing.
func (c *Client) UpdateDeploymentJobStatus(ctx context.Context, id int64, status string) error {
	return c.common(ctx, "UpdateDeploymentJobStatus", true, map[string]string{"JobId": strconv.FormatInt(id, 10), "Status": status}, nil)
}

// DeleteDeploymentJob deletes a job that is not running (irreversible, R-68).
func (c *Client) DeleteDeploymentJob(ctx context.Context, id int64) error {
	return c.common(ctx, "DeleteDeploymentJob", true, map[string]string{"JobId": strconv.FormatInt(id, 10)}, nil)
}

// DeploymentJob is DescribeDeploymentJob's answer.
type DeploymentJob struct {
	ID           int64
	Name         string
	JobType      string
	Status       string
	CertType     string // upload, buy, free
	Deleted      bool
	ScheduleTime time.Time
	StartTime    time.Time
	EndTime      time.Time
	ContactIDs   []int64
}

// DescribeDeploymentJob reads one job; a deleted job (Del = 1) is a NotFoundError too.
func (c *Client) DescribeDeploymentJob(ctx context.Context, id int64) (*DeploymentJob, error) {
	var d struct {
		ID           lenientInt64 `json:"Id"`
		Name         string       `json:"Name"`
		JobType      string       `json:"JobType"`
		Status       string       `json:"Status"`
		CertType     string       `json:"CertType"`
		Del          lenientInt64 `json:"Del"`
		ScheduleTime lenientInt64 `json:"ScheduleTime"`
		StartTime    lenientInt64 `json:"StartTime"`
		EndTime      lenientInt64 `json:"EndTime"`
		CasContacts  []struct {
			ID lenientInt64 `json:"Id"`
		} `json:"CasContacts"`
	}
	if err := c.common(ctx, "DescribeDeploymentJob", true, map[string]string{"JobId": strconv.FormatInt(id, 10)}, &d); err != nil {
		return nil, err
	}
	if d.Del == 1 {
		return nil, &NotFoundError{&APIError{Action: "DescribeDeploymentJob", Code: "Deleted", Message: fmt.Sprintf("deployment job %d is deleted", id)}}
	}
	job := &DeploymentJob{ID: int64(d.ID), Name: d.Name, JobType: d.JobType, Status: d.Status, CertType: d.CertType,
		ScheduleTime: fromMillis(int64(d.ScheduleTime)), StartTime: fromMillis(int64(d.StartTime)), EndTime: fromMillis(int64(d.EndTime))}
	for _, ct := range d.CasContacts {
		job.ContactIDs = append(job.ContactIDs, int64(ct.ID))
	}
	sort.Slice(job.ContactIDs, func(i, j int) bool { return job.ContactIDs[i] < job.ContactIDs[j] })
	return job, nil
}

// Worker is one target of a job (ListWorkerResource): the resource and its deployment's status.
type Worker struct {
	ID           int64
	ResourceID   int64
	CertID       int64
	CloudProduct string
	Status       string
}

// ListWorkers lists every target of a job, page by page.
func (c *Client) ListWorkers(ctx context.Context, jobID int64) ([]Worker, error) {
	return ListAll(ctx, 50, func(ctx context.Context, page, size int) ([]Worker, int, error) {
		var out struct {
			Total lenientInt64 `json:"Total"`
			Data  []struct {
				ID           lenientInt64 `json:"Id"`
				ResourceID   lenientInt64 `json:"ResourceId"`
				CertID       lenientInt64 `json:"CertId"`
				CloudProduct string       `json:"CloudProduct"`
				Status       string       `json:"Status"`
			} `json:"Data"`
		}
		err := c.common(ctx, "ListWorkerResource", true, map[string]string{
			"JobId": strconv.FormatInt(jobID, 10), "CurrentPage": strconv.Itoa(page), "ShowSize": strconv.Itoa(size),
		}, &out)
		var items []Worker
		for _, w := range out.Data {
			items = append(items, Worker{ID: int64(w.ID), ResourceID: int64(w.ResourceID), CertID: int64(w.CertID), CloudProduct: w.CloudProduct, Status: w.Status})
		}
		return items, int(out.Total), err
	})
}

// ListDeploymentJobCertIDs lists the certificates of a job (ListDeploymentJobCert).
func (c *Client) ListDeploymentJobCertIDs(ctx context.Context, jobID int64) ([]int64, error) {
	var out struct {
		Data []struct {
			CertID lenientInt64 `json:"CertId"`
		} `json:"Data"`
	}
	if err := c.common(ctx, "ListDeploymentJobCert", true, map[string]string{"JobId": strconv.FormatInt(jobID, 10)}, &out); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(out.Data))
	for _, d := range out.Data {
		ids = append(ids, int64(d.CertID))
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// JobSummary is one job of ListDeploymentJob.
type JobSummary struct {
	ID     int64
	Name   string
	Status string
}

// FindDeploymentJobs lists the account's jobs of a status ("" for all).
func (c *Client) FindDeploymentJobs(ctx context.Context, status string) ([]JobSummary, error) {
	return ListAll(ctx, 50, func(ctx context.Context, page, size int) ([]JobSummary, int, error) {
		var out struct {
			Total int
			Data  []struct {
				ID     lenientInt64 `json:"Id"`
				Name   string       `json:"Name"`
				Status string       `json:"Status"`
			}
		}
		p := map[string]string{"CurrentPage": strconv.Itoa(page), "ShowSize": strconv.Itoa(size)}
		if status != "" {
			p["Status"] = status
		}
		if err := c.common(ctx, "ListDeploymentJob", true, p, &out); err != nil {
			return nil, 0, err
		}
		var items []JobSummary
		for _, d := range out.Data {
			items = append(items, JobSummary{ID: int64(d.ID), Name: d.Name, Status: d.Status})
		}
		return items, out.Total, nil
	})
}
