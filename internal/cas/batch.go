package cas

import (
	"context"
	"sync"
	"time"
)

// Batched reads. A plan refreshes every resource with its own Read; with a thousand uploaded
// certificates that is a thousand GetUserCertificateDetail calls, throttled by the account's
// rate limits. Instead, within one provider process, Reads of uploaded certificates are served
// from one listing of ListUserCertificateOrder at the largest page size:
//
//   - Concurrent Reads join the one listing in flight (request coalescing): the first caller
//     fetches, the others wait for its result.
//   - A listing is reused for BatchTTL only (one terraform command's refresh), and is dropped
//     by every write of a certificate through this client, so a Read never sees data older than
//     the run, nor older than this process's own changes.
//   - A certificate missing from the listing is not declared gone: the caller falls back to its
//     own GetUserCertificateDetail (a list may be stale or partial); only that call's NotFound
//     removes a resource from the state.
//
// Batching is on by default; Config.DisableBatching (the provider's environment switch for
// benchmarks) turns it off.

// BatchTTL is how long one listing serves Reads.
const BatchTTL = 30 * time.Second

// batchPageSize is the page size of batched listings: the largest the service answers (50 is
// the documented default; 100 is the largest page the official provider asks for).
const batchPageSize = 100

type uploadedBatch struct {
	mu       sync.Mutex
	inflight chan struct{}                // closed when the listing in flight ends
	items    map[int64]CertificateSummary // nil: no valid listing
	err      error
	at       time.Time
	gen      int // bumped by invalidate: a listing started before a write is not kept
}

// LookupUploaded answers the certificate from the run's shared listing: found is false when the
// listing does not have it, and the caller must then ask GetUserCertificateDetail.
func (c *Client) LookupUploaded(ctx context.Context, id int64) (summary CertificateSummary, found bool, err error) {
	if c.cfg.DisableBatching {
		return CertificateSummary{}, false, nil
	}
	items, err := c.batch.get(ctx, c)
	if err != nil {
		return CertificateSummary{}, false, err
	}
	summary, found = items[id]
	return summary, found, nil
}

func (b *uploadedBatch) get(ctx context.Context, c *Client) (map[int64]CertificateSummary, error) {
	for {
		b.mu.Lock()
		if b.items != nil && c.cfg.Clock.Now().Sub(b.at) < BatchTTL {
			items := b.items
			b.mu.Unlock()
			return items, nil
		}
		if wait := b.inflight; wait != nil {
			b.mu.Unlock()
			select {
			case <-wait:
				continue // the listing ended: use it, or fetch again if it failed or was dropped
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done, gen := make(chan struct{}), b.gen
		b.inflight = done
		b.mu.Unlock()

		items, err := c.listUploadedForBatch(ctx)
		b.mu.Lock()
		b.inflight = nil
		if err == nil && gen == b.gen {
			b.items, b.at = items, c.cfg.Clock.Now()
		}
		b.mu.Unlock()
		close(done)
		if err != nil {
			return nil, err
		}
		return items, nil
	}
}

// invalidate drops the listing after a write.
func (b *uploadedBatch) invalidate() {
	b.mu.Lock()
	b.items, b.gen = nil, b.gen+1
	b.mu.Unlock()
}

func (c *Client) listUploadedForBatch(ctx context.Context) (map[int64]CertificateSummary, error) {
	out := map[int64]CertificateSummary{}
	for _, status := range certificateStatuses {
		items, err := ListAll(ctx, batchPageSize, func(ctx context.Context, page, size int) ([]CertificateSummary, int, error) {
			return c.listCertificatePage(ctx, CertificateFilter{Kind: KindUploaded}, status, page, size)
		})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out[it.ID] = it
		}
	}
	return out, nil
}
