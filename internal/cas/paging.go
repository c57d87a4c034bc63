package cas

import "context"

// PageFetcher fetches one page (1-based) of a List action and returns its items and the total
// number of items the service reports.
type PageFetcher[T any] func(ctx context.Context, page, size int) (items []T, total int, err error)

// ListAll fetches every page of a List action at the given page size. It stops at the reported
// total, or at a short or empty page (a list that changes while it is read must not loop forever).
func ListAll[T any](ctx context.Context, size int, fetch PageFetcher[T]) ([]T, error) {
	var all []T
	for page := 1; ; page++ {
		items, total, err := fetch(ctx, page, size)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if len(items) < size || len(all) >= total {
			return all, nil
		}
	}
}

// ListAllUnique is ListAll without repeats: an item that moves between pages while the list is
// read (an object created meanwhile shifts the pages) is answered once, by its id.
func ListAllUnique[T any](ctx context.Context, size int, id func(T) int64, fetch PageFetcher[T]) ([]T, error) {
	items, err := ListAll(ctx, size, fetch)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	seen := map[int64]bool{}
	for _, it := range items {
		if k := id(it); !seen[k] {
			seen[k] = true
			out = append(out, it)
		}
	}
	return out, nil
}
