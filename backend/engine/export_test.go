package engine

import "time"

// PollLockRetry is pollLockRetry, for the tests that time it.
func PollLockRetry() time.Duration { return pollLockRetry }
