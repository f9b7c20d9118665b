# Switchboard. `make run` opens the app on a demo workspace; `make test` runs every test.
# Both install what they need first (Debian/Ubuntu: apt packages as root or via sudo, npm ci,
# the Wails CLI pinned through `go run`).
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO        ?= go
TAGS      := fts5 nolibopusfile
# The C compiler's flags for every cgo package (which and why: scripts/cgo-env.sh), exported to
# everything make runs, release and bench scripts included.
export CGO_CFLAGS := $(shell source scripts/cgo-env.sh && printf '%s' "$$CGO_CFLAGS")
WAILS     := $(GO) run github.com/wailsapp/wails/v2/cmd/wails@v2.12.0
DEMO_DIR  ?= .data/demo
APP_BIN   := build/bin/switchboard
HUB_BIN   := build/bin/switchboard-hub
FRONTEND_STAMP := frontend/node_modules/.package-lock.json
# Our Go packages, listed so ./... never wanders into frontend/node_modules (some npm packages ship Go).
GO_PKGS   := . ./app/... ./backend/... ./bench/...

.PHONY: help deps run app hub demo frontend test test-go test-frontend test-e2e test-smoke vet bench bench-scale clean \
	bench-hub release release-check test-windows

help:
	@echo "make run    - build and open the app on a demo workspace ($(DEMO_DIR))"
	@echo "make test   - vet, Go tests (-race), frontend checks, browser e2e, app smoke test"
	@echo "make bench  - performance budgets on 100k people / 1M messages"
	@echo "make bench-hub  - team mode alone: a hub, 200 and 2,000 desktops on its feed; its write rate on PostgreSQL too"
	@echo "make bench-scale - the cost curve: store, start-up and memory at 10k/100k/1M people"
	@echo "make release       - dist/: Linux binaries and .deb, Windows .exe and installer, SHA-256 sums"
	@echo "make release-check - install and run what make release built (clean Debian root, wine)"
	@echo "make test-windows  - GOOS=windows go vet, Windows test binaries under wine"

deps: .deps-system $(FRONTEND_STAMP)

# System packages via apt-get (root, or sudo): GTK/WebKit headers, Xvfb, Chromium, keyring,
# notification daemon, Opus and the audio tools. Only what is missing is installed.
.deps-system: scripts/install-deps.sh
	bash scripts/install-deps.sh
	@touch $@

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

frontend: $(FRONTEND_STAMP)
	cd frontend && npm run build

hub: .deps-system
	$(GO) build -tags "$(TAGS)" -o $(HUB_BIN) ./backend/cmd/switchboard-hub

# The desktop binary (frontend built first; Wails then embeds it and links GTK/WebKit).
app: deps frontend
	$(WAILS) build -s -m -nosyncgomod -trimpath -ldflags "-s -w"

$(DEMO_DIR)/switchboard.db:
	$(MAKE) hub
	$(HUB_BIN) demo --data $(DEMO_DIR) --people 5000 --messages 60000 --seed 1

demo: $(DEMO_DIR)/switchboard.db

run: app demo
	$(APP_BIN) --data $(DEMO_DIR)

vet: deps frontend
	$(GO) vet -tags "$(TAGS)" $(GO_PKGS)

test-go: deps frontend
	bash scripts/with-postgres.sh bash scripts/with-desktop.sh $(GO) test -race -tags "$(TAGS)" -count=1 $(GO_PKGS)

test-frontend: deps
	cd frontend && npm run typecheck && npm run lint && npm run test

test-e2e: deps frontend hub
	bash scripts/e2e.sh
	bash scripts/e2e-team.sh

test-smoke: app hub
	bash scripts/smoke.sh
	bash scripts/smoke-team.sh

test: vet test-go test-frontend test-e2e test-smoke

# SCALE="10000 100000 1000000" (people; 10x as many messages) turns make bench into the cost curve.
SCALE ?=
bench: app hub
	BENCH_SCALE="$(SCALE)" bash scripts/bench.sh

# The team rows alone (a hub process, simulated desktops; the write rate also on a throw-away
# PostgreSQL from scripts/with-postgres.sh): scripts/bench-hub.sh.
bench-hub: hub
	bash scripts/bench-hub.sh

bench-scale: app hub
	BENCH_SCALE="$(or $(SCALE),10000 100000 1000000)" bash scripts/bench.sh

# Releases (README: Release). Each script installs its own tools (mingw-w64, nsis, wine, lintian,
# debootstrap) with apt-get.
release: deps
	bash scripts/release.sh

release-check:
	bash scripts/release-check.sh

test-windows: deps
	bash scripts/with-postgres.sh bash scripts/windows-test.sh

clean:
	rm -rf build/bin frontend/dist .deps-system dist build/release
