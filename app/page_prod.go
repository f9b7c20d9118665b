//go:build !dev

package app

// devConnect is empty outside `wails dev`: the page talks only to itself.
const devConnect = ""
