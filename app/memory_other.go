//go:build !linux

package app

// returnFreedCHeap is nil here, so nothing watches for still periods: malloc_trim is glibc's, and
// the other systems' allocators are left as they are.
var returnFreedCHeap func()
