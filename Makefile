# socred: `make run` serves the page with a local NetServer; `make test` runs
# every test; `make dist` builds the release into dist/. See README.md.

GO          ?= go
GOROOT      := $(shell $(GO) env GOROOT)
BIN         := $(CURDIR)/bin
WASMEXEC    := $(BIN)/wasmbrowsertest
# Compresses, zips and sums with Go libraries (tools/pack), so that make
# needs no brotli, gzip, zip or sha256sum command.
PACK        := $(BIN)/pack
# Joins the page's modules into one script (tools/bundle, esbuild).
BUNDLER     := $(BIN)/bundle
STATIC      := web/static
WASM        := $(STATIC)/socred.wasm
# The batch module (socred.batch), loaded by the page only when it is needed.
BATCHWASM   := $(STATIC)/socred-batch.wasm
MODULES     := $(WASM) $(WASM).br $(WASM).gz $(BATCHWASM) $(BATCHWASM).br $(BATCHWASM).gz
# The standalone page's script: js/page.js and every module it imports, in
# one file, so a cold load fetches one script rather than 35 (README.md).
PAGEJS      := $(STATIC)/js/page.bundle.js
# Native builds must not inherit GOOS/GOARCH from the wasm targets.
NATIVE      := env -u GOOS -u GOARCH
# GOWASM: the sign-extension and non-trapping float-to-int instructions
# (WebAssembly 2.0; every browser since 2021) make shorter code than their
# emulation: 2 KB less of the compressed module.
JSWASM      := env GOOS=js GOARCH=wasm GOWASM=satconv,signext
# The wasm tests run in headless Chromium; -exec takes an absolute path.
WASMTEST    := $(JSWASM) $(GO) test -exec=$(WASMEXEC)
FUZZTIME    ?= 30s

.PHONY: all run test test-native test-wasm test-js wasm dist dist-native bench size fuzz clean tools

all: wasm

## Tools pinned in go.mod, built natively into ./bin (ignored).
tools: $(WASMEXEC)

$(WASMEXEC): go.mod go.sum
	$(NATIVE) $(GO) build -o $@ github.com/agnivade/wasmbrowsertest

$(PACK): go.mod go.sum $(filter-out %_test.go,$(wildcard tools/pack/*.go))
	$(NATIVE) $(GO) build -o $@ ./tools/pack

$(BUNDLER): go.mod go.sum $(filter-out %_test.go,$(wildcard tools/bundle/*.go))
	$(NATIVE) $(GO) build -o $@ ./tools/bundle

## The modules, precompressed as any static server or CDN serves them
## (brotli -q 11, gzip -9, by tools/pack: the server only picks a file), and their loader:
## socred.wasm (the API, what every page starts) and socred-batch.wasm
## (socred.batch, loaded on first use). wasm_exec.js is copied from the
## toolchain, never edited. And the page's script, js/page.bundle.js.
wasm: $(MODULES) $(STATIC)/wasm_exec.js $(PAGEJS)

$(PAGEJS): $(filter-out $(PAGEJS),$(wildcard $(STATIC)/js/*.js)) $(STATIC)/js/lang/en.json $(BUNDLER)
	$(BUNDLER) $(STATIC)/js/page.js $@

# The module's socred.version: 0.1.0+ the short VCS revision (-dirty with
# uncommitted changes), set at link time so the module reads no build info.
# Computed once per run (a file edited meanwhile must not change it halfway).
WASMVERSION := 0.1.0$(shell rev=$$(git rev-parse --short=12 HEAD 2>/dev/null) && echo "+$$rev$$(git diff --quiet HEAD 2>/dev/null || echo -dirty)")

# The stamp changes only when the version does, so a new commit rebuilds the
# module (its version would otherwise stay the old one) and nothing else does.
VERSIONSTAMP := $(BIN)/wasm-version
$(VERSIONSTAMP): FORCE
	@mkdir -p $(BIN); echo '$(WASMVERSION)' | cmp -s - $@ || echo '$(WASMVERSION)' > $@
.PHONY: FORCE
FORCE:

WASMSOURCES := go.mod go.sum $(VERSIONSTAMP) $(shell find soap wssec keys internal jsapi wasm batch -name '*.go' -not -name '*_test.go' 2>/dev/null)
$(WASM): $(WASMSOURCES)
	$(JSWASM) $(GO) build -trimpath -ldflags='-s -w -X main.version=$(WASMVERSION)' -o $@ ./wasm/cmd/socred
$(BATCHWASM): $(WASMSOURCES)
	$(JSWASM) $(GO) build -trimpath -ldflags='-s -w -X main.version=$(WASMVERSION)' -tags=socred_batch -o $@ ./wasm/cmd/socred-batch

# pack writes beside and then renames, so a server never sees half a file;
# the server also ignores a .br or .gz older than the module.
$(STATIC)/%.wasm.br: $(STATIC)/%.wasm | $(PACK)
	$(PACK) br $< $@
$(STATIC)/%.wasm.gz: $(STATIC)/%.wasm | $(PACK)
	$(PACK) gz $< $@

$(STATIC)/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

## Try it: serve the page with a local NetServer (see README.md, "Running
## socred"), reading web/static and web/portal from disk rather than the
## copies built into the binary, so a rebuilt module or an edited page is
## picked up. Flags go in ARGS, e.g. make run ARGS='-data creds.json -cors-origin http://localhost:9000'.
run: wasm
	$(NATIVE) $(GO) run -ldflags='-X main.version=$(WASMVERSION)' ./web/cmd/socred -static $(STATIC) -portal web/portal $(ARGS)

## The release (README.md, "Deploying"), into dist/ (ignored by git): the
## static bundle for IIS, nginx or Apache; one binary per platform with
## every file built in; SHA256SUMS. VERSION is the module's, with "+" made
## "-" for file names.
DIST        := dist
VERSION     := $(subst +,-,$(WASMVERSION))
BUNDLE       = $(DIST)/socred-static-$(VERSION).zip
NPMPACKAGE   = $(DIST)/socred-element-$(VERSION).tgz
PLATFORMS   := linux/amd64 linux/arm64 windows/amd64 darwin/arm64
HOSTPLATFORM = $(shell $(NATIVE) $(GO) env GOOS)/$(shell $(NATIVE) $(GO) env GOARCH)
binary       = $(DIST)/socred-$(VERSION)-$(subst /,-,$(1))$(if $(findstring windows,$(1)),.exe)

dist: wasm $(PACK)
	rm -rf $(DIST)
	$(MAKE) --no-print-directory WASMVERSION='$(WASMVERSION)' $(BUNDLE) $(NPMPACKAGE) $(foreach p,$(PLATFORMS),$(call binary,$(p)))
	$(PACK) sums $(DIST)/SHA256SUMS $(sort $(BUNDLE) $(NPMPACKAGE) $(foreach p,$(PLATFORMS),$(call binary,$(p))))

## What the deployment tests use: the bundle and this platform's binary
## (other versions' files are removed, so dist/ does not grow commit by commit).
dist-native: $(BUNDLE) $(call binary,$(HOSTPLATFORM))
	@find $(DIST) -maxdepth 1 -name 'socred-*' ! -name 'socred-$(VERSION)-*' ! -name 'socred-static-$(VERSION).zip' -delete

# The page's files as web/static holds them after make wasm (dotfiles and
# half-written .tmp files left out), then the deployment files from
# web/deploy. The entries are at the zip's root: unpack it into the folder
# the page is served from.
$(BUNDLE): $(MODULES) $(STATIC)/wasm_exec.js $(PAGEJS) $(VERSIONSTAMP) $(PACK) $(shell find $(STATIC) web/deploy -type f 2>/dev/null)
	@mkdir -p $(DIST)
	$(PACK) zip $@ $(STATIC) web/deploy/config.json web/deploy/web.config web/deploy/DEPLOY.md

# The npm package of the element's types, manifest and entry script (what
# npm pack makes of web/npm with those files; README.md, "Embed it").
NPMFILES := $(STATIC)/socred-element.d.ts $(STATIC)/socred-element.js $(STATIC)/custom-elements.json
$(NPMPACKAGE): $(NPMFILES) web/npm/package.json web/npm/README.md $(VERSIONSTAMP) $(PACK)
	@mkdir -p $(DIST)
	$(PACK) npm $@ $(VERSION) web/npm $(NPMFILES)

# One static binary per platform, every file built in (package socred/web);
# go build's cache decides what needs rebuilding.
$(DIST)/socred-%: FORCE $(MODULES) $(STATIC)/wasm_exec.js $(PAGEJS)
	@mkdir -p $(DIST)
	p='$*'; p=$${p#$(VERSION)-}; p=$${p%.exe}; \
	env CGO_ENABLED=0 GOOS=$${p%%-*} GOARCH=$${p#*-} $(GO) build -trimpath \
		-ldflags='-s -w -X main.version=$(WASMVERSION)' -o $@ ./web/cmd/socred

## Every test: native (with -race; interop and end-to-end included), then
## the soap, wssec, keys, xmltree, wasm and batch packages again under GOOS=js GOARCH=wasm in Chromium,
## then the browser modules' pure logic in Node (web/jstest, not served).
test: test-native test-wasm test-js

# SOCRED_DIST_* tell the deployment tests (web/e2e/deploy_test.go) which
# bundle and binary this version's are.
# vet's printf check also covers minifmt's calls (the browser's files too):
# with -tags=socred_vet, minifmt.Errorf and Sprintf are fmt's (see
# internal/minifmt/vet.go), so vet checks them by fmt's rules.
test-native: wasm dist-native
	$(NATIVE) $(GO) vet ./...
	$(NATIVE) $(GO) vet -printf -tags=socred_vet ./...
	$(JSWASM) $(GO) vet -printf -tags=socred_vet,socred_batch ./soap/ ./wssec/ ./keys/ ./internal/xmltree/ ./internal/datetime/ ./internal/isodate/ ./jsapi/ ./wasm/... ./batch/...
	SOCRED_DIST_BUNDLE=$(abspath $(BUNDLE)) SOCRED_DIST_BINARY=$(abspath $(call binary,$(HOSTPLATFORM))) \
		$(NATIVE) $(GO) test -race -count=1 ./...

# Node's built-in test runner, no dependency: i18n, dates and time zones,
# expiry, scrubbing, URLs, tables, the iframe's messages.
test-js:
	node --test web/jstest/

# The wasm fetch tests need a server, which a browser test cannot start:
# fetchtestserver listens on 127.0.0.1, runs the tests with its URL in
# SOCRED_FETCHTEST_URL, and stops when they end. Chromium's temporary
# folders go to a TMPDIR removed afterwards.
test-wasm: tools
	$(NATIVE) $(GO) build -o $(BIN)/fetchtestserver ./web/e2e/fetchtestserver
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		TMPDIR=$$tmp $(BIN)/fetchtestserver $(WASMTEST) -tags=socred_batch -count=1 ./soap/ ./wssec/ ./keys/ ./internal/xmltree/ ./wasm/... ./batch/

## Benchmarks: Go benchmarks (batch: Check of 1,000 and 100,000 rows, CSV and .xlsx, and
## apply throughput at concurrency 1, 4, 8 and 16 against the local NetServer),
## then the browser measurements: the table of issue 14's figures beside
## their baselines (TestBenchBrowser), the batch module in the page (load,
## open of the same 1,000 and 100,000 rows as CSV and as .xlsx, the
## module's brotli size, plan and apply at concurrency 1, 4, 8
## with 20 ms per call: TestBenchBatchBrowser), apply at 1, 4, 8 and 16
## over HTTP/2 and over HTTP/1.1 (TLS, a self-signed certificate), each
## beside a plain-JS fetch loop (TestBenchApplyHTTP2), where a call's time goes
## (TestBenchProfile), the page ready (its module, and the form usable)
## beside a hello page and the bare module, median of 15 interleaved cold
## loads (TestBenchReady), and, with SOCRED_BENCH_BEFORE=<another build's
## web/static>, before and after in one run (TestBenchBeforeAfter, and
## TestBenchReady's ready times).
bench: wasm tools
	$(NATIVE) $(GO) test -run='^$$' -bench=. -benchmem -count=6 ./soap/ ./wssec/ | tee bin/bench-native.txt
	$(NATIVE) $(GO) test -run='^$$' -bench=. -benchmem -count=6 ./batch/ | tee bin/bench-batch.txt
	$(WASMTEST) -run='^$$' -bench=. -count=6 ./wasm/ | tee bin/bench-wasm.txt
	$(NATIVE) $(GO) test -tags=bench -run='^TestBench' -count=1 -timeout=30m -v ./web/e2e/ | grep -v '^=== ' | tee bin/bench-browser.txt

## The modules' sizes, raw, brotli -q 11 and gzip -9, beside a Go hello-world
## module's (the floor), then each one's largest packages by code bytes, read from an
## unstripped build's name section by tools/wasmsize. Not run by CI.
HELLO := ./web/e2e/testdata/hello
size: wasm $(PACK)
	@mkdir -p $(BIN)
	env GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/hello.wasm $(HELLO)
	$(JSWASM) $(GO) build -trimpath -ldflags='-w -X main.version=$(WASMVERSION)' -o $(BIN)/socred-names.wasm ./wasm/cmd/socred
	$(JSWASM) $(GO) list -deps ./wasm/cmd/socred > $(BIN)/socred-pkgs.txt
	$(JSWASM) $(GO) build -trimpath -ldflags='-w -X main.version=$(WASMVERSION)' -tags=socred_batch -o $(BIN)/socred-batch-names.wasm ./wasm/cmd/socred-batch
	$(JSWASM) $(GO) list -tags=socred_batch -deps ./wasm/cmd/socred-batch > $(BIN)/socred-batch-pkgs.txt
	@$(PACK) size $(WASM) $(BATCHWASM) $(BIN)/hello.wasm
	@echo; echo "socred.wasm:"
	@$(NATIVE) $(GO) run ./tools/wasmsize -pkgs $(BIN)/socred-pkgs.txt $(BIN)/socred-names.wasm
	@echo; echo "socred-batch.wasm:"
	@$(NATIVE) $(GO) run ./tools/wasmsize -pkgs $(BIN)/socred-batch-pkgs.txt $(BIN)/socred-batch-names.wasm

## Fuzz each target for FUZZTIME (CI runs only the seed corpus, in make test).
fuzz:
	for pkg in ./soap/ ./wssec/ ./keys/ ./internal/xmltree/ ./netserver/ ./batch/ ./jsapi/; do \
		for f in $$($(NATIVE) $(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			$(NATIVE) $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

clean:
	rm -rf bin $(DIST) $(MODULES) $(STATIC)/wasm_exec.js $(PAGEJS) screenshots
