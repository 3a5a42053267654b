#!/bin/sh
# Builds librdkafka LIBRDKAFKA_VERSION into PREFIX (default: this machine's cache), once per machine.
#
# Why: Debian 12's librdkafka (2.0.2, under python3-confluent-kafka) cannot log in to Kafka 4 brokers
# with SCRAM: it repeats the client nonce in its final message, which Kafka 4 checks strictly since
# 4.0 (fixed in librdkafka 2.6.1). Plain text works with it; ./pipeline up --secure, compose's and
# Kubernetes' TLS + SCRAM need a newer one. librdkafka's C sources come from the npm registry
# (bundled in @confluentinc/kafka-javascript); they build in about a minute on two cores with
# Debian's gcc, libssl-dev and zlib1g-dev. Python's confluent_kafka then loads it by
# LD_LIBRARY_PATH (strategy-qrs/run): librdkafka keeps its ABI compatible within librdkafka.so.1.
set -eu
LIBRDKAFKA_VERSION=2.15.1
NPM_PACKAGE=@confluentinc/kafka-javascript@1.10.1   # bundles librdkafka 2.15.1's sources
PREFIX=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/trading-pipeline/librdkafka-$LIBRDKAFKA_VERSION}

if [ -f "$PREFIX/lib/librdkafka.so.1" ] && [ "$(cat "$PREFIX/VERSION" 2>/dev/null)" = "$LIBRDKAFKA_VERSION" ]; then
  exit 0
fi
missing=""
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v tar >/dev/null 2>&1 || missing="$missing tar"
[ -f /usr/include/openssl/ssl.h ] || missing="$missing libssl-dev"
[ -f /usr/include/zlib.h ] || missing="$missing zlib1g-dev"
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086 # one word per package
  "$(dirname "$0")/../../deploy/setup/debian-packages" build-librdkafka $missing
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Building librdkafka $LIBRDKAFKA_VERSION into $PREFIX (once per machine, about a minute)..."
(cd "$work" && npm pack --silent "$NPM_PACKAGE" >/dev/null && tar xzf ./*.tgz package/deps/librdkafka)
src="$work/package/deps/librdkafka"
grep -q "RD_KAFKA_VERSION  *0x020f01ff" "$src/src/rdkafka.h" \
  || { echo "build-librdkafka: $NPM_PACKAGE does not hold librdkafka $LIBRDKAFKA_VERSION" >&2; exit 1; }
(cd "$src" && ./configure --prefix="$PREFIX" --disable-gssapi --disable-zstd --disable-curl >"$work/build.log" 2>&1 \
  && make -j"$(nproc 2>/dev/null || echo 2)" -C src >>"$work/build.log" 2>&1 && make -C src install >>"$work/build.log" 2>&1) \
  || { tail -20 "$work/build.log" >&2; echo "build-librdkafka: the build failed" >&2; exit 1; }
echo "$LIBRDKAFKA_VERSION" > "$PREFIX/VERSION"
echo "librdkafka $LIBRDKAFKA_VERSION is in $PREFIX/lib"
