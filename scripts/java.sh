#!/usr/bin/env bash
# `make java`: the Java runtime the Spark engine's tests need (tests/engine/): Debian's
# openjdk-17-jre-headless, installed with apt-get when no `java` is found ($JAVA_HOME/bin/java
# or on PATH). Skips when one is there; fails with a clear message without apt or root.
set -euo pipefail
PKG=openjdk-17-jre-headless

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  exit 0
fi
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make java: error: no Java runtime and apt-get is unavailable; install Java 17 or" \
    "later yourself and set JAVA_HOME (the Spark engine needs it)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "make java: error: no Java runtime; run as root: sudo make java (installs $PKG)" >&2
  exit 1
fi
echo "make java: installing $PKG (apt-get)" >&2
# the package's postinst wants this directory on slim images
mkdir -p /usr/share/man/man1
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PKG" >/dev/null; }; then
  echo "make java: error: apt-get could not install $PKG" >&2
  exit 1
fi
