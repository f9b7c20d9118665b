package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"switchboard/backend/secrets"
)

// tokensFlag picks where the hub keeps channel tokens.
func tokensFlag(fs *flag.FlagSet) *string {
	return fs.String("tokens", "auto", "token store: keyring, file (SWITCHBOARD_TOKEN_<id> or <data>/tokens/channel-<id>.token, mode 600), or auto")
}

// tokenStore opens the chosen token store. "auto" uses the OS keyring when a session bus is
// there to reach it (without one, godbus would try to autolaunch a stray bus daemon) and it
// answers, else env/0600 files. Tokens never go into the database.
func tokenStore(mode, dataDir string) (secrets.Store, string, error) {
	files := secrets.EnvOrFile{Dir: filepath.Join(dataDir, "tokens")}
	switch mode {
	case "keyring":
		if err := (secrets.Keyring{}).Available(); err != nil {
			return nil, "", err
		}
		return secrets.Keyring{}, "OS keyring", nil
	case "file":
		return files, "environment / 0600 token files in " + files.Dir, nil
	case "auto":
		// On Linux the keyring is the Secret Service over D-Bus; Windows' Credential Manager and
		// the macOS Keychain are always there.
		if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
			if (secrets.Keyring{}).Available() == nil {
				return secrets.Keyring{}, "OS keyring", nil
			}
		}
		return files, "environment / 0600 token files in " + files.Dir, nil
	default:
		return nil, "", fmt.Errorf("--tokens %q: use keyring, file or auto", mode)
	}
}
