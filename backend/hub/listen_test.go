package hub

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/backend/store"
)

func TestListenRefusesPlainHTTPBeyondLoopback(t *testing.T) {
	for _, c := range []struct {
		addr     string
		insecure bool
		ok       bool
	}{
		{"127.0.0.1:0", false, true},
		{"localhost:0", false, true},
		{"[::1]:0", false, true},
		{":0", false, false},
		{"0.0.0.0:0", false, false},
		{"0.0.0.0:0", true, true},
	} {
		ln, err := Listen(ListenConfig{Addr: c.addr, AllowInsecure: c.insecure})
		if c.ok {
			if err != nil {
				if strings.Contains(c.addr, "::1") && !errors.Is(err, ErrInsecureListen) {
					continue // a machine without IPv6 loopback
				}
				t.Errorf("%s: %v", c.addr, err)
				continue
			}
			ln.Close()
		} else if !errors.Is(err, ErrInsecureListen) {
			t.Errorf("%s plain without --allow-insecure-listen: %v", c.addr, err)
			if ln != nil {
				ln.Close()
			}
		}
	}
	if _, err := Listen(ListenConfig{Addr: "127.0.0.1:0", TLSCert: "cert.pem"}); err == nil {
		t.Error("a certificate without a key was accepted")
	}
}

// TestServeOverTLS serves the API with a certificate on every interface and signs in over
// HTTPS with a client that trusts only that certificate.
func TestServeOverTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	h := newTestHub(t, "sqlite")
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	ln, err := Listen(ListenConfig{Addr: "0.0.0.0:0", TLSCert: certFile, TLSKey: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.srv.Serve(ctx, ln) }()
	port := ln.Addr().(*net.TCPAddr).Port
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	res, err := client.Post("https://localhost:"+strconv.Itoa(port)+"/api/v1/login", "application/json",
		strings.NewReader(`{"email":"mgr@example.com","password":"`+managerPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var lr loginResponse
	json.NewDecoder(res.Body).Decode(&lr)
	res.Body.Close()
	if res.StatusCode != 200 || lr.Token == "" {
		t.Fatalf("login over TLS: %d", res.StatusCode)
	}
	// Plain HTTP to the TLS port gets no API answer.
	if res, err := http.Post("http://localhost:"+strconv.Itoa(port)+"/api/v1/login", "application/json", strings.NewReader(`{}`)); err == nil {
		if res.StatusCode == 200 {
			t.Error("plain HTTP answered on the TLS port")
		}
		res.Body.Close()
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not stop")
	}
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "switchboard-hub test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
