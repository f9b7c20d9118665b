package inbox

import (
	"errors"
	"strconv"

	"switchboard/backend/channel"
	"switchboard/backend/core"
	"switchboard/backend/hubclient"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
	"switchboard/backend/voice"
)

// Every error a person can meet has a stable code here, the one place that declares them: the
// app sends {code, message} to the UI and the hub will answer with the same codes. The UI words
// each code in Russian and English (frontend/src/lib/errors.ts); errors_test.go fails when a code
// here is missing from frontend/src/lib/errorCodes.ts, and the frontend's typecheck and tests fail
// when a code there has no words. The message stays for the log, never for the person.

// CodeInternal is the code of every error not in the table: a fault, not something to explain.
const CodeInternal = "internal"

// errorCodes maps errors to codes. Order matters only for errors that wrap more than one of
// these: the first match wins.
var errorCodes = []struct {
	err  error
	code string
}{
	{core.ErrDeleteWindowPassed, "delete_window"},
	{core.ErrNotEditable, "not_editable"},
	{core.ErrTextTooLong, "text_too_long"},
	{core.ErrEmptyMessage, "empty_message"},
	{channel.ErrUnauthorized, "token_rejected"},
	{channel.ErrWebhook, "webhook"},
	{channel.ErrConflict, "conflict"},
	{channel.ErrRateLimited, "rate_limited"},
	{channel.ErrTemporary, "offline"},
	{channel.ErrPermanent, "rejected"},
	{channel.ErrNotRunning, "not_running"},
	{channel.ErrDownloadTooLarge, "file_too_large"},
	{secrets.ErrNoKeyring, "no_keyring"},
	{ErrDuplicate, "duplicate"},
	{ErrNoEngine, "no_engine"},
	{ErrNoToken, "no_token"},
	{ErrAPIURL, "bad_api_url"},
	{ErrInsecureAPIURL, "insecure_api_url"},
	{ErrGroupID, "bad_group_id"},
	{ErrOtherCommunity, "other_community"},
	{ErrLeadLinkEmpty, "lead_link_empty"},
	{ErrLeadLinkCode, "lead_link_code"},
	{ErrInvalid, "invalid"},
	{ErrTeamUnsupported, "team_unsupported"},
	{store.ErrNotFound, "not_found"},
	{store.ErrDiskFull, "disk_full"},
	{store.ErrNotFailed, "not_failed"},
	{voice.ErrNoMicrophone, "no_microphone"},
	{voice.ErrMicrophoneLost, "microphone_lost"},
	{voice.ErrEmpty, "voice_empty"},
	{ErrVoiceBusy, "voice_busy"},
	{ErrNotRecording, "not_recording"},
	{ErrFileTooLarge, "file_too_large"},
	{ErrBadAttachment, "bad_attachment"},
	{ErrBadPart, "bad_part"},
	{ErrDraftTooLarge, "draft_too_large"},
	{ErrBadConstructor, "bad_constructor"},
	{store.ErrTemplateExists, "template_exists"},
	{store.ErrTemplateName, "template_name"},
	{ErrTaskTitle, "task_title"},
	{ErrTaskDue, "task_due"},
	{store.ErrUnknownAssignee, "unknown_assignee"},
	{store.ErrAssigneeDisabled, "assignee_disabled"},
	{store.ErrMentionDisabled, "mention_disabled"},
	{store.ErrClaimed, "claimed"},
	{ErrAdminOnly, "admin_only"},
	{core.ErrDialogueClosed, "dialogue_closed"},
	{core.ErrDialogueOpen, "dialogue_open"},
	{store.ErrOptionExists, "dialogue_option_exists"},
	{store.ErrOptionName, "dialogue_option_name"},
	{ErrUnknownOption, "dialogue_option_unknown"},
}

// ErrorParams are the data an error's words need beside its code (the owner of a chat someone
// else claimed first), or nil. Names of people travel as data; the UI puts them in its words.
func ErrorParams(err error) map[string]string {
	var refused *teamwire.Refusal
	if errors.As(err, &refused) {
		return refused.Params
	}
	var claimed *store.ClaimConflict
	if errors.As(err, &claimed) {
		return map[string]string{"owner": claimed.OwnerName, "ownerId": strconv.FormatInt(claimed.OwnerID, 10)}
	}
	return nil
}

// ErrorCode is err's code, CodeInternal for an error not in the table.
func ErrorCode(err error) string {
	// A connector's reason (blocked, unreachable, an error page…) names the problem more
	// exactly than its class.
	var apiErr *channel.APIError
	if errors.As(err, &apiErr) && apiErr.Reason != "" {
		return apiErr.Reason
	}
	// A change the hub refused carries the inbox's code of the hub.
	var refused *teamwire.Refusal
	if errors.As(err, &refused) && refused.Reason != "" {
		return refused.Reason
	}
	// A hub call's failure (team mode: signing in, an admin's user management) has its own code.
	if code := hubclient.CodeOf(err); code != "" {
		return code
	}
	for _, c := range errorCodes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return CodeInternal
}

// ErrorCodes lists every code a person can meet, each once: those ErrorCode returns
// (CodeInternal included) and the failure reasons of sends and of channels (core/failure.go),
// which travel as data in messages and channel statuses.
func ErrorCodes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	add(CodeInternal)
	for _, c := range errorCodes {
		add(c.code)
	}
	for _, c := range core.FailureCodes() {
		add(c)
	}
	for _, c := range hubclient.ErrorCodes {
		add(c)
	}
	return out
}
