//go:build darwin

package notify

import (
	"context"
	"fmt"
	"os/exec"
	"time"
)

// Native shows notifications through AppleScript's "display notification"; client text is passed
// as arguments to a fixed script (see osascriptArgs).
type Native struct{}

// Notify shows title and body.
func (Native) Notify(title, body string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "/usr/bin/osascript", osascriptArgs(title, body)...).CombinedOutput(); err != nil {
		return fmt.Errorf("osascript: %w: %s", err, out)
	}
	return nil
}
