package inbox

import (
	"errors"
	"testing"

	"switchboard/backend/core"
)

func TestVKArgs(t *testing.T) {
	for in, want := range map[string]string{"123": "123", " club77 ": "77", "-42": "42", "public9": "9"} {
		if _, g, err := VKArgs("tok", in); err != nil || g != want {
			t.Errorf("VKArgs(%q) = %q, %v", in, g, err)
		}
	}
	for _, in := range []string{"", "durov", "12a", "club"} {
		if _, _, err := VKArgs("tok", in); !errors.Is(err, ErrGroupID) {
			t.Errorf("VKArgs(%q) accepted", in)
		}
	}
	if _, _, err := VKArgs(" ", "1"); !errors.Is(err, ErrNoToken) {
		t.Error("empty VK token accepted")
	}
}

func TestDeepLink(t *testing.T) {
	cases := []struct {
		ch   core.Channel
		code string
		want string
	}{
		{core.Channel{Kind: core.Telegram, Username: "bot"}, "", "https://t.me/bot"},
		{core.Channel{Kind: core.Telegram, Username: "bot"}, "a-b_c", "https://t.me/bot?start=a-b_c"},
		{core.Channel{Kind: core.Telegram}, "x", ""},
		{core.Channel{Kind: core.VK, Username: "shop", ExternalID: "1"}, "x", "https://vk.me/shop?ref=x"},
		{core.Channel{Kind: core.VK, ExternalID: "-12"}, "", "https://vk.me/club12"},
	}
	for _, c := range cases {
		if got := DeepLink(c.ch, c.code); got != c.want {
			t.Errorf("DeepLink(%+v, %q) = %q, want %q", c.ch, c.code, got, c.want)
		}
	}
}
