package emulator

// DeploymentJob is a stub, to be filled in by the business-actions work.
type DeploymentJob struct {
	ID int64 `json:"id"`
}
