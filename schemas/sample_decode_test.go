package schemas

import (
	"strconv"
	"sync"
	"testing"
)

// TestDecodeSampleConcurrently decodes samples of many hosts and groups
// from several goroutines at once, so that pooled decoders and interned
// group names are shared; each sample must come out as its own. Run it
// with -race.
func TestDecodeSampleConcurrently(t *testing.T) {
	const workers, perWorker, groups = 8, 2000, 3072
	lim := fixedLimits()

	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				host := "h-" + strconv.Itoa(w) + "-" + strconv.Itoa(i)
				group := "g\\u00e9-" + strconv.Itoa((w*perWorker+i)%groups)
				payload := `{"v":1,"host":"` + host + `","group":"` + group +
					`","ts":"2024-01-01T00:00:00Z","cpu":` + strconv.Itoa(i%100) + `}`
				s, err := DecodeSample([]byte(payload), lim)
				wantGroup := "gé-" + strconv.Itoa((w*perWorker+i)%groups)
				if err != nil || s.Host != host || s.Group != wantGroup || s.CPU != float64(i%100) {
					errs <- payload + ": got " + s.Host + " " + s.Group
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
