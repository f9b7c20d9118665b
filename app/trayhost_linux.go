package app

import (
	"github.com/godbus/dbus/v5"

	"switchboard/backend/core"
)

// trayHostMissing says, as a code the UI words, what is missing when no tray host runs on this Linux desktop: the tray
// icon (a StatusNotifierItem) is shown by a StatusNotifierWatcher on the session bus, which GNOME
// without the AppIndicator extension, and bare window managers, do not have.
func trayHostMissing() string {
	conn, err := dbus.SessionBus()
	if err != nil {
		return core.FailNoSessionBus
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	if err != nil || !has {
		return core.FailNoTrayHost
	}
	return ""
}
