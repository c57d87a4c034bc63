package emulator

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Reading jobs: DescribeDeploymentJob, ListDeploymentJob and DescribeDeploymentJobStatus
// (cas-models.md). Times are strings of milliseconds as the models type them (a real
// ListDeploymentJob answer had JSON numbers: clients should accept both, cas-deploy.md §3).
// Errors: 400 Missing<Param> (documented), 404 NotFoundJob and 400 InvalidParameter (inferred).

func init() {
	registerAction(casVersion, "DescribeDeploymentJob", describeDeploymentJob)
	registerAction(casVersion, "ListDeploymentJob", listDeploymentJob)
	registerAction(casVersion, "DescribeDeploymentJobStatus", describeDeploymentJobStatus)
}

// defaultJobPageSize is the documented default ShowSize of ListDeploymentJob and
// ListWorkerResource (a real answer echoed it).
const defaultJobPageSize = 50

// emulatedDeploymentQuota is BuyCount, the deployment quota the account bought. The state holds
// no quota, so every account has this many and it is not enforced.
const emulatedDeploymentQuota = 1000

// jobSummary is an item of ListDeploymentJob; DescribeDeploymentJob adds Config and CasContacts.
type jobSummary struct {
	ID           int64  `json:"Id"`
	Name         string `json:"Name"`
	JobType      string `json:"JobType"`
	Status       string `json:"Status"`
	CertType     string `json:"CertType,omitempty"`
	CertDomain   string `json:"CertDomain,omitempty"`
	ProductName  string `json:"ProductName,omitempty"`
	InstanceID   string `json:"InstanceId"`
	UserID       int64  `json:"UserId"`
	Del          int    `json:"Del"`
	Rollback     int    `json:"Rollback"`
	ScheduleTime string `json:"ScheduleTime,omitempty"`
	StartTime    string `json:"StartTime,omitempty"`
	EndTime      string `json:"EndTime,omitempty"`
	GmtCreate    string `json:"GmtCreate"`
	GmtModified  string `json:"GmtModified"`
}

type casContact struct {
	ID     string `json:"Id"` // a string here, a number everywhere else
	Name   string `json:"Name"`
	Email  string `json:"Email,omitempty"`
	Mobile string `json:"Mobile"`
}

type describeDeploymentJobResponse struct {
	jobSummary
	Config      string       `json:"Config"`
	CasContacts []casContact `json:"CasContacts"`
}

func summarizeJob(c *Call, job *DeploymentJob) jobSummary {
	sum := jobSummary{
		ID: job.ID, Name: job.Name, JobType: job.JobType, Status: job.Status, InstanceID: job.InstanceID,
		UserID: accountNumber(c), Rollback: wireFlag(job.Rollback), StartTime: millisText(job.StartTime),
		EndTime: millisText(job.EndTime), GmtCreate: millisText(job.CreatedAt), GmtModified: millisText(job.ModifiedAt),
	}
	// Without a ScheduleTime a queued job is scheduled when it was queued (in a real answer
	// ScheduleTime was about GmtCreate).
	sum.ScheduleTime = millisText(job.ScheduleTime)
	if sum.ScheduleTime == "" {
		sum.ScheduleTime = millisText(job.QueuedAt)
	}
	var domains, products []string
	for _, id := range job.CertIDs {
		cert, ok := certByID(c.State, id)
		if !ok {
			continue
		}
		if sum.CertType == "" {
			sum.CertType = certOrderType(c.State, cert)
		}
		for _, d := range append([]string{cert.CommonName}, cert.Sans...) {
			if d != "" && !slices.Contains(domains, d) {
				domains = append(domains, d)
			}
		}
	}
	for _, id := range job.ResourceIDs {
		if r, ok := resourceByID(c.State, id); ok && !slices.Contains(products, r.CloudProduct) {
			products = append(products, r.CloudProduct)
		}
	}
	sum.CertDomain, sum.ProductName = strings.Join(domains, ","), strings.Join(products, ",")
	return sum
}

func describeDeploymentJob(c *Call) (any, *APIError) {
	job, apiErr := jobParam(c)
	if apiErr != nil {
		return nil, apiErr
	}
	out := describeDeploymentJobResponse{jobSummary: summarizeJob(c, job), Config: jobConfig(c.State, job), CasContacts: []casContact{}}
	for _, id := range job.ContactIDs {
		if ct, ok := contactByID(c.State, id); ok {
			out.CasContacts = append(out.CasContacts, casContact{ID: strconv.FormatInt(ct.ID, 10), Name: ct.Name,
				Email: ct.Email, Mobile: maskMiddle(ct.Mobile, 3, 4)})
		}
	}
	return out, nil
}

// jobConfig is the Config JSON text: {"shareCertIds":[...],"certIds":[...]} (documented example),
// shared certificates apart from the account's own.
func jobConfig(s *State, job *DeploymentJob) string {
	cfg := struct {
		ShareCertIDs []int64 `json:"shareCertIds"`
		CertIDs      []int64 `json:"certIds"`
	}{[]int64{}, []int64{}}
	for _, id := range job.CertIDs {
		if cert, ok := certByID(s, id); ok && cert.Source == "share" {
			cfg.ShareCertIDs = append(cfg.ShareCertIDs, id)
		} else {
			cfg.CertIDs = append(cfg.CertIDs, id)
		}
	}
	raw, _ := json.Marshal(cfg)
	return string(raw)
}

type listDeploymentJobResponse struct {
	Total       int64        `json:"Total"`
	CurrentPage int64        `json:"CurrentPage"`
	ShowSize    int64        `json:"ShowSize"`
	Data        []jobSummary `json:"Data"`
}

// listDeploymentJob answers the jobs newest first (by Id, as a real answer was ordered).
func listDeploymentJob(c *Call) (any, *APIError) {
	page, size, apiErr := c.Page(defaultJobPageSize, maxListPageSize)
	if apiErr != nil {
		return nil, apiErr
	}
	jobType, status := c.String("JobType"), c.String("Status")
	if jobType != "" && !slices.Contains(jobTypes, jobType) {
		return nil, errJobParam("The parameter JobType is invalid: %q; use user or cloud.", jobType)
	}
	if status != "" && !slices.Contains(jobStatuses, status) {
		return nil, errJobParam("The parameter Status is invalid: %q; use one of %s.", status, strings.Join(jobStatuses, ", "))
	}
	jobs := make([]*DeploymentJob, 0, len(c.State.Jobs))
	for _, job := range c.State.Jobs {
		if job != nil && (jobType == "" || job.JobType == jobType) && (status == "" || job.Status == status) {
			jobs = append(jobs, job)
		}
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].ID > jobs[j].ID })
	items := make([]jobSummary, 0, len(jobs))
	for _, job := range jobs {
		items = append(items, summarizeJob(c, job))
	}
	return listDeploymentJobResponse{Total: int64(len(items)), CurrentPage: page, ShowSize: size, Data: pageOf(items, page, size)}, nil
}

type productCount struct {
	ProductName string `json:"ProductName"`
	Count       int    `json:"Count"`
}

type jobStatusResponse struct {
	ResourceCount        int            `json:"ResourceCount"`
	BuyCount             int            `json:"BuyCount"`
	UseCount             int            `json:"UseCount"`
	CertCount            int            `json:"CertCount"`
	WorkerCount          int            `json:"WorkerCount"`
	MatchWorkerCount     int            `json:"MatchWorkerCount"`
	SuccessCount         int            `json:"SuccessCount"`
	FailedCount          int            `json:"FailedCount"`
	RollbackCount        int            `json:"RollbackCount"`
	RollbackSuccessCount int            `json:"RollbackSuccessCount"`
	RollbackFailedCount  int            `json:"RollbackFailedCount"`
	CostCount            int            `json:"CostCount"`
	ProductWorkerCount   []productCount `json:"ProductWorkerCount"`
}

// describeDeploymentJobStatus counts one job's workers (JobId is optional in the model: without
// it, every job's). ResourceCount is the account's cloud resources; BuyCount the emulated quota;
// UseCount and CostCount the quota consumed by successful deployments of uploaded certificates,
// the only ones that consume it (R-67; a failed deployment returns it).
func describeDeploymentJobStatus(c *Call) (any, *APIError) {
	var jobs []*DeploymentJob
	if c.Has("JobId") {
		job, apiErr := jobParam(c)
		if apiErr != nil {
			return nil, apiErr
		}
		jobs = []*DeploymentJob{job}
	} else {
		for _, job := range c.State.Jobs {
			if job != nil {
				jobs = append(jobs, job)
			}
		}
	}
	out := jobStatusResponse{ResourceCount: len(c.State.CloudResources), BuyCount: emulatedDeploymentQuota,
		ProductWorkerCount: []productCount{}}
	for _, job := range c.State.Jobs {
		if job != nil {
			out.UseCount += quotaCost(c.State, job)
		}
	}
	byProduct := map[string]int{}
	var products []string
	for _, job := range jobs {
		out.CertCount += len(job.CertIDs)
		out.CostCount += quotaCost(c.State, job)
		for _, w := range job.Workers {
			out.WorkerCount++
			if w.CertID != 0 {
				out.MatchWorkerCount++
			}
			switch w.Status {
			case jobSuccess:
				out.SuccessCount++
			case jobError:
				out.FailedCount++
			case workerRollback:
				out.RollbackCount++
			case workerRolledOK:
				out.RollbackCount++
				out.RollbackSuccessCount++
			case workerRollErr:
				out.RollbackCount++
				out.RollbackFailedCount++
			}
			if r, ok := resourceByID(c.State, w.ResourceID); ok {
				if byProduct[r.CloudProduct] == 0 {
					products = append(products, r.CloudProduct)
				}
				byProduct[r.CloudProduct]++
			}
		}
	}
	for _, p := range products {
		out.ProductWorkerCount = append(out.ProductWorkerCount, productCount{ProductName: p, Count: byProduct[p]})
	}
	return out, nil
}

// quotaCost is the deployment quota a job consumed: its successful workers that deployed an
// uploaded certificate (R-67; purchased and shared ones are free, R-54).
func quotaCost(s *State, job *DeploymentJob) int {
	n := 0
	for _, w := range job.Workers {
		if cert, ok := certByID(s, w.CertID); ok && w.Status == jobSuccess && cert.Source == "upload" {
			n++
		}
	}
	return n
}
