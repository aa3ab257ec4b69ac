# Incident Collaboration for Mattermost: Mattermost's plugin target names, one line each into cargo, npm or xtask.
.PHONY: all setup server webapp dist deploy check-style test test-rust test-webapp test-browser wasm run bench fuzz clean

all: check-style test dist

## Installs what the build needs and is missing: rustup targets, npm packages, Chromium for browser tests.
setup:
	cargo xtask setup

## The plugin binary for this machine (debug).
server:
	cargo build -p incident-plugin

## The webapp bundle webapp/dist/main.js and the dev host page webapp/dist/devhost.js.
webapp: setup
	cd webapp && npm run build

## The Marketplace bundle dist/<id>-<version>.tar.gz (static musl binaries for x86_64 and aarch64).
dist: setup webapp
	cargo xtask dist

## Formatting, lints and generated-code freshness.
check-style: setup
	cargo fmt --all --check
	cargo xtask codegen --check
	cargo xtask ts-types --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cd webapp && npm run lint && npm run check-types

test: setup check-style wasm test-webapp dist test-rust test-browser

test-rust:
	cargo test --workspace --locked

## The domain core must build for wasm32.
wasm:
	cargo check -p incident-core --target wasm32-unknown-unknown --locked

test-webapp: setup
	cd webapp && npm test

test-browser: dist
	cargo xtask browser-test

## Builds everything and starts the dev host with the bundle; prints the URL.
run: dist
	cargo run --release -p devhost -- --bundle dist/$$(cargo xtask bundle-name)

## Benchmarks; results go to BENCHMARKS.md.
bench: dist
	INCIDENT_RELEASE_PLUGIN=1 cargo bench -p incident-tests

## Long property-test run of the parser, the record decoder, the read model, the ServeHTTP bridge and the REST decoders through the
## real plugin (`make test` runs them short).
fuzz:
	PROPTEST_CASES=20000 cargo test --release --locked -p incident-core -p mm -p incident-store -p incident-tests -- props

## Uploads the bundle to a server (needs MM_SERVICESETTINGS_SITEURL and MM_ADMIN_TOKEN).
deploy: dist
	cargo xtask deploy

clean:
	cargo clean
	rm -rf dist webapp/dist .devhost
