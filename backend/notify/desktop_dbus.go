//go:build linux || freebsd || netbsd || openbsd

package notify

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"
)

// notifyTimeout bounds one D-Bus call so a hung notification daemon cannot hold the sender.
const notifyTimeout = 5 * time.Second

// Native shows notifications through org.freedesktop.Notifications on the session bus. There is
// no fallback to notify-send or kdialog: a command line is one more place client text would be
// read as something else (an option, markup).
type Native struct{}

// Notify shows title and body.
func (Native) Notify(title, body string) error {
	conn, err := dbus.SessionBus()
	if err != nil {
		return fmt.Errorf("session bus: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
	defer cancel()
	obj := conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
	var caps []string
	if err := obj.CallWithContext(ctx, "org.freedesktop.Notifications.GetCapabilities", 0).Store(&caps); err != nil {
		return fmt.Errorf("notification server capabilities: %w", err)
	}
	summary, text := freedesktopText(title, body, slices.Contains(caps, "body-markup"))
	call := obj.CallWithContext(ctx, "org.freedesktop.Notifications.Notify", 0,
		appName, uint32(0), "", summary, text, []string{}, map[string]dbus.Variant{}, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("notify over D-Bus: %w", call.Err)
	}
	return nil
}
