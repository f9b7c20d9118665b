package fakeapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
)

// These tests check the fakes' wire format with plain HTTP, independent of our clients: the
// status codes and bodies must be what the real APIs send.

func post(t *testing.T, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestTelegramEnvelopes(t *testing.T) {
	tg := fakeapi.NewTelegram(t)
	base := tg.URL() + "/bot" + tg.Token() + "/"

	tg.Fail("getMe", 1, fakeapi.Failure{Kind: fakeapi.FailRateLimit, RetryAfter: 35})
	code, body := post(t, base+"getMe", nil)
	if code != 429 || body != `{"description":"Too Many Requests: retry after 35","error_code":429,"ok":false,"parameters":{"retry_after":35}}` {
		t.Fatalf("429 = %d %s", code, body)
	}
	code, body = post(t, tg.URL()+"/bot123:wrong/getMe", nil)
	if code != 401 || body != `{"description":"Unauthorized","error_code":401,"ok":false}` {
		t.Fatalf("401 = %d %s", code, body)
	}
	code, body = post(t, tg.URL()+"/botnotatoken/getMe", nil)
	if code != 404 || !strings.Contains(body, `"description":"Not Found"`) {
		t.Fatalf("404 = %d %s", code, body)
	}
	code, body = post(t, base+"getMe", nil)
	var me struct {
		OK     bool `json:"ok"`
		Result struct {
			ID       int64  `json:"id"`
			IsBot    bool   `json:"is_bot"`
			Username string `json:"username"`
		} `json:"result"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &me) != nil || !me.OK || !me.Result.IsBot || me.Result.Username == "" {
		t.Fatalf("getMe = %d %s", code, body)
	}
	tg.SetWebhook("https://example.com/hook")
	code, body = post(t, base+"getUpdates", nil)
	if code != 409 || !strings.Contains(body, fakeapi.TGConflictWebhook) {
		t.Fatalf("webhook conflict = %d %s", code, body)
	}
}

func TestTelegramAllowedUpdatesAndOffsets(t *testing.T) {
	tg := fakeapi.NewTelegram(t)
	base := tg.URL() + "/bot" + tg.Token() + "/getUpdates"
	tg.PushUpdate(`{"message_reaction":{"chat":{"id":1,"type":"private"},"message_id":1,"date":1,"old_reaction":[],"new_reaction":[]}}`)
	id := tg.PushText(1, "A", "hi")
	// Without allowed_updates the server default drops reactions.
	_, body := post(t, base, url.Values{"timeout": {"0"}})
	if strings.Contains(body, "message_reaction") || !strings.Contains(body, `"text":"hi"`) {
		t.Fatalf("default delivery = %s", body)
	}
	// Offset past the message confirms it.
	_, body = post(t, base, url.Values{"timeout": {"0"}, "offset": {strconv.FormatInt(id+1, 10)}})
	if body != `{"ok":true,"result":[]}` || tg.Pending() != 0 {
		t.Fatalf("after offset = %s, pending %d", body, tg.Pending())
	}
	// The answer is what encoding/json writes for it, whatever the text holds.
	id = tg.PushText(3, "C", "<b>&amp;</b> \u2028 \"q\" Ёж 🙂")
	_, body = post(t, base, url.Values{"timeout": {"0"}})
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		t.Fatal(err)
	}
	var again strings.Builder
	json.NewEncoder(&again).Encode(generic)
	if strings.TrimSpace(again.String()) != body || !strings.Contains(body, `\u003cb\u003e`) {
		t.Fatalf("getUpdates body is not encoding/json's:\n%s\n%s", body, again.String())
	}
	post(t, base, url.Values{"timeout": {"0"}, "offset": {strconv.FormatInt(id+1, 10)}})
	// Long poll honours timeout (capped) and returns early on push.
	start := time.Now()
	go func() {
		time.Sleep(100 * time.Millisecond)
		tg.PushText(2, "B", "wake")
	}()
	_, body = post(t, base, url.Values{"timeout": {"30"}, "allowed_updates": {`["message"]`}})
	if time.Since(start) > 5*time.Second || !strings.Contains(body, "wake") {
		t.Fatalf("long poll = %s after %v", body, time.Since(start))
	}
}

func TestVKEnvelopesAndLongPoll(t *testing.T) {
	v := fakeapi.NewVK(t)
	call := func(method string, form url.Values) string {
		if form == nil {
			form = url.Values{}
		}
		if form.Get("access_token") == "" {
			form.Set("access_token", v.Token())
		}
		form.Set("v", "5.199")
		code, body := post(t, v.URL()+"/"+method, form)
		if code != 200 {
			t.Fatalf("%s: HTTP %d (VK answers errors with 200)", method, code)
		}
		return body
	}
	body := call("groups.getById", url.Values{"access_token": {"bad"}})
	if !strings.Contains(body, `"error_code":5`) || !strings.Contains(body, fakeapi.VKAuthFailed) {
		t.Fatalf("auth = %s", body)
	}
	body = call("messages.send", url.Values{"peer_id": {"1"}, "message": {"x"}})
	if !strings.Contains(body, `"error_code":100`) || !strings.Contains(body, "random_id") {
		t.Fatalf("no random_id = %s", body)
	}
	first := call("messages.send", url.Values{"peer_id": {"1"}, "message": {"x"}, "random_id": {"77"}})
	again := call("messages.send", url.Values{"peer_id": {"1"}, "message": {"x"}, "random_id": {"77"}})
	if first != again || len(v.Messages(1)) != 1 {
		t.Fatalf("random_id dedup: %s vs %s, %d messages", first, again, len(v.Messages(1)))
	}
	var lp struct {
		Response struct {
			Key, Server, TS string
		} `json:"response"`
	}
	if err := json.Unmarshal([]byte(call("groups.getLongPollServer", url.Values{"group_id": {"218000111"}})), &lp); err != nil || lp.Response.Key == "" {
		t.Fatalf("getLongPollServer: %v %+v", err, lp)
	}
	check := func(key, ts string) string {
		resp, err := http.Get(lp.Response.Server + "?act=a_check&key=" + key + "&ts=" + ts + "&wait=0")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.TrimSpace(string(b))
	}
	if got := check("wrong", lp.Response.TS); got != `{"failed":2}` {
		t.Fatalf("wrong key = %s", got)
	}
	v.PushText(5, "hello")
	if got := check(lp.Response.Key, lp.Response.TS); !strings.Contains(got, `"type":"message_new"`) || !strings.Contains(got, `"ts":"2"`) {
		t.Fatalf("events = %s", got)
	}
	v.DropHistory()
	// ts inside failed answers is a number.
	if got := check(lp.Response.Key, "1"); got != `{"failed":1,"ts":2}` {
		t.Fatalf("failed 1 = %s", got)
	}
}
