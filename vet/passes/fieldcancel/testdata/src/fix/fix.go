package fix

import (
	"time"

	"limiter"
)

func use(n int) {
	l := limiter.New(n, time.Second) // want `l holds a context cancel`
	l.Take()
}

func checked(n int) error {
	l, err := limiter.NewChecked(n, time.Second) // want `l holds a context cancel`
	if err != nil {
		return err
	}
	l.Take()
	return nil
}
