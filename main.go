// Command switchboard is the desktop app. The Wails CLI builds the main package at the project
// root, so this stays a few lines: the frontend assets are embedded here and the rest is in app/.
package main

import (
	"embed"

	"switchboard/app"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() { app.Run(assets) }
