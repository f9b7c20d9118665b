package hub

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"switchboard/backend/loopback"
)

// ListenConfig is where and how the API listens.
type ListenConfig struct {
	Addr string // host:port
	// TLSCert and TLSKey are PEM files; both or neither.
	TLSCert, TLSKey string
	// AllowInsecure permits plain HTTP on a non-loopback address: for a hub behind a reverse
	// proxy that terminates TLS. Without it plain HTTP listens on loopback only, because a
	// password and a session token would otherwise cross the network readable.
	AllowInsecure bool
}

// ErrInsecureListen: plain HTTP asked for on an address other machines can reach.
var ErrInsecureListen = errors.New("hub: plain HTTP only on a loopback address: give --tls-cert and --tls-key, or --allow-insecure-listen behind a TLS-terminating reverse proxy")

// Listen opens the API's listener: TLS when a certificate is given, plain TCP otherwise, which
// it refuses on a non-loopback address unless AllowInsecure.
func Listen(cfg ListenConfig) (net.Listener, error) {
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return nil, errors.New("hub: --tls-cert and --tls-key go together")
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("hub: listen address %q: %w", cfg.Addr, err)
	}
	var tlsConfig *tls.Config
	if cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("hub: TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	} else if !loopback.Host(host) && !cfg.AllowInsecure {
		// An empty host (":8080") listens on every interface: not loopback either.
		return nil, ErrInsecureListen
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("hub: listen: %w", err)
	}
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	return ln, nil
}

// Serve answers the API on ln until ctx ends, then stops accepting, lets requests in flight
// finish (up to 10 s) and closes the feed sockets.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		// Failed TLS handshakes and the like come from anyone who can reach the port: debug.
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.beginStopping()
	err := srv.Shutdown(sctx)
	s.Close()
	<-done // http.ErrServerClosed once Shutdown began
	return err
}
