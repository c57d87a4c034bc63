package emulator

// Contact is a stub, to be filled in by the business-actions work.
type Contact struct {
	ID int64 `json:"id"`
}
