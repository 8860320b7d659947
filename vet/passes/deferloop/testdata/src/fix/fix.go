package fix

import (
	"os"
	"sync"
)

func sizes(names []string) (total int64) {
	for _, name := range names {
		f, err := os.Open(name)
		if err == nil {
			defer f.Close() // want `defer f.Close\(\) in a loop`
			if st, err := f.Stat(); err == nil {
				total += st.Size()
			}
		}
		for i := 0; i < 2; i++ {
			if i == 1 {
				break
			}
		}
	}
	return total
}

var mu sync.Mutex

func count(keys []string, m map[string]int) {
	for _, k := range keys {
		mu.Lock()
		defer mu.Unlock() // want `defer mu.Unlock\(\) in a loop`
		m[k]++
	}
}

// A continue of the loop itself: no fix is offered.
func skip(names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
	}
}
