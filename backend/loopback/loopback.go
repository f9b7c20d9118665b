// Package loopback says whether a host name or address reaches only this machine. It is the one
// rule behind every "loopback only" of the project: the hub listening in plain HTTP, a hub or
// Bot API address a token may travel to over http://, and the profiler's address. It imports
// nothing of ours (only the standard library), so the smallest packages — the profiler, which
// the hub's main and pprof-tag desktop builds link, and the messenger clients — may use it and
// still import nothing else of the project.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host reaches only this machine: "localhost" (any case) or a loopback IP,
// IPv6 with or without its brackets ("[::1]" as net.SplitHostPort leaves it out, "::1" as
// url.URL.Hostname gives it).
func Host(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
