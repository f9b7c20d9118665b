package app

import "switchboard/backend/version"

// AppVersion is the release version shown in Settings (the About line); "dev" with the commit for
// a developer build. Set at link time by scripts/release.sh.
func (a *Settings) AppVersion() string { return version.String() }
