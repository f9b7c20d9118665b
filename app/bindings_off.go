//go:build !bindings

package app

// generatingBindings: false in every build that runs as the app (see bindings_on.go).
const generatingBindings = false
