//go:build windows

package notify

import (
	"fmt"
	"sync"

	"git.sr.ht/~jackmordaunt/go-toast/v2/wintoast"
)

// Native shows Windows toasts through the Windows Runtime (COM). The toast XML is built here with
// every client character escaped (toastXML), and the PowerShell fallback that go-toast offers is
// never enabled: it pastes the XML into a script.
type Native struct{}

var registerApp = sync.OnceValue(func() error {
	return wintoast.SetAppData(wintoast.AppData{AppID: appName})
})

// Notify shows title and body.
func (Native) Notify(title, body string) error {
	if err := registerApp(); err != nil {
		return fmt.Errorf("register toast app id: %w", err)
	}
	if err := wintoast.Push(appName, toastXML(title, body)); err != nil {
		return fmt.Errorf("toast: %w", err)
	}
	return nil
}
