package store

import "syscall"

// processCPUSeconds is the user and kernel CPU time this process has used (Windows has no
// getrusage; the store's tests are also run as Windows binaries under wine).
func processCPUSeconds() (float64, error) {
	self, err := syscall.GetCurrentProcess()
	if err != nil {
		return 0, err
	}
	var creation, exit, kernel, user syscall.Filetime
	if err := syscall.GetProcessTimes(self, &creation, &exit, &kernel, &user); err != nil {
		return 0, err
	}
	// Filetime counts 100 ns intervals; Nanoseconds() assumes an epoch, so read the raw halves.
	ticks := func(f syscall.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return float64(ticks(kernel)+ticks(user)) / 1e7, nil
}
