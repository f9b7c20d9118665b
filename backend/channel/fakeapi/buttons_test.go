package fakeapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/backend/channel/fakeapi"
)

// Buttons on the wire: an inline keyboard is kept with the message, a tap comes back as a
// callback_query update (Telegram) or a message_new with the button's payload (VK), only for a
// button the message has, and a callback query is answered once.

func TestTelegramInlineKeyboardAndCallbackQuery(t *testing.T) {
	tg := fakeapi.NewTelegram(t)
	base := tg.URL() + "/bot" + tg.Token() + "/"
	kb := `{"inline_keyboard":[[{"text":"1","callback_data":"r:1"},{"text":"2","callback_data":"r:2"}]]}`
	code, body := post(t, base+"sendMessage", url.Values{"chat_id": {"42"}, "text": {"Rate us"}, "reply_markup": {kb}})
	if code != 200 {
		t.Fatalf("sendMessage = %d %s", code, body)
	}
	code, body = post(t, base+"sendMessage", url.Values{"chat_id": {"42"}, "text": {"x"},
		"reply_markup": {`{"inline_keyboard":[[{"text":"1","callback_data":"` + strings.Repeat("a", 65) + `"}]]}`}})
	if code != 400 || !strings.Contains(body, fakeapi.TGButtonData) {
		t.Fatalf("65-byte callback_data = %d %s", code, body)
	}
	msgs := tg.Messages(42)
	if len(msgs) != 1 || len(msgs[0].Buttons) != 1 || msgs[0].Buttons[0][1].CallbackData != "r:2" {
		t.Fatalf("kept keyboard: %+v", msgs)
	}
	if _, err := tg.Press(42, msgs[0].MessageID, "r:9"); err == nil {
		t.Fatal("pressed a button the message does not have")
	}
	id, err := tg.Press(42, msgs[0].MessageID, "r:2")
	if err != nil {
		t.Fatal(err)
	}
	_, body = post(t, base+"getUpdates", url.Values{"allowed_updates": {`["message","callback_query"]`}})
	var got struct {
		Result []struct {
			CallbackQuery struct {
				ID      string             `json:"id"`
				From    struct{ ID int64 } `json:"from"`
				Message struct {
					MessageID int64 `json:"message_id"`
					Chat      struct {
						ID   int64  `json:"id"`
						Type string `json:"type"`
					} `json:"chat"`
					ReplyMarkup json.RawMessage `json:"reply_markup"`
				} `json:"message"`
				ChatInstance string `json:"chat_instance"`
				Data         string `json:"data"`
			} `json:"callback_query"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Result) != 1 {
		t.Fatalf("getUpdates = %s", body)
	}
	q := got.Result[0].CallbackQuery
	if q.ID != id || q.Data != "r:2" || q.From.ID != 42 || q.Message.MessageID != msgs[0].MessageID || q.Message.Chat.Type != "private" ||
		q.ChatInstance == "" || !strings.Contains(string(q.Message.ReplyMarkup), `"callback_data":"r:1"`) {
		t.Fatalf("callback_query = %+v", q)
	}
	if code, body := post(t, base+"answerCallbackQuery", url.Values{"callback_query_id": {id}}); code != 200 || body != `{"ok":true,"result":true}` {
		t.Fatalf("answer = %d %s", code, body)
	}
	if code, body := post(t, base+"answerCallbackQuery", url.Values{"callback_query_id": {id}}); code != 400 || !strings.Contains(body, fakeapi.TGQueryTooOld) {
		t.Fatalf("second answer = %d %s", code, body)
	}
	if tg.Answered(id) != 2 {
		t.Fatalf("answers recorded: %d", tg.Answered(id))
	}
}

func TestVKKeyboardPayload(t *testing.T) {
	vk := fakeapi.NewVK(t)
	base := vk.URL() + "/"
	auth := func(v url.Values) url.Values {
		v.Set("access_token", vk.Token())
		v.Set("v", "5.199")
		return v
	}
	kb := `{"inline":true,"buttons":[[{"action":{"type":"text","label":"5","payload":"{\"k\":\"v5\"}"},"color":"secondary"}]]}`
	code, body := post(t, base+"messages.send", auth(url.Values{"peer_id": {"77"}, "random_id": {"1"}, "message": {"Rate us"}, "keyboard": {kb}}))
	if code != 200 || strings.Contains(body, "error") {
		t.Fatalf("send = %d %s", code, body)
	}
	bad := `{"inline":true,"buttons":[[` + strings.Repeat(`{"action":{"type":"text","label":"x"}},`, 5) + `{"action":{"type":"text","label":"x"}}]]}`
	if _, body := post(t, base+"messages.send", auth(url.Values{"peer_id": {"77"}, "random_id": {"2"}, "message": {"x"}, "keyboard": {bad}})); !strings.Contains(body, `"error_code":911`) {
		t.Fatalf("six buttons in a row = %s", body)
	}
	msgs := vk.Messages(77)
	if len(msgs) != 1 || !msgs[0].Inline || msgs[0].Buttons[0][0].Action.Payload != `{"k":"v5"}` {
		t.Fatalf("kept keyboard: %+v", msgs)
	}
	if _, err := vk.Press(77, msgs[0].ID, "4"); err == nil {
		t.Fatal("pressed a button the message does not have")
	}
	var lp struct {
		Response struct{ Key, Server, TS string } `json:"response"`
	}
	_, body = post(t, base+"groups.getLongPollServer", auth(url.Values{"group_id": {"218000111"}}))
	if err := json.Unmarshal([]byte(body), &lp); err != nil || lp.Response.Key == "" {
		t.Fatalf("getLongPollServer = %s", body)
	}
	if _, err := vk.Press(77, msgs[0].ID, "5"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(lp.Response.Server + "?act=a_check&key=" + lp.Response.Key + "&ts=" + lp.Response.TS + "&wait=0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var poll struct {
		Updates []struct {
			Type   string `json:"type"`
			Object struct {
				Message struct {
					PeerID  int64  `json:"peer_id"`
					Text    string `json:"text"`
					Payload string `json:"payload"`
				} `json:"message"`
			} `json:"object"`
		} `json:"updates"`
	}
	if err := json.Unmarshal(raw, &poll); err != nil || len(poll.Updates) != 1 {
		t.Fatalf("long poll = %s", raw)
	}
	if u := poll.Updates[0]; u.Type != "message_new" || u.Object.Message.PeerID != 77 || u.Object.Message.Text != "5" ||
		u.Object.Message.Payload != `{"k":"v5"}` {
		t.Fatalf("message_new = %+v", u)
	}
}
