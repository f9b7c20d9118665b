package hub

import (
	"net/http"

	"switchboard/backend/version"
)

// APIVersion is the version of this API. A desktop checks it before signing in, so a desktop
// and a hub that would misunderstand each other say so instead of failing on some later call.
// Raise it on any change an older desktop would get wrong. 2: drafts are each manager's own
// (chat rows carry none; RowSet.Drafts, Mutation.WrittenAt).
const APIVersion = 2

// Product names a Switchboard hub in the version answer: a desktop pointed at another server
// (a web site, a proxy's page) tells "not a hub" from "a hub of another version" by it.
const Product = "switchboard-hub"

type versionResponse struct {
	Product string `json:"product"`
	API     int    `json:"api"`
	Version string `json:"version"`
}

// version is public: a desktop asks it before it has a session. It tells nothing an attacker
// could not learn from the login page of any other product.
func (s *Server) version(w http.ResponseWriter, _ *http.Request, _ *caller) *apiError {
	writeJSON(w, http.StatusOK, versionResponse{Product: Product, API: APIVersion, Version: version.String()})
	return nil
}
