#!/bin/sh
# Builds the Debian package from this checkout (`make deb`): copies the
# tracked and new files into build/deb/rasoat-VERSION (the checkout is never
# written), writes debian/changelog with the project's version (RS_VERSION:
# project(... VERSION) in CMakeLists.txt) and runs dpkg-buildpackage there.
# The .deb lands in build/deb/ (or $RS_DEB_OUT).
#   RS_DEB_VERSION=V  package version V instead (tests build an upgrade)
#   RS_DEB_REUSE=1    keep the previous build tree (only the packaging is
#                     redone; tests use it for the second version)
#   DEB_BUILD_OPTIONS as for dpkg-buildpackage (default: parallel=2)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
version=$(sed -n 's/^project(rasoat VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "rasoat: no version in CMakeLists.txt's project()" >&2; exit 2; }
debver=${RS_DEB_VERSION:-$version}
out=${RS_DEB_OUT:-$top/build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/rasoat-$version
mkdir -p "$out"
if [ "${RS_DEB_REUSE:-0}" != 1 ] || [ ! -d "$src" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	git ls-files -co --exclude-standard -z | grep -zv '^build' |
		xargs -0 tar -cf - | tar -xf - -C "$src"
fi
cat > "$src/debian/changelog" <<END
rasoat ($debver) unstable; urgency=medium

  * Package of rasoat $version built from the source tree.

 -- rasoat maintainers <maintainers@users.noreply.b-seed-d054b7ac.example>  $(date -R)
END
export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=2}"
cd "$src"
if [ "${RS_DEB_REUSE:-0}" = 1 ] && [ -d obj-"$(dpkg-architecture -qDEB_HOST_GNU_TYPE)" ]; then
	dpkg-buildpackage -b -us -uc -nc >"$out/build.log" 2>&1 || { tail -40 "$out/build.log" >&2; exit 2; }
else
	dpkg-buildpackage -b -us -uc >"$out/build.log" 2>&1 || { tail -40 "$out/build.log" >&2; exit 2; }
fi
# dpkg-buildpackage writes next to the source tree: $out
ls "$out"/rasoat_"$debver"_*.deb
