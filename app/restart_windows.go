//go:build windows

package app

import "golang.org/x/sys/windows"

// processAlive says whether process pid is still running: a process that has exited has an exit
// code other than STILL_ACTIVE (259), and one that is gone cannot be opened at all.
func processAlive(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return false
	}
	const stillActive = 259
	return code == stillActive
}
