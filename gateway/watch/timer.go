package watch

import "time"

func newTimer(d interface{ Nanoseconds() int64 }) *time.Timer {
	return time.NewTimer(time.Duration(d.Nanoseconds()))
}
