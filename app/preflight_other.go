//go:build !windows

package app

// preflight: Linux and macOS need nothing before the window opens (WebKitGTK and WKWebView are
// package dependencies or part of the system).
func preflight() error { return nil }
