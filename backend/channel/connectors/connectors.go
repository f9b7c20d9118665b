// Package connectors builds the connector of a channel by its kind. It is the one place that
// knows every messenger package, so the engine (backend/engine, its only user) stays free of
// messenger details and package channel free of messenger imports.
package connectors

import (
	"fmt"
	"net/http"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/telegram"
	"switchboard/backend/channel/vk"
	"switchboard/backend/core"
)

// Options are what every connector of one engine shares. The zero value is what the app runs.
type Options struct {
	// TelegramAPI, when set, is the Bot API server of every Telegram channel (a self-hosted
	// telegram-bot-api, or a test's fake), whatever the channel row says.
	TelegramAPI string
	// VKAPI, when set, is the VK API root of every VK channel (a test's fake).
	VKAPI string
	// HTTPClient carries every request (the bench clocks the wire with it); nil = the clients'
	// own.
	HTTPClient *http.Client
	// PollTimeout is Telegram's long-poll timeout; 0 = the client's default.
	PollTimeout time.Duration
}

// New is a channel.Factory with the zero Options: a Telegram bot (custom Bot API server from
// APIURL) or a VK community (group id from ExternalID).
func New(ch core.Channel, token string) (channel.Connector, error) { return Options{}.New(ch, token) }

// New builds ch's connector with these options.
func (o Options) New(ch core.Channel, token string) (channel.Connector, error) {
	switch ch.Kind {
	case core.Telegram:
		api := ch.APIURL
		if o.TelegramAPI != "" {
			api = o.TelegramAPI
		}
		return telegram.New(telegram.Config{Token: token, APIURL: api, HTTPClient: o.HTTPClient, PollTimeout: o.PollTimeout}), nil
	case core.VK:
		if ch.ExternalID == "" {
			return nil, fmt.Errorf("vk channel %d: no community id", ch.ID)
		}
		api := ch.APIURL
		if o.VKAPI != "" {
			api = o.VKAPI
		}
		return vk.New(vk.Config{Token: token, GroupID: ch.ExternalID, APIURL: api, HTTPClient: o.HTTPClient}), nil
	default:
		return nil, fmt.Errorf("channel %d: unknown messenger %q", ch.ID, ch.Kind)
	}
}

var _ channel.Factory = New
