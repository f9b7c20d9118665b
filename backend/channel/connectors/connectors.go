// Package connectors builds the connector of a channel by its kind. It is the one place that
// knows every messenger package, so the desktop app and the hub share one factory and the
// engine (package channel) stays free of messenger imports.
package connectors

import (
	"fmt"

	"switchboard/backend/channel"
	"switchboard/backend/channel/telegram"
	"switchboard/backend/channel/vk"
	"switchboard/backend/core"
)

// New is a channel.Factory: a Telegram bot (custom Bot API server from APIURL) or a VK
// community (group id from ExternalID).
func New(ch core.Channel, token string) (channel.Connector, error) {
	switch ch.Kind {
	case core.Telegram:
		return telegram.New(telegram.Config{Token: token, APIURL: ch.APIURL}), nil
	case core.VK:
		if ch.ExternalID == "" {
			return nil, fmt.Errorf("vk channel %d: no community id", ch.ID)
		}
		return vk.New(vk.Config{Token: token, GroupID: ch.ExternalID, APIURL: ch.APIURL}), nil
	default:
		return nil, fmt.Errorf("channel %d: unknown messenger %q", ch.ID, ch.Kind)
	}
}

var _ channel.Factory = New
