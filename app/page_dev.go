//go:build dev

package app

// devConnect lets Vite's client reach its hot-reload socket under `wails dev` (built with the
// "dev" tag); the shipped app never has it.
const devConnect = " ws://localhost:* ws://127.0.0.1:*"
