package connectors

import (
	"context"
	"testing"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/channel/telegram"
	"switchboard/backend/channel/vk"
	"switchboard/backend/core"
)

func TestNewPicksTheMessengerAndItsServer(t *testing.T) {
	fake := fakeapi.NewTelegram(t)
	c, err := New(core.Channel{ID: 1, Kind: core.Telegram, APIURL: fake.URL()}, fake.Token())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*telegram.Client); !ok {
		t.Fatalf("telegram channel got %T", c)
	}
	// The channel's APIURL is honoured: the check reaches the fake, not api.telegram.org.
	if info, err := c.Check(context.Background()); err != nil || info.Username == "" {
		t.Fatalf("check through the custom server: %+v %v", info, err)
	}
	v, err := New(core.Channel{ID: 2, Kind: core.VK, ExternalID: "123"}, "tok")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.(*vk.Client); !ok {
		t.Fatalf("vk channel got %T", v)
	}
	if _, err := New(core.Channel{ID: 3, Kind: core.VK}, "tok"); err == nil {
		t.Fatal("a VK channel without a community id was built")
	}
	if _, err := New(core.Channel{ID: 4, Kind: "fax"}, "tok"); err == nil {
		t.Fatal("an unknown messenger was built")
	}
}
