#!/bin/sh
# Builds the Debian package from this checkout (`make deb`): copies the
# tracked and new files into build/deb/rasoat-VERSION (the checkout is never
# written), writes debian/changelog with the project's version (RS_VERSION:
# project(... VERSION) in CMakeLists.txt) and runs dpkg-buildpackage there.
# The .deb lands in build/deb/ (or $RS_DEB_OUT).
#   RS_DEB_VERSION=V  package version V instead (tests build an upgrade)
#   RS_DEB_REUSE=1    keep the previous build's compiled tree: the sources
#                     are copied over it, make rebuilds what changed and every
#                     packaging step is redone (tests build the second version so)
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
reuse=0
[ "${RS_DEB_REUSE:-0}" = 1 ] && [ -d "$src/obj-$(dpkg-architecture -qDEB_HOST_GNU_TYPE)" ] && reuse=1
if [ "$reuse" = 0 ]; then
	rm -rf "$src"
	mkdir -p "$src"
else
	# keep the compiled tree; redo every packaging step
	rm -rf "$src/debian/rasoat" "$src/debian/.debhelper" "$src"/debian/*.debhelper.log \
		"$src/debian/debhelper-build-stamp" "$src/debian/files"
fi
git ls-files -co --exclude-standard -z | grep -zv '^build' |
	xargs -0 tar -cf - | tar -xf - -C "$src"
cat > "$src/debian/changelog" <<END
rasoat ($debver) unstable; urgency=medium

  * Package of rasoat $version built from the source tree.

 -- rasoat maintainers <maintainers@users.noreply.b-seed-d054b7ac.example>  $(date -R)
END
export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=2}"
cd "$src"
nc=
[ "$reuse" = 1 ] && nc=-nc
dpkg-buildpackage -b -us -uc $nc >"$out/build.log" 2>&1 || { tail -40 "$out/build.log" >&2; exit 2; }
# dpkg-buildpackage writes next to the source tree: $out
ls "$out"/rasoat_"$debver"_*.deb
