//go:build !linux

package app

// trayHostMissing: macOS and Windows always have a menu bar / notification area.
func trayHostMissing() string { return "" }
