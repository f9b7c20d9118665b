package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// Download fetches a received file (getFile, then {api}/file/bot<token>/<file_path>) into dst,
// atomically: the bytes go to a temporary file beside dst that is renamed only when complete.
// Bots may download at most 20 MB; bigger files are refused before any byte moves.
func (c *Client) Download(ctx context.Context, a core.Attachment, dst string) error {
	if a.FileID == "" {
		return fmt.Errorf("telegram download: %w", permanent(fmt.Sprintf("a %s attachment has no file to download", a.Kind)))
	}
	if a.Size > core.TelegramDownloadLimit {
		return fmt.Errorf("telegram download: %w", tooBig(a.Size))
	}
	var f file
	if err := c.call(ctx, "getFile", map[string]string{"file_id": a.FileID}, c.requestTimeout, &f, nil); err != nil {
		var ae *channel.APIError
		if errors.As(err, &ae) && ae.Description == "Bad Request: file is too big" {
			// Telegram's own refusal for > 20 MB: say what it means and what to do.
			ae.Description = "the file is over 20 MB; Telegram lets bots download at most 20 MB (ask the client to send it another way)"
		}
		return err
	}
	if f.FileSize > core.TelegramDownloadLimit {
		return fmt.Errorf("telegram download: %w", tooBig(f.FileSize))
	}
	if f.FilePath == "" || strings.Contains(f.FilePath, "..") {
		return fmt.Errorf("telegram download: %w", &channel.APIError{Class: channel.ErrTemporary, Description: "getFile returned no usable file_path"})
	}
	rctx, cancel := context.WithTimeout(ctx, c.uploadTimeout)
	defer cancel()
	resp, err := channel.Get(rctx, c.http, c.api+"/file/bot"+c.token+"/"+f.FilePath, nil)
	if err != nil {
		return c.transportError(ctx, "download", err)
	}
	body := resp.Body
	defer body.Close()
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(body, 1<<16))
		return c.decode("download", resp.StatusCode, data, nil)
	}
	return c.saveDownload(ctx, dst, body, core.TelegramDownloadLimit)
}

func tooBig(size int64) *channel.APIError {
	return permanent(fmt.Sprintf("the file is %d MB; Telegram lets bots download at most 20 MB", size>>20))
}

// saveDownload keeps at most limit bytes of r at dst (channel.SaveDownload), in this client's
// words and error classes.
func (c *Client) saveDownload(ctx context.Context, dst string, r io.Reader, limit int64) error {
	n, err := channel.SaveDownload(dst, r, limit)
	var re *channel.DownloadReadError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re):
		return c.transportError(ctx, "download", re.Err)
	case errors.Is(err, channel.ErrDownloadTooLarge):
		return fmt.Errorf("telegram download: %w", tooBig(n))
	}
	return fmt.Errorf("telegram download: %w", err)
}

// DownloadAvatar saves the bot's current profile photo (its largest size) to dst. It reports
// false when the bot has no photo. Check leaves BotInfo.AvatarURL empty because a Bot API file
// URL contains the token; the app shows this local copy instead.
func (c *Client) DownloadAvatar(ctx context.Context, dst string) (bool, error) {
	var me user
	if err := c.call(ctx, "getMe", nil, c.requestTimeout, &me, nil); err != nil {
		return false, err
	}
	var photos struct {
		TotalCount int           `json:"total_count"`
		Photos     [][]photoSize `json:"photos"`
	}
	params := map[string]string{"user_id": strconv.FormatInt(me.ID, 10), "limit": "1"}
	if err := c.call(ctx, "getUserProfilePhotos", params, c.requestTimeout, &photos, nil); err != nil {
		return false, err
	}
	if len(photos.Photos) == 0 || len(photos.Photos[0]) == 0 {
		return false, nil
	}
	best := photos.Photos[0][0]
	for _, p := range photos.Photos[0][1:] {
		if p.Width*p.Height > best.Width*best.Height {
			best = p
		}
	}
	if err := c.Download(ctx, core.Attachment{Kind: core.AttachPhoto, FileID: best.FileID, Size: best.FileSize}, dst); err != nil {
		return false, err
	}
	return true, nil
}
