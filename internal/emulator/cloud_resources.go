package emulator

// CloudResource is a stub, to be filled in by the business-actions work.
type CloudResource struct {
	ID int64 `json:"id"`
}
