package main

import (
	"fmt"

	"switchboard/backend/version"
)

func init() { commands["version"] = runVersion }

// runVersion prints the release version (set by scripts/release.sh at link time).
func runVersion(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("version takes no arguments")
	}
	fmt.Println("switchboard-hub", version.String())
	return nil
}
