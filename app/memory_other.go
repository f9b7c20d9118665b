//go:build !linux

package app

// returnFreedCHeap does nothing here: malloc_trim is glibc's, and the other systems' allocators
// are left as they are.
func returnFreedCHeap() {}
