#!/bin/sh
# `make package`'s .deb: CPack packs the built grove binary (nothing else is
# built: CMAKE_SKIP_INSTALL_ALL_DEPENDENCY) into a scratch folder, and
# dpkg-deb lists /usr/bin/grove, the docs and the examples. Usage:
# package_test.sh BUILD_DIR. Exits 77 (skipped) without dpkg-deb or a grove binary.
set -eu
build=$1
command -v dpkg-deb >/dev/null 2>&1 || { echo "dpkg-deb not found: skipped"; exit 77; }
[ -x "$build/grove" ] || { echo "no grove binary in $build: skipped"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/grove_*.deb)
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/grove ./usr/share/doc/grove/cli.md ./usr/share/grove/examples/abalone.yaml \
            ./usr/share/grove/examples/ci/deploy.sh; do
  case $contents in
    *" $path"*) ;;
    *) echo "FAIL: $path is not in $deb:"; echo "$contents"; exit 1 ;;
  esac
done
depends=$(dpkg-deb -f "$deb" Depends)
case $depends in
  *libc6*) ;;
  *) echo "FAIL: Depends lacks libc6: $depends"; exit 1 ;;
esac
echo "PASS: $deb, Depends: $depends"
