//go:build !linux

package unusedmem

// Available is false here: malloc_trim and /proc/self/smaps are Linux's, and the other systems
// trim an idle process's working set on their own.
const Available = false

// Release does nothing here.
func Release() {}
