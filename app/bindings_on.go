//go:build bindings

package app

// generatingBindings: this build only writes the frontend's bindings (wails build/dev compile the
// app with the "bindings" tag and run it once for that).
const generatingBindings = true
