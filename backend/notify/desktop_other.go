//go:build !linux && !freebsd && !netbsd && !openbsd && !darwin && !windows

package notify

import "errors"

// Native has no desktop notifications on this system; the in-app feed still works.
type Native struct{}

// Notify reports that there is no notifier here.
func (Native) Notify(string, string) error {
	return errors.New("no desktop notifications on this system")
}
