// Package version is the release version of both binaries. The release script sets it at link
// time (`-ldflags "-X switchboard/backend/version.Version=0.2.0"`); a developer build says "dev".
package version

import "runtime/debug"

// Version is the release version, without a leading "v". Set by scripts/release.sh.
var Version = "dev"

// String is what `--version` prints: the version and, for a development build, the commit it
// was built from when Go recorded one (so a bug report still says which code it was).
func String() string {
	if Version != "dev" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Version
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return Version
	}
	return Version + " (" + rev + dirty + ")"
}
