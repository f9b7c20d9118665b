package app

// The bound services, one per area of the UI. Each embeds the shell for the engine and the
// window, and adds only its own exported methods: those are what Wails binds, as
// window.go.app.<Service>.<Method> (frontend/src/lib/api.ts calls them).

// Workspace is the inbox itself: the first screen, the people list, history, the client card,
// reading, switches, saved filters, notes, sends and merges (bindings.go).
type Workspace struct{ *shell }

// Composer is the rich composer: drafts, chat templates, the message constructor, attachments
// (compose.go) and voice notes (voice.go).
type Composer struct{ *shell }

// Settings is the Settings screen: channels, lead links, company actions (settings.go) and the
// desktop preferences (desktop.go).
type Settings struct{ *shell }

// Desktop is the window's side of the app: focus, the notification feed, the network coming
// back, the start-up report and quitting (desktop.go, wake.go, app.go).
type Desktop struct{ *shell }

// Team is Settings → Team: this desktop's membership of a team hub (solo or connected, signing
// in and leaving) and an admin's management of the company's accounts (team.go).
type Team struct{ *shell }
