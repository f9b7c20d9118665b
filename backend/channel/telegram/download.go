package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
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
	resp, err := c.http.R().SetContext(rctx).SetDoNotParseResponse(true).Get(c.api + "/file/bot" + c.token + "/" + f.FilePath)
	if err != nil {
		return c.transportError(ctx, "download", err)
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode() != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(body, 1<<16))
		return c.decode("download", resp.StatusCode(), data, nil)
	}
	return writeAtomic(dst, body, core.TelegramDownloadLimit, func(err error) error { return c.transportError(ctx, "download", err) })
}

func tooBig(size int64) *channel.APIError {
	return permanent(fmt.Sprintf("the file is %d MB; Telegram lets bots download at most 20 MB", size>>20))
}

// writeAtomic copies at most limit bytes of r into dst via a temporary file in dst's folder.
func writeAtomic(dst string, r io.Reader, limit int64, netErr func(error) error) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("telegram download: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".part-*")
	if err != nil {
		return fmt.Errorf("telegram download: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, io.LimitReader(r, limit+1))
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("telegram download: %w", err)
		}
		return netErr(err)
	}
	if n > limit {
		return fmt.Errorf("telegram download: %w", tooBig(n))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("telegram download: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("telegram download: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("telegram download: %w", err)
	}
	ok = true
	return nil
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
